import Disclosure
import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// The 批复 on PostgreSQL: refusals change nothing, the approved figures are frozen, the clocks run,
/// and a revision after the 批复 is a 调剂 or a 追加.
@Suite("the 批复 on PostgreSQL")
struct BudgetApprovalTests {
    static let number = "徐财预〔2020〕1号"

    func frozen(_ f: Fixture, year: Int = 2020) async throws -> [String: String] {
        try await f.db.pool.withConnection { c in
            var figures: [String: String] = [:]
            for row in try c.query("SELECT code, amount::text AS amount FROM round_figures WHERE year = \(year) AND stage = '批复'") {
                figures[try row.decode("code")] = try row.decode("amount")
            }
            return figures
        }
    }

    @Test("refused until every entry is approved, then once; approve-units after it, in its own department only")
    func approval() async throws {
        let f = try await Fixture.make()
        let a = try #require(try await f.create([Fixture.project("A-1")]).first)
        let b = try #require(try await f.create([Fixture.project("B-1", yuan: "50000.00")]).first)
        let discarded = try #require(try await f.create([Fixture.project("D-1")]).first)
        _ = try await f.entries.act(.discard, on: discarded.id, by: f.officer)
        try await f.approve(a.id)
        _ = try await f.entries.act(.submit, on: b.id, by: f.officer)

        await expectError("conflict") {
            try await f.entries.approveUnits(department: "201", year: 2020, number: nil, by: f.reviewer)
        }
        do {
            _ = try await f.entries.approveBudget(department: "201", year: 2020, number: Self.number, congressDate: "2020-01-10", by: f.finance)
            Issue.record("a 批复 with an entry in review")
        } catch let error as WorkflowError {
            #expect(error.category == .conflict)
            #expect(error.details.map(\.field) == ["B-1"])
            #expect(error.details.first?.message.contains("department_review") == true)
        }
        await expectError("forbidden") {
            try await f.entries.approveBudget(department: "201", year: 2020, number: Self.number, congressDate: "2020-01-10", by: f.reviewer)
        }
        await expectError("not_found") {
            try await f.entries.approveBudget(department: "299", year: 2020, number: Self.number, congressDate: "2020-01-10", by: f.finance)
        }
        #expect(try await frozen(f).isEmpty)

        _ = try await f.entries.act(.approve, on: b.id, by: f.reviewer)
        _ = try await f.entries.act(.approve, on: b.id, by: f.finance)
        let result = try await f.entries.approveBudget(
            department: "201", year: 2020, number: Self.number, congressDate: "2020-01-10", by: f.finance)
        #expect(result.entries == 2)
        #expect(result.total == (try Money.parse("200000.00")))
        #expect(try await frozen(f) == ["A-1": "150000.00", "B-1": "50000.00"])
        await expectError("conflict") {
            try await f.entries.approveBudget(department: "201", year: 2020, number: "徐财预〔2020〕2号", congressDate: "2020-01-10", by: f.finance)
        }
        // Another department's 批复 must name the same congress date: the congress sits once.
        await expectError("invalid_input") {
            try await f.entries.approveBudget(department: "202", year: 2020, number: "徐财预〔2020〕9号", congressDate: "2020-01-11", by: f.finance)
        }

        await expectError("not_found") {
            try await f.entries.approveUnits(department: "201", year: 2020, number: nil, by: f.reviewerElsewhere)
        }
        let units = try await f.entries.approveUnits(department: "201", year: 2020, number: "徐委办〔2020〕3号", by: f.reviewer)
        #expect(units.unitsApproved)
        await expectError("conflict") {
            try await f.entries.approveUnits(department: "201", year: 2020, number: nil, by: f.reviewer)
        }

        let document = try await f.entries.budgetApprovalDocument(department: "201", year: 2020, for: f.officer)
        #expect(document.number == Self.number)
        #expect(document.total == (try Money.parse("200000.00")))
        #expect(document.byUnit.map(\.code) == ["201002"])
        #expect(document.bySource["general"] == (try Money.parse("200000.00")))
        #expect(document.projects.map(\.code) == ["A-1", "B-1"])
        #expect(document.unitsApproval?.number == "徐委办〔2020〕3号")
        await expectError("not_found") { try await f.entries.budgetApprovalDocument(department: "201", year: 2020, for: f.officerElsewhere) }
        await expectError("not_found") { try await f.entries.budgetApprovalDocument(department: "201", year: 2021, for: f.finance) }

        let chain = try await f.db.pool.withConnection { c in
            try c.query("SELECT action FROM audit_events WHERE chain = 'approval:201:2020' ORDER BY seq").map { try $0.decode("action", as: String.self) }
        }
        #expect(chain == ["approve-budget", "approve-units"])
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("after the 批复 a revision is a 调剂 or a 追加; a 调剂 stays within the unit's 批复 total")
    func adjustments() async throws {
        let f = try await Fixture.make()
        let a = try #require(try await f.create([Fixture.project("A-1")]).first)
        let b = try #require(try await f.create([Fixture.project("B-1", yuan: "50000.00")]).first)
        try await f.approve(a.id)
        try await f.approve(b.id)
        _ = try await f.entries.approveBudget(department: "201", year: 2020, number: Self.number, congressDate: "2020-01-10", by: f.finance)

        do {
            _ = try await f.entries.act(.revise, on: a.id, reason: "调整用途", by: f.officer)
            Issue.record("a revision after the 批复 without a kind")
        } catch let error as WorkflowError {
            #expect(error.code == "invalid_input")
            #expect(error.details.map(\.field) == ["kind"])
        }
        await expectError("reason_required") { try await f.entries.act(.revise, on: a.id, adjustment: .transfer, by: f.officer) }
        let revised = try #require(try await f.entries.act(.revise, on: a.id, reason: "调整用途", adjustment: .transfer, by: f.officer).newRevision)
        let kind = try await f.db.pool.withConnection { c in
            try c.query("SELECT revise_kind FROM entries WHERE id = \(revised.id)").first!.decode("revise_kind", as: String.self)
        }
        #expect(kind == "调剂")
        let revise = try #require(try await f.entries.history(revised.id, for: f.officer).last)
        #expect(revise.record.action == "revise")
        #expect(revise.record.changes["kind"] == "调剂")

        // 50,000 (B) + 160,000 exceeds the unit's 批复 total of 200,000.
        _ = try await f.entries.replaceDraft(revised.id, with: Fixture.project("A-1", yuan: "160000.00"), expectedVersion: 1, by: f.officer)
        _ = try await f.entries.act(.submit, on: revised.id, by: f.officer)
        _ = try await f.entries.act(.approve, on: revised.id, by: f.reviewer)
        do {
            _ = try await f.entries.act(.approve, on: revised.id, by: f.finance)
            Issue.record("a 调剂 beyond the 批复 total was approved")
        } catch let error as WorkflowError {
            #expect(error.code == "validation_failed")
            #expect(error.details.map(\.field) == ["amount"])
        }
        #expect(try await f.entries.entry(revised.id, for: f.finance).state == .financeReview)
        _ = try await f.entries.act(.reject, on: revised.id, reason: "超出批复总额", by: f.finance)
        let current = try await f.entries.entry(revised.id, for: f.officer)
        _ = try await f.entries.replaceDraft(revised.id, with: Fixture.project("A-1", yuan: "140000.00"), expectedVersion: current.version, by: f.officer)
        _ = try await f.entries.act(.submit, on: revised.id, by: f.officer)
        _ = try await f.entries.act(.approve, on: revised.id, by: f.reviewer)
        #expect(try await f.entries.act(.approve, on: revised.id, by: f.finance).entry.state == .approved)
        // The 批复 figures stay as frozen.
        #expect(try await frozen(f) == ["A-1": "150000.00", "B-1": "50000.00"])
    }

    @Test("a managed year: publication waits for the 批复, and its clock starts there")
    func managedYear() async throws {
        let f = try await Fixture.make()
        let a = try #require(try await f.create([Fixture.project("M-1")], year: 2021).first)
        try await f.approve(a.id)
        // The year becomes managed (as when the finance bureau opens its first round); the window
        // stays open so that the later 追加 can be submitted whatever the round rules are.
        try await f.db.pool.withConnection { c in
            try c.query("""
                INSERT INTO budget_rounds (year, round, opens_on, closes_on, opened_by) VALUES (2021, '一上', '2020-09-01', '2200-12-31', 'finance')
                """)
        }
        do {
            _ = try await f.entries.publish(department: "201", year: 2021, by: f.finance, overrideReason: "测试")
            Issue.record("published before the 批复 in a managed year")
        } catch let error as WorkflowError {
            #expect(error.category == .conflict)
            #expect(error.message.contains("批复"))
        }
        #expect(try await f.entries.entry(a.id, for: f.finance).state == .approved)
        // No unmanaged 20-day clock from the approval, and no 批复 clock before a congress date is known.
        #expect(try await f.entries.deadlines(year: 2021, for: f.finance).isEmpty)
        #expect(try await DisclosureService(pool: f.db.pool).pendingPublications(year: 2021).isEmpty)

        _ = try await f.entries.approveBudget(department: "201", year: 2021, number: "徐财预〔2021〕1号", congressDate: "2021-01-10", by: f.finance)
        let clocks = try await f.entries.deadlines(year: 2021, for: f.reviewer)
        #expect(clocks.map(\.clock) == [.unitsApproval, .publication])
        #expect(clocks.map(\.daysLeft) == [15, 20])
        #expect(clocks.allSatisfy { $0.startedOn.adding(days: $0.daysLeft) == $0.dueOn })
        #expect(try await f.entries.deadlines(year: 2021, for: f.reviewerElsewhere).isEmpty)
        #expect(try await f.entries.deadlines(year: 2021, for: f.officer).count == 2)
        await expectError("forbidden") { try await f.entries.deadlines(for: f.administrator) }

        let published = try await f.entries.publish(department: "201", year: 2021, by: f.finance, overrideReason: "测试")
        #expect(published.published.map(\.id) == [a.id])
        #expect(try await f.entries.deadlines(year: 2021, for: f.finance).map(\.clock) == [.unitsApproval])

        // A 追加 raises the entry and is published; the disclosure keeps the 批复 figures (年初预算).
        let disclosures = DisclosureService(pool: f.db.pool)
        #expect(try await disclosures.disclosure(department: "201", year: 2021).expenditure.total.description == "15.00")
        let raised = try #require(try await f.entries.act(.revise, on: a.id, reason: "追加调研经费", adjustment: .supplement, by: f.officer).newRevision)
        _ = try await f.entries.replaceDraft(raised.id, with: Fixture.project("M-1", yuan: "180000.00"), expectedVersion: 1, by: f.officer)
        try await f.approve(raised.id)
        let again = try await f.entries.publish(department: "201", year: 2021, by: f.finance, overrideReason: "测试")
        #expect(again.published.map(\.id) == [raised.id])
        #expect(try await f.entries.entry(a.id, for: f.finance).state == .superseded)
        #expect(try await disclosures.disclosure(department: "201", year: 2021).expenditure.total.description == "15.00")
    }

    @Test("an unmanaged year keeps its clock from the first approval, and publishes without a 批复")
    func unmanagedYear() async throws {
        let f = try await Fixture.make()
        let a = try #require(try await f.create([Fixture.project("U-1")]).first)
        try await f.approve(a.id)
        let clocks = try await f.entries.deadlines(for: f.finance)
        #expect(clocks.map(\.clock) == [.publication])
        #expect(clocks.first?.daysLeft == 20)
        #expect(try await DisclosureService(pool: f.db.pool).pendingPublications().count == 1)
        _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        #expect(try await f.entries.deadlines(for: f.finance).isEmpty)
    }
}
