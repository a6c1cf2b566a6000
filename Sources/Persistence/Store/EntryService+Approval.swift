import Foundation
import Workflow

/// The 批复 (二下): the finance bureau's approval of a department-year, the department's approval
/// of its units, the 批复 document, and the clocks that run around them.
extension EntryService {
    /// Today in Asia/Shanghai by the database's clock, and the instant.
    static let shanghaiToday: SQL = "to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD')"

    /// The stored 批复 of a department-year (locked when `lock`), if given.
    static func budgetApproval(department: String, year: Int, lock: Bool, on connection: PostgresConnection) throws -> BudgetApprovalRecord? {
        let forUpdate: SQL = lock ? " FOR UPDATE" : ""
        return try connection.query("""
            SELECT number, to_char(congress_date, 'YYYY-MM-DD') AS congress,
                   to_char((approved_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS approved_on,
                   units_approved_at IS NOT NULL AS units_approved
            FROM budget_approvals WHERE department_code = \(department) AND year = \(year)\(forUpdate)
            """).first.map { row in
            BudgetApprovalRecord(
                department: department, year: year, number: try row.decode("number"),
                congressDate: try date(row.decode("congress")), approvedOn: try date(row.decode("approved_on")),
                unitsApproved: try row.decode("units_approved"))
        }
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(text) else { throw PostgresError(kind: .decoding, message: "unexpected date \(text)") }
        return date
    }

    static func known<T>(_ value: T?) throws -> T {
        guard let value else { throw PostgresError(kind: .decoding, message: "unknown kind or state in entries row") }
        return value
    }

    static func departmentExists(_ department: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'").count == 1
    }

    /// What ``approveBudget(department:year:number:congressDate:by:)`` did.
    public struct BudgetApprovalResult: Sendable, Hashable {
        public var department: String
        public var year: Int
        public var number: String
        public var congressDate: CalendarDate
        /// The entry revisions whose figures were frozen as the 批复 figures.
        public var entries: Int
        public var total: Money
    }

    /// The finance bureau's 批复 of a department-year: every entry's latest revision must be
    /// approved (or published); their figures are frozen (round_figures, stage 批复) with the
    /// 批复 and its audit event, in one transaction.
    public func approveBudget(
        department: String, year: Int, number: String?, congressDate: String?, by caller: Caller
    ) async throws -> BudgetApprovalResult {
        let command = try ApproveBudgetCommand(actor: caller.actor, department: department, year: year, number: number,
                                               congressDate: congressDate)
        return try await transaction { connection in
            var snapshot = ApproveBudgetCommand.Snapshot(
                departmentExists: try Self.departmentExists(department, on: connection),
                today: try Self.date(connection.query("SELECT \(Self.shanghaiToday) AS today").first!.decode("today")))
            if snapshot.departmentExists {
                // One 批复 of a department-year at a time; the key refuses a second one anyway.
                let lock = "approval:\(department):\(year)"
                try connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock))) IS NULL AS locked")
                snapshot.existing = try Self.budgetApproval(department: department, year: year, lock: false, on: connection)
                snapshot.yearCongressDate = try connection.query("""
                    SELECT to_char(min(congress_date), 'YYYY-MM-DD') AS congress FROM budget_approvals WHERE year = \(year)
                    """).first?.decode("congress", as: String?.self).map(Self.date)
                // Every revision of the department-year locked in list order (as every writer locks
                // entries), so none moves before the figures are frozen; the latest of each code counts.
                var latest: [String: ApproveBudgetCommand.Standing] = [:]
                for row in try connection.query("""
                    SELECT id, code, revision, state, amount FROM entries
                    WHERE department_code = \(department) AND year = \(year)
                    ORDER BY year, code, revision FOR UPDATE
                    """) {
                    let standing = ApproveBudgetCommand.Standing(
                        id: try row.decode("id"), code: try row.decode("code"), revision: try row.decode("revision"),
                        state: try Self.known(EntryState(rawValue: try row.decode("state"))), amount: try row.decode("amount"))
                    latest[standing.code] = standing
                }
                snapshot.entries = latest.values.filter { $0.state != .discarded }.sorted { $0.code < $1.code }
            }
            let plan = try command.decide(snapshot)
            try PlanWriter.apply(plan, by: caller, on: connection)
            return BudgetApprovalResult(
                department: department, year: year, number: command.number, congressDate: command.congressDate,
                entries: snapshot.entries.count, total: try Money.sum(snapshot.entries.map(\.amount)))
        }
    }

    /// The department's 批复 to its units (its reviewer), after the finance bureau's.
    public func approveUnits(department: String, year: Int, number: String?, by caller: Caller) async throws -> BudgetApprovalRecord {
        let command = try ApproveUnitsCommand(actor: caller.actor, department: department, year: year, number: number)
        return try await transaction { connection in
            var snapshot = ApproveUnitsCommand.Snapshot(departmentExists: try Self.departmentExists(department, on: connection))
            if snapshot.departmentExists {
                snapshot.approval = try Self.budgetApproval(department: department, year: year, lock: true, on: connection)
            }
            let plan = try command.decide(snapshot)
            try PlanWriter.apply(plan, by: caller, on: connection)
            var record = snapshot.approval!
            record.unitsApproved = true
            return record
        }
    }

    /// The 批复 document of a department-year, from the figures frozen with it.
    public func budgetApprovalDocument(department: String, year: Int, for caller: Caller) async throws -> BudgetApprovalDocument {
        try Permission.require(caller.actor.role, .readBudgetApproval)
        return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            guard try Self.canSee(department: department, caller.actor, on: connection),
                  let row = try connection.query("""
                    SELECT o.name, b.number, to_char(b.congress_date, 'YYYY-MM-DD') AS congress, b.approved_at, b.approved_by,
                           b.units_number, b.units_approved_at, b.units_approved_by
                    FROM budget_approvals b JOIN organizations o ON o.code = b.department_code
                    WHERE b.department_code = \(department) AND b.year = \(year)
                    """).first
            else { throw WorkflowError.notFound(resource: "批复") }
            let figures = try connection.query("""
                SELECT f.code, e.name, f.unit_code, u.name AS unit_name, f.kind, f.amount,
                       e.general, e.fund, e.state_capital, e.special, e.other
                FROM round_figures f JOIN entries e ON e.id = f.entry_id JOIN organizations u ON u.code = f.unit_code
                WHERE f.year = \(year) AND f.stage = '批复' AND e.department_code = \(department)
                ORDER BY f.code
                """).map { row in
                BudgetApprovalDocument.Figure(
                    code: try row.decode("code"), name: try row.decode("name"),
                    unit: .init(code: try row.decode("unit_code"), name: try row.decode("unit_name")),
                    kind: try Self.known(EntryKind(rawValue: try row.decode("kind"))), amount: try row.decode("amount"),
                    sources: FundingSources(general: try row.decode("general"), fund: try row.decode("fund"),
                                            stateCapital: try row.decode("state_capital"), special: try row.decode("special"),
                                            other: try row.decode("other")))
            }
            var units: BudgetApprovalDocument.UnitsApproval?
            if let at = try row.decode("units_approved_at", as: Timestamp?.self) {
                units = .init(number: try row.decode("units_number"), approvedAt: at.description, approvedBy: try row.decode("units_approved_by"))
            }
            return try BudgetApprovalDocument(
                department: .init(code: department, name: try row.decode("name")), year: year, number: try row.decode("number"),
                congressDate: try Self.date(row.decode("congress")), approvedAt: try row.decode("approved_at", as: Timestamp.self).description,
                approvedBy: try row.decode("approved_by"), unitsApproval: units, figures: figures)
        }
    }

    /// Whether `actor` may see department `department`'s budget: the finance bureau and auditors
    /// every department, a reviewer its own, an officer its unit's. False also when it does not exist.
    static func canSee(department: String, _ actor: Actor, on connection: PostgresConnection) throws -> Bool {
        guard try departmentExists(department, on: connection) else { return false }
        switch try ownDepartment(of: actor, on: connection) {
        case .some(.some(let own)): return own == department
        case .some(.none), .none: return true
        }
    }

    /// The one department an actor's scope is limited to; nil when it sees every department.
    static func ownDepartment(of actor: Actor, on connection: PostgresConnection) throws -> String?? {
        switch actor.readScope {
        case .everything: return .some(nil)
        case .department(let department): return .some(department)
        case .unit(let unit):
            return .some(try connection.query("SELECT parent_code FROM organizations WHERE code = \(unit)").first?
                .decode("parent_code", as: String?.self) ?? "")
        case .nothing: throw WorkflowError.forbidden("role \(actor.role.rawValue) may not read budgets")
        }
    }

    /// Every running clock in the caller's scope (the finance bureau and auditors: all; a
    /// reviewer: its department; an officer: its unit's department), overdue first.
    public func deadlines(year: Int? = nil, department: String? = nil, for caller: Caller) async throws -> [BudgetClocks.Deadline] {
        try Permission.require(caller.actor.role, .readDeadlines)
        return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            try Self.deadlines(year: year, department: department, for: caller.actor, on: connection)
        }
    }

    static func deadlines(year: Int?, department: String?, for actor: Actor, on connection: PostgresConnection) throws -> [BudgetClocks.Deadline] {
        let own = try Self.ownDepartment(of: actor, on: connection)
        var filters: [SQL] = []
        if case .some(.some(let department)) = own { filters.append("d.department_code = \(department)") }
        if let department { filters.append("d.department_code = \(department)") }
        if let year { filters.append("d.year = \(year)") }
        var condition: SQL = "TRUE"
        for filter in filters { condition = condition + " AND " + filter }
        let today = try Self.date(connection.query("SELECT \(Self.shanghaiToday) AS today").first!.decode("today"))
        // The department-years a clock can run for: those with a 批复, those with approved
        // entries awaiting publication, and in a year some 批复 has named the congress date, those
        // with entries (each from an index: `budgetctl queue` asks this on every run).
        let rows = try connection.query("""
            WITH d AS (
                SELECT department_code, year FROM budget_approvals
                UNION SELECT department_code, year FROM entries WHERE state = 'approved'
                UNION SELECT department_code, year FROM entries
                      WHERE year IN (SELECT year FROM budget_approvals) AND state <> 'discarded'
            )
            SELECT d.department_code, d.year,
                   EXISTS (SELECT 1 FROM budget_rounds r WHERE r.year = d.year) AS managed,
                   (SELECT to_char(min(c.congress_date), 'YYYY-MM-DD') FROM budget_approvals c WHERE c.year = d.year) AS congress,
                   b.number, to_char(b.congress_date, 'YYYY-MM-DD') AS own_congress,
                   to_char((b.approved_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS approved_on,
                   b.units_approved_at IS NOT NULL AS units_approved,
                   EXISTS (SELECT 1 FROM publications p WHERE p.department_code = d.department_code AND p.year = d.year
                           AND p.published_at >= b.approved_at) AS published_since,
                   EXISTS (SELECT 1 FROM entries e WHERE e.department_code = d.department_code AND e.year = d.year
                           AND e.state <> 'discarded') AS has_entries,
                   (SELECT to_char((min(e.approved_at) AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') FROM entries e
                    WHERE e.department_code = d.department_code AND e.year = d.year AND e.state = 'approved') AS oldest_approval
            FROM d LEFT JOIN budget_approvals b ON b.department_code = d.department_code AND b.year = d.year
            WHERE \(condition)
            """)
        let facts = try rows.map { row in
            let department: String = try row.decode("department_code")
            let year: Int = try row.decode("year")
            var approval: BudgetApprovalRecord?
            if let number = try row.decode("number", as: String?.self) {
                approval = BudgetApprovalRecord(
                    department: department, year: year, number: number, congressDate: try Self.date(row.decode("own_congress")),
                    approvedOn: try Self.date(row.decode("approved_on")), unitsApproved: try row.decode("units_approved"))
            }
            return BudgetClocks.Facts(
                department: department, year: year, managed: try row.decode("managed"),
                congressDate: try row.decode("congress", as: String?.self).map(Self.date), approval: approval,
                publishedSinceApproval: try row.decode("published_since", as: Bool?.self) ?? false,
                hasEntries: try row.decode("has_entries"),
                oldestUnpublishedApproval: try row.decode("oldest_approval", as: String?.self).map(Self.date))
        }
        return BudgetClocks.running(facts, today: today)
    }
}
