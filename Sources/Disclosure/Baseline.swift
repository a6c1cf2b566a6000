import Workflow

/// A previous-year figure a ``Baseline`` may carry (the BLP `baseline metric=` values, SPEC §5).
public enum BaselineMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// 上年预算收支总计.
    case total
    /// 上年基本支出 (personnel + operation).
    case basic
    /// 上年人员经费.
    case personnel
    /// 上年日常公用经费.
    case operation
    /// 上年项目支出.
    case project
    /// 上年因公出国（境）费.
    case threePublicAbroad = "three_public.abroad"
    /// 上年公务用车购置费.
    case threePublicVehiclePurchase = "three_public.vehicle_purchase"
    /// 上年公务用车运行维护费.
    case threePublicVehicleOperation = "three_public.vehicle_operation"
    /// 上年公务接待费.
    case threePublicReception = "three_public.reception"

    /// The four 三公经费 metrics, in the table's order.
    public static let threePublic: [BaselineMetric] = [
        .threePublicAbroad, .threePublicVehiclePurchase, .threePublicVehicleOperation, .threePublicReception,
    ]
}

/// The previous year's published figures of a department, entered when that year is not in the
/// system (上年数). Any metric may be absent.
public struct Baseline: Sendable, Hashable {
    /// The known figures, in yuan.
    public var amounts: [BaselineMetric: Money]

    /// A baseline of the given figures.
    public init(_ amounts: [BaselineMetric: Money] = [:]) {
        self.amounts = amounts
    }

    /// No previous-year figures at all.
    public static let empty = Baseline()

    /// The figure of `metric`, or `nil` when it was not entered.
    public subscript(metric: BaselineMetric) -> Money? {
        get { amounts[metric] }
        set { amounts[metric] = newValue }
    }
}
