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
        let command = try SaveDisclosureInputsCommand(actor: caller.actor, department: department, year: year, inputs: inputs)
        return try await pool.transaction { connection in
            let exists = try connection.query("""
                SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'
                """).count == 1
            try PlanWriter.apply(try command.decide(departmentExists: exists), by: caller, on: connection)
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
