/// A line of an entry's detail (明细): an economic classification and its amount.
public struct EntryItem: Sendable, Hashable, Codable {
    /// 支出经济分类 code, e.g. `"30201"` 办公费, `"30231"` 公务用车运行维护费.
    public var econ: String
    public var amount: Money

    /// An item of `amount` under economic classification `econ`.
    public init(econ: String, amount: Money) {
        self.econ = econ
        self.amount = amount
    }
}
