import Foundation
import Workflow

// Control figures and waivers: decided by `SetControlFigureCommand` and `WaiveCommand` in
// Workflow; here only their snapshots are loaded and their plans applied.
extension AdminService {
    /// Sets (or changes) the ceiling of a unit-year.
    public func setControlFigure(unit: String, year: Int, amount: Money, by caller: Caller) async throws {
        let command = try SetControlFigureCommand(actor: caller.actor, unit: unit, year: year, amount: amount)
        try await pool.transaction { connection in
            // The unit's scope and its current figure (locked), in one statement.
            let row = try connection.query("""
                SELECT o.parent_code,
                       (SELECT c.amount FROM control_figures c WHERE c.unit_code = o.code AND c.year = \(year) FOR UPDATE) AS amount
                FROM organizations o WHERE o.code = \(unit) AND o.kind = 'unit'
                """).first
            var scope: EntryScope?
            var previous: Money?
            if let row {
                scope = EntryScope(unitCode: unit, departmentCode: try row.decode("parent_code", as: String.self))
                previous = try row.decode("amount", as: Money?.self)
            }
            let plan = try command.decide(scope: scope, previous: previous)
            try PlanWriter.apply(plan, by: caller, on: connection)
        }
    }

    /// Waives one rule for one entry revision, with a reason. The entry's version increases (see
    /// ``waive(_:for:by:on:)``).
    public func waive(_ rule: RuleCode, for id: UUID, reason: String, by caller: Caller) async throws {
        let command = try WaiveCommand(actor: caller.actor, rule: rule, reason: reason)
        try await pool.transaction { connection in try Self.waive(command, for: id, by: caller, on: connection) }
    }

    /// The waiver inside the caller's transaction. The entry is locked, so two waivers of one
    /// rule cannot both pass the command's check, and the waiver bumps the entry's version: an
    /// action that waited for the entry's lock sees the version move, reads its snapshot again
    /// and judges the entry with the waiver (and an If-Match taken before the waiver is stale —
    /// the waiver changes what an action decides).
    static func waive(_ command: WaiveCommand, for id: UUID, by caller: Caller, on connection: PostgresConnection) throws {
        let entry = try EntryRows.load(id, lock: true, on: connection)
        var waived: Set<RuleCode> = []
        if entry != nil {
            for row in try connection.query("SELECT rule FROM waivers WHERE entry_id = \(id)") {
                let rule: String = try row.decode("rule")
                if let code = RuleCode(rawValue: rule) { waived.insert(code) }
            }
        }
        try PlanWriter.apply(try command.decide(entry: entry, waived: waived), by: caller, on: connection)
    }
}
