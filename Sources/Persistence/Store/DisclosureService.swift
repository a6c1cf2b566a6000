import Foundation
import Workflow

/// Disclosure inputs (baseline, narrative) and the public disclosure built from published data.
public struct DisclosureService: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) { self.pool = pool }

    /// Stores baseline figures and narrative sections of a department-year (each replaces the
    /// previous value of that metric or section). The department's reviewer or the finance bureau.
    @discardableResult
    public func saveInputs(
        _ inputs: BLPEntryMapping.DisclosureInputs, department: String, year: Int, by caller: Caller
    ) async throws -> (baseline: Int, narrative: Int) {
        switch caller.actor.role {
        case .financeReviewer: break
        case .departmentReviewer:
            guard caller.actor.orgCode == department else { throw WorkflowError.notFound(resource: "department") }
        case .officer, .auditor, .admin:
            throw WorkflowError.forbidden("only the department's reviewer or the finance bureau sets disclosure inputs")
        }
        guard !inputs.baseline.isEmpty || !inputs.narrative.isEmpty else {
            throw WorkflowError.invalidInput("no baseline or narrative records given")
        }
        return try await pool.transaction { connection in
            guard try connection.query("SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'").count == 1 else {
                throw WorkflowError.notFound(resource: "department")
            }
            var changes: [String: String] = [:]
            for (metric, amount) in inputs.baseline.sorted(by: { $0.key < $1.key }) {
                try connection.query("""
                    INSERT INTO disclosure_baselines (department_code, year, metric, amount, updated_by)
                    VALUES (\(department), \(year), \(metric), \(amount), \(caller.actor.name))
                    ON CONFLICT (department_code, year, metric)
                    DO UPDATE SET amount = EXCLUDED.amount, updated_by = EXCLUDED.updated_by, updated_at = now()
                    """)
                changes["baseline." + metric] = amount.description
            }
            for (section, text) in inputs.narrative.sorted(by: { $0.key < $1.key }) {
                try connection.query("""
                    INSERT INTO disclosure_narratives (department_code, year, section, text, updated_by)
                    VALUES (\(department), \(year), \(section), \(text), \(caller.actor.name))
                    ON CONFLICT (department_code, year, section)
                    DO UPDATE SET text = EXCLUDED.text, updated_by = EXCLUDED.updated_by, updated_at = now()
                    """)
                changes["narrative." + section] = text
            }
            try AuditLog.append(.init(chain: "disclosure:\(department):\(year)", action: "disclosure.inputs", changes: changes),
                                by: caller, on: connection)
            return (inputs.baseline.count, inputs.narrative.count)
        }
    }

    /// The disclosure of a department-year from published data only; `notFound` when nothing is published.
    public func disclosure(department: String, year: Int) async throws -> Disclosure {
        let input = try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            try Self.input(department: department, year: year, on: connection)
        }
        guard let input, !input.entries.isEmpty else { throw WorkflowError.notFound(resource: "disclosure") }
        return try Disclosure(input)
    }

    /// Everything a disclosure is built from, read in the caller's transaction.
    static func input(department: String, year: Int, on connection: PostgresConnection) throws -> DisclosureInput? {
        var organizations: [Organization] = []
        for row in try connection.query("""
            SELECT code, name, kind, parent_code, nature, level, funding FROM organizations
            WHERE code = \(department) OR parent_code = \(department) ORDER BY kind, code
            """) {
            organizations.append(Organization(
                code: try row.decode("code"), name: try row.decode("name"), kind: OrgKind(rawValue: try row.decode("kind")) ?? .unit,
                parentCode: try row.decode("parent_code", as: String?.self), nature: try row.decode("nature", as: String?.self),
                level: try row.decode("level", as: String?.self), funding: try row.decode("funding", as: String?.self)))
        }
        guard let departmentOrg = organizations.first(where: { $0.code == department && $0.kind == .department }) else { return nil }
        let entries = try published(department: department, year: year, on: connection)
        let previous = try published(department: department, year: year - 1, on: connection)
        var baseline: [BaselineMetric: Money] = [:]
        for row in try connection.query("""
            SELECT metric, amount FROM disclosure_baselines WHERE department_code = \(department) AND year = \(year)
            """) {
            if let metric = BaselineMetric(rawValue: try row.decode("metric")) { baseline[metric] = try row.decode("amount") }
        }
        var narrative: [NarrativeSection: String] = [:]
        for row in try connection.query("""
            SELECT section, text FROM disclosure_narratives WHERE department_code = \(department) AND year = \(year)
            """) {
            if let section = NarrativeSection(rawValue: try row.decode("section")) { narrative[section] = try row.decode("text") }
        }
        return DisclosureInput(
            department: departmentOrg, units: organizations.filter { $0.kind == .unit }, year: year, entries: entries,
            baseline: Baseline(baseline), previousEntries: previous.isEmpty ? nil : previous, narrative: Narrative(narrative))
    }

    static func published(department: String, year: Int, on connection: PostgresConnection) throws -> [BudgetEntry] {
        var entries = try connection.query("""
            SELECT \(EntryRows.columns) FROM \(EntryRows.from)
            WHERE o.parent_code = \(department) AND e.year = \(year) AND e.state = 'published'
            ORDER BY e.unit_code,
                     (SELECT min(r.created_seq) FROM entries r WHERE r.year = e.year AND r.code = e.code), e.code
            """).map(EntryRows.decode)
        try EntryRows.attachChildren(&entries, on: connection)
        return entries
    }

    /// Department-years with approved entries not yet published, oldest approval first.
    ///
    /// The law asks departments to publish within 20 days of approval.
    public struct PendingPublication: Sendable, Hashable, Codable {
        public var department: String
        public var year: Int
        public var approvedEntries: Int
        public var approvedSince: Timestamp
        /// Days until the 20-day deadline; negative when overdue.
        public var daysLeft: Int

        enum CodingKeys: String, CodingKey {
            case department, year
            case approvedEntries = "approved_entries"
            case approvedSince = "approved_since"
            case daysLeft = "days_left"
        }
    }

    public static let publicationDeadlineDays = 20

    public func pendingPublications(department: String? = nil, year: Int? = nil) async throws -> [PendingPublication] {
        try await pool.withConnection { connection in try Self.pendingPublications(department: department, year: year, on: connection) }
    }

    static func pendingPublications(department: String?, year: Int?, on connection: PostgresConnection) throws -> [PendingPublication] {
        let departmentFilter: SQL = department.map { "AND o.parent_code = \($0)" } ?? ""
        let yearFilter: SQL = year.map { "AND e.year = \($0)" } ?? ""
        return try connection.query("""
            SELECT o.parent_code AS department, e.year, count(*)::int AS n, min(e.approved_at) AS since,
                   (\(publicationDeadlineDays) - floor(extract(epoch FROM now() - min(e.approved_at)) / 86400))::int AS days_left
            FROM \(EntryRows.from)
            WHERE e.state = 'approved' \(departmentFilter) \(yearFilter)
            GROUP BY o.parent_code, e.year ORDER BY since
            """).map { row in
            PendingPublication(
                department: try row.decode("department"), year: try row.decode("year"), approvedEntries: try row.decode("n"),
                approvedSince: try row.decode("since"), daysLeft: try row.decode("days_left"))
        }
    }
}
