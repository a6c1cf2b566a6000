import Foundation
import Workflow

/// The one writer of plans: applies what a Workflow command decided, inside the caller's
/// transaction, with every audit event sealed by ``AuditAppender``.
///
/// The last row write, the events and the chain heads go in one statement (a data-modifying
/// CTE). Earlier row writes of the same plan each go first, in plan order: PostgreSQL checks
/// unique indexes row by row, and the parts of one statement run in no defined order (a
/// superseded revision must leave `approved` before its successor enters it).
enum PlanWriter {
    struct Applied {
        /// The version each changed entry row has now.
        var versions: [UUID: Int] = [:]
        /// The new events' ids, in plan order.
        var eventIDs: [Int64] = []
        /// The id of the publication recorded, if the plan recorded one.
        var publicationID: Int64?
    }

    /// Applies `plan`. `heads`: chain heads the caller already locked in this transaction (keyed
    /// by chain), `at` the database time read with them; other chains are locked here.
    @discardableResult
    static func apply(
        _ plan: Plan, by caller: Caller, heads: [String: AuditAppender.Head] = [:], at: Timestamp? = nil,
        on connection: PostgresConnection
    ) throws -> Applied {
        var applied = Applied()
        var parts: [(name: String, statement: SQL)] = []
        // Consecutive new entries go in one INSERT per table.
        var pending: [NewEntry] = []
        for (index, write) in plan.writes.enumerated() {
            if case .insertEntry(let entry) = write {
                pending.append(entry)
                continue
            }
            try EntryRows.insert(pending, on: connection)
            pending = []
            switch write {
            case .insertEntry:
                break  // collected above
            case .setEntryState(let id, let state):
                let stamp: SQL = switch state {
                case .approved: ", approved_at = now()"
                case .published: ", published_at = now()"
                case .draft, .departmentReview, .financeReview, .discarded, .superseded: ""
                }
                let update: SQL = """
                    UPDATE entries SET state = \(state.rawValue), version = version + 1, updated_at = now()\(stamp)
                    WHERE id = \(id) RETURNING id, version
                    """
                if index == plan.writes.count - 1 {
                    parts.append(("w", update))
                } else {
                    for row in try connection.query(update) { applied.versions[try row.decode("id")] = try row.decode("version") }
                }
            case .insertRevision(let entry, let reason):
                try EntryRows.insert(
                    entry.content, id: entry.id, year: entry.year, unit: entry.unitCode, revision: entry.revision,
                    supersedes: entry.supersedes, state: entry.state, reviseReason: reason, round: entry.round, on: connection)
                applied.versions[entry.id] = entry.version
            case .replaceDraftContent(let id, let content, let fromVersion):
                applied.versions[id] = try EntryRows.replace(id, with: content, fromVersion: fromVersion, on: connection)
            case .grantWaiver(let entryID, let rule, let reason):
                applied.versions[entryID] = try grantWaiver(entryID, rule: rule, reason: reason, by: caller, on: connection)
            case .setControlFigure(let unit, let year, let amount):
                try setControlFigure(unit: unit, year: year, amount: amount, by: caller, on: connection)
            case .openRound(let year, let round, let opensOn, let closesOn):
                try YearRows.open(year: year, round: round, opensOn: opensOn, closesOn: closesOn, by: caller, on: connection)
            case .extendRound(let year, let round, let closesOn):
                try YearRows.extend(year: year, round: round, closesOn: closesOn, on: connection)
            case .closeRound(let year, let round):
                try YearRows.close(year: year, round: round, on: connection)
            case .freezeFirstUpFigures(let year, let entries):
                try YearRows.freezeFirstUp(year: year, entries: entries, on: connection)
            case .carryIntoSecondUp(let year, let entries):
                try YearRows.carryIntoSecondUp(year: year, entries: entries, on: connection)
            case .setControlCells(let year, let department, let unit, let cells):
                try ControlRows.write(year: year, department: department, unit: unit, cells: cells, by: caller, on: connection)
            case .recordBudgetApproval(let department, let year, let number, let congressDate):
                try connection.query("""
                    INSERT INTO budget_approvals (department_code, year, number, congress_date, approved_by)
                    VALUES (\(department), \(year), \(number), \(congressDate.description)::date, \(caller.actor.name))
                    """)
            case .freezeApprovedFigures(let year, let entryIDs):
                try connection.query("""
                    INSERT INTO round_figures (year, stage, code, unit_code, entry_id, revision, kind, amount)
                    SELECT e.year, '批复', e.code, e.unit_code, e.id, e.revision, e.kind, e.amount
                    FROM entries e WHERE e.year = \(year) AND e.id = ANY(\(PostgresArray(entryIDs))::uuid[])
                    """)
            case .recordUnitsApproval(let department, let year, let number):
                try connection.query("""
                    UPDATE budget_approvals SET units_number = \(number), units_approved_at = now(), units_approved_by = \(caller.actor.name)
                    WHERE department_code = \(department) AND year = \(year) AND units_approved_at IS NULL
                    """)
            case .recordAdjustmentKind(let entryID, let kind):
                try connection.query("UPDATE entries SET revise_kind = \(kind.rawValue) WHERE id = \(entryID) AND state = 'draft'")
            case .insertOrganization(let organization):
                try insertOrganization(organization, on: connection)
            case .insertUser(let name, let role, let org):
                try insertUser(name: name, role: role, org: org, on: connection)
            case .issueToken(let user, let sha256, let expiresAt):
                try issueToken(user: user, sha256: sha256, expiresAt: expiresAt, on: connection)
            case .revokeUser(let name):
                try revokeUser(name, on: connection)
            case .setDisclosureBaseline(let department, let year, let metric, let amount):
                try setDisclosureBaseline(department: department, year: year, metric: metric, amount: amount, by: caller, on: connection)
            case .setDisclosureNarrative(let department, let year, let section, let text):
                try setDisclosureNarrative(department: department, year: year, section: section, text: text, by: caller, on: connection)
            case .recordPublication(let department, let year, let entryCount, let overrideReason, let frozen):
                applied.publicationID = try recordPublication(
                    department: department, year: year, entryCount: entryCount, overrideReason: overrideReason, frozen: frozen,
                    by: caller, on: connection)
            }
        }
        try EntryRows.insert(pending, on: connection)

        if !plan.events.isEmpty {
            var heads = heads
            var at = at
            for event in plan.events where heads[event.chain] == nil {
                let (head, now) = try AuditLog.lockHead(event.chain, on: connection)
                heads[event.chain] = head
                at = at ?? now
            }
            if at == nil {
                at = try connection.query("SELECT clock_timestamp() AS now").first!.decode("now", as: Timestamp.self)
            }
            let appender = AuditAppender(caller: caller, at: at!, signer: connection.auditEventSigner)
            var rows: [SQL] = []
            var moved: [String] = []  // chains in first-use order
            for event in plan.events {
                if !moved.contains(event.chain) { moved.append(event.chain) }
                rows.append(appender.values(try appender.seal(event, after: &heads[event.chain]!)))
            }
            let insert: SQL = "INSERT INTO audit_events (\(AuditAppender.columns)) VALUES \(joined(rows)) RETURNING id"
            parts.append(("a", insert))
            let newHeads = moved.map { chain -> SQL in
                "(\(chain)::text, \(heads[chain]!.seq)::bigint, \(ByteA(heads[chain]!.hash))::bytea)"
            }
            let moveHeads: SQL = """
                UPDATE audit_chain_heads h SET seq = v.seq, hash = v.hash
                FROM (VALUES \(joined(newHeads))) AS v(chain, seq, hash) WHERE h.chain = v.chain
                """
            parts.append(("h", moveHeads))
        }
        guard !parts.isEmpty else { return applied }

        var statement: SQL = "WITH "
        for (index, part) in parts.enumerated() {
            statement.append(SQL(unsafeSQL: index == 0 ? "" : ", "))
            statement.append(SQL(unsafeSQL: "\(part.name) AS (") + part.statement + ")")
        }
        let names = Set(parts.map(\.name))
        let changed: SQL = names.contains("w") ? "SELECT id, version, NULL::bigint AS event FROM w" : "SELECT NULL::uuid AS id, NULL::integer AS version, NULL::bigint AS event WHERE false"
        let appended: SQL = names.contains("a") ? " UNION ALL SELECT NULL, NULL, id FROM a ORDER BY 3" : ""
        statement.append(" " + changed + appended)
        for row in try connection.query(statement) {
            if let event = try row.decode("event", as: Int64?.self) {
                applied.eventIDs.append(event)
            } else {
                applied.versions[try row.decode("id")] = try row.decode("version")
            }
        }
        return applied
    }

    private static func joined(_ fragments: [SQL]) -> SQL {
        var result: SQL = ""
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { result.append(", ") }
            result.append(fragment)
        }
        return result
    }

    /// The waiver, and the entry's version bumped: an action waiting for the entry's lock then
    /// sees the entry changed and reads its waivers again. Returns the new version.
    static func grantWaiver(_ entryID: UUID, rule: RuleCode, reason: String, by caller: Caller, on connection: PostgresConnection) throws -> Int {
        // Workflow refused a second waiver of the rule under the entry's lock; the unique key
        // is the last line of defence.
        try connection.query("""
            WITH w AS (
                INSERT INTO waivers (entry_id, rule, reason, granted_by)
                VALUES (\(entryID), \(rule.rawValue), \(reason), \(caller.actor.name)))
            UPDATE entries SET version = version + 1 WHERE id = \(entryID) RETURNING version
            """).first!.decode("version")
    }

    static func setControlFigure(unit: String, year: Int, amount: Money, by caller: Caller, on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO control_figures (unit_code, year, amount, set_by) VALUES (\(unit), \(year), \(amount), \(caller.actor.name))
            ON CONFLICT (unit_code, year) DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now()
            """)
    }

    static func insertOrganization(_ organization: Organization, on connection: PostgresConnection) throws {
        do {
            try connection.query("""
                INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding)
                VALUES (\(organization.code), \(organization.name), \(organization.kind.rawValue), \(organization.parentCode),
                        \(organization.nature), \(organization.level), \(organization.funding))
                """)
        } catch {
            // Workflow refused a taken code; only a concurrent add of the same code gets here.
            if error.sqlState == .uniqueViolation { throw WorkflowError.conflict("organization \(organization.code) already exists") }
            throw error
        }
    }

    static func insertUser(name: String, role: Role, org: String?, on connection: PostgresConnection) throws {
        do {
            try connection.query("INSERT INTO users (name, role, org_code) VALUES (\(name), \(role.rawValue), \(org))")
        } catch {
            // Workflow refused a taken name; only a concurrent add of the same name gets here.
            if error.sqlState == .uniqueViolation { throw WorkflowError.conflict("user \(name) already exists") }
            throw error
        }
    }

    /// The publication row (its id from the sequence) and the inputs it freezes, in one statement.
    static func recordPublication(
        department: String, year: Int, entryCount: Int, overrideReason: String?, frozen: BLPEntryMapping.DisclosureInputs,
        by caller: Caller, on connection: PostgresConnection
    ) throws -> Int64 {
        var statement: SQL = """
            WITH p AS (
                INSERT INTO publications (department_code, year, published_by, entry_count, override_reason)
                VALUES (\(department), \(year), \(caller.actor.name), \(entryCount), \(overrideReason))
                RETURNING id)
            """
        if !frozen.baseline.isEmpty {
            var rows: [SQL] = []
            for (metric, amount) in frozen.baseline.sorted(by: { $0.key < $1.key }) {
                let row: SQL = "(\(metric)::text, \(amount)::numeric)"
                rows.append(row)
            }
            statement.append("""
                , b AS (INSERT INTO publication_baselines (publication_id, metric, amount)
                        SELECT p.id, v.metric, v.amount FROM p, (VALUES \(joined(rows))) AS v(metric, amount))
                """)
        }
        if !frozen.narrative.isEmpty {
            var rows: [SQL] = []
            for (section, text) in frozen.narrative.sorted(by: { $0.key < $1.key }) {
                let row: SQL = "(\(section)::text, \(text)::text)"
                rows.append(row)
            }
            statement.append("""
                , n AS (INSERT INTO publication_narratives (publication_id, section, text)
                        SELECT p.id, v.section, v.text FROM p, (VALUES \(joined(rows))) AS v(section, text))
                """)
        }
        statement.append(" SELECT id FROM p")
        return try connection.query(statement).first!.decode("id")
    }

    static func issueToken(user: String, sha256: [UInt8], expiresAt: Date?, on connection: PostgresConnection) throws {
        let expires: Timestamp? = expiresAt.map { Timestamp($0) }
        let hash = ByteA(sha256)
        try connection.query("""
            INSERT INTO api_tokens (user_id, token_hash, expires_at) SELECT id, \(hash), \(expires) FROM users WHERE name = \(user)
            """)
    }

    static func revokeUser(_ name: String, on connection: PostgresConnection) throws {
        try connection.query("""
            WITH u AS (UPDATE users SET revoked_at = coalesce(revoked_at, now()) WHERE name = \(name) RETURNING id)
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id IN (SELECT id FROM u)
            """)
    }

    static func setDisclosureBaseline(
        department: String, year: Int, metric: String, amount: Money, by caller: Caller, on connection: PostgresConnection
    ) throws {
        try connection.query("""
            INSERT INTO disclosure_baselines (department_code, year, metric, amount, updated_by)
            VALUES (\(department), \(year), \(metric), \(amount), \(caller.actor.name))
            ON CONFLICT (department_code, year, metric)
            DO UPDATE SET amount = EXCLUDED.amount, updated_by = EXCLUDED.updated_by, updated_at = now()
            """)
    }

    static func setDisclosureNarrative(
        department: String, year: Int, section: String, text: String, by caller: Caller, on connection: PostgresConnection
    ) throws {
        try connection.query("""
            INSERT INTO disclosure_narratives (department_code, year, section, text, updated_by)
            VALUES (\(department), \(year), \(section), \(text), \(caller.actor.name))
            ON CONFLICT (department_code, year, section)
            DO UPDATE SET text = EXCLUDED.text, updated_by = EXCLUDED.updated_by, updated_at = now()
            """)
    }
}
