import Foundation
import Workflow

// Structured control figures: decided by `SetDepartmentFiguresCommand` and
// `AllocateUnitFiguresCommand` in Workflow; here their snapshots are loaded (locked in the order
// `ControlRows` documents) and their plans applied, and the sheets read.
extension AdminService {
    /// Sets cells of a department-year's figures (the finance bureau).
    public func setDepartmentFigures(
        department: String, year: Int, cells: [ControlCell: Money], reason: String? = nil, by caller: Caller
    ) async throws {
        let command = try SetDepartmentFiguresCommand(actor: caller.actor, department: department, year: year, cells: cells, reason: reason)
        try await pool.transaction { connection in
            let exists = try connection.query(
                "SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'").count == 1
            var current: [ControlCell: Money] = [:]
            var allocated: [ControlCell: Money] = [:]
            if exists {
                current = try ControlRows.lockDepartment(department, year: year, on: connection)
                // Read after the lock: an allocation that held it is counted.
                allocated = ControlRows.sum(try ControlRows.unitFigures(department: department, year: year, on: connection).values)
            }
            try PlanWriter.apply(try command.decide(exists: exists, current: current, allocated: allocated), by: caller, on: connection)
        }
    }

    /// Allocates cells of a department's figures to one of its units (its reviewer, or the finance bureau).
    public func allocateUnitFigures(
        unit: String, year: Int, cells: [ControlCell: Money], reason: String? = nil, by caller: Caller
    ) async throws {
        let command = try AllocateUnitFiguresCommand(actor: caller.actor, unit: unit, year: year, cells: cells, reason: reason)
        try await pool.transaction { connection in
            let scope = try EntryService.unitScope(unit, on: connection)
            var department: [ControlCell: Money] = [:]
            var others: [ControlCell: Money] = [:]
            var current: [ControlCell: Money] = [:]
            if let scope, Transition.canRead(caller.actor, scope) {
                department = try ControlRows.lockDepartment(scope.departmentCode, year: year, on: connection)
                var units = try ControlRows.unitFigures(department: scope.departmentCode, year: year, lockUnit: unit, on: connection)
                current = units.removeValue(forKey: unit) ?? [:]
                others = ControlRows.sum(units.values)
            }
            let plan = try command.decide(scope: scope, departmentFigures: department, otherUnits: others, current: current)
            try PlanWriter.apply(plan, by: caller, on: connection)
        }
    }

    /// A department-year's sheet: its figures, its units' allocations, the usage of all its units' entries.
    public func departmentSheet(_ department: String, year: Int, for caller: Caller) async throws -> ControlSheet {
        try Validator.checkYear(year)
        return try await pool.transaction(readOnly: true) { connection in
            let exists = try connection.query(
                "SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'").count == 1
            try ControlSheet.checkRead(
                caller.actor, level: .department, scope: exists ? EntryScope(unitCode: "", departmentCode: department) : nil)
            let figures = try ControlRows.figures(department: department, year: year, on: connection)
            let used = try ControlRows.usage(year: year, department: department, on: connection)
            var units = figures
            let own = units.removeValue(forKey: "") ?? [:]
            return ControlSheet(
                level: .department, holder: department, year: year, ceilings: own,
                allocated: ControlRows.sum(units.values), used: ControlRows.sum(used.values))
        }
    }

    /// A unit-year's sheet: its figures and the usage of its entries.
    public func unitSheet(_ unit: String, year: Int, for caller: Caller) async throws -> ControlSheet {
        try Validator.checkYear(year)
        return try await pool.transaction(readOnly: true) { connection in
            let scope = try EntryService.unitScope(unit, on: connection)
            try ControlSheet.checkRead(caller.actor, level: .unit, scope: scope)
            let department = scope!.departmentCode
            let figures = try ControlRows.figures(department: department, year: year, on: connection)
            let used = try ControlRows.usage(year: year, department: department, unit: unit, on: connection)
            return ControlSheet(level: .unit, holder: unit, year: year, ceilings: figures[unit] ?? [:], used: used[unit] ?? [:])
        }
    }
}
