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
    /// `adjustment`: for a `revise` after the department-year's 批复, 调剂 or 追加 (required then).
    public func act(
        _ action: EntryAction, on id: UUID, reason: String? = nil, expectedVersion: Int? = nil,
        adjustment: AdjustmentKind? = nil, by caller: Caller
    ) async throws -> ActionResult {
        let command = EntryActionCommand(action, on: id, reason: reason, expectedVersion: expectedVersion, adjustment: adjustment)
        let result = try await transaction { connection in
            try Self.run(command, by: caller, on: connection)
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
        let probe = EntryActionCommand(action, on: UUID())
        let needs = EntryState.allCases.reduce(into: EntryActionCommand.Needs()) { $0.formUnion(probe.needs(by: caller.actor, from: $1)) }
        try lockInOrder(ids, figures: needs, on: connection)
        var results: [ActionResult] = []
        var failures: [ErrorDetail] = []
        var categories: Set<WorkflowError.Category> = []
        for id in ids {
            do {
                results.append(try Self.run(EntryActionCommand(action, on: id, reason: reason), by: caller, inBatch: true, on: connection))
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

    /// Locks the entries in list order (year, code, revision), then the control figures the
    /// action reads, before any of them changes: the departments' cells (in department-year
    /// order), the units' totals (`control_figures`, in unit-year order), the units' cells — the
    /// order a single action takes them in after its entry (see `ControlRows`). A batch taking
    /// its locks one entry at a time would interleave entry and ceiling locks and could deadlock
    /// with another batch or a single action. Submit-all and draft replacement by import lock in
    /// the same order.
    static func lockInOrder(_ ids: [UUID], figures needs: EntryActionCommand.Needs, on connection: PostgresConnection) throws {
        struct Place: Hashable, Comparable {
            var code: String
            var year: Int
            static func < (a: Place, b: Place) -> Bool { (a.code, a.year) < (b.code, b.year) }
        }
        var units: Set<Place> = [], departments: Set<Place> = []
        // FOR UPDATE above the sort: rows are locked in the order they are returned.
        for row in try connection.query("""
            SELECT unit_code, department_code, year FROM entries WHERE id = ANY(\(PostgresArray(ids))::uuid[])
            ORDER BY year, code, revision FOR UPDATE
            """) {
            let year: Int = try row.decode("year")
            units.insert(Place(code: try row.decode("unit_code"), year: year))
            departments.insert(Place(code: try row.decode("department_code"), year: year))
        }
        if needs.contains(.departmentFigures) {
            for place in departments.sorted() {
                try connection.query("""
                    SELECT 1 AS x FROM control_cells WHERE year = \(place.year) AND department_code = \(place.code) AND unit_code = ''
                    ORDER BY cell FOR UPDATE
                    """)
            }
        }
        if needs.contains(.controlFigure) || needs.contains(.unitFigures) {
            for place in units.sorted() {
                try connection.query("""
                    SELECT 1 AS x FROM control_figures WHERE unit_code = \(place.code) AND year = \(place.year) FOR UPDATE
                    """)
            }
        }
        if needs.contains(.unitFigures) {
            for place in units.sorted() {
                try connection.query("""
                    SELECT 1 AS x FROM control_cells WHERE year = \(place.year) AND unit_code = \(place.code)
                    ORDER BY cell FOR UPDATE
                    """)
            }
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

    /// Runs one entry action: loads its snapshot (one statement), lets the command decide, and
    /// applies the plan (one statement for a transition). In a batch, a plan that could fail in
    /// the database (a new revision) runs in a savepoint, so the batch can go on listing failures.
    static func run(
        _ command: EntryActionCommand, by caller: Caller, inBatch: Bool = false, on connection: PostgresConnection
    ) throws -> ActionResult {
        guard let loaded = try loadSnapshot(command, by: caller, on: connection) else {
            throw WorkflowError.notFound(resource: "entry")
        }
        let decision = try command.decide(caller.actor, loaded.snapshot)
        let revises = decision.plan.writes.contains { if case .insertRevision = $0 { true } else { false } }
        func apply(_ connection: PostgresConnection) throws -> PlanWriter.Applied {
            try PlanWriter.apply(decision.plan, by: caller, heads: loaded.heads, at: loaded.at, on: connection)
        }
        let applied: PlanWriter.Applied
        do {
            applied = try inBatch && revises ? connection.withTransaction { try apply($0) } : apply(connection)
        } catch let error as PostgresError where error.sqlState == .uniqueViolation && revises {
            // Another revision was opened at the same moment.
            throw WorkflowError.conflict("entry \(loaded.snapshot.entry.content.code) already has a revision being worked on")
        }
        var entry = decision.entry
        entry.version = applied.versions[entry.id] ?? entry.version
        return ActionResult(entry: entry, newRevision: decision.newRevision)
    }

    /// What the command reads, in one statement: the entry (locked) with its children and
    /// waivers, the facts about its other revisions, the unit-year's control figure where the step
    /// reads it (locked: approvals against one ceiling serialise), an approved revision the step
    /// supersedes (locked), and the entry chain's head (locked), in that lock order — the order a
    /// single action always took them in. The committed sum under a ceiling is read after the
    /// ceiling's lock, in a second statement, so it includes every approval that held it before.
    static func loadSnapshot(
        _ command: EntryActionCommand, by caller: Caller, on connection: PostgresConnection
    ) throws -> (snapshot: EntryActionSnapshot, heads: [String: AuditAppender.Head], at: Timestamp)? {
        func names(_ states: [EntryState]) -> PostgresArray { PostgresArray(states.map(\.rawValue)) }
        let ceilingStates = names(command.states(needing: .controlFigure, by: caller.actor))
        let unitFigureStates = names(command.states(needing: .unitFigures, by: caller.actor))
        let departmentFigureStates = names(command.states(needing: .departmentFigures, by: caller.actor))
        let approvedStates = names(command.states(needing: .approvedRevision, by: caller.actor))
        let open = names(EntryActionSnapshot.openStates)
        let id = command.entryID
        let statement: SQL = """
            WITH e AS MATERIALIZED (
                SELECT \(EntryRows.columns) FROM \(EntryRows.from) WHERE e.id = \(id) FOR UPDATE OF e
            ), managed AS MATERIALIZED (
                SELECT EXISTS (SELECT 1 FROM budget_rounds b JOIN e ON b.year = e.year) AS yes
            ), ceiling AS MATERIALIZED (
                SELECT c.amount FROM control_figures c JOIN e ON c.unit_code = e.unit_code AND c.year = e.year
                WHERE e.state = ANY(\(ceilingStates)::text[]) AND NOT (SELECT yes FROM managed) FOR UPDATE OF c
            ), dcells AS MATERIALIZED (
                SELECT c.cell, c.amount FROM control_cells c
                JOIN e ON c.year = e.year AND c.department_code = e.department_code AND c.unit_code = ''
                WHERE e.state = ANY(\(departmentFigureStates)::text[]) AND (SELECT yes FROM managed)
                ORDER BY c.cell FOR UPDATE OF c
            ), utotal AS MATERIALIZED (
                SELECT c.amount FROM control_figures c JOIN e ON c.unit_code = e.unit_code AND c.year = e.year
                WHERE e.state = ANY(\(unitFigureStates)::text[]) AND (SELECT yes FROM managed) FOR UPDATE OF c
            ), ucells AS MATERIALIZED (
                SELECT c.cell, c.amount FROM control_cells c
                JOIN e ON c.year = e.year AND c.department_code = e.department_code AND c.unit_code = e.unit_code
                WHERE e.state = ANY(\(unitFigureStates)::text[]) AND (SELECT yes FROM managed)
                ORDER BY c.cell FOR UPDATE OF c
            ), approved AS MATERIALIZED (
                SELECT r.id, r.revision FROM entries r JOIN e ON r.year = e.year AND r.code = e.code
                WHERE r.state = 'approved' AND r.id <> e.id AND e.state = ANY(\(approvedStates)::text[]) FOR UPDATE OF r
            ), head AS MATERIALIZED (
                SELECT h.chain, h.seq, h.hash FROM audit_chain_heads h JOIN e ON h.chain = 'entry:' || e.year || ':' || e.code
                FOR UPDATE OF h
            )
            SELECT e.*,
                (SELECT version FROM entries WHERE id = \(id)) AS seen_version,
                (SELECT json_agg(json_build_object('econ', x.econ, 'amount', x.amount::text) ORDER BY x.position)
                 FROM entry_items x WHERE x.entry_id = e.id)::text AS items,
                (SELECT json_agg(json_build_object('l1', x.l1, 'l2', x.l2, 'l3', x.l3, 'desc', x.descr, 'value', x.value,
                                                   'basis', x.basis) ORDER BY x.position)
                 FROM entry_indicators x WHERE x.entry_id = e.id)::text AS indicators,
                (SELECT json_agg(json_build_object('item', x.item, 'catalog', x.catalog, 'unit', x.unit,
                                                   'quantity', x.quantity::text, 'price', x.price::text) ORDER BY x.position)
                 FROM entry_procurement x WHERE x.entry_id = e.id)::text AS procurement,
                (SELECT string_agg(w.rule, ',') FROM waivers w WHERE w.entry_id = e.id) AS waived,
                (SELECT max(r.revision) FROM entries r WHERE r.year = e.year AND r.code = e.code) AS latest_revision,
                EXISTS (SELECT 1 FROM entries r WHERE r.year = e.year AND r.code = e.code AND r.id <> e.id
                        AND r.state = ANY(\(open)::text[])) AS other_open,
                (SELECT amount FROM ceiling) AS ceiling,
                (SELECT json_object_agg(cell, amount::text) FROM dcells) AS department_cells,
                (SELECT amount FROM utotal) AS unit_total,
                (SELECT json_object_agg(cell, amount::text) FROM ucells) AS unit_cells,
                (SELECT yes FROM managed) AS managed,
                (SELECT id FROM approved) AS approved_id,
                (SELECT revision FROM approved) AS approved_revision,
                (SELECT chain FROM head) AS head_chain,
                (SELECT seq FROM head) AS head_seq,
                (SELECT hash FROM head) AS head_hash,
                \(YearRows.windowsJSON(year: "e.year")) AS rounds,
                \(YearRows.today) AS today,
                EXISTS (SELECT 1 FROM budget_approvals b WHERE b.department_code = e.department_code AND b.year = e.year)
                    AS budget_approved,
                (SELECT revise_kind FROM entries WHERE id = \(id)) AS revise_kind,
                clock_timestamp() AS now
            FROM e
            """
        guard var row = try connection.query(statement).first else { return nil }
        if try row.decode("seen_version", as: Int.self) != row.decode("version", as: Int.self) {
            // The entry changed while this statement waited for its lock: the children read
            // above are from before. Read again, now that the lock is held.
            guard let again = try connection.query(statement).first else { return nil }
            row = again
        }
        var entry = try EntryRows.decode(row)
        struct Item: Decodable { var econ, amount: String }
        struct Line: Decodable { var l1, l2, l3, desc, value, basis: String }
        struct Purchase: Decodable { var item, catalog, unit, quantity, price: String }
        func children<T: Decodable>(_ column: String, _ type: T.Type) throws -> [T] {
            guard let json = row[column] else { return [] }
            return try JSONDecoder().decode([T].self, from: Data(json.utf8))
        }
        entry.content.items = try children("items", Item.self).map {
            EntryItem(econ: $0.econ, amount: try Money(postgresText: $0.amount))
        }
        entry.content.indicators = try children("indicators", Line.self).map {
            Indicator(l1: $0.l1, l2: $0.l2, l3: $0.l3, desc: $0.desc, value: $0.value, basis: $0.basis)
        }
        entry.content.procurement = try children("procurement", Purchase.self).map {
            ProcurementItem(item: $0.item, catalog: $0.catalog, unit: $0.unit,
                            quantity: try Quantity(postgresText: $0.quantity), price: try Money(postgresText: $0.price))
        }
        var snapshot = EntryActionSnapshot(
            entry: entry,
            waived: Set((row["waived"] ?? "").split(separator: ",").compactMap { RuleCode(rawValue: String($0)) }),
            latestRevision: try row.decode("latest_revision", as: Int.self),
            otherOpenRevision: try row.decode("other_open", as: Bool.self),
            calendar: try YearRows.calendar(year: entry.year, json: row["rounds"]),
            today: try YearRows.date(try row.decode("today")))
        if let approved = try row.decode("approved_id", as: UUID?.self) {
            snapshot.approvedRevision = RevisionReference(id: approved, revision: try row.decode("approved_revision", as: Int.self))
        }
        snapshot.budgetApproved = try row.decode("budget_approved", as: Bool.self)
        if command.action == .revise, !snapshot.budgetApproved {
            // The statement above saw the data as it was before it waited for the entry's lock; a
            // 批复 holds every entry of its department-year locked until it commits, so asking
            // again now sees one that committed meanwhile (a revise after it needs its kind).
            snapshot.budgetApproved = try connection.query("""
                SELECT EXISTS (SELECT 1 FROM budget_approvals WHERE department_code = \(entry.scope.departmentCode)
                               AND year = \(entry.year)) AS approved
                """).first!.decode("approved")
        }
        snapshot.entryAdjustment = row["revise_kind"].flatMap(AdjustmentKind.init(rawValue:))
        if snapshot.entryAdjustment == .transfer, command.needs(by: caller.actor, from: entry.state).contains(.approvedRevision) {
            snapshot.approvedTotal = try approvedTotal(of: entry, on: connection)
        }
        if let ceiling = try row.decode("ceiling", as: Money?.self) {
            // Each other code counts once, at its latest revision that counts (the one in force
            // once published).
            let committed: Money = try connection.query("""
                SELECT coalesce(sum(amount), 0) AS committed FROM (
                    SELECT DISTINCT ON (code) amount FROM entries
                    WHERE unit_code = \(entry.unitCode) AND year = \(entry.year)
                      AND state = ANY(\(names(EntryState.allCases.filter(\.countsAgainstControlFigure)))::text[])
                      AND code <> \(entry.content.code)
                    ORDER BY code, revision DESC) latest
                """).first!.decode("committed")
            snapshot.controlFigure = .unmanaged(ceiling: ceiling, committed: committed)
        }
        if try row.decode("managed", as: Bool.self) {
            snapshot.controlFigure = try managedStanding(row, of: entry, needs: command.needs(by: caller.actor, from: entry.state), on: connection)
        }
        var heads: [String: AuditAppender.Head] = [:]
        if let chain = row["head_chain"] {
            heads[chain] = AuditAppender.Head(seq: try row.decode("head_seq", as: Int64.self), hash: try row.decode("head_hash", as: ByteA.self).bytes)
        }
        return (snapshot, heads, try row.decode("now", as: Timestamp.self))
    }

    /// A managed year's control figures as the step reads them (its cells locked by the snapshot
    /// statement): the usage is read after those locks, in one more statement, and only when a
    /// figure is set.
    static func managedStanding(
        _ row: PostgresRow, of entry: BudgetEntry, needs: EntryActionCommand.Needs, on connection: PostgresConnection
    ) throws -> ControlFigureStanding? {
        var unitCells = try ControlRows.decodeCells(row["unit_cells"])
        if let total = try row.decode("unit_total", as: Money?.self) { unitCells[.total] = total }
        let departmentCells = try ControlRows.decodeCells(row["department_cells"])
        let readsUnit = needs.contains(.unitFigures) && !unitCells.isEmpty
        let readsDepartment = needs.contains(.departmentFigures) && !departmentCells.isEmpty
        guard readsUnit || readsDepartment else { return nil }
        let usage = try ControlRows.usage(
            year: entry.year, department: entry.departmentCode, unit: readsDepartment ? nil : entry.unitCode,
            except: entry.content.code, on: connection)
        var check = ControlCheck()
        if readsUnit {
            check.unit = ControlStanding(level: .unit, holder: entry.unitCode, ceilings: unitCells, used: usage[entry.unitCode] ?? [:])
        }
        if readsDepartment {
            check.department = ControlStanding(
                level: .department, holder: entry.departmentCode, ceilings: departmentCells, used: ControlRows.sum(usage.values))
        }
        return .managed(check)
    }

    /// The unit's 批复 total and its other codes in force, for the approval of a 调剂. The
    /// department-year's 批复 row is locked first, so two 调剂 approvals of its units take turns
    /// (each sees what the other approved); lock order: entry, then 批复 row.
    static func approvedTotal(of entry: BudgetEntry, on connection: PostgresConnection) throws -> ApprovedTotalStanding {
        try connection.query("""
            SELECT 1 AS x FROM budget_approvals WHERE department_code = \(entry.scope.departmentCode) AND year = \(entry.year) FOR UPDATE
            """)
        let row = try connection.query("""
            SELECT (SELECT coalesce(sum(amount), 0) FROM round_figures
                    WHERE year = \(entry.year) AND stage = '批复' AND unit_code = \(entry.unitCode)) AS approved_total,
                   (SELECT coalesce(sum(amount), 0) FROM (
                        SELECT DISTINCT ON (code) amount FROM entries
                        WHERE unit_code = \(entry.unitCode) AND year = \(entry.year) AND state IN ('approved', 'published')
                          AND code <> \(entry.content.code)
                        ORDER BY code, revision DESC) latest) AS others
            """).first!
        return ApprovedTotalStanding(approvedTotal: try row.decode("approved_total"), othersInForce: try row.decode("others"))
    }
}
