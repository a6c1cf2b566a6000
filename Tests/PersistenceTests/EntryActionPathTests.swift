import Foundation
import TestSupport
import Testing
import Workflow

@testable import Persistence

@Suite("entry actions: one snapshot statement, one plan statement, one audit appender")
struct EntryActionPathTests {
    /// Round trips one action takes on its connection, BEGIN and COMMIT included.
    static func countingRoundTrips(
        _ f: Fixture, _ action: EntryAction, on id: UUID, reason: String? = nil, by caller: Caller
    ) async throws -> (Int, EntryService.ActionResult) {
        try await f.db.pool.withConnection { connection in
            let before = connection.roundTrips
            let result = try connection.withTransaction { connection in
                try EntryService.run(EntryActionCommand(action, on: id, reason: reason), by: caller, on: connection)
            }
            return (connection.roundTrips - before, result)
        }
    }

    @Test("submit, withdraw, reject and both approvals each take at most 3 round trips, BEGIN and COMMIT included")
    func roundTrips() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("RT-1")]).first)
        var steps: [(EntryAction, Caller, String?, EntryState)] = [
            (.submit, f.officer, nil, .departmentReview), (.withdraw, f.officer, nil, .draft),
            (.submit, f.officer, nil, .departmentReview), (.reject, f.reviewer, "补充绩效指标", .draft),
            (.submit, f.officer, nil, .departmentReview), (.approve, f.reviewer, nil, .financeReview),
        ]
        steps.append((.approve, f.finance, nil, .approved))
        var version = entry.version
        for (action, caller, reason, state) in steps {
            let (count, result) = try await Self.countingRoundTrips(f, action, on: entry.id, reason: reason, by: caller)
            #expect(count <= 3, "\(action.rawValue) took \(count) round trips")
            #expect(result.entry.state == state)
            version += 1
            #expect(result.entry.version == version)
        }
        let stored = try await f.entries.entry(entry.id, for: f.finance)
        #expect(stored.version == version && stored.state == .approved)
        let history = try await f.entries.history(entry.id, for: f.finance)
        #expect(history.map(\.record.action) == ["create", "submit", "withdraw", "submit", "reject", "submit", "approve", "approve"])
        #expect(history[4].record.reason == "补充绩效指标")
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("a finance approval under a control figure reads the committed sum after the ceiling's lock: one more round trip")
    func ceiling() async throws {
        let f = try await Fixture.make()
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("200000.00"), by: f.finance)
        let entries = try await f.create([Fixture.project("CF-1"), Fixture.project("CF-2")])
        try await f.approve(entries[0].id)
        _ = try await f.entries.act(.submit, on: entries[1].id, by: f.officer)
        _ = try await f.entries.act(.approve, on: entries[1].id, by: f.reviewer)
        do {
            _ = try await Self.countingRoundTrips(f, .approve, on: entries[1].id, by: f.finance)
            Issue.record("an approval beyond the control figure passed")
        } catch let error as WorkflowError {
            #expect(error.details.map(\.rule) == [.v7])
        }
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("300000.00"), by: f.finance)
        let (count, result) = try await Self.countingRoundTrips(f, .approve, on: entries[1].id, by: f.finance)
        #expect(count == 4)  // BEGIN travels with the snapshot
        #expect(result.entry.state == .approved)
    }

    @Test("an entry changed while the action waited for its lock is judged as it is after the change")
    func rereadAfterLockWait() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("LW-1")]).first)
        let holder = try f.db.superuser()
        try holder.query("BEGIN")
        try holder.query("SELECT 1 AS x FROM entries WHERE id = \(entry.id) FOR UPDATE")
        // The items no longer add up to the amount (V2): a submit must see it.
        try holder.query("UPDATE entry_items SET amount = 1 WHERE entry_id = \(entry.id)")
        try holder.query("UPDATE entries SET version = version + 1 WHERE id = \(entry.id)")
        let submit = Task { try await f.entries.act(.submit, on: entry.id, by: f.officer) }
        let watcher = try f.db.superuser()
        var waiting = false
        for _ in 0..<500 where !waiting {
            waiting = try watcher.query("""
                SELECT 1 AS x FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).count > 0
            if !waiting { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(waiting)
        try holder.query("COMMIT")
        do {
            _ = try await submit.value
            Issue.record("the submit judged the children from before the change")
        } catch let error as WorkflowError {
            #expect(error.code == "validation_failed")
            #expect(error.details.contains { $0.rule == .v2 })
        }
    }

    @Test("approving a new revision supersedes the approved, unpublished old one, each with its event; a batch revise is all or nothing")
    func supersedeAndBatchRevise() async throws {
        let f = try await Fixture.make()
        let created = try await f.create([Fixture.project("SU-1"), Fixture.project("SU-2")])
        let original = created[0]
        try await f.approve(original.id)
        let revised = try #require(try await f.entries.act(.revise, on: original.id, reason: "追加预算", by: f.officer).newRevision)
        #expect(revised.revision == 2 && revised.state == .draft && revised.content == original.content)
        _ = try await f.entries.act(.submit, on: revised.id, by: f.officer)
        _ = try await f.entries.act(.approve, on: revised.id, by: f.reviewer)
        let (count, result) = try await Self.countingRoundTrips(f, .approve, on: revised.id, by: f.finance)
        #expect(count == 4)  // the superseded revision's update goes first, on its own
        #expect(result.entry.state == .approved)
        #expect(try await f.entries.entry(original.id, for: f.finance).state == .superseded)
        let history = try await f.entries.history(original.id, for: f.auditor).map(\.record)
        #expect(history.last?.action == "approve" && history.last?.entryID == revised.id)
        let superseded = try #require(history.first { $0.action == "supersede" })
        #expect(superseded.entryID == original.id && superseded.changes == ["superseded_by": revised.id.uuidString.lowercased()])

        // One entry of the batch cannot be revised (a draft): nothing is revised, and it is named.
        do {
            _ = try await f.entries.actOnAll(.revise, on: [revised.id, created[1].id], reason: "再次调整", by: f.officer)
            Issue.record("a batch with an illegal revise passed")
        } catch let error as WorkflowError {
            #expect(error.details.map(\.field) == [created[1].id.uuidString.lowercased()])
        }
        #expect(try await f.entries.history(original.id, for: f.auditor).count == history.count)
        let again = try await f.entries.actOnAll(.revise, on: [revised.id], reason: "再次调整", by: f.officer)
        #expect(again.first?.newRevision?.revision == 3)
        #expect(try await f.verifyAudit().ok)
    }

    @Test("the single-row and COPY paths write byte-identical audit events for the same entries")
    func sameEventsBothPaths() async throws {
        let one = try await Fixture.make()
        let batch = try await Fixture.make()
        var inputs = (0..<6).map { i in EntryService.DraftInput(draft: Fixture.project("BI-\(i)", yuan: "\(1000 + i).50"), line: i + 1) }
        inputs[2].draft.sources.fund = try Money.parse("7.25")
        inputs[3].draft.procurement = [ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "台", quantity: Quantity(2), price: try Money.parse("400.00"))]
        inputs[4].draft.name = "名称 \"引号\" \\ 反斜杠"
        let drafts = inputs
        let at = Timestamp(microsecondsSinceEpoch: 1_600_000_000_123_456)
        let caller = one.officer

        // COPY: the batch path of an import.
        let ids: [UUID] = try await batch.db.pool.transaction { connection in
            let command = try SaveDraftsCommand(
                actor: caller.actor, unit: "201002", scope: EntryScope(unitCode: "201002", departmentCode: "201"), year: 2020)
            var preparer = EntryService.BatchPreparer(command: command, caller: caller, now: at, auditKey: connection.auditKey)
            let piece = try preparer.prepare(drafts)
            #expect(preparer.checker.problems.isEmpty, "\(preparer.checker.problems)")
            try EntryService.copy([try #require(piece.rows)], on: connection)
            return piece.saved.map(\.entry.id)
        }
        // One by one: each entry inserted, its event appended by the plan writer.
        try await one.db.pool.transaction { connection in
            for (input, id) in zip(drafts, ids) {
                let draft = input.draft
                try EntryRows.insert(draft, id: id, year: 2020, unit: "201002", revision: 1, supersedes: nil, on: connection)
                try PlanWriter.apply(Plan(events: [PlannedEvent(
                    chain: AuditLog.entryChain(year: 2020, code: draft.code), action: "create", entryID: id, revision: 1,
                    toState: EntryState.draft.rawValue, changes: draft.auditSummary)]),
                    by: caller, at: at, on: connection)
            }
        }
        let query: SQL = """
            SELECT chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state, reason,
                   changes::text AS changes, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash, key_id,
                   encode(signature, 'hex') AS signature
            FROM audit_events WHERE chain LIKE 'entry:%' ORDER BY chain, seq
            """
        let single = try await one.db.pool.withConnection { try $0.query(query).rows.map(\.values) }
        let copied = try await batch.db.pool.withConnection { try $0.query(query).rows.map(\.values) }
        #expect(single.count == inputs.count)
        #expect(single == copied)
        for f in [one, batch] {
            let verification = try await f.verifyAudit()
            #expect(verification.ok, "\(String(describing: verification.problem))")
        }
    }
}
