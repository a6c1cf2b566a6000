import Workflow

extension Disclosure {
    /// A project performance table (预算项目绩效目标表).
    public struct Project: Sendable, Hashable, Codable {
        /// 项目编码, e.g. `"201-0502-JBN-E5EL"`.
        public var code: String
        /// 项目名称.
        public var name: String
        /// The budget unit the project belongs to, e.g. `"201002"`.
        public var unitCode: String
        /// The unit's name, e.g. `"区委办（行政）"` (its code when the unit is unknown).
        public var unitName: String
        /// 预算数.
        public var amount: WanYuan
        /// 其中：财政资金 (general + fund + state capital).
        public var fiscal: WanYuan
        /// 其他资金 (special + other).
        public var other: WanYuan
        /// 预算规模及资金用途.
        public var purpose: String
        /// 资金支出计划（%）: cumulative at the end of March, June, October, December (`"30.00"`…).
        public var plan: [Percent]
        /// 绩效目标.
        public var goals: String
        /// 绩效指标, as written.
        public var indicators: [Indicator]

        /// A project table.
        public init(
            code: String, name: String, unitCode: String, unitName: String, amount: WanYuan, fiscal: WanYuan,
            other: WanYuan, purpose: String, plan: [Percent], goals: String, indicators: [Indicator]
        ) {
            self.code = code
            self.name = name
            self.unitCode = unitCode
            self.unitName = unitName
            self.amount = amount
            self.fiscal = fiscal
            self.other = other
            self.purpose = purpose
            self.plan = plan
            self.goals = goals
            self.indicators = indicators
        }

        enum CodingKeys: String, CodingKey {
            case code, name, amount, fiscal, other, purpose, plan, goals, indicators
            case unitCode = "unit_code"
            case unitName = "unit_name"
        }
    }
}
