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
    public struct DraftInput: Sendable {
        public var draft: EntryDraft
        public var line: Int?
        public init(draft: EntryDraft, line: Int? = nil) {
            self.draft = draft
            self.line = line
        }
    }

    /// What saving one draft did.
    public struct Saved: Sendable, Hashable {
        public var line: Int?
        public var entry: BudgetEntry
        public var created: Bool
    }

    /// The rules a draft must satisfy to be stored at all; completeness (V2 sums, V3, V4) waits
    /// for submission so a draft can be filled in gradually.
    static func storable(_ violation: Violation) -> Bool {
        switch violation.rule {
        case .v1, .v5, .v6: return false
        case .v2: return !(violation.field?.hasSuffix(".econ") ?? false)
        case .v3:
            // The column holds percentages only, and four of them or none.
            if violation.message.contains("outside 0–100") { return false }
            return !(Validator.isPlanLength(violation) && violation.message != Validator.planLengthMessage(0))
        case .v4, .v7: return true
        }
    }

    // MARK: - Drafts

    /// Creates new drafts, or replaces existing drafts with the same code, all or nothing.
    ///
    /// Codes are unique per year across all units. A code whose current revision is not a draft
    /// is refused (revise it first).
    public func saveDrafts(_ inputs: [DraftInput], unit: String, year: Int, by caller: Caller) async throws -> [Saved] {
        try await saveDrafts(from: .drafts(inputs), unit: unit, year: year, by: caller)
    }

    /// ``saveDrafts(_:unit:year:by:)`` for drafts that arrive while the batch is still being
    /// decoded. Another thread checks each piece and formats it for COPY while this transaction's
    /// connection stores the previous piece. Every error of the batch is still reported, and
    /// nothing is stored unless there is none.
    public func saveDrafts(from source: DraftSource, unit: String, year: Int, by caller: Caller) async throws -> [Saved] {
        try Validator.checkYear(year)  // the column's range, decided here rather than by the database
        return try await transaction { connection in
            let scope = try Self.unitScope(unit, for: caller.actor, on: connection)
            guard caller.actor.role == .officer else {
                throw WorkflowError.forbidden("only a unit's officer creates or edits entries")
            }
            let now: Timestamp = try connection.query("SELECT clock_timestamp() AS now").first!.decode("now")
            let handOff = Self.prepare(source, with: BatchPreparer(
                unit: unit, department: scope.departmentCode, year: year, caller: caller, now: now, auditKey: connection.auditKey))
            defer { handOff.abandonAndWait() }

            var saved: [Saved] = []
            var details: [ErrorDetail] = []
            while true {
                let pieces: [PreparedPiece]
                switch handOff.takeAll() {
                case .pieces(let next):
                    pieces = next
                case .end(let outcome):
                    // A decoding error of the batch wins; then validation errors; then conflicts.
                    let invalid = try outcome.get()
                    if !invalid.isEmpty {
                        throw WorkflowError.invalidInput("the batch has \(invalid.count) error(s); nothing was stored", details: invalid)
                    }
                    if !details.isEmpty {
                        throw WorkflowError.invalidInput("the batch has \(details.count) error(s); nothing was stored", details: details)
                    }
                    return saved
                }
                guard pieces.allSatisfy({ $0.rows != nil }) else { continue }  // the batch has a validation error
                let inputs = pieces.flatMap(\.inputs)

                // Codes all new in the year (the usual import): COPY the pieces at once. One index
                // probe per code (LATERAL … LIMIT keeps it so): a plain `code = ANY(…) LIMIT 1` is
                // planned as a sequential scan while a fresh table has no statistics, and a scan
                // per round made an import quadratic.
                let codes = PostgresArray(inputs.map(\.draft.code))
                let taken = try connection.query("""
                    SELECT 1 AS x FROM unnest(\(codes)::text[]) AS c(code),
                        LATERAL (SELECT 1 FROM entries e WHERE e.year = \(year) AND e.code = c.code LIMIT 1) AS found
                    LIMIT 1
                    """)
                if taken.count == 0 {
                    do {
                        try Self.copy(pieces.map { $0.rows! }, on: connection)
                    } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                        throw WorkflowError.conflict("another batch created some of these codes at the same moment; retry")
                    }
                    for piece in pieces {
                        for (input, id) in zip(piece.inputs, piece.ids) {
                            saved.append(Saved(line: input.line, entry: BudgetEntry(
                                id: id, year: year, unitCode: unit, departmentCode: scope.departmentCode, content: input.draft),
                                created: true))
                        }
                    }
                } else {
                    let result = try Self.saveOneByOne(inputs, unit: unit, year: year, scope: scope, by: caller, on: connection)
                    saved += result.saved
                    details += result.details
                }
            }
        }
    }

    /// Creates or replaces drafts one at a time (codes already used in the year): new codes are
    /// inserted, drafts of the unit replaced, anything else reported in `details`.
    static func saveOneByOne(
        _ inputs: [DraftInput], unit: String, year: Int, scope: EntryScope, by caller: Caller, on connection: PostgresConnection
    ) throws -> (saved: [Saved], details: [ErrorDetail]) {
        var saved: [Saved] = []
        var details: [ErrorDetail] = []
        // The existing entries of these codes, locked in list order first (as submit-all and batch
        // actions lock), so two writers never take the same rows in opposite orders.
        try connection.query("""
            SELECT 1 AS x FROM entries WHERE year = \(year) AND code = ANY(\(PostgresArray(inputs.map(\.draft.code)))::text[])
            ORDER BY code, revision FOR UPDATE
            """)
        for input in inputs {
            let line = input.line
            let draft = input.draft
            let existing = try connection.query("""
                SELECT id, unit_code, state, revision FROM entries WHERE year = \(year) AND code = \(draft.code)
                ORDER BY revision DESC LIMIT 1 FOR UPDATE
                """).first
            guard let existing else {
                let id = UUID()
                try EntryRows.insert(draft, id: id, year: year, unit: unit, revision: 1, supersedes: nil, on: connection)
                try AuditLog.append(.init(
                    chain: AuditLog.entryChain(year: year, code: draft.code), action: "create", entryID: id,
                    revision: 1, toState: EntryState.draft.rawValue, changes: Self.summary(of: draft)),
                    by: caller, on: connection)
                saved.append(Saved(line: line, entry: BudgetEntry(
                    id: id, year: year, unitCode: unit, departmentCode: scope.departmentCode, content: draft), created: true))
                continue
            }
            let owner: String = try existing.decode("unit_code")
            let state: String = try existing.decode("state")
            guard owner == unit else {
                // Another unit's entry is out of scope: answered as any taken code, nothing more.
                details.append(ErrorDetail(line: line, field: "code", rule: .v6, message: Validator.codeTakenMessage))
                continue
            }
            guard state == EntryState.draft.rawValue else {
                details.append(ErrorDetail(line: line, field: "code",
                    message: "entry \(draft.code) is \(state); only a draft can be replaced (revise it to change it)"))
                continue
            }
            let id: UUID = try existing.decode("id")
            guard let before = try EntryRows.load(id, lock: true, on: connection) else { continue }
            let version = try EntryRows.replace(id, with: draft, on: connection)
            try AuditLog.append(.init(
                chain: AuditLog.entryChain(year: year, code: draft.code), action: "edit", entryID: id,
                revision: before.revision, fromState: state, toState: state,
                changes: Self.changes(from: before.content, to: draft)), by: caller, on: connection)
            var after = before
            after.content = draft
            after.version = version
            saved.append(Saved(line: line, entry: after, created: false))
        }
        return (saved, details)
    }

    /// Replaces one draft by id; `expectedVersion` must match (If-Match), or `staleVersion`.
    /// `mustMatch` names what the request says about the stored entry that disagrees with it
    /// (a `unit=` or `year=` sent along): any of it refuses the change.
    public func replaceDraft(
        _ id: UUID, with draft: EntryDraft, expectedVersion: Int, by caller: Caller,
        mustMatch: @escaping @Sendable (BudgetEntry) -> [ErrorDetail] = { _ in [] }
    ) async throws -> BudgetEntry {
        try await transaction { connection in
            guard let entry = try EntryRows.load(id, lock: true, on: connection),
                  Transition.canRead(caller.actor, entry.scope)
            else { throw WorkflowError.notFound(resource: "entry") }
            guard caller.actor.role == .officer else {
                throw WorkflowError.forbidden("only a unit's officer edits entries")
            }
            let disagreements = mustMatch(entry)
            if let first = disagreements.first {
                throw WorkflowError.invalidInput(first.message, details: disagreements)
            }
            guard entry.version == expectedVersion else {
                throw WorkflowError.staleVersion(expected: expectedVersion, actual: entry.version)
            }
            guard entry.state == .draft else {
                throw WorkflowError.conflict("entry \(entry.content.code) is \(entry.state.rawValue); only a draft can be edited")
            }
            guard draft.code == entry.content.code else {
                throw WorkflowError.invalidInput("the code of an entry cannot change (\(entry.content.code) → \(draft.code))",
                    details: [ErrorDetail(field: "code", message: "must stay \(entry.content.code)")])
            }
            let violations = Validator.validate(draft, context: ValidationContext()).filter { !Self.storable($0) }
            if !violations.isEmpty {
                throw WorkflowError.invalidInput("the entry is invalid; nothing was stored",
                    details: violations.map { ErrorDetail(field: $0.field, rule: $0.rule, message: $0.message) })
            }
            let version = try EntryRows.replace(id, with: draft, on: connection)
            try AuditLog.append(.init(
                chain: AuditLog.entryChain(year: entry.year, code: entry.content.code), action: "edit", entryID: id,
                revision: entry.revision, fromState: entry.state.rawValue, toState: entry.state.rawValue,
                changes: Self.changes(from: entry.content, to: draft)), by: caller, on: connection)
            var after = entry
            after.content = draft
            after.version = version
            return after
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

    /// The unit's scope, or `notFound` when the unit is unknown or outside the caller's scope.
    static func unitScope(_ unit: String, for actor: Actor, on connection: PostgresConnection) throws -> EntryScope {
        guard let row = try connection.query("""
            SELECT parent_code FROM organizations WHERE code = \(unit) AND kind = 'unit'
            """).first else { throw WorkflowError.notFound(resource: "unit") }
        let scope = EntryScope(unitCode: unit, departmentCode: try row.decode("parent_code"))
        guard Transition.canRead(actor, scope) else { throw WorkflowError.notFound(resource: "unit") }
        return scope
    }

    static func summary(of draft: EntryDraft) -> [String: String] {
        Dictionary(uniqueKeysWithValues: sortedSummary(of: draft).map { ($0.key, $0.value) })
    }

    /// Field-level differences, each field's new value as text.
    static func changes(from old: EntryDraft, to new: EntryDraft) -> [String: String] {
        var changes: [String: String] = [:]
        func compare(_ field: String, _ a: String, _ b: String) { if a != b { changes[field] = b } }
        compare("name", old.name, new.name)
        compare("kind", old.kind.rawValue, new.kind.rawValue)
        compare("func", old.functionCode, new.functionCode)
        for ((field, a), (_, b)) in zip(old.sources.named, new.sources.named) { compare(field, a.description, b.description) }
        compare("amount", old.amount.description, new.amount.description)
        compare("plan", old.plan.map(\.description).joined(separator: ","), new.plan.map(\.description).joined(separator: ","))
        compare("purpose", old.purpose, new.purpose)
        compare("goals", old.goals, new.goals)
        if old.items != new.items { changes["items"] = String(new.items.count) }
        if old.indicators != new.indicators { changes["indicators"] = String(new.indicators.count) }
        if old.procurement != new.procurement { changes["procurement"] = String(new.procurement.count) }
        return changes
    }
}
