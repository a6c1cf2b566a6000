/// The content of a budget entry as an officer writes it (预算项目申报内容); everything but its
/// identity and workflow position. Validated by ``Validator``.
public struct EntryDraft: Sendable, Hashable {
    /// 项目编码, e.g. `"201-0502-JBN-E5EL"`; unique per year.
    public var code: String
    /// 项目名称, e.g. `"督查调研所需经费"`.
    public var name: String
    public var kind: EntryKind
    /// 支出功能分类 code, digits only, e.g. `"2013102"`.
    public var functionCode: String
    /// Amounts by funding source; their sum is the entry's ``amount``.
    public var sources: FundingSources
    /// 预算规模及资金用途.
    public var purpose: String
    /// 资金支出计划: cumulative percentages at the end of March, June, October and December.
    /// Projects have exactly four; other kinds none (rule V3).
    public var plan: [Percent]
    /// 绩效目标 text.
    public var goals: String
    /// 明细 by economic classification; when present they sum to the amount (rule V2).
    public var items: [EntryItem]
    /// 绩效指标.
    public var indicators: [Indicator]
    /// 政府采购预算.
    public var procurement: [ProcurementItem]

    /// A draft; everything a basic-expenditure entry does not need defaults to empty.
    public init(
        code: String, name: String, kind: EntryKind, functionCode: String, sources: FundingSources,
        purpose: String = "", plan: [Percent] = [], goals: String = "", items: [EntryItem] = [],
        indicators: [Indicator] = [], procurement: [ProcurementItem] = []
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.functionCode = functionCode
        self.sources = sources
        self.purpose = purpose
        self.plan = plan
        self.goals = goals
        self.items = items
        self.indicators = indicators
        self.procurement = procurement
    }

    /// 预算数: the sum of the funding sources (see ``FundingSources/total``).
    public var amount: Money { sources.total }
}

extension EntryDraft: Codable {
    /// JSON field names (snake_case); the funding sources sit flat beside `amount`, as in the API.
    enum CodingKeys: String, CodingKey {
        case code, name, kind, purpose, plan, goals, items, indicators, procurement, amount
        case functionCode = "function_code"
    }

    /// Sources and list fields may be omitted (zero, empty); `amount` is derived and, when sent,
    /// must equal the sum of the sources.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(EntryKind.self, forKey: .kind)
        functionCode = try container.decode(String.self, forKey: .functionCode)
        sources = try FundingSources(from: decoder)
        purpose = try container.decodeIfPresent(String.self, forKey: .purpose) ?? ""
        plan = try container.decodeIfPresent([Percent].self, forKey: .plan) ?? []
        goals = try container.decodeIfPresent(String.self, forKey: .goals) ?? ""
        items = try container.decodeIfPresent([EntryItem].self, forKey: .items) ?? []
        indicators = try container.decodeIfPresent([Indicator].self, forKey: .indicators) ?? []
        procurement = try container.decodeIfPresent([ProcurementItem].self, forKey: .procurement) ?? []
        if let sent = try container.decodeIfPresent(Money.self, forKey: .amount), sent != amount {
            throw DecodingError.dataCorruptedError(
                forKey: .amount, in: container,
                debugDescription: "amount \(sent) is not the sum of the funding sources (\(amount))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(functionCode, forKey: .functionCode)
        try container.encode(amount, forKey: .amount)
        try sources.encode(to: encoder)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(plan, forKey: .plan)
        try container.encode(goals, forKey: .goals)
        try container.encode(items, forKey: .items)
        try container.encode(indicators, forKey: .indicators)
        try container.encode(procurement, forKey: .procurement)
    }
}
