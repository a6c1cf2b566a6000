/// Why a record cannot be written as BLP/1.
public struct BLPWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the record.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The type is not `[a-z][a-z0-9_]*`.
        case badRecordType = "bad_record_type"
        /// A key is not `[a-z][a-z0-9_]*`.
        case badKey = "bad_key"
        /// A key appears twice.
        case repeatedKey = "repeated_key"
    }

    /// What is wrong.
    public var code: Code
    /// The type of the record concerned.
    public var recordType: String
    /// The key concerned, if any.
    public var key: String?
    /// A short human explanation.
    public var reason: String

    /// Creates a write error.
    public init(code: Code, recordType: String, key: String? = nil, reason: String) {
        self.code = code
        self.recordType = recordType
        self.key = key
        self.reason = reason
    }

    public var description: String { reason }
}

/// Writes records as canonical BLP/1 text: `type key=value …`, fields in the record's order, one
/// space between them, a value quoted only when it must be.
///
/// The writer refuses (throws) a type or key that is not `[a-z][a-z0-9_]*` and a repeated key:
/// mistakes of the program, never of stored text. Values always write, so a read can never fail
/// on what is stored: a control character other than `\n` and `\t` (which the text rule refuses
/// today but an older row may hold) is written as the escape `\uXXXX`, which the grammar lacks.
/// Writing then parsing gives back the same types, keys and values for every value without such
/// a character; with one, the parser refuses that value by name (bad escape) instead of taking the
/// control character in. It does not know the schema or `BLPLimits.maxLineBytes`: unknown keys and
/// over-long lines are the caller's concern.
public enum BLPWriter {
    /// One record as a line, without a line terminator.
    public static func line(_ record: BLPRecord) throws(BLPWriteError) -> String {
        try check(record)
        return render(record)
    }

    /// Records as a document: each record's line followed by `\n`.
    public static func document(_ records: some Sequence<BLPRecord>) throws(BLPWriteError) -> String {
        var out = ""
        for record in records {
            try check(record)
            out += render(record)
            out += "\n"
        }
        return out
    }

    /// Whether `value` can be carried by BLP/1: it has no control character other than `\n` and `\t`.
    /// Validation may use this to refuse such text before it is stored, so every stored entry exports.
    public static func canEncode(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { !TextLimits.isControl($0) || $0 == "\n" || $0 == "\t" }
    }

    private static func check(_ record: BLPRecord) throws(BLPWriteError) {
        guard BLPText.isName(record.type) else {
            throw BLPWriteError(
                code: .badRecordType,
                recordType: record.type,
                reason: "bad record type \(BLPText.quoted(record.type))"
            )
        }
        var seen = Set<String>()
        for field in record.fields {
            guard BLPText.isName(field.key) else {
                throw BLPWriteError(
                    code: .badKey,
                    recordType: record.type,
                    key: field.key,
                    reason: "bad key \(BLPText.quoted(field.key)) in \(record.type)"
                )
            }
            guard seen.insert(field.key).inserted else {
                throw BLPWriteError(
                    code: .repeatedKey,
                    recordType: record.type,
                    key: field.key,
                    reason: "repeated key \"\(field.key)\" in \(record.type)"
                )
            }
        }
    }

    /// Renders a record already known to be writable.
    static func render(_ record: BLPRecord) -> String {
        var out = record.type
        for field in record.fields {
            out += " "
            out += field.key
            out += "="
            appendValue(field.value, to: &out)
        }
        return out
    }

    private static func appendValue(_ value: String, to out: inout String) {
        guard needsQuotes(value) else {
            out += value
            return
        }
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where TextLimits.isControl(scalar):
                out += "\\u" + BLPText.codePoint(scalar.value).dropFirst(2)  // U+001B → \u001B
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Bare unless empty or holding a character the bare form cannot hold. A backslash and Unicode
    /// white space (U+3000, no-break space, …) are quoted too, though a bare value may hold them,
    /// so the text reads unambiguously.
    private static func needsQuotes(_ value: String) -> Bool {
        if value.isEmpty {
            return true
        }
        return value.unicodeScalars.contains { scalar in
            if scalar.isASCII {
                return scalar.value <= 0x20 || scalar.value == 0x7F
                    || scalar == "\"" || scalar == "=" || scalar == "\\"
            }
            // The Unicode property lookup is slow; only non-ASCII text pays for it.
            return TextLimits.isControl(scalar) || scalar.properties.isWhitespace
        }
    }
}
