import Workflow

extension Disclosure {
    /// One budget line in yuan, exact: an item of an entry with its administrative, functional and
    /// economic classification. The rows of the fiscal data package.
    ///
    /// An entry without items is one line with an empty economic code; an entry whose items do not
    /// cover its amount gets one more such line for the rest, so the lines always sum to the total.
    public struct BudgetLine: Sendable, Hashable, Codable {
        /// 预算单位 code, e.g. `"201002"`.
        public var unitCode: String
        /// 预算单位 name.
        public var unitName: String
        /// The entry's code.
        public var entryCode: String
        /// The entry's name.
        public var entryName: String
        /// The entry's kind.
        public var kind: EntryKind
        /// 支出功能分类, e.g. `"2013101"`.
        public var functionCode: String
        /// 支出经济分类, e.g. `"30201"`; `""` when the entry has no item for this part.
        public var econ: String
        /// The amount in yuan (JSON `amount_yuan`, e.g. `"51000.00"`): not rounded to 万元.
        public var amount: Money

        /// A budget line.
        public init(
            unitCode: String, unitName: String, entryCode: String, entryName: String, kind: EntryKind,
            functionCode: String, econ: String, amount: Money
        ) {
            self.unitCode = unitCode
            self.unitName = unitName
            self.entryCode = entryCode
            self.entryName = entryName
            self.kind = kind
            self.functionCode = functionCode
            self.econ = econ
            self.amount = amount
        }

        enum CodingKeys: String, CodingKey {
            case kind, econ
            case unitCode = "unit_code"
            case unitName = "unit_name"
            case entryCode = "entry_code"
            case entryName = "entry_name"
            case functionCode = "function_code"
            case amount = "amount_yuan"
        }
    }
}
