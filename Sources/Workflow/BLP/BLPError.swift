/// The stable code of a BLP/1 error. The raw value is what an `error` response line carries in
/// `code=`; clients may switch on it, so a raw value is never renamed once shipped.
public enum BLPErrorCode: String, Sendable, Equatable, Hashable, CaseIterable {
    /// The first word is not a record type of the schema (or the line starts with a field).
    case unknownRecordType = "unknown_record_type"
    /// A key the record type does not have.
    case unknownKey = "unknown_key"
    /// A key given twice in one record.
    case repeatedKey = "repeated_key"
    /// A key that is empty or not `[a-z][a-z0-9_]*`.
    case badKey = "bad_key"
    /// A key with no `=` after it.
    case missingValue = "missing_value"
    /// An unterminated quoted value, a stray `"` or `=` in a bare value, or text glued to a closing quote.
    case badQuoting = "bad_quoting"
    /// A backslash escape other than `\"`, `\\`, `\n`, `\t`.
    case badEscape = "bad_escape"
    /// A tab outside a quoted value; fields are separated by spaces only.
    case badSeparator = "bad_separator"
    /// A raw control character (Unicode category Cc) in a record.
    case controlCharacter = "control_character"
    /// A line that is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// A line longer than `BLPLimits.maxLineBytes`.
    case lineTooLong = "line_too_long"
    /// A child record (e.g. `item`) with no parent record (e.g. `entry`) above it.
    case orphanChild = "orphan_child"
    /// More records than `BLPLimits.maxRecords`; parsing stopped there.
    case tooManyRecords = "too_many_records"
    /// More errors than `BLPLimits.maxErrors`; parsing stopped there.
    case tooManyErrors = "too_many_errors"
    /// A required field is absent or empty (raised by `BLPRecord.required`).
    case missingField = "missing_field"
    /// A value the caller could not interpret, e.g. a malformed amount (raised by the value helpers).
    case badValue = "bad_value"
}

/// One bad line (or field) of a BLP/1 document: where, what, and why in words a finance officer can act on.
public struct BLPError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 1-based physical line number in the document; 0 when the error is not tied to a line.
    public var line: Int
    /// The key concerned, when the error is about one field.
    public var field: String?
    /// The stable, machine-readable code.
    public var code: BLPErrorCode
    /// A short human explanation, e.g. `unknown key "amout"`.
    public var reason: String

    /// Creates an error; `reason` should say what is wrong and, where it helps, how to fix it.
    public init(line: Int, field: String? = nil, code: BLPErrorCode, reason: String) {
        self.line = line
        self.field = field
        self.code = code
        self.reason = reason
    }

    public var description: String {
        if let field {
            return "line \(line), field \(field): \(reason)"
        }
        return "line \(line): \(reason)"
    }
}
