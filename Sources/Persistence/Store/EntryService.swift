import Foundation
import Logging
import Workflow

/// The one code path for every rule on entries: both `budget-server` and `budgetctl` call it.
///
/// Every method is one PostgreSQL transaction: it locks (or version-checks) the rows it changes,
/// asks the pure `Transition`/`Validator` what may happen, writes, and appends the audit events.
public struct EntryService: Sendable {
    package let pool: ConnectionPool
    /// The Idempotency-Key claim its writes mark applied (see `EntryService+Transaction.swift`).
    var claim: IdempotencyStore.Claim?

    package init(pool: ConnectionPool) { self.pool = pool }

    /// One draft of a batch, with where it came from (a BLP line or a JSON index) for error reports.
    public typealias DraftInput = DraftLine

    /// What saving one draft did.
    public typealias Saved = SavedDraft

    // MARK: - Drafts

    /// Creates new drafts, or replaces existing drafts with the same code, all or nothing
    /// (``SaveDraftsCommand`` decides).
    public func saveDrafts(_ inputs: [DraftInput], unit: String, year: Int, by caller: Caller) async throws -> [Saved] {
        try await saveDrafts(from: .drafts(inputs), unit: unit, year: year, by: caller)
    }

    /// ``saveDrafts(_:unit:year:by:)`` for drafts that arrive while the batch is still being
    /// decoded. A worker thread decodes, checks and formats each piece for COPY while this
    /// transaction's connection stores the previous piece. Every error of the batch is still
    /// reported, and nothing is stored unless there is none.
    public func saveDrafts(from source: DraftSource, unit: String, year: Int, by caller: Caller) async throws -> [Saved] {
        try Validator.checkYear(year)  // the column's range, decided before a connection is taken
        return try await transaction { connection in
            let scope = try Self.unitScope(unit, on: connection)
            // The calendar is read (and held) only once the caller may write here, so a stranger
            // learns nothing of it; an opening of a round waits for this batch, and it for one.
            _ = try SaveDraftsCommand(actor: caller.actor, unit: unit, scope: scope, year: year)
            let (calendar, today) = try YearRows.load(year, lock: true, on: connection)
            let command = try SaveDraftsCommand(
                actor: caller.actor, unit: unit, scope: scope, year: year, calendar: calendar, today: today)
            let now: Timestamp = try connection.query("SELECT clock_timestamp() AS now").first!.decode("now")
            let handOff = Self.prepare(source, with: BatchPreparer(command: command, caller: caller, now: now, auditKey: connection.auditKey))
            defer { handOff.abandonAndWait() }

            var saved: [Saved] = []
            var problems: [ErrorDetail] = []
            while true {
                let pieces: [PreparedPiece]
                switch handOff.takeAll() {
                case .pieces(let next):
                    pieces = next
                case .end(let outcome):
                    // A decoding error of the batch wins; then the drafts' problems; then the codes'.
                    try SaveDraftsCommand.verdict(checked: try outcome.get(), decided: problems)
                    return try Self.warned(saved, unit: unit, year: year, on: connection)
                }
                guard pieces.allSatisfy({ $0.rows != nil }) else { continue }  // the batch has a problem already
                let lines = pieces.flatMap(\.lines)

                // Codes all new in the year (the usual import): the pieces were decided and
                // formatted as such; COPY them at once. One index probe per code (LATERAL … LIMIT
                // keeps it so): a plain `code = ANY(…) LIMIT 1` is planned as a sequential scan
                // while a fresh table has no statistics, and a scan per round made an import quadratic.
                let codes = PostgresArray(lines.map(\.draft.code))
                let taken = try connection.query("""
                    SELECT 1 AS x FROM unnest(\(codes)::text[]) AS c(code),
                        LATERAL (SELECT 1 FROM entries e WHERE e.year = \(year) AND e.code = c.code LIMIT 1) AS found
                    LIMIT 1
                    """)
                if taken.count == 0, command.acceptsNewCodes {
                    do {
                        try Self.copy(pieces.map { $0.rows! }, on: connection)
                    } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                        throw WorkflowError.conflict("another batch created some of these codes at the same moment; retry")
                    }
                    saved += pieces.flatMap(\.saved)
                } else {
                    // Some codes exist: decide again on their current revisions, and write row by row.
                    let decision = command.decide(
                        lines, current: try Self.currentRevisions(of: lines, command: command, on: connection), newID: Self.randomUUID)
                    problems += decision.problems
                    if problems.isEmpty { try PlanWriter.apply(decision.plan, by: caller, on: connection) }
                    saved += decision.saved
                }
            }
        }
    }

    /// The snapshot of ``SaveDraftsCommand/decide(_:current:newID:)``: the current revision of each
    /// code of `lines` in the year, in one statement that locks every revision of those codes in
    /// (code, revision) order, as submit-all and batch actions lock, so two writers never take
    /// the same rows in opposite orders. The content (children too) only of the unit's drafts.
    static func currentRevisions(
        of lines: [DraftLine], command: SaveDraftsCommand, on connection: PostgresConnection
    ) throws -> [String: CurrentRevision] {
        let rows = try connection.query("""
            SELECT \(EntryRows.columns) FROM entries e
            WHERE e.year = \(command.year) AND e.code = ANY(\(PostgresArray(lines.map(\.draft.code)))::text[])
            ORDER BY e.code, e.revision FOR UPDATE OF e
            """)
        var latest: [String: BudgetEntry] = [:]
        for row in rows {
            let entry = try EntryRows.decode(row)
            latest[entry.content.code] = entry  // rows come by revision: the last is the current one
        }
        var replaceable = latest.values.filter { $0.unitCode == command.scope.unitCode && $0.state == .draft }
        try EntryRows.attachChildren(&replaceable, on: connection)
        var current: [String: CurrentRevision] = [:]
        for (code, entry) in latest {
            current[code] = CurrentRevision(
                id: entry.id, unitCode: entry.unitCode, state: entry.state, revision: entry.revision, version: entry.version,
                round: entry.round)
        }
        for entry in replaceable { current[entry.content.code]?.content = entry.content }
        return current
    }

    /// Replaces one draft by id; `expectedVersion` must match (If-Match), or `staleVersion`.
    /// `claimed` is where the request says the entry is (a `unit=` or `year=` sent along); any
    /// disagreement refuses the change (Workflow judges it, under the entry's lock).
    public func replaceDraft(
        _ id: UUID, with draft: EntryDraft, expectedVersion: Int, by caller: Caller,
        claimed: ClaimedPlace = .init()
    ) async throws -> BudgetEntry {
        try await replaceDraftWarning(id, with: draft, expectedVersion: expectedVersion, by: caller, claimed: claimed).entry
    }

    /// ``replaceDraft(_:with:expectedVersion:by:claimed:)``, with the control-figure warnings of
    /// the replaced draft (a managed year's unit cells it would push past).
    public func replaceDraftWarning(
        _ id: UUID, with draft: EntryDraft, expectedVersion: Int, by caller: Caller,
        claimed: ClaimedPlace = .init()
    ) async throws -> Saved {
        try await transaction { connection in
            let entry = try EntryRows.load(id, lock: true, on: connection)
            let window = try entry.map { try YearRows.load($0.year, lock: false, on: connection) }
            let (plan, after) = try ReplaceDraftCommand.decide(
                actor: caller.actor, entry: entry, with: draft,
                expectedVersion: expectedVersion, claimed: claimed, calendar: window?.0, today: window?.1)
            try PlanWriter.apply(plan, by: caller, on: connection)
            return try Self.warned([Saved(line: nil, entry: after, created: false)], unit: after.unitCode, year: after.year, on: connection)[0]
        }
    }

    /// Saved drafts with their warnings: in a managed year, the unit's cells each would push past
    /// (read once the drafts are written, in the same transaction; nothing when no figure is set).
    static func warned(_ saved: [Saved], unit: String, year: Int, on connection: PostgresConnection) throws -> [Saved] {
        guard !saved.isEmpty, let standing = try ControlRows.draftStanding(unit: unit, year: year, on: connection) else { return saved }
        return saved.map { saved in
            var warned = saved
            warned.warnings = ControlStanding.forDraft(
                saved.entry.content, unit: unit, ceilings: standing.ceilings, usedByCode: standing.usedByCode
            ).overshoots(adding: saved.entry.content)
            return warned
        }
    }

    // MARK: - Reading

    /// One entry, or `notFound` when it does not exist or lies outside the caller's scope.
    public func entry(_ id: UUID, for caller: Caller) async throws -> BudgetEntry {
        // The row and its children from one snapshot: a concurrent edit cannot mix two versions.
        try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            guard let entry = try EntryRows.load(id, lock: false, on: connection),
                  Transition.canRead(caller.actor, entry.scope)
            else { throw WorkflowError.notFound(resource: "entry") }
            return entry
        }
    }

    /// Finds an entry by id or by code (the current revision of that code in `year`).
    public func resolve(_ reference: String, year: Int?, for caller: Caller) async throws -> BudgetEntry {
        if let id = UUID(uuidString: reference) { return try await entry(id, for: caller) }
        let id: UUID? = try await pool.withConnection { connection in
            let yearFilter: SQL = year.map { "AND year = \($0)" } ?? ""
            let rows = try connection.query("""
                SELECT id, year FROM entries WHERE code = \(reference) \(yearFilter)
                  AND state NOT IN ('discarded', 'superseded')
                ORDER BY year DESC, revision DESC
                """)
            let years = Set(try rows.map { try $0.decode("year", as: Int.self) })
            if years.count > 1 {
                throw WorkflowError.invalidInput("code \(reference) exists in several years; give the year",
                    details: [ErrorDetail(field: "year", message: "one of \(years.sorted())")])
            }
            return try rows.first?.decode("id", as: UUID.self)
        }
        guard let id else { throw WorkflowError.notFound(resource: "entry") }
        return try await entry(id, for: caller)
    }

    // MARK: - Helpers

    /// The unit's scope, or nil when there is no such unit: a command's snapshot.
    static func unitScope(_ unit: String, on connection: PostgresConnection) throws -> EntryScope? {
        try connection.query("""
            SELECT parent_code FROM organizations WHERE code = \(unit) AND kind = 'unit'
            """).first.map { EntryScope(unitCode: unit, departmentCode: try $0.decode("parent_code")) }
    }

    /// The unit's scope, or `notFound` when the unit is unknown or outside the caller's scope.
    static func unitScope(_ unit: String, for actor: Actor, on connection: PostgresConnection) throws -> EntryScope {
        guard let scope = try unitScope(unit, on: connection), Transition.canRead(actor, scope) else {
            throw WorkflowError.notFound(resource: "unit")
        }
        return scope
    }
}
