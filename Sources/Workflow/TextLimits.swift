/// The one text rule of every free-text field, for BLP, JSON and the CLI alike: a length limit
/// (in Unicode scalars, as PostgreSQL's `length()` counts) and no control character (C0, DEL,
/// C1) except a line feed and a tab where the field allows several lines.
///
/// The limits are generous for the reference document (its longest narrative section has about
/// 1,800 characters, its longest purpose 55) and keep one bad request from storing megabytes in
/// the append-only audit log. README's "Limits" lists them; keep the two in step.
public enum TextLimits {
    /// One kind of field: its longest length and whether it may hold `\n` and `\t`.
    public struct Field: Sendable, Hashable {
        public var maxLength: Int
        public var multiline: Bool
        public init(maxLength: Int, multiline: Bool) {
            self.maxLength = maxLength
            self.multiline = multiline
        }
    }

    /// 项目编码 (also V6): see ``Validator/maxCodeLength``.
    public static let code = Field(maxLength: Validator.maxCodeLength, multiline: false)
    /// 项目名称 (also V6).
    public static let name = Field(maxLength: Validator.maxNameLength, multiline: false)
    /// 预算规模及资金用途.
    public static let purpose = Field(maxLength: 4000, multiline: true)
    /// 绩效目标.
    public static let goals = Field(maxLength: 4000, multiline: true)
    /// 一级/二级/三级指标 and 指标值.
    public static let indicatorLabel = Field(maxLength: 100, multiline: false)
    /// An indicator's description and basis (指标值确定依据).
    public static let indicatorText = Field(maxLength: 1000, multiline: false)
    /// A procurement item's name.
    public static let procurementItem = Field(maxLength: 200, multiline: false)
    /// A procurement item's unit of measure (台, 辆, 套).
    public static let procurementUnit = Field(maxLength: 20, multiline: false)
    /// A procurement catalog code (A02010104); V5 checks its shape.
    public static let catalog = Field(maxLength: 32, multiline: false)
    /// An economic classification code; V2 checks its shape.
    public static let econ = Field(maxLength: 16, multiline: false)
    /// The reason of an action, a waiver or a publication override.
    public static let reason = Field(maxLength: 2000, multiline: true)
    /// A narrative section of the disclosure.
    public static let narrative = Field(maxLength: 20000, multiline: true)
    /// The number (文号) of a 批复, e.g. 徐财预〔2020〕1号.
    public static let approvalNumber = Field(maxLength: 100, multiline: false)
    /// An organization's name.
    public static let organizationName = Field(maxLength: 200, multiline: false)
    /// An organization's nature, level or funding form (行政, 正科, 财政拨款).
    public static let organizationAttribute = Field(maxLength: 50, multiline: false)

    /// The longest organization code; the pattern is in ``Organization/problems``.
    public static let organizationCodeLength = 32
    /// The longest user name; the pattern is in ``isUserName(_:)``.
    public static let userNameLength = 64

    /// What is wrong with `text` as a value of `field` (named in the sentence), or nil.
    public static func problem(_ text: String, field: String, _ kind: Field) -> String? {
        var length = 0
        var control: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            length += 1
            if control == nil, isControl(scalar), !(kind.multiline && (scalar == "\n" || scalar == "\t")) {
                control = scalar
            }
        }
        if length > kind.maxLength {
            return "\(field) is longer than \(kind.maxLength) characters (\(length))"
        }
        if let control {
            let allowed = kind.multiline ? "only line breaks and tabs are allowed" : "it must be one line of text"
            return "\(field) contains the control character \(BLPText.codePoint(control.value)); \(allowed)"
        }
        return nil
    }

    /// ``problem(_:field:_:)`` as an error detail, or nil.
    public static func detail(_ text: String, field: String, _ kind: Field) -> ErrorDetail? {
        problem(text, field: field, kind).map { ErrorDetail(field: field, message: $0) }
    }

    /// Throws `invalidInput` naming the field when `text` breaks the rule.
    public static func check(_ text: String, field: String, _ kind: Field) throws(WorkflowError) {
        if let message = problem(text, field: field, kind) {
            throw .invalidInput(message, details: [ErrorDetail(field: field, message: message)])
        }
    }

    /// Unicode category Cc: C0 (NUL included), DEL and C1 (U+0080–U+009F). The one definition of
    /// a control character: text rules, the BLP codec and the CLI's terminal escaping all ask it.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// `^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$`: a user name, also a CLI argument and an audit actor.
    public static func isUserName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= userNameLength, isASCIIAlnum(first) else { return false }
        return bytes.allSatisfy { isASCIIAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "-") }
    }

    /// `^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$`: an organization code.
    public static func isOrganizationCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard let first = bytes.first, bytes.count <= organizationCodeLength, isASCIIAlnum(first) else { return false }
        return bytes.allSatisfy { isASCIIAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isASCIIAlnum(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }
}
