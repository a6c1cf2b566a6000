import Workflow

extension Disclosure {
    /// 政府采购预算: every procurement line of every entry, with per-unit subtotals and the total.
    public struct Procurement: Sendable, Hashable, Codable {
        /// 政府采购预算合计.
        public var total: WanYuan
        /// 小计 per budget unit, in the order the units first appear among the lines.
        public var subtotals: [Subtotal]
        /// The lines, in entry order.
        public var items: [Line]

        /// A procurement table.
        public init(total: WanYuan, subtotals: [Subtotal], items: [Line]) {
            self.total = total
            self.subtotals = subtotals
            self.items = items
        }

        /// A unit's 小计.
        public struct Subtotal: Sendable, Hashable, Codable {
            /// The budget unit, e.g. `"201002"`.
            public var unitCode: String
            /// Its name, e.g. `"区委办（行政）"`.
            public var unitName: String
            /// The sum of the unit's lines.
            public var total: WanYuan

            /// A unit subtotal.
            public init(unitCode: String, unitName: String, total: WanYuan) {
                self.unitCode = unitCode
                self.unitName = unitName
                self.total = total
            }

            enum CodingKeys: String, CodingKey {
                case total
                case unitCode = "unit_code"
                case unitName = "unit_name"
            }
        }

        /// One line, with the entry it is funded from (政府采购项目来源: 项目名称, 预算资金).
        ///
        /// The source is an entry of any kind: the reference buys 机动车保险服务 from 日常公用经费.
        public struct Line: Sendable, Hashable, Codable {
            /// The budget unit of the funding entry.
            public var unitCode: String
            /// The funding entry's code (a project's 项目编码, or a basic-expenditure entry's code).
            public var entryCode: String
            /// The funding entry's name, e.g. `"综合事务管理"`.
            public var entryName: String
            /// The funding entry's amount (预算资金).
            public var entryAmount: WanYuan
            /// 采购物品名称.
            public var item: String
            /// 政府采购目录序号, e.g. `"A02010104"`.
            public var catalog: String
            /// 计量单位, e.g. `"台"`.
            public var unit: String
            /// 数量.
            public var quantity: Quantity
            /// 单价 in 万元.
            public var price: WanYuan
            /// 政府采购金额: quantity × price, rounded to the fen before it is summed.
            public var amount: WanYuan

            /// A procurement line.
            public init(
                unitCode: String, entryCode: String, entryName: String, entryAmount: WanYuan, item: String,
                catalog: String, unit: String, quantity: Quantity, price: WanYuan, amount: WanYuan
            ) {
                self.unitCode = unitCode
                self.entryCode = entryCode
                self.entryName = entryName
                self.entryAmount = entryAmount
                self.item = item
                self.catalog = catalog
                self.unit = unit
                self.quantity = quantity
                self.price = price
                self.amount = amount
            }

            enum CodingKeys: String, CodingKey {
                case item, catalog, unit, quantity, price, amount
                case unitCode = "unit_code"
                case entryCode = "entry_code"
                case entryName = "entry_name"
                case entryAmount = "entry_amount"
            }
        }
    }
}
