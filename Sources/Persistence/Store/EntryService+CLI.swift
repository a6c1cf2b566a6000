import Foundation
import Workflow

extension EntryService {
    /// An entry waiting in a state, with how long it has waited (`budgetctl queue`).
    public struct QueuedEntry: Sendable, Hashable {
        public var entry: BudgetEntry
        public var unitName: String
        /// When the entry entered its current state (its last change).
        package var since: Timestamp
        /// Seconds since then, by the database's clock.
        public var ageSeconds: Int64
    }

    /// Entries in `state` within the caller's read scope, the longest-waiting first.
    public func queue(
        state: EntryState, year: Int? = nil, department: String? = nil, limit: Int = 1000, for caller: Caller
    ) async throws -> [QueuedEntry] {
        guard (1...Filter.maxLimit).contains(limit) else {
            throw WorkflowError.invalidInput("limit must be between 1 and \(Filter.maxLimit)",
                details: [ErrorDetail(field: "limit", message: "got \(limit)")])
        }
        // Rows and children from one snapshot.
        return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            var condition: SQL = try Self.scopeCondition(for: caller.actor)
            condition = condition + " AND " + "e.state = \(state.rawValue)"
            if let year { condition = condition + " AND " + "e.year = \(year)" }
            if let department { condition = condition + " AND " + "e.department_code = \(department)" }
            let rows = try connection.query("""
                SELECT \(EntryRows.columns), o.name AS unit_name, e.updated_at,
                       (extract(epoch FROM now() - e.updated_at))::bigint AS age_seconds
                FROM \(EntryRows.from) WHERE \(condition)
                ORDER BY e.updated_at, e.code LIMIT \(limit)
                """)
            var entries = try rows.map(EntryRows.decode)
            try EntryRows.attachChildren(&entries, on: connection)
            return try zip(entries, rows.rows).map { entry, row in
                QueuedEntry(entry: entry, unitName: try row.decode("unit_name"), since: try row.decode("updated_at"),
                            ageSeconds: try row.decode("age_seconds"))
            }
        }
    }
}
