import Foundation
import Workflow

extension EntryService {
    /// The entry after an action, and the new draft revision when the action was `revise`.
    public struct ActionResult: Sendable, Hashable {
        public var entry: BudgetEntry
        public var newRevision: BudgetEntry?
    }

    /// Applies one action (submit, withdraw, approve, reject, discard, revise) to one entry.
    ///
    /// `expectedVersion` (If-Match) is optional; when given and stale, nothing happens.
    public func act(
        _ action: EntryAction, on id: UUID, reason: String? = nil, expectedVersion: Int? = nil, by caller: Caller
    ) async throws -> ActionResult {
        guard action != .publish else {
            throw WorkflowError.invalidInput("publish applies to a department-year, not to one entry")
        }
        let result = try await transaction { connection in
            try Self.act(action, on: id, reason: reason, expectedVersion: expectedVersion, by: caller, on: connection)
        }
        WorkflowMetrics.transitioned(action.rawValue)
        return result
    }

    /// Applies one action to several entries in one transaction: all succeed or none does.
    /// On failure the error lists every entry that failed and why.
    public func actOnAll(_ action: EntryAction, on ids: [UUID], reason: String? = nil, by caller: Caller) async throws -> [ActionResult] {
        let results = try await actOnAllInTransaction(action, on: ids, reason: reason, by: caller)
        WorkflowMetrics.transitioned(action.rawValue, count: results.count)
        return results
    }

    private func actOnAllInTransaction(_ action: EntryAction, on ids: [UUID], reason: String?, by caller: Caller) async throws -> [ActionResult] {
        try await transaction { connection in
            try Self.actOnAll(action, on: ids, reason: reason, by: caller, on: connection)
        }
    }

    static func actOnAll(
        _ action: EntryAction, on ids: [UUID], reason: String?, by caller: Caller, on connection: PostgresConnection
    ) throws -> [ActionResult] {
        try lockInOrder(ids, ceilings: action == .approve && caller.actor.role == .financeReviewer, on: connection)
        var results: [ActionResult] = []
        var failures: [ErrorDetail] = []
        var categories: Set<WorkflowError.Category> = []
        for id in ids {
            do {
                results.append(try connection.withTransaction { connection in
                    try Self.act(action, on: id, reason: reason, expectedVersion: nil, by: caller, on: connection)
                })
            } catch let error as WorkflowError {
                categories.insert(error.category)
                let name = id.uuidString.lowercased()
                failures.append(ErrorDetail(field: name, message: error.description))
                for detail in error.details {
                    failures.append(ErrorDetail(field: name, rule: detail.rule, message: detail.message))
                }
            }
        }
        if !failures.isEmpty {
            // The most telling category decides the status: missing, then conflicting, then invalid.
            let category: WorkflowError.Category =
                [.notFound, .forbidden, .conflict, .preconditionFailed, .validation, .invalidInput]
                .first(where: categories.contains) ?? .conflict
            let failed = Set(failures.compactMap(\.field)).count
            throw WorkflowError.batchFailed(
                "\(action.rawValue) refused for \(failed) of \(ids.count) entries; none was changed",
                details: failures, category: category)
        }
        return results
    }

    /// Locks the entries in list order (year, code, revision), then (for finance approvals) the
    /// control figures of their unit-years in unit-year order, before any of them changes. A single
    /// action locks its entry, then its ceiling; a batch taking its locks one entry at a time would
    /// interleave entry and ceiling locks and could deadlock with another batch or a single
    /// approval. Submit-all and draft replacement by import lock in the same order.
    static func lockInOrder(_ ids: [UUID], ceilings: Bool, on connection: PostgresConnection) throws {
        struct UnitYear: Hashable, Comparable {
            var unit: String
            var year: Int
            static func < (a: UnitYear, b: UnitYear) -> Bool { (a.unit, a.year) < (b.unit, b.year) }
        }
        var unitYears: Set<UnitYear> = []
        // FOR UPDATE above the sort: rows are locked in the order they are returned.
        for row in try connection.query("""
            SELECT unit_code, year FROM entries WHERE id = ANY(\(PostgresArray(ids))::uuid[])
            ORDER BY year, code, revision FOR UPDATE
            """) {
            unitYears.insert(UnitYear(unit: try row.decode("unit_code"), year: try row.decode("year")))
        }
        guard ceilings else { return }
        for unitYear in unitYears.sorted() {
            try connection.query("""
                SELECT 1 AS x FROM control_figures WHERE unit_code = \(unitYear.unit) AND year = \(unitYear.year) FOR UPDATE
                """)
        }
    }

    /// Submits every draft of a unit-year at once, atomically.
    /// The drafts are chosen (and locked) in the submitting transaction, so a draft created at the
    /// same moment is either submitted too or left for later, never silently skipped by a reply that
    /// claims all.
    public func submitAll(unit: String, year: Int, by caller: Caller) async throws -> [ActionResult] {
        let results = try await transaction { connection in
            _ = try Self.unitScope(unit, for: caller.actor, on: connection)
            let ids = try connection.query("""
                SELECT id FROM entries WHERE unit_code = \(unit) AND year = \(year) AND state = 'draft' ORDER BY code, revision FOR UPDATE
                """).map { try $0.decode("id", as: UUID.self) }
            guard !ids.isEmpty else { throw WorkflowError.conflict("unit \(unit) has no drafts in \(year) to submit") }
            return try Self.actOnAll(.submit, on: ids, reason: nil, by: caller, on: connection)
        }
        WorkflowMetrics.transitioned(EntryAction.submit.rawValue, count: results.count)
        return results
    }

    static func act(
        _ action: EntryAction, on id: UUID, reason: String?, expectedVersion: Int?, by caller: Caller,
        on connection: PostgresConnection
    ) throws -> ActionResult {
        guard let entry = try EntryRows.load(id, lock: true, on: connection) else {
            throw WorkflowError.notFound(resource: "entry")
        }
        if Transition.canRead(caller.actor, entry.scope), let expectedVersion, expectedVersion != entry.version {
            throw WorkflowError.staleVersion(expected: expectedVersion, actual: entry.version)
        }
        var violations: [Violation] = []
        if Transition.canRead(caller.actor, entry.scope), Transition.requiresRules(action, from: entry.state) {
            violations = try validate(entry, checkControlFigure: Transition.checksControlFigure(action, from: entry.state), on: connection)
        }
        let outcome = try Transition.decide(TransitionRequest(
            state: entry.state, action: action, actor: caller.actor, scope: entry.scope, reason: reason,
            violations: violations))
        let chain = AuditLog.entryChain(year: entry.year, code: entry.content.code)

        if outcome.newRevision != nil {
            let newID = UUID()
            let revision: Int = try connection.query("""
                SELECT max(revision) + 1 AS next FROM entries WHERE year = \(entry.year) AND code = \(entry.content.code)
                """).first!.decode("next")
            do {
                try EntryRows.insert(entry.content, id: newID, year: entry.year, unit: entry.unitCode, revision: revision,
                                     supersedes: entry.id, reviseReason: outcome.reason, on: connection)
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw WorkflowError.conflict("entry \(entry.content.code) already has a revision being worked on")
            }
            try AuditLog.append(.init(
                chain: chain, action: outcome.auditAction, entryID: newID, revision: revision,
                fromState: entry.state.rawValue, toState: EntryState.draft.rawValue, reason: outcome.reason,
                changes: ["revises": entry.id.uuidString.lowercased(), "revision": String(revision)]),
                by: caller, on: connection)
            var created = entry
            created.id = newID
            created.revision = revision
            created.version = 1
            created.state = .draft
            created.supersedes = entry.id
            return ActionResult(entry: entry, newRevision: created)
        }

        let stamp: SQL = switch outcome.to {
        case .approved: ", approved_at = now()"
        case .published: ", published_at = now()"
        default: ""
        }
        // An older revision approved but never published is replaced by this approval.
        if outcome.to == .approved {
            try supersede(year: entry.year, code: entry.content.code, state: .approved, except: entry.id, by: caller, on: connection)
        }
        let version: Int = try connection.query("""
            UPDATE entries SET state = \(outcome.to.rawValue), version = version + 1, updated_at = now()\(stamp)
            WHERE id = \(entry.id) RETURNING version
            """).first!.decode("version")
        try AuditLog.append(.init(
            chain: chain, action: outcome.auditAction, entryID: entry.id, revision: entry.revision,
            fromState: outcome.from.rawValue, toState: outcome.to.rawValue, reason: outcome.reason,
            changes: violations.isEmpty ? [:] : ["waived": ""]), by: caller, on: connection)
        var after = entry
        after.state = outcome.to
        after.version = version
        return ActionResult(entry: after, newRevision: nil)
    }

    /// Marks other revisions of an entry in `state` as superseded, with an audit event each.
    static func supersede(year: Int, code: String, state: EntryState, except id: UUID, by caller: Caller, on connection: PostgresConnection) throws {
        let rows = try connection.query("""
            UPDATE entries SET state = 'superseded', version = version + 1, updated_at = now()
            WHERE year = \(year) AND code = \(code) AND state = \(state.rawValue) AND id <> \(id)
            RETURNING id, revision
            """)
        for row in rows {
            try AuditLog.append(.init(
                chain: AuditLog.entryChain(year: year, code: code), action: "supersede",
                entryID: try row.decode("id"), revision: try row.decode("revision"), fromState: state.rawValue,
                toState: EntryState.superseded.rawValue, changes: ["superseded_by": id.uuidString.lowercased()]),
                by: caller, on: connection)
        }
    }

    /// All rules for an entry as it stands, minus its waivers.
    static func validate(_ entry: BudgetEntry, checkControlFigure: Bool, on connection: PostgresConnection) throws -> [Violation] {
        let waived = Set(try connection.query("SELECT rule FROM waivers WHERE entry_id = \(entry.id)")
            .compactMap { RuleCode(rawValue: try $0.decode("rule")) })
        var context = ValidationContext(waived: waived)
        // The committed sum is only needed when the unit-year has a ceiling (the common case has none).
        // Locking the ceiling's row serialises approvals against it, also across server instances:
        // two approvals at once would each see the other's entry uncommitted and together exceed it.
        // Each other code counts once, at its latest approved or published revision (the one in
        // force once published).
        if checkControlFigure, let ceiling = try connection.query("""
            SELECT amount FROM control_figures WHERE unit_code = \(entry.unitCode) AND year = \(entry.year) FOR UPDATE
            """).first?.decode("amount", as: Money.self) {
            context.controlFigure = ceiling
            context.committed = try connection.query("""
                SELECT coalesce(sum(amount), 0) AS committed FROM (
                    SELECT DISTINCT ON (code) amount FROM entries
                    WHERE unit_code = \(entry.unitCode) AND year = \(entry.year)
                      AND state IN ('approved', 'published') AND code <> \(entry.content.code)
                    ORDER BY code, revision DESC) latest
                """).first!.decode("committed")
            context.checkControlFigure = true
        }
        return Validator.validate(entry.content, context: context)
    }
}

