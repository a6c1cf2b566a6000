import Workflow

extension DisclosureTally {
    /// The previous year's expenditure from a baseline. A missing `basic` is personnel + operation
    /// and a missing `total` is basic + project, when those are known.
    static func previousExpenditure(_ baseline: Baseline) throws(MoneyError) -> Disclosure.PartialExpenditure {
        var basic = baseline[.basic]
        if basic == nil, let personnel = baseline[.personnel], let operation = baseline[.operation] {
            basic = try personnel.adding(operation)
        }
        var total = baseline[.total]
        if total == nil, let basic, let project = baseline[.project] {
            total = try basic.adding(project)
        }
        return Disclosure.PartialExpenditure(
            total: total.map(WanYuan.init), basic: basic.map(WanYuan.init),
            personnel: baseline[.personnel].map(WanYuan.init), operation: baseline[.operation].map(WanYuan.init),
            project: baseline[.project].map(WanYuan.init))
    }

    /// The 三公 previous-year column from a baseline: `nil` when it has no 三公 figure at all;
    /// otherwise a category it leaves out counts as zero (a baseline that gives the 三公 table but
    /// omits 因公出国 had none).
    static func previousThreePublic(_ baseline: Baseline) throws(MoneyError) -> Disclosure.ThreePublicFigures? {
        guard BaselineMetric.threePublic.contains(where: { baseline[$0] != nil }) else { return nil }
        return try threePublic(
            abroad: baseline[.threePublicAbroad] ?? .zero,
            vehiclePurchase: baseline[.threePublicVehiclePurchase] ?? .zero,
            vehicleOperation: baseline[.threePublicVehicleOperation] ?? .zero,
            reception: baseline[.threePublicReception] ?? .zero)
    }

    /// current − previous, figure by figure, where the previous figure is known.
    static func change(
        _ current: Disclosure.Expenditure, from previous: Disclosure.PartialExpenditure
    ) throws(MoneyError) -> Disclosure.PartialExpenditure {
        Disclosure.PartialExpenditure(
            total: try difference(current.total, previous.total),
            basic: try difference(current.basic, previous.basic),
            personnel: try difference(current.personnel, previous.personnel),
            operation: try difference(current.operation, previous.operation),
            project: try difference(current.project, previous.project))
    }

    /// current − previous for each 三公 category and the total.
    static func change(
        _ current: Disclosure.ThreePublicFigures, from previous: Disclosure.ThreePublicFigures
    ) throws(MoneyError) -> Disclosure.ThreePublicFigures {
        Disclosure.ThreePublicFigures(
            abroad: try difference(current.abroad, previous.abroad),
            vehiclePurchase: try difference(current.vehiclePurchase, previous.vehiclePurchase),
            vehicleOperation: try difference(current.vehicleOperation, previous.vehicleOperation),
            reception: try difference(current.reception, previous.reception),
            total: try difference(current.total, previous.total))
    }

    private static func difference(_ current: WanYuan, _ previous: WanYuan?) throws(MoneyError) -> WanYuan? {
        guard let previous else { return nil }
        return WanYuan(try current.money.subtracting(previous.money))
    }

    private static func difference(_ current: WanYuan, _ previous: WanYuan) throws(MoneyError) -> WanYuan {
        WanYuan(try current.money.subtracting(previous.money))
    }
}
