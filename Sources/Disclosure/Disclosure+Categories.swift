import Workflow

extension Disclosure {
    /// 机关运行经费: the operation (日常公用经费) entries split by their items' economic codes.
    ///
    /// office 30201, post 30207, union_welfare 30228 + 30229, vehicle_operation 30231, other the
    /// rest, including an operation entry without items and the part of an entry its items leave
    /// uncovered.
    public struct OperatingCosts: Sendable, Hashable, Codable {
        /// 机关运行经费合计 (= expenditure.operation).
        public var total: WanYuan
        /// 办公费.
        public var office: WanYuan
        /// 邮电费.
        public var post: WanYuan
        /// 工会经费、福利费.
        public var unionWelfare: WanYuan
        /// 公务用车运行维护费.
        public var vehicleOperation: WanYuan
        /// 其他.
        public var other: WanYuan

        /// Operating-cost figures.
        public init(total: WanYuan, office: WanYuan, post: WanYuan, unionWelfare: WanYuan, vehicleOperation: WanYuan, other: WanYuan) {
            self.total = total
            self.office = office
            self.post = post
            self.unionWelfare = unionWelfare
            self.vehicleOperation = vehicleOperation
            self.other = other
        }

        enum CodingKeys: String, CodingKey {
            case total, office, post, other
            case unionWelfare = "union_welfare"
            case vehicleOperation = "vehicle_operation"
        }
    }

    /// One column of the “三公”经费 table, summed over the items of all entries.
    public struct ThreePublicFigures: Sendable, Hashable, Codable {
        /// 因公出国（境）费 (30212).
        public var abroad: WanYuan
        /// 公务用车购置费 (31013).
        public var vehiclePurchase: WanYuan
        /// 公务用车运行维护费 (30231).
        public var vehicleOperation: WanYuan
        /// 公务接待费 (30217).
        public var reception: WanYuan
        /// 合计.
        public var total: WanYuan

        /// A column of 三公 figures.
        public init(abroad: WanYuan, vehiclePurchase: WanYuan, vehicleOperation: WanYuan, reception: WanYuan, total: WanYuan) {
            self.abroad = abroad
            self.vehiclePurchase = vehiclePurchase
            self.vehicleOperation = vehicleOperation
            self.reception = reception
            self.total = total
        }

        enum CodingKeys: String, CodingKey {
            case abroad, reception, total
            case vehiclePurchase = "vehicle_purchase"
            case vehicleOperation = "vehicle_operation"
        }
    }

    /// The “三公”经费 table: previous year, this year, change and the reason for it.
    public struct ThreePublic: Sendable, Hashable {
        /// The previous year's column; `nil` (JSON `null`) when nothing is known about it.
        public var previous: ThreePublicFigures?
        /// This year's column.
        public var current: ThreePublicFigures
        /// current − previous (signed); `nil` when the previous year is unknown.
        public var change: ThreePublicFigures?
        /// 变化原因: the written reason, or 无增减变化 when nothing changed and none was written.
        public var reason: String

        /// The 三公 table.
        public init(previous: ThreePublicFigures?, current: ThreePublicFigures, change: ThreePublicFigures?, reason: String) {
            self.previous = previous
            self.current = current
            self.change = change
            self.reason = reason
        }
    }
}

extension Disclosure.ThreePublic: Codable {
    enum CodingKeys: String, CodingKey {
        case previous, current, change, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        previous = try container.decodeIfPresent(Disclosure.ThreePublicFigures.self, forKey: .previous)
        current = try container.decode(Disclosure.ThreePublicFigures.self, forKey: .current)
        change = try container.decodeIfPresent(Disclosure.ThreePublicFigures.self, forKey: .change)
        reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
    }

    /// An unknown previous year (and so change) is written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(previous, forKey: .previous)
        try container.encode(current, forKey: .current)
        try container.encode(change, forKey: .change)
        try container.encode(reason, forKey: .reason)
    }
}
