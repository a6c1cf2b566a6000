import Workflow

extension Disclosure {
    /// 收入: the department-year's income by funding source (资金来源).
    public struct Income: Sendable, Hashable, Codable {
        /// 收入合计.
        public var total: WanYuan
        /// 一般公共预算拨款.
        public var general: WanYuan
        /// 政府性基金预算拨款.
        public var fund: WanYuan
        /// 国有资本经营预算拨款.
        public var stateCapital: WanYuan
        /// 财政专户核拨.
        public var special: WanYuan
        /// 其他来源收入.
        public var other: WanYuan

        /// Income figures.
        public init(total: WanYuan, general: WanYuan, fund: WanYuan, stateCapital: WanYuan, special: WanYuan, other: WanYuan) {
            self.total = total
            self.general = general
            self.fund = fund
            self.stateCapital = stateCapital
            self.special = special
            self.other = other
        }

        enum CodingKeys: String, CodingKey {
            case total, general, fund, special, other
            case stateCapital = "state_capital"
        }
    }

    /// 支出: total = basic + project, basic (基本支出) = personnel + operation.
    public struct Expenditure: Sendable, Hashable, Codable {
        /// 支出合计.
        public var total: WanYuan
        /// 基本支出.
        public var basic: WanYuan
        /// 人员经费.
        public var personnel: WanYuan
        /// 日常公用经费.
        public var operation: WanYuan
        /// 项目支出.
        public var project: WanYuan

        /// Expenditure figures.
        public init(total: WanYuan, basic: WanYuan, personnel: WanYuan, operation: WanYuan, project: WanYuan) {
            self.total = total
            self.basic = basic
            self.personnel = personnel
            self.operation = operation
            self.project = project
        }
    }

    /// Expenditure figures of which any may be unknown: the previous year's (from a partial
    /// baseline) and the change against it. Unknown figures are JSON `null`.
    ///
    /// A change is signed: a plain decimal for an increase (`"139.20"`), a leading `-` for a
    /// decrease (`"-3.50"`), never a `+`.
    public struct PartialExpenditure: Sendable, Hashable {
        /// 合计.
        public var total: WanYuan?
        /// 基本支出.
        public var basic: WanYuan?
        /// 人员经费.
        public var personnel: WanYuan?
        /// 日常公用经费.
        public var operation: WanYuan?
        /// 项目支出.
        public var project: WanYuan?

        /// Figures, each possibly unknown.
        public init(
            total: WanYuan? = nil, basic: WanYuan? = nil, personnel: WanYuan? = nil,
            operation: WanYuan? = nil, project: WanYuan? = nil
        ) {
            self.total = total
            self.basic = basic
            self.personnel = personnel
            self.operation = operation
            self.project = project
        }

        /// Nothing known.
        public static let unknown = PartialExpenditure()
    }
}

extension Disclosure.PartialExpenditure: Codable {
    enum CodingKeys: String, CodingKey {
        case total, basic, personnel, operation, project
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decodeIfPresent(WanYuan.self, forKey: .total)
        basic = try container.decodeIfPresent(WanYuan.self, forKey: .basic)
        personnel = try container.decodeIfPresent(WanYuan.self, forKey: .personnel)
        operation = try container.decodeIfPresent(WanYuan.self, forKey: .operation)
        project = try container.decodeIfPresent(WanYuan.self, forKey: .project)
    }

    /// Unknown figures are written as `null`, so the object always has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(basic, forKey: .basic)
        try container.encode(personnel, forKey: .personnel)
        try container.encode(operation, forKey: .operation)
        try container.encode(project, forKey: .project)
    }
}
