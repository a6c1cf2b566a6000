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

    static func income(_ entries: [BudgetEntry]) throws(MoneyError) -> Disclosure.Income {
        var total = Sum(), general = Sum(), fund = Sum(), stateCapital = Sum(), special = Sum(), other = Sum()
        for entry in entries {
            let sources = entry.content.sources
            try total.add(try sources.checkedTotal())
            try general.add(sources.general)
            try fund.add(sources.fund)
            try stateCapital.add(sources.stateCapital)
            try special.add(sources.special)
            try other.add(sources.other)
        }
        return Disclosure.Income(
            total: total.wan, general: general.wan, fund: fund.wan, stateCapital: stateCapital.wan,
            special: special.wan, other: other.wan)
    }

    static func expenditure(_ entries: [BudgetEntry]) throws(MoneyError) -> Disclosure.Expenditure {
        var personnel = Sum(), operation = Sum(), project = Sum()
        for entry in entries {
            let amount = try entry.content.sources.checkedTotal()
            switch entry.content.kind {
            case .personnel: try personnel.add(amount)
            case .operation: try operation.add(amount)
            case .project: try project.add(amount)
            }
        }
        var basic = personnel
        try basic.add(operation.value)
        var total = basic
        try total.add(project.value)
        return Disclosure.Expenditure(
            total: total.wan, basic: basic.wan, personnel: personnel.wan, operation: operation.wan, project: project.wan)
    }

    /// 机关运行经费: operation entries by their items' economic codes; whatever the items do not
    /// cover (all of an entry without items) is `other`.
    static func operatingCosts(_ entries: [BudgetEntry]) throws(MoneyError) -> Disclosure.OperatingCosts {
        var total = Sum(), office = Sum(), post = Sum(), unionWelfare = Sum(), vehicle = Sum(), other = Sum()
        for entry in entries where entry.content.kind == .operation {
            let amount = try entry.content.sources.checkedTotal()
            try total.add(amount)
            var covered = Sum()
            for item in entry.content.items {
                try covered.add(item.amount)
                switch item.econ {
                case EconomicCodes.office: try office.add(item.amount)
                case EconomicCodes.post: try post.add(item.amount)
                case _ where EconomicCodes.unionWelfare.contains(item.econ): try unionWelfare.add(item.amount)
                case EconomicCodes.vehicleOperation: try vehicle.add(item.amount)
                default: try other.add(item.amount)
                }
            }
            // Negative when the items exceed the amount (a waived V2); checks() reports it.
            try other.add(try amount.subtracting(covered.value))
        }
        return Disclosure.OperatingCosts(
            total: total.wan, office: office.wan, post: post.wan, unionWelfare: unionWelfare.wan,
            vehicleOperation: vehicle.wan, other: other.wan)
    }

    /// “三公”经费: the items of all entries, whatever their kind.
    static func threePublic(_ entries: [BudgetEntry]) throws(MoneyError) -> Disclosure.ThreePublicFigures {
        var abroad = Sum(), purchase = Sum(), vehicle = Sum(), reception = Sum()
        for item in entries.flatMap(\.content.items) {
            switch item.econ {
            case EconomicCodes.abroad: try abroad.add(item.amount)
            case EconomicCodes.vehiclePurchase: try purchase.add(item.amount)
            case EconomicCodes.vehicleOperation: try vehicle.add(item.amount)
            case EconomicCodes.reception: try reception.add(item.amount)
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
