// Field access that fails with a BLPError pointing at this record's line and the field, so callers
// interpreting numbers and codes report errors in the same shape as the parser.
extension BLPRecord {
    /// An error about this record (its line), optionally about one field.
    public func error(_ code: BLPErrorCode, field: String? = nil, _ reason: String) -> BLPError {
        BLPError(line: line, field: field, code: code, reason: reason)
    }

    /// The value of `key`; absent or empty is `missingField` ("code is required").
    public func required(_ key: String) throws(BLPError) -> String {
        guard let value = self[key], !value.isEmpty else {
            throw error(.missingField, field: key, "\(key) is required")
        }
        return value
    }

    /// The value of `key` interpreted by `parse`; absent or empty is `missingField`, and a value
    /// `parse` rejects is `badValue` naming what was `expected` (e.g. "an amount in yuan").
    public func required<T>(
        _ key: String,
        expected: String,
        _ parse: (String) -> T?
    ) throws(BLPError) -> T {
        let text = try required(key)
        guard let value = parse(text) else {
            throw badValue(key, text, expected: expected)
        }
        return value
    }

    /// The value of `key` interpreted by `parse`, or nil when absent or empty (`general=` is as if
    /// unwritten); a value `parse` rejects is `badValue` naming what was `expected`.
    public func optional<T>(
        _ key: String,
        expected: String,
        _ parse: (String) -> T?
    ) throws(BLPError) -> T? {
        guard let text = self[key], !text.isEmpty else { return nil }
        guard let value = parse(text) else {
            throw badValue(key, text, expected: expected)
        }
        return value
    }

    private func badValue(_ key: String, _ text: String, expected: String) -> BLPError {
        error(.badValue, field: key, "bad \(key) \(BLPText.quoted(text)): expected \(expected)")
    }
}
