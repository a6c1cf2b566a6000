/// A government procurement line (政府采购预算) of an entry.
public struct ProcurementItem: Sendable, Hashable {
    /// 采购物品名称, e.g. `"台式计算机"`.
    public var item: String
    /// 政府采购目录序号: A… goods, B… works, C… services, e.g. `"A02010104"`.
    public var catalog: String
    /// 计量单位, e.g. `"台"`.
    public var unit: String
    public var quantity: Quantity
    /// 单价 in yuan.
    public var price: Money

    /// A procurement line; its amount is derived.
    public init(item: String, catalog: String, unit: String, quantity: Quantity, price: Money) {
        self.item = item
        self.catalog = catalog
        self.unit = unit
        self.quantity = quantity
        self.price = price
    }

    /// quantity × price, rounded half-up to the fen (see ``Quantity/times(_:)``).
    public var amount: Money {
        quantity.times(price)
    }
}

extension ProcurementItem: Codable {
    enum CodingKeys: String, CodingKey {
        case item, catalog, unit, quantity, price, amount
    }

    /// `amount` is derived; when a client sends it anyway it must agree, never silently differ.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        item = try container.decode(String.self, forKey: .item)
        catalog = try container.decode(String.self, forKey: .catalog)
        unit = try container.decode(String.self, forKey: .unit)
        quantity = try container.decode(Quantity.self, forKey: .quantity)
        price = try container.decode(Money.self, forKey: .price)
        if let sent = try container.decodeIfPresent(Money.self, forKey: .amount), sent != amount {
            throw DecodingError.dataCorruptedError(
                forKey: .amount, in: container,
                debugDescription: "amount \(sent) is not quantity × price = \(amount)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item, forKey: .item)
        try container.encode(catalog, forKey: .catalog)
        try container.encode(unit, forKey: .unit)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(price, forKey: .price)
        try container.encode(amount, forKey: .amount)
    }
}
