import Workflow

/// The disclosure's arithmetic over entries: exact fen throughout, overflow reported, never trapped.
enum DisclosureTally {
    /// An exact running sum.
    struct Sum {
        private(set) var value = Money.zero

        mutating func add(_ amount: Money) throws(MoneyError) {
            value = try value.adding(amount)
        }

        var wan: WanYuan { WanYuan(value) }
    }

    /// The entries a disclosure may show: published, of the department and the year. Anything else
    /// is dropped, not trusted, however the caller came to pass it.
    static func disclosed(_ entries: [BudgetEntry], department: String, year: Int) -> [BudgetEntry] {
        entries.filter { $0.state == .published && $0.departmentCode == department && $0.year == year }
    }

    static func income(_ ledger: DisclosureLedger) throws(MoneyError) -> Disclosure.Income {
        var sources = FundingSources()
        for kind in EntryKind.allCases {
            sources = try sources.exactlyAdding(ledger.sources(of: kind))
        }
        return Disclosure.Income(
            total: WanYuan(try sources.exactTotal()), general: WanYuan(sources.general), fund: WanYuan(sources.fund),
            stateCapital: WanYuan(sources.stateCapital), special: WanYuan(sources.special), other: WanYuan(sources.other))
    }

    static func expenditure(_ ledger: DisclosureLedger) throws(MoneyError) -> Disclosure.Expenditure {
        let personnel = try ledger.sources(of: .personnel).exactTotal()
        let operation = try ledger.sources(of: .operation).exactTotal()
        let project = try ledger.sources(of: .project).exactTotal()
        let basic = try personnel.adding(operation)
        let total = try basic.adding(project)
        return Disclosure.Expenditure(
            total: WanYuan(total), basic: WanYuan(basic), personnel: WanYuan(personnel), operation: WanYuan(operation),
            project: WanYuan(project))
    }

    /// 机关运行经费: operation entries by their items' economic codes; whatever the items do not
    /// cover (all of an entry without items) is `other`.
    static func operatingCosts(_ ledger: DisclosureLedger) throws(MoneyError) -> Disclosure.OperatingCosts {
        let total = try ledger.sources(of: .operation).exactTotal()
        var office = Sum(), post = Sum(), unionWelfare = Sum(), vehicle = Sum(), other = Sum(), covered = Sum()
        for (group, amount) in ledger.items where group.kind == .operation {
            try covered.add(amount)
            switch group.econ {
            case EconomicCodes.office: try office.add(amount)
            case EconomicCodes.post: try post.add(amount)
            case _ where EconomicCodes.unionWelfare.contains(group.econ): try unionWelfare.add(amount)
            case EconomicCodes.vehicleOperation: try vehicle.add(amount)
            default: try other.add(amount)
            }
        }
        // Negative when the items exceed the amount (a waived V2); checks() reports it.
        try other.add(try total.subtracting(covered.value))
        return Disclosure.OperatingCosts(
            total: WanYuan(total), office: office.wan, post: post.wan, unionWelfare: unionWelfare.wan,
            vehicleOperation: vehicle.wan, other: other.wan)
    }

    /// “三公”经费: the items of all entries, whatever their kind.
    static func threePublic(_ ledger: DisclosureLedger) throws(MoneyError) -> Disclosure.ThreePublicFigures {
        var abroad = Sum(), purchase = Sum(), vehicle = Sum(), reception = Sum()
        for (group, amount) in ledger.items {
            switch group.econ {
            case EconomicCodes.abroad: try abroad.add(amount)
            case EconomicCodes.vehiclePurchase: try purchase.add(amount)
            case EconomicCodes.vehicleOperation: try vehicle.add(amount)
            case EconomicCodes.reception: try reception.add(amount)
            default: break
            }
        }
        return try threePublic(
            abroad: abroad.value, vehiclePurchase: purchase.value, vehicleOperation: vehicle.value, reception: reception.value)
    }

    /// A 三公 column from its four categories, with their exact total.
    static func threePublic(
        abroad: Money, vehiclePurchase: Money, vehicleOperation: Money, reception: Money
    ) throws(MoneyError) -> Disclosure.ThreePublicFigures {
        let total = try Money.sum([abroad, vehiclePurchase, vehicleOperation, reception])
        return Disclosure.ThreePublicFigures(
            abroad: WanYuan(abroad), vehiclePurchase: WanYuan(vehiclePurchase), vehicleOperation: WanYuan(vehicleOperation),
            reception: WanYuan(reception), total: WanYuan(total))
    }
}
