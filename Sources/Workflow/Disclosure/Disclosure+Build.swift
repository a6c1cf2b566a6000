import Foundation

extension Disclosure {
    /// Computes the disclosure of `input`'s department-year from its published entries.
    ///
    /// Entries that are not published, or belong to another year or department, are left out.
    /// Projects and procurement lines keep the input order (the reference lists its projects in
    /// neither code nor amount order, so the order is the caller's to choose).
    ///
    /// - Throws: ``MoneyError/overflow`` when a total leaves the range of `Int64` fen, which
    ///   validated entries (each at most 10¹² yuan) cannot reach in any realistic number.
    public init(_ input: DisclosureInput) throws(MoneyError) {
        let department = input.department.code
        let entries = DisclosureTally.disclosed(input.entries, department: department, year: input.year)
        let previousEntries = input.previousEntries.map {
            DisclosureTally.disclosed($0, department: department, year: input.year - 1)
        }
        let units = UnitDirectory(department: input.department, units: input.units)

        let expenditure = try DisclosureTally.expenditure(entries)
        // Previous-year entries, when given, take precedence over the baseline.
        let previous: PartialExpenditure
        let previous3: ThreePublicFigures?
        if let previousEntries {
            previous = PartialExpenditure(try DisclosureTally.expenditure(previousEntries))
            previous3 = try DisclosureTally.threePublic(previousEntries)
        } else {
            previous = try DisclosureTally.previousExpenditure(input.baseline)
            previous3 = try DisclosureTally.previousThreePublic(input.baseline)
        }
        let current3 = try DisclosureTally.threePublic(entries)
        var change3: ThreePublicFigures?
        if let previous3 { change3 = try DisclosureTally.change(current3, from: previous3) }

        self.department = Department(code: input.department.code, name: input.department.name)
        self.year = input.year
        self.organizations = units.rows
        self.income = try DisclosureTally.income(entries)
        self.expenditure = expenditure
        self.previous = previous
        self.change = try DisclosureTally.change(expenditure, from: previous)
        self.operatingCosts = try DisclosureTally.operatingCosts(entries)
        self.threePublic = ThreePublic(
            previous: previous3, current: current3, change: change3,
            reason: Self.threePublicReason(input.narrative[.threePublicReason], change: change3))
        self.projects = try entries.filter { $0.content.kind == .project }.map { entry throws(MoneyError) in
            try Project(entry, unitName: units.name(of: entry.unitCode))
        }
        self.procurement = try Self.procurement(entries, units: units)
        self.narrative = input.narrative
        var budgetLines: [BudgetLine] = []
        for entry in entries {
            budgetLines += try Self.budgetLines(entry, unitName: units.name(of: entry.unitCode))
        }
        self.budgetLines = budgetLines
    }

    /// The written reason; when none was written and nothing changed, the reference's 无增减变化.
    static func threePublicReason(_ written: String, change: ThreePublicFigures?) -> String {
        let reason = written.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.isEmpty, let change else { return reason }
        let unchanged = [change.abroad, change.vehiclePurchase, change.vehicleOperation, change.reception, change.total]
            .allSatisfy { $0.money == .zero }
        return unchanged ? "无增减变化" : ""
    }
}

extension Disclosure.PartialExpenditure {
    /// Every figure known.
    init(_ expenditure: Disclosure.Expenditure) {
        self.init(
            total: expenditure.total, basic: expenditure.basic, personnel: expenditure.personnel,
            operation: expenditure.operation, project: expenditure.project)
    }
}

extension Disclosure.Project {
    /// The table of a project entry.
    init(_ entry: BudgetEntry, unitName: String) throws(MoneyError) {
        let content = entry.content
        self.init(
            code: content.code, name: content.name, unitCode: entry.unitCode, unitName: unitName,
            amount: WanYuan(try content.sources.checkedTotal()),
            fiscal: WanYuan(try Money.sum([content.sources.general, content.sources.fund, content.sources.stateCapital])),
            other: WanYuan(try content.sources.special.adding(content.sources.other)),
            purpose: content.purpose, plan: content.plan, goals: content.goals, indicators: content.indicators)
    }
}
