import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("the workflow on PostgreSQL")
struct WorkflowLifeTests {
    @Test("a full life with a withdrawal and a rejection leaves exactly the expected audit events")
    func fullLife() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("201-0502-JBN-E5EL")]).first)
        #expect(entry.state == .draft)
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        _ = try await f.entries.act(.withdraw, on: entry.id, by: f.officer)
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        _ = try await f.entries.act(.reject, on: entry.id, reason: "缺少测算依据", by: f.finance)
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        let approved = try await f.entries.act(.approve, on: entry.id, by: f.finance).entry
        #expect(approved.state == .approved)
        let publication = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        #expect(publication.published.map(\.id) == [entry.id])

        let stored = try await f.entries.entry(entry.id, for: f.auditor)
        #expect(stored.state == .published)
        #expect(stored.version == 10)  // created at 1, nine changes since
        #expect(stored.content == Fixture.project("201-0502-JBN-E5EL"))

        let history = try await f.entries.history(entry.id, for: f.officer)
        #expect(history.map(\.record.action) == [
            "create", "submit", "withdraw", "submit", "approve", "reject", "submit", "approve", "approve", "publish",
        ])
        #expect(history.map(\.record.toState) == [
            "draft", "department_review", "draft", "department_review", "finance_review", "draft",
            "department_review", "finance_review", "approved", "published",
        ])
        #expect(history.map(\.record.seq) == Array(1...10))
        #expect(history[5].record.reason == "缺少测算依据")
        #expect(history[5].record.actor == "finance")
        #expect(history[5].record.channel == "cli")
        #expect(history[0].record.channel == "api")

        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
        #expect(verification.events == 10 + 5 + 1)  // entry + five organizations + the publication
    }

    @Test("illegal transitions, missing reasons and other roles are refused and change nothing")
    func refusals() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("P-1")]).first)
        await expectError("illegal_transition") { try await f.entries.act(.approve, on: entry.id, by: f.reviewer) }
        await expectError("illegal_transition") { try await f.entries.act(.withdraw, on: entry.id, by: f.officer) }
        await expectError("forbidden") { try await f.entries.act(.submit, on: entry.id, by: f.reviewer) }
        await expectError("not_found") { try await f.entries.act(.submit, on: entry.id, by: f.officerSibling) }
        await expectError("not_found") { try await f.entries.act(.approve, on: entry.id, by: f.reviewerElsewhere) }
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        await expectError("reason_required") { try await f.entries.act(.reject, on: entry.id, reason: "  ", by: f.reviewer) }
        let after = try await f.entries.entry(entry.id, for: f.officer)
        #expect(after.state == .departmentReview)
        #expect(after.version == 2)
        #expect(try await f.entries.history(entry.id, for: f.officer).count == 2)
    }

    @Test("submit re-checks every rule and reports all violations together")
    func validationOnSubmit() async throws {
        let f = try await Fixture.make()
        var draft = Fixture.project("P-2")
        draft.plan = [Percent(30), Percent(20), Percent(90), Percent(95)]  // goes down, ends below 100
        draft.indicators = draft.indicators.filter { $0.l1 != "产出指标" }
        draft.items = [EntryItem(econ: "30231", amount: try Money.parse("1.00"))]
        let entry = try #require(try await f.create([draft]).first)
        do {
            _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
            Issue.record("an invalid entry was submitted")
        } catch let error as WorkflowError {
            #expect(error.code == "validation_failed")
            let rules = Set(error.details.compactMap(\.rule))
            #expect(rules == [.v2, .v3, .v4])
        }
        #expect(try await f.entries.entry(entry.id, for: f.officer).state == .draft)
    }

    @Test("twenty racing submits: exactly one wins, one audit event")
    func race() async throws {
        // Twelve submits wait for a connection; on a loaded machine that can take longer than the
        // server's 2 s, and this test is about the row lock, not the pool.
        let f = try await Fixture.make(poolSize: 8, acquireTimeout: .seconds(60))
        let entry = try #require(try await f.create([Fixture.project("RACE-1")]).first)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
                        return "ok"
                    } catch let error as WorkflowError {
                        return error.code
                    } catch {
                        return "unexpected \(error)"
                    }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 1)
        #expect(outcomes.filter { $0 == "illegal_transition" }.count == 19, "\(outcomes)")
        let history = try await f.entries.history(entry.id, for: f.officer)
        #expect(history.filter { $0.record.action == "submit" }.count == 1)
        #expect(try await f.entries.entry(entry.id, for: f.officer).version == 2)
    }

    @Test("editing a draft bumps its version; a stale version is a conflict, never an overwrite")
    func staleVersion() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("V-1")]).first)
        var edited = Fixture.project("V-1", yuan: "200000.00")
        edited.name = "督查调研所需经费（调整）"
        let after = try await f.entries.replaceDraft(entry.id, with: edited, expectedVersion: 1, by: f.officer)
        #expect(after.version == 2)
        await expectError("stale_version") {
            try await f.entries.replaceDraft(entry.id, with: Fixture.project("V-1"), expectedVersion: 1, by: f.officer)
        }
        let stored = try await f.entries.entry(entry.id, for: f.officer)
        #expect(stored.content == edited)
        let edit = try #require(try await f.entries.history(entry.id, for: f.officer).last)
        #expect(edit.record.action == "edit")
        #expect(edit.record.changes["amount"] == "200000.00")
        #expect(edit.record.changes["name"] == "督查调研所需经费（调整）")
    }

    @Test("a batch with bad drafts stores nothing and names every bad one")
    func batchAllOrNothing() async throws {
        let f = try await Fixture.make()
        var negative = Fixture.project("B-2")
        negative.sources.general = try Money.parse("-1.00")
        var badCode = Fixture.project("B-3")
        badCode.code = "x'; DROP TABLE entries; --"
        let inputs: [EntryService.DraftInput] = [
            .init(draft: Fixture.project("B-1"), line: 1), .init(draft: negative, line: 5), .init(draft: badCode, line: 9),
        ]
        do {
            _ = try await f.entries.saveDrafts(inputs, unit: "201002", year: 2020, by: f.officer)
            Issue.record("a bad batch was stored")
        } catch let error as WorkflowError {
            #expect(Set(error.details.compactMap(\.line)) == [5, 9])
        }
        let page = try await f.entries.list(.init(year: 2020), for: f.finance)
        #expect(page.items.isEmpty)
    }

    @Test("codes are unique per year across units; a non-draft code cannot be replaced")
    func codes() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("U-1")]).first)
        await expectError("invalid_input") { try await f.create([Fixture.project("U-1")], unit: "201003") }
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        await expectError("invalid_input") { try await f.create([Fixture.project("U-1", yuan: "1.00")]) }
        // The same code in another year is another entry.
        let next = try await f.create([Fixture.project("U-1")], year: 2021)
        #expect(next.count == 1)
    }

    @Test("publishing a department-year is all or nothing")
    func publishAtomic() async throws {
        let f = try await Fixture.make()
        let created = try await f.create([Fixture.project("A-1"), Fixture.project("A-2"), Fixture.project("A-3")])
        for entry in created { try await f.approve(entry.id) }
        // Make the database refuse to publish A-3, as any failure midway would.
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: """
            CREATE FUNCTION refuse_a3() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.code = 'A-3' AND NEW.state = 'published' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_a3 BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION refuse_a3();
            """)
        await #expect(throws: PostgresError.self) { try await f.entries.publish(department: "201", year: 2020, by: f.finance) }
        let states = try await f.entries.list(.init(year: 2020), for: f.finance).items.map(\.state)
        #expect(states == [.approved, .approved, .approved])
        try su.execute(unsafeSQL: "DROP TRIGGER refuse_a3 ON entries")
        let publication = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        #expect(publication.published.count == 3)
        await expectError("conflict") { try await f.entries.publish(department: "201", year: 2020, by: f.finance) }
        await expectError("forbidden") { try await f.entries.publish(department: "201", year: 2020, by: f.reviewer) }
        #expect(try await f.verifyAudit().ok)
    }

    @Test("revise then publish supersedes the old revision; both stay readable")
    func reviseAndSupersede() async throws {
        let f = try await Fixture.make()
        let original = try #require(try await f.create([Fixture.project("R-1")]).first)
        try await f.approve(original.id)
        _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        await expectError("reason_required") { try await f.entries.act(.revise, on: original.id, by: f.officer) }
        let revised = try #require(try await f.entries.act(.revise, on: original.id, reason: "追加预算", by: f.officer).newRevision)
        #expect(revised.revision == 2)
        #expect(revised.supersedes == original.id)
        await expectError("conflict") { try await f.entries.act(.revise, on: original.id, reason: "again", by: f.officer) }
        // The old revision stays in force until the new one is published.
        #expect(try await f.entries.entry(original.id, for: f.officer).state == .published)
        _ = try await f.entries.replaceDraft(revised.id, with: Fixture.project("R-1", yuan: "180000.00"), expectedVersion: 1, by: f.officer)
        try await f.approve(revised.id)
        #expect(try await f.entries.entry(original.id, for: f.officer).state == .published)
        _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        let old = try await f.entries.entry(original.id, for: f.auditor)
        let new = try await f.entries.entry(revised.id, for: f.auditor)
        #expect(old.state == .superseded)
        #expect(old.content.amount == (try Money.parse("150000.00")))
        #expect(new.state == .published)
        #expect(new.content.amount == (try Money.parse("180000.00")))
        #expect(try await f.verifyAudit().ok)
    }

    @Test("the control figure is checked at finance approval; a waiver lifts one rule")
    func controlFigureAndWaiver() async throws {
        let f = try await Fixture.make()
        let created = try await f.create([Fixture.project("C-1", yuan: "600000.00"), Fixture.project("C-2", yuan: "500000.00")])
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("1000000.00"), by: f.finance)
        try await f.approve(created[0].id)
        _ = try await f.entries.act(.submit, on: created[1].id, by: f.officer)
        _ = try await f.entries.act(.approve, on: created[1].id, by: f.reviewer)
        do {
            _ = try await f.entries.act(.approve, on: created[1].id, by: f.finance)
            Issue.record("approved over the control figure")
        } catch let error as WorkflowError {
            #expect(error.details.compactMap(\.rule) == [.v7])
        }
        await expectError("forbidden") { try await f.admin.waive(.v7, for: created[1].id, reason: "追加", by: f.reviewer) }
        try await f.admin.waive(.v7, for: created[1].id, reason: "区政府常务会议批准追加", by: f.finance)
        let approved = try await f.entries.act(.approve, on: created[1].id, by: f.finance).entry
        #expect(approved.state == .approved)
        let waiver = try await f.entries.history(created[1].id, for: f.auditor).first { $0.record.action == "waive" }
        #expect(waiver?.record.changes["rule"] == "V7")
        #expect(waiver?.record.reason == "区政府常务会议批准追加")
    }

    @Test("two finance approvals at once cannot together exceed the control figure")
    func controlFigureUnderConcurrency() async throws {
        let f = try await Fixture.make(poolSize: 6)
        let created = try await f.create([Fixture.project("C-1", yuan: "600000.00"), Fixture.project("C-2", yuan: "500000.00")])
        for entry in created {
            _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
            _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        }
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("1000000.00"), by: f.finance)
        // Hold the ceiling's row so both approvals are inside their transactions at once before
        // either can commit: each alone fits under the ceiling, together they do not.
        let blocker = try f.db.superuser(), observer = try f.db.superuser()
        _ = try blocker.query("BEGIN")
        _ = try blocker.query("SELECT amount FROM control_figures WHERE unit_code = '201002' FOR UPDATE")
        @Sendable func approve(_ id: UUID) async -> Result<EntryService.ActionResult, any Error> {
            do { return .success(try await f.entries.act(.approve, on: id, by: f.finance)) } catch { return .failure(error) }
        }
        async let first = approve(created[0].id)
        async let second = approve(created[1].id)
        // Runs before the approvals are awaited, even if a check below throws.
        defer { _ = try? blocker.query("ROLLBACK") }
        let giveUp = ContinuousClock.now + .seconds(120)  // only a guard against hanging
        var waiting = 0
        while waiting < 2 && ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(5))
            // Asked on its own connection: inside the blocker's transaction pg_stat_activity would
            // stay the snapshot of its first read.
            waiting = try observer.query("""
                SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).first!.decode("n")
        }
        #expect(waiting == 2)  // both approvals wait on the ceiling
        _ = try blocker.query("COMMIT")
        let results = [await first, await second]
        let failures: [any Error] = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(failures.count == 1)  // one approved, one refused
        for error in failures {
            #expect((error as? WorkflowError)?.details.compactMap(\.rule) == [.v7], "\(error)")
        }
    }

    @Test("the control figure counts each other code once, at its latest revision")
    func controlFigureCountsLatestRevision() async throws {
        let f = try await Fixture.make()
        let original = try #require(try await f.create([Fixture.project("X-1", yuan: "300000.00")]).first)
        try await f.approve(original.id)
        _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        let revised = try #require(try await f.entries.act(.revise, on: original.id, reason: "追加预算", by: f.officer).newRevision)
        _ = try await f.entries.replaceDraft(revised.id, with: Fixture.project("X-1", yuan: "400000.00"), expectedVersion: 1, by: f.officer)
        try await f.approve(revised.id)
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("1000000.00"), by: f.finance)
        // X-1 counts 400,000 (revision 2, approved), not 300,000 + 400,000: 900,000 fits.
        let y = try #require(try await f.create([Fixture.project("Y-1", yuan: "500000.00")]).first)
        try await f.approve(y.id)
        #expect(try await f.entries.entry(y.id, for: f.finance).state == .approved)
        // And 100,000.01 more does not.
        let z = try #require(try await f.create([Fixture.project("Z-1", yuan: "100000.01")]).first)
        await expectError("validation_failed") { try await f.approve(z.id) }
    }

    @Test("lists, history and summaries stay inside the caller's scope, with keyset paging")
    func scopeAndPaging() async throws {
        let f = try await Fixture.make()
        _ = try await f.create((1...5).map { Fixture.project("S-\($0)") })
        _ = try await f.create([Fixture.project("T-1")], unit: "202001")
        let mine = try await f.entries.list(.init(), for: f.officer)
        #expect(mine.items.map(\.content.code) == ["S-1", "S-2", "S-3", "S-4", "S-5"])
        #expect(try await f.entries.list(.init(), for: f.officerElsewhere).items.map(\.content.code) == ["T-1"])
        #expect(try await f.entries.list(.init(), for: f.reviewer).items.count == 5)
        #expect(try await f.entries.list(.init(), for: f.finance).items.count == 6)
        var codes: [String] = []
        var cursor: String?
        repeat {
            let page = try await f.entries.list(.init(limit: 2, cursor: cursor), for: f.finance)
            codes += page.items.map(\.content.code)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(codes == ["S-1", "S-2", "S-3", "S-4", "S-5", "T-1"])
        let foreign = try #require(try await f.entries.list(.init(), for: f.officerElsewhere).items.first)
        await expectError("not_found") { try await f.entries.entry(foreign.id, for: f.officer) }
        await expectError("not_found") { try await f.entries.history(foreign.id, for: f.officer) }
        await expectError("not_found") { try await f.entries.summary(unit: "202001", year: 2020, for: f.officer) }
        let summary = try await f.entries.summary(unit: "201002", year: 2020, for: f.reviewer)
        #expect(summary.total == (try Money.parse("750000.00")))
        #expect(summary.byState["draft"]?.count == 5)
    }
}

/// Expects a `WorkflowError` with the given code.
func expectError(_ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> some Any) async {
    do {
        _ = try await body()
        Issue.record("expected \(code), but it succeeded", sourceLocation: sourceLocation)
    } catch let error as WorkflowError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

