import Foundation
import Workflow

/// Applies a plan decided in Workflow, in the caller's transaction: its rows in order, then its
/// audit events. It decides nothing; a database refusal here is a race the snapshot's locks did
/// not cover, or a bug.
enum PlanWriter {
    static func apply(_ plan: Plan, by caller: Caller, on connection: PostgresConnection) throws {
        // Consecutive new entries go in one INSERT per table.
        var pending: [NewEntry] = []
        for write in plan.writes {
            if case .insertEntry(let entry) = write {
                pending.append(entry)
                continue
            }
            try EntryRows.insert(pending, on: connection)
            pending = []
            switch write {
            case .insertEntry:
                break  // collected above
            case .replaceDraftContent(let id, let content, let fromVersion):
                try EntryRows.replace(id, with: content, fromVersion: fromVersion, on: connection)
            case .grantWaiver(let entryID, let rule, let reason):
                try grantWaiver(entryID, rule: rule, reason: reason, by: caller, on: connection)
            case .setControlFigure(let unit, let year, let amount):
                try setControlFigure(unit: unit, year: year, amount: amount, by: caller, on: connection)
            case .setEntryState(let id, let to):
                try setEntryState(id, to: to, on: connection)
            }
        }
        try EntryRows.insert(pending, on: connection)
        for event in plan.events {
            try AuditLog.append(event, by: caller, on: connection)
        }
    }

    static func grantWaiver(_ entryID: UUID, rule: RuleCode, reason: String, by caller: Caller, on connection: PostgresConnection) throws {
        // Workflow refused a second waiver of the rule under the entry's lock; the unique key
        // is the last line of defence.
        try connection.query("""
            INSERT INTO waivers (entry_id, rule, reason, granted_by)
            VALUES (\(entryID), \(rule.rawValue), \(reason), \(caller.actor.name))
            """)
    }

    static func setControlFigure(unit: String, year: Int, amount: Money, by caller: Caller, on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO control_figures (unit_code, year, amount, set_by) VALUES (\(unit), \(year), \(amount), \(caller.actor.name))
            ON CONFLICT (unit_code, year) DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now()
            """)
    }

    /// The state, a new version, and the approval or publication time when it gets there.
    static func setEntryState(_ id: UUID, to state: EntryState, on connection: PostgresConnection) throws {
        var stamp: SQL = ""
        if state == .approved { stamp = ", approved_at = now()" }
        if state == .published { stamp = ", published_at = now()" }
        try connection.query("""
            UPDATE entries SET state = \(state.rawValue), version = version + 1, updated_at = now()\(stamp) WHERE id = \(id)
            """)
    }
}
