/// An entry's amounts by funding source (资金来源), in yuan.
public struct FundingSources: Sendable, Hashable {
    /// 一般公共预算拨款.
    public var general: Money
    /// 政府性基金预算拨款.
    public var fund: Money
    /// 国有资本经营预算拨款.
    public var stateCapital: Money
    /// 财政专户核拨.
    public var special: Money
    /// 其他来源收入.
    public var other: Money

    /// Sources; the ones not given are zero.
    public init(
        general: Money = .zero, fund: Money = .zero, stateCapital: Money = .zero,
        special: Money = .zero, other: Money = .zero
    ) {
        self.general = general
        self.fund = fund
        self.stateCapital = stateCapital
        self.special = special
        self.other = other
    }

    /// The entry's amount (预算数): the sum of all five sources.
    ///
    /// Never traps: on unvalidated input whose sum leaves `Int64` fen it is clamped, which V1
    /// always reports. ``checkedTotal()`` gives the exact sum or an error.
    public var total: Money {
        named.reduce(Money.zero) { $0.saturatingAdding($1.amount) }
    }

    /// The exact sum of the five sources, or ``MoneyError/overflow``.
    public func checkedTotal() throws(MoneyError) -> Money {
        try Money.sum(named.map(\.amount))
    }

    /// 财政资金: general + fund + state capital (clamped like ``total``).
    public var fiscal: Money {
        general.saturatingAdding(fund).saturatingAdding(stateCapital)
    }

    /// The sources with their wire names, in the published order.
    public var named: [(field: String, amount: Money)] {
        [("general", general), ("fund", fund), ("state_capital", stateCapital), ("special", special), ("other", other)]
    }
}

extension FundingSources: Codable {
    enum CodingKeys: String, CodingKey {
        case general, fund, special, other
        case stateCapital = "state_capital"
    }

    /// Absent sources are zero, so a client sends only the ones it uses.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        general = try container.decodeIfPresent(Money.self, forKey: .general) ?? .zero
        fund = try container.decodeIfPresent(Money.self, forKey: .fund) ?? .zero
        stateCapital = try container.decodeIfPresent(Money.self, forKey: .stateCapital) ?? .zero
        special = try container.decodeIfPresent(Money.self, forKey: .special) ?? .zero
        other = try container.decodeIfPresent(Money.self, forKey: .other) ?? .zero
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(general, forKey: .general)
        try container.encode(fund, forKey: .fund)
        try container.encode(stateCapital, forKey: .stateCapital)
        try container.encode(special, forKey: .special)
        try container.encode(other, forKey: .other)
    }
}
