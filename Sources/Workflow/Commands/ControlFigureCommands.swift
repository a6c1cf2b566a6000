import Foundation

/// The finance bureau sets one or more cells of a department's control figures for a year
/// (下达部门控制数).
///
/// Its snapshot: whether the department exists, its current figures (locked) and its units'
/// allocations per cell. A figure below what the department already allocated to its units is
/// refused (V7, naming the cell and the shortfall): allocations never exceed the department's figure.
public struct SetDepartmentFiguresCommand: Sendable {
    public let actor: Actor
    public let department: String
    public let year: Int
    public let cells: [ControlCell: Money]
    /// Why (optional; stored in the audit events).
    public let reason: String?

    /// What can be decided before anything is read: the role, the cells' amounts, the year, the reason.
    public init(actor: Actor, department: String, year: Int, cells: [ControlCell: Money], reason: String? = nil) throws(WorkflowError) {
        try Permission.require(actor.role, .setDepartmentFigures)
        try Validator.checkYear(year)
        guard !cells.isEmpty else {
            throw .invalidInput("no cell given", details: [ErrorDetail(field: "cell", message: "give at least one CELL=AMOUNT")])
        }
        try ControlCell.checkRange(cells)
        self.actor = actor
        self.department = department
        self.year = year
        self.cells = cells
        self.reason = try ControlFigureReason.trimmed(reason)
    }

    /// The changed cells and one audit event per changed cell (old and new amount).
    public func decide(exists: Bool, current: [ControlCell: Money], allocated: [ControlCell: Money]) throws(WorkflowError) -> Plan {
        guard exists, Transition.canRead(actor, EntryScope(unitCode: "", departmentCode: department)) else {
            throw .notFound(resource: "department")
        }
        var violations: [Violation] = []
        for (cell, amount) in cells.sorted(by: { $0.key < $1.key }) {
            if let given = allocated[cell], given > amount {
                violations.append(Violation(rule: .v7, field: cell.rawValue, message:
                    "department \(department) has allocated \(given) of \(cell.rawValue) to its units; "
                    + "a figure of \(amount) falls short of it by \(Money(fen: given.fen &- amount.fen))"))
            }
        }
        if !violations.isEmpty { throw .validationFailed(violations) }
        return ControlFigureReason.plan(
            cells: cells, current: current, year: year, department: department, unit: nil,
            chain: "control:\(department):\(year)", action: "control.department", reason: reason)
    }
}

/// A department allocates its control figures to one of its units (分配单位控制数): its
/// reviewer, or the finance bureau. Another department's unit is answered as absent (404).
///
/// Its snapshot: the unit's scope (nil when the unit does not exist), the department's figures
/// (locked first), the unit's current figures (locked next) and what the department's other
/// units hold per cell. The units' allocations of a cell never exceed the department's figure in
/// it; a cell the department has no figure in allocates nothing above zero.
public struct AllocateUnitFiguresCommand: Sendable {
    public let actor: Actor
    public let unit: String
    public let year: Int
    public let cells: [ControlCell: Money]
    public let reason: String?

    public init(actor: Actor, unit: String, year: Int, cells: [ControlCell: Money], reason: String? = nil) throws(WorkflowError) {
        try Permission.require(actor.role, .allocateUnitFigures)
        try Validator.checkYear(year)
        guard !cells.isEmpty else {
            throw .invalidInput("no cell given", details: [ErrorDetail(field: "cell", message: "give at least one CELL=AMOUNT")])
        }
        try ControlCell.checkRange(cells)
        self.actor = actor
        self.unit = unit
        self.year = year
        self.cells = cells
        self.reason = try ControlFigureReason.trimmed(reason)
    }

    public func decide(
        scope: EntryScope?, departmentFigures: [ControlCell: Money], otherUnits: [ControlCell: Money],
        current: [ControlCell: Money]
    ) throws(WorkflowError) -> Plan {
        guard let scope, scope.unitCode == unit, Transition.canRead(actor, scope) else { throw .notFound(resource: "unit") }
        var violations: [Violation] = []
        for (cell, amount) in cells.sorted(by: { $0.key < $1.key }) {
            let others = otherUnits[cell] ?? .zero
            let figure = departmentFigures[cell] ?? .zero
            let allocated = others.saturatingAdding(amount)
            guard allocated > figure else { continue }
            let figureText = departmentFigures[cell] == nil ? "has no figure in it" : "has \(figure)"
            violations.append(Violation(rule: .v7, field: cell.rawValue, message:
                "allocations of \(cell.rawValue) (other units \(others) + unit \(unit) \(amount) = \(allocated)) "
                + "exceed department \(scope.departmentCode)'s figure by \(Money(fen: allocated.fen &- figure.fen)); "
                + "the department \(figureText)"))
        }
        if !violations.isEmpty { throw .validationFailed(violations) }
        return ControlFigureReason.plan(
            cells: cells, current: current, year: year, department: scope.departmentCode, unit: unit,
            chain: "control:\(unit):\(year)", action: "control.allocate", reason: reason)
    }
}

/// What the two control-figure commands share: the optional reason, and the plan of changed cells.
enum ControlFigureReason {
    static func trimmed(_ reason: String?) throws(WorkflowError) -> String? {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else { return nil }
        try TextLimits.check(reason, field: "reason", TextLimits.reason)
        return reason
    }

    /// Cells whose amount changes are written; each gets an event with the amount it replaces.
    static func plan(
        cells: [ControlCell: Money], current: [ControlCell: Money], year: Int, department: String, unit: String?,
        chain: String, action: String, reason: String?
    ) -> Plan {
        let changed = cells.filter { current[$0.key] != $0.value }
        guard !changed.isEmpty else { return Plan() }
        var events: [PlannedEvent] = []
        for (cell, amount) in changed.sorted(by: { $0.key < $1.key }) {
            var changes = ["cell": cell.rawValue, "amount": amount.description, "department": department]
            changes["unit"] = unit
            changes["previous"] = current[cell]?.description
            events.append(PlannedEvent(chain: chain, action: action, reason: reason, changes: changes))
        }
        return Plan(writes: [.setControlCells(year: year, department: department, unit: unit, cells: changed)], events: events)
    }
}
