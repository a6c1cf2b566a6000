import Foundation
import Workflow

extension EntryService {
    /// Filters of `GET /v1/entries` and `budgetctl queue`; nil means any.
    public struct Filter: Sendable, Hashable {
        public var year: Int?
        public var unit: String?
        public var department: String?
        public var state: EntryState?
        public var kind: EntryKind?
        public var limit: Int
        public var cursor: String?

        public init(year: Int? = nil, unit: String? = nil, department: String? = nil, state: EntryState? = nil,
                    kind: EntryKind? = nil, limit: Int = 100, cursor: String? = nil) {
            self.year = year
            self.unit = unit
            self.department = department
            self.state = state
            self.kind = kind
            self.limit = limit
            self.cursor = cursor
        }

        public static let maxLimit = 1000
    }

    public struct Page: Sendable, Hashable {
        public var items: [BudgetEntry]
        /// Pass back as `cursor` for the next page; nil on the last page.
        public var nextCursor: String?
    }

    /// Entries in the caller's scope, ordered by year, code and revision, with keyset paging.
    public func list(_ filter: Filter, for caller: Caller) async throws -> Page {
        let page = try Self.pageQuery(filter, for: caller)
        // Rows and children from one snapshot (the JSON list is one statement, so it needs none).
        return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            let rows = try connection.query("SELECT \(EntryRows.columns) FROM \(EntryRows.from) WHERE \(page.condition) \(page.orderAndLimit)")
            var entries = try rows.rows.prefix(filter.limit).map(EntryRows.decode)
            try EntryRows.attachChildren(&entries, on: connection)
            let next = rows.count > filter.limit ? entries.last.map { Cursor(year: $0.year, code: $0.content.code, revision: $0.revision).token } : nil
            return Page(items: entries, nextCursor: next)
        }
    }

    /// A page of entries as the API's JSON objects, rendered by PostgreSQL in the one query that
    /// selects the page: no per-field decoding or encoding in the server, one round trip.
    /// Each object has the fields (and values) `BudgetEntry`'s `Encodable` produces; a test holds them equal.
    public struct JSONPage: Sendable, Hashable {
        /// One JSON object per entry, in list order.
        public var items: [String]
        public var nextCursor: String?
    }

    public func listJSON(_ filter: Filter, for caller: Caller) async throws -> JSONPage {
        let statement = try Self.listJSONStatement(filter, for: caller)
        return try await pool.withConnection { connection in
            let rows = try connection.query(statement)
            let kept = rows.rows.prefix(filter.limit)
            let items = try kept.map { try $0.decode("doc", as: String.self) }
            var next: String?
            if rows.count > filter.limit, let last = kept.last {
                next = Cursor(year: try last.decode("year"), code: try last.decode("code"), revision: try last.decode("revision")).token
            }
            return JSONPage(items: items, nextCursor: next)
        }
    }

    /// The one statement `listJSON` runs (`bench/list.sql` is this statement; a test holds them equal).
    package static func listJSONStatement(_ filter: Filter, for caller: Caller) throws -> SQL {
        let page = try pageQuery(filter, for: caller)
        return """
            SELECT p.year, p.code, p.revision, \(EntryRows.jsonObject) AS doc
            FROM (SELECT e.* FROM entries e
                  WHERE \(page.condition) \(page.orderAndLimit)) p
            ORDER BY p.year, p.code, p.revision
            """
    }

    /// The WHERE condition (scope, filters, keyset position) and ORDER BY … LIMIT of a list page;
    /// one more row than the limit is fetched to learn whether a next page exists.
    static func pageQuery(_ filter: Filter, for caller: Caller) throws -> (condition: SQL, orderAndLimit: SQL) {
        guard (1...Filter.maxLimit).contains(filter.limit) else {
            throw WorkflowError.invalidInput("limit must be between 1 and \(Filter.maxLimit)",
                details: [ErrorDetail(field: "limit", message: "got \(filter.limit)")])
        }
        let after = try filter.cursor.map(Cursor.init(token:))
        var conditions: [SQL] = [try scopeCondition(for: caller.actor)]
        if let year = filter.year { conditions.append("e.year = \(year)") }
        if let unit = filter.unit { conditions.append("e.unit_code = \(unit)") }
        if let department = filter.department { conditions.append("e.department_code = \(department)") }
        if let state = filter.state { conditions.append("e.state = \(state.rawValue)") }
        if let kind = filter.kind { conditions.append("e.kind = \(kind.rawValue)") }
        if let after { conditions.append("(e.year, e.code, e.revision) > (\(after.year), \(after.code), \(after.revision))") }
        var condition: SQL = "TRUE"
        for each in conditions { condition = condition + " AND " + each }
        return (condition, "ORDER BY e.year, e.code, e.revision LIMIT \(filter.limit + 1)")
    }

    /// The SQL condition that keeps a list inside the actor's read scope.
    static func scopeCondition(for actor: Actor) throws -> SQL {
        switch actor.readScope {
        case .everything: return "TRUE"
        case .unit(let unit): return "e.unit_code = \(unit)"
        // entries.department_code (= the unit's parent, by a foreign key) has an index in list order;
        // o.parent_code through the join has none (sql/migrations/0008).
        case .department(let department): return "e.department_code = \(department)"
        case .nothing: throw WorkflowError.forbidden("role \(actor.role.rawValue) may not read entries")
        }
    }

    /// An opaque keyset position: the last row's (year, code, revision).
    struct Cursor: Hashable {
        var year: Int
        var code: String
        var revision: Int

        init(year: Int, code: String, revision: Int) {
            self.year = year
            self.code = code
            self.revision = revision
        }

        var token: String {
            Data("\(year):\(revision):\(code)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        init(token: String) throws {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            let parts = Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }?
                .split(separator: ":", maxSplits: 2).map(String.init) ?? []
            // A code no entry could have (NUL, too long) is no cursor this server issued either.
            guard parts.count == 3, let year = Int(parts[0]), let revision = Int(parts[1]),
                  !Validator.containsNUL(parts[2]), parts[2].count <= Validator.maxCodeLength
            else {
                throw WorkflowError.invalidInput("cursor is not one this server issued",
                    details: [ErrorDetail(field: "cursor", message: "malformed")])
            }
            self.init(year: year, code: parts[2], revision: revision)
        }
    }

    /// The audit events of an entry (all its revisions), oldest first.
    public func history(_ id: UUID, for caller: Caller) async throws -> [AuditLog.StoredEvent] {
        try await pool.withConnection { connection in
            guard let entry = try EntryRows.load(id, lock: false, on: connection),
                  Transition.canRead(caller.actor, entry.scope)
            else { throw WorkflowError.notFound(resource: "entry") }
            return try connection.query("""
                SELECT \(AuditLog.eventColumns) FROM audit_events
                WHERE chain = \(AuditLog.entryChain(year: entry.year, code: entry.content.code)) ORDER BY seq
                """).map { try AuditLog.decodeEvent($0).0 }
        }
    }

    /// Totals of a unit-year by kind, funding source and state.
    public struct Summary: Sendable, Hashable, Encodable {
        public var unit: String
        public var year: Int
        /// Entries in force or in preparation: everything but discarded and superseded revisions.
        public var total: Money
        public var byKind: [String: Money]
        public var bySource: [String: Money]
        public var byState: [String: StateTotal]
        public var controlFigure: Money?
        /// The unit's department-year when it has approved entries awaiting publication (20-day clock).
        public var pendingPublication: DisclosureService.PendingPublication?
        /// In a year run in rounds: the unit's totals 一上 / 二上 / 批复 side by side, with the change.
        public var figures: RoundFigures?
        /// The running clocks of the unit's department-year (批复, units' 批复, publication), overdue first.
        public var deadlines: [BudgetClocks.Deadline] = []

        public struct StateTotal: Sendable, Hashable, Codable {
            public var count: Int
            public var amount: Money
        }

        enum CodingKeys: String, CodingKey {
            case unit, year, total
            case byKind = "by_kind"
            case bySource = "by_source"
            case byState = "by_state"
            case controlFigure = "control_figure"
            case pendingPublication = "pending_publication"
            case figures
            case deadlines
        }
    }

    public func summary(unit: String, year: Int, for caller: Caller) async throws -> Summary {
        try await pool.withConnection { connection in
            let scope = try Self.unitScope(unit, for: caller.actor, on: connection)
            var summary = Summary(unit: unit, year: year, total: .zero, byKind: [:], bySource: [:], byState: [:])
            try summary.tally(connection.query("""
                SELECT state, kind, count(*)::int AS n, sum(amount) AS amount, sum(general) AS general, sum(fund) AS fund,
                       sum(state_capital) AS state_capital, sum(special) AS special, sum(other) AS other
                FROM entries WHERE unit_code = \(unit) AND year = \(year) GROUP BY state, kind
                """))
            summary.controlFigure = try connection.query("""
                SELECT amount FROM control_figures WHERE unit_code = \(unit) AND year = \(year)
                """).first?.decode("amount", as: Money.self)
            summary.pendingPublication = try DisclosureService.pendingPublications(
                department: scope.departmentCode, year: year, on: connection).first
            summary.figures = try Self.roundTotals(unit: unit, year: year, on: connection)
            summary.deadlines = try Self.deadlines(year: year, department: scope.departmentCode, for: caller.actor, on: connection)
            return summary
        }
    }

    /// Totals of a department-year: its units' entries by kind, funding source and state, and each
    /// unit's total with its figures side by side by round (一上 / 二上 / 批复) in a managed year.
    ///
    /// The finance bureau and auditors read any department, a department reviewer its own; an
    /// officer (whose scope is one unit) and anyone else gets 404, as if it did not exist.
    public struct DepartmentSummary: Sendable, Hashable, Encodable {
        public var department: String
        public var year: Int
        public var total: Money
        public var byKind: [String: Money]
        public var bySource: [String: Money]
        public var byState: [String: Summary.StateTotal]
        /// The department's totals side by side by round (managed years only).
        public var figures: RoundFigures?
        public var units: [UnitLine]
        /// The running clocks of the department-year (批复, units' 批复, publication), overdue first.
        public var deadlines: [BudgetClocks.Deadline]

        public struct UnitLine: Sendable, Hashable, Encodable {
            public var unit: String
            public var name: String
            /// Entries in force or in preparation (neither discarded nor superseded).
            public var total: Money
            public var figures: RoundFigures?
        }

        enum CodingKeys: String, CodingKey {
            case department, year, total, figures, units, deadlines
            case byKind = "by_kind"
            case bySource = "by_source"
            case byState = "by_state"
        }
    }

    public func summary(department: String, year: Int, for caller: Caller) async throws -> DepartmentSummary {
        try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            switch caller.actor.readScope {
            case .everything: break
            case .department(let own) where own == department: break
            case .department, .unit: throw WorkflowError.notFound(resource: "department")
            case .nothing: throw WorkflowError.forbidden("role \(caller.actor.role.rawValue) may not read budgets")
            }
            guard try Self.departmentExists(department, on: connection) else { throw WorkflowError.notFound(resource: "department") }
            var totals = Summary(unit: "", year: year, total: .zero, byKind: [:], bySource: [:], byState: [:])
            try totals.tally(connection.query("""
                SELECT state, kind, count(*)::int AS n, sum(amount) AS amount, sum(general) AS general, sum(fund) AS fund,
                       sum(state_capital) AS state_capital, sum(special) AS special, sum(other) AS other
                FROM entries WHERE department_code = \(department) AND year = \(year) GROUP BY state, kind
                """))
            let managed = try connection.query("SELECT EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year)) AS managed")
                .first!.decode("managed", as: Bool.self)
            var units: [DepartmentSummary.UnitLine] = []
            var departmentFigures = RoundFigures()
            for row in try connection.query("""
                SELECT o.code, o.name,
                       (SELECT coalesce(sum(amount), 0) FROM entries
                        WHERE unit_code = o.code AND year = \(year) AND state NOT IN ('discarded', 'superseded')) AS total,
                       (SELECT sum(amount) FROM round_figures WHERE unit_code = o.code AND year = \(year) AND stage = '一上') AS first_up,
                       (SELECT sum(amount) FROM round_figures WHERE unit_code = o.code AND year = \(year) AND stage = '批复') AS approved,
                       (SELECT sum(amount) FROM (
                            SELECT DISTINCT ON (code) amount FROM entries
                            WHERE unit_code = o.code AND year = \(year) AND round = '二上' AND state NOT IN ('discarded', 'superseded')
                            ORDER BY code, revision DESC) latest) AS second_up
                FROM organizations o WHERE o.parent_code = \(department) AND o.kind = 'unit' ORDER BY o.code
                """) {
                var line = DepartmentSummary.UnitLine(
                    unit: try row.decode("code"), name: try row.decode("name"), total: try row.decode("total"))
                if managed {
                    let figures = RoundFigures(
                        firstUp: try row.decode("first_up", as: Money?.self), secondUp: try row.decode("second_up", as: Money?.self),
                        approved: try row.decode("approved", as: Money?.self))
                    line.figures = figures
                    departmentFigures.firstUp = try Self.sum(departmentFigures.firstUp, figures.firstUp)
                    departmentFigures.secondUp = try Self.sum(departmentFigures.secondUp, figures.secondUp)
                    departmentFigures.approved = try Self.sum(departmentFigures.approved, figures.approved)
                }
                units.append(line)
            }
            return DepartmentSummary(
                department: department, year: year, total: totals.total, byKind: totals.byKind, bySource: totals.bySource,
                byState: totals.byState, figures: managed ? departmentFigures : nil, units: units,
                deadlines: try Self.deadlines(year: year, department: department, for: caller.actor, on: connection))
        }
    }

    /// A sum of figures where absent means "does not exist": absent only when both are.
    private static func sum(_ a: Money?, _ b: Money?) throws -> Money? {
        guard let a else { return b }
        guard let b else { return a }
        return try a.adding(b)
    }
}

extension EntryService.Summary {
    /// Adds rows of (state, kind, n, amount, funding columns): every state counts in `byState`;
    /// only entries in force or in preparation count in the totals.
    mutating func tally<Rows: Sequence>(_ rows: Rows) throws where Rows.Element == PostgresRow {
        for row in rows {
            let state: String = try row.decode("state")
            let amount: Money = try row.decode("amount")
            var stateTotal = byState[state] ?? .init(count: 0, amount: .zero)
            stateTotal.count += try row.decode("n", as: Int.self)
            stateTotal.amount = try stateTotal.amount.adding(amount)
            byState[state] = stateTotal
            guard state != EntryState.discarded.rawValue, state != EntryState.superseded.rawValue else { continue }
            total = try total.adding(amount)
            let kind: String = try row.decode("kind")
            byKind[kind] = try (byKind[kind] ?? .zero).adding(amount)
            for source in ["general", "fund", "state_capital", "special", "other"] {
                bySource[source] = try (bySource[source] ?? .zero).adding(try row.decode(source))
            }
        }
    }
}
