import Foundation
import Workflow

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

        let ledger = try DisclosureLedger(entries)
        let expenditure = try DisclosureTally.expenditure(ledger)
        // Previous-year entries, when given, take precedence over their sums, and those over the baseline.
        let previousLedger = try previousEntries.map { entries throws(MoneyError) in try DisclosureLedger(entries) }
            ?? input.previousLedger
        let previous: PartialExpenditure
        let previous3: ThreePublicFigures?
        if let previousLedger {
            previous = PartialExpenditure(try DisclosureTally.expenditure(previousLedger))
            previous3 = try DisclosureTally.threePublic(previousLedger)
        } else {
            previous = try DisclosureTally.previousExpenditure(input.baseline)
            previous3 = try DisclosureTally.previousThreePublic(input.baseline)
        }
        let current3 = try DisclosureTally.threePublic(ledger)
        var change3: ThreePublicFigures?
        if let previous3 { change3 = try DisclosureTally.change(current3, from: previous3) }

        self.department = Department(code: input.department.code, name: input.department.name)
        self.year = input.year
        self.organizations = units.rows
        self.income = try DisclosureTally.income(ledger)
        self.expenditure = expenditure
        self.previous = previous
        self.change = try DisclosureTally.change(expenditure, from: previous)
        self.operatingCosts = try DisclosureTally.operatingCosts(ledger)
        self.threePublic = ThreePublic(
            previous: previous3, current: current3, change: change3,
            reason: Self.threePublicReason(input.narrative[.threePublicReason], change: change3))
        var projects: [Project] = []
        var budgetLines: [BudgetLine] = []
        budgetLines.reserveCapacity(entries.count * 2)
        for entry in entries {
            let unitName = units.name(of: entry.unitCode)
            if entry.content.kind == .project {
                projects.append(try Project(entry, unitName: unitName))
            }
            try Self.appendBudgetLines(entry, unitName: unitName, to: &budgetLines)
        }
        self.projects = projects
        self.procurement = try Self.procurement(entries, units: units)
        self.narrative = input.narrative
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
            amount: WanYuan(try content.sources.exactTotal()),
            fiscal: WanYuan(try content.sources.exactFiscal()),
            other: WanYuan(try content.sources.special.adding(content.sources.other)),
            purpose: content.purpose, plan: content.plan, goals: content.goals, indicators: content.indicators)
    }
}
