import Disclosure
import Foundation
import Workflow

/// Disclosure inputs (baseline, narrative) and the public disclosure built from published data.
public struct DisclosureService: Sendable {
    package let pool: ConnectionPool
    let cache: DisclosureCache

    /// A service on `pool`, keeping up to `cacheCapacity` computed public disclosures (0: none).
    package init(pool: ConnectionPool, cacheCapacity: Int = 8) {
        self.pool = pool
        self.cache = DisclosureCache(capacity: cacheCapacity)
    }

    /// The audit chain of a department-year's disclosure inputs.
    static func inputsChain(department: String, year: Int) -> String {
        "disclosure:\(department):\(year)"
    }

    /// What ``saveInputs(_:department:year:by:)`` stored.
    public struct SavedInputs: Sendable, Hashable {
        /// Baseline figures and narrative sections stored.
        public var baseline: Int
        public var narrative: Int
        /// The department-year's latest publication, when it has one: the public disclosure keeps
        /// the inputs that publication froze until the finance bureau publishes again.
        public var publication: Int64?
    }

    /// Stores baseline figures and narrative sections of a department-year (each replaces the
    /// previous value of that metric or section). The department's reviewer or the finance bureau.
    ///
    /// This is the working copy: once the department-year is published, the public disclosure
    /// shows what its latest publication froze, and a change here goes public only through a new
    /// publication (``EntryService/publish(department:year:by:overrideReason:)``), cross-checked and audited.
    @discardableResult
    public func saveInputs(
        _ inputs: BLPEntryMapping.DisclosureInputs, department: String, year: Int, by caller: Caller
    ) async throws -> SavedInputs {
        try Permission.require(caller.actor.role, .setDisclosureInputs)
        // A department's reviewer sees no other department (as for entries: 404, not 403).
        guard caller.actor.readScope.contains(EntryScope(unitCode: "", departmentCode: department)) else {
            throw WorkflowError.notFound(resource: "department")
        }
        guard !inputs.baseline.isEmpty || !inputs.narrative.isEmpty else {
            throw WorkflowError.invalidInput("no baseline or narrative records given")
        }
        let problems = inputs.problems
        guard problems.isEmpty else {
            throw WorkflowError.invalidInput("\(problems.count) bad baseline or narrative value(s); nothing was stored", details: problems)
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
            try AuditLog.append(.init(chain: Self.inputsChain(department: department, year: year), action: "disclosure.inputs", changes: changes),
                                by: caller, on: connection)
            let publication = try Self.publishedInputs(department: department, year: year, on: connection)?.publication
            return SavedInputs(baseline: inputs.baseline.count, narrative: inputs.narrative.count, publication: publication)
        }
    }

    /// The disclosure of a department-year from published data only; `notFound` when nothing is published.
    public func disclosure(department: String, year: Int) async throws -> Disclosure {
        try await publicDisclosure(department: department, year: year).disclosure
    }

    /// The public disclosure of a department-year with its renderings: computed afresh unless this
    /// service computed it at the database's current ``Fingerprint``. `notFound` when nothing is published.
    public func publicDisclosure(department: String, year: Int) async throws -> PublicDisclosure {
        let key = DisclosureCache.Key(department: department, year: year)
        let cached = cache.lookup(key)
        let current = try await pool.withConnection { connection in
            try Self.fingerprint(department: department, year: year, on: connection)
        }
        if let cached, current == cached.fingerprint { return cached.disclosure }
        return try await cache.coalesced(key, seen: current) { [pool, cache] in
            // The fingerprint and the data from one snapshot, so the one describes the other.
            let (fingerprint, input) = try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
                (try Self.fingerprint(department: department, year: year, on: connection),
                 try Self.input(department: department, year: year,
                                inputs: Self.publishedInputs(department: department, year: year, on: connection)?.inputs ?? Inputs(),
                                on: connection))
            }
            guard let input, !input.entries.isEmpty else { throw WorkflowError.notFound(resource: "disclosure") }
            let computed = PublicDisclosure(try Disclosure(input))
            cache.store(key, fingerprint: fingerprint, disclosure: computed)
            DisclosureMetrics.computed()
            return computed
        }
    }

    /// What a department-year's disclosure depends on besides its own rows, cheap to read: the
    /// number of publications of the year and of the previous year (every change of published
    /// entries, and of the baseline and narrative the public disclosure shows, is a publication;
    /// publications are never deleted and the inputs they froze never change) and the number of
    /// the department's organizations (they are only ever added). Equal fingerprints mean equal
    /// disclosures. Staged inputs are not part of it: they are not public.
    struct Fingerprint: Sendable, Hashable {
        var publications: Int64
        var organizations: Int64
    }

    static func fingerprint(department: String, year: Int, on connection: PostgresConnection) throws -> Fingerprint {
        guard let row = try connection.query("""
            SELECT (SELECT count(*) FROM publications WHERE department_code = \(department) AND year IN (\(year), \(year - 1))),
                   (SELECT count(*) FROM organizations WHERE code = \(department) OR parent_code = \(department))
            """).first, row.values.count == 2,
            let publications = row.values[0].flatMap({ Int64($0) }), let organizations = row.values[1].flatMap({ Int64($0) })
        else { throw PostgresError(kind: .decoding, message: "unexpected disclosure fingerprint row") }
        return Fingerprint(publications: publications, organizations: organizations)
    }

    /// Department-years with approved entries not yet published, oldest approval first.
    ///
    /// The law asks departments to publish within 20 days of approval. Only years run without
    /// rounds: in a managed year the clock starts at the 批复 (``BudgetApprovalService/deadlines(for:)``).
    public struct PendingPublication: Sendable, Hashable, Codable {
        public var department: String
        public var year: Int
        public var approvedEntries: Int
        package var approvedSince: Timestamp
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
              AND NOT EXISTS (SELECT 1 FROM budget_rounds r WHERE r.year = e.year)
            GROUP BY o.parent_code, e.year ORDER BY since
            """).map { row in
            PendingPublication(
                department: try row.decode("department"), year: try row.decode("year"), approvedEntries: try row.decode("n"),
                approvedSince: try row.decode("since"), daysLeft: try row.decode("days_left"))
        }
    }
}
