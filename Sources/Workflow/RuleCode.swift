/// The stable code of a validation rule (SPEC §3), as reported to clients and named in waivers.
public enum RuleCode: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Amounts: every source and item ≥ 0, amount > 0, amount ≤ 10¹² yuan.
    case v1 = "V1"
    /// Items, when present, sum exactly to the amount.
    case v2 = "V2"
    /// Projects: four cumulative plan percentages, non-decreasing, 0–100, the last exactly 100.
    case v3 = "V3"
    /// Projects: goals text, an 产出指标 and an 效果/效益/满意度指标 indicator.
    case v4 = "V4"
    /// Procurement: quantity > 0, price ≥ 0, catalog code, total ≤ amount.
    case v5 = "V5"
    /// Identity: code and name present and sane, function code digits, code unique in the year.
    case v6 = "V6"
    /// Control figure (控制数): committed + this amount ≤ the unit-year's ceiling, at finance approval.
    case v7 = "V7"

    /// A short human title of the rule.
    public var title: String {
        switch self {
        case .v1: return "amounts"
        case .v2: return "items sum to the amount"
        case .v3: return "spending plan"
        case .v4: return "performance goals and indicators"
        case .v5: return "procurement"
        case .v6: return "code and name"
        case .v7: return "control figure"
        }
    }

    public static func < (lhs: RuleCode, rhs: RuleCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// One broken rule, reported with all the others (校验不通过项).
public struct Violation: Sendable, Hashable, Codable {
    public var rule: RuleCode
    /// The offending field in the API's snake_case naming, e.g. `"general"`, `"plan[3]"`,
    /// `"procurement[0].catalog"`; `nil` when the rule concerns the entry as a whole.
    public var field: String?
    /// A human sentence saying what is wrong.
    public var message: String
    /// Whether not even a draft may hold this (the storage rule): set where the violation is
    /// made, by the check that knows, never derived from the message.
    public var blocksStorage: Bool

    /// A violation of `rule` at `field`; `blocksStorage` defaults to ``RuleCode/blocksStorage``.
    public init(rule: RuleCode, field: String?, message: String, blocksStorage: Bool? = nil) {
        self.rule = rule
        self.field = field
        self.message = message
        self.blocksStorage = blocksStorage ?? rule.blocksStorage
    }

    // The wire shape stays rule, field and message.
    private enum CodingKeys: String, CodingKey { case rule, field, message }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rule: try container.decode(RuleCode.self, forKey: .rule),
            field: try container.decodeIfPresent(String.self, forKey: .field),
            message: try container.decode(String.self, forKey: .message))
    }
}

extension RuleCode {
    /// Whether a violation of this rule keeps a draft from being stored, unless its check says
    /// otherwise: amounts, procurement and identity always do; sums, the plan's completeness,
    /// performance and the control figure wait for submission, so a draft can be filled in gradually.
    public var blocksStorage: Bool {
        switch self {
        case .v1, .v5, .v6: return true
        case .v2, .v3, .v4, .v7: return false
        }
    }
}
