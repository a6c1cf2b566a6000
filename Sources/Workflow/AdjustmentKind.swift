import Foundation

/// What a revision of an entry is once its department-year has its 批复 (年初预算 is fixed then):
/// in-year changes are either 调剂 or 追加.
public enum AdjustmentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 调剂: moving money between the unit's lines; the unit's total stays within its 批复 total.
    case transfer = "调剂"
    /// 追加: raising the unit's budget, after the control figures were raised (they govern it).
    case supplement = "追加"

    /// ASCII names for terminals and scripts without Chinese input.
    public var asciiName: String {
        switch self {
        case .transfer: "transfer"
        case .supplement: "supplement"
        }
    }

    /// The kind named `text`: its Chinese or ASCII name.
    public init?(parsing text: String) {
        guard let kind = Self.allCases.first(where: { $0.rawValue == text || $0.asciiName == text }) else { return nil }
        self = kind
    }

    /// The invalid-input error for a `kind` that names neither.
    static func unknown(_ text: String) -> WorkflowError {
        .invalidInput("kind must be 调剂 (transfer) or 追加 (supplement)", details: [ErrorDetail(field: "kind", message: "got \(text)")])
    }

    /// Parses a `kind` as sent (nil stays nil), or throws naming the field.
    public static func parse(_ text: String?) throws(WorkflowError) -> AdjustmentKind? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard let kind = AdjustmentKind(parsing: trimmed) else { throw unknown(String(trimmed.prefix(40))) }
        return kind
    }
}
