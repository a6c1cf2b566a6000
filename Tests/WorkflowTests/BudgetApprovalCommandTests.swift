import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// The 批复 (二下) decided in Workflow: who may, when, and what it writes; the clocks that follow.
@Suite("budget approval (批复)")
struct BudgetApprovalCommandTests {
    static let finance = Actor(name: "finance", role: .financeReviewer)
    static let reviewer = Actor(name: "reviewer-201", role: .departmentReviewer, orgCode: "201")
    static let today = CalendarDate("2020-01-20")!

    static func standing(_ code: String, _ state: EntryState, yuan amount: String = "100.00") -> ApproveBudgetCommand.Standing {
        .init(id: UUID(), code: code, revision: 1, state: state, amount: yuan(amount))
    }

    static func command(number: String? = "徐财预〔2020〕1号", congress: String? = "2020-01-10") throws -> ApproveBudgetCommand {
        try ApproveBudgetCommand(actor: finance, department: "201", year: 2020, number: number, congressDate: congress)
    }

    @Test("who may: approve-budget the finance bureau, approve-units a department reviewer", arguments: Role.allCases)
    func roles(_ role: Role) {
        let actor = Actor(name: "x", role: role, orgCode: "201")
        let budget = Result { try ApproveBudgetCommand(actor: actor, department: "201", year: 2020, number: "n", congressDate: "2020-01-10") }
        let units = Result { try ApproveUnitsCommand(actor: actor, department: "201", year: 2020, number: nil) }
        switch role {
        case .financeReviewer:
            #expect((try? budget.get()) != nil)
            #expect((try? units.get()) == nil)
        case .departmentReviewer:
            #expect((try? budget.get()) == nil)
            #expect((try? units.get()) != nil)
        case .officer, .auditor, .admin:
            #expect((try? budget.get()) == nil)
            #expect((try? units.get()) == nil)
        }
    }

    /// Inputs refused before anything is read, each naming its field.
    @Test("bad input names the field", arguments: [
        (nil, "2020-01-10", "number"), ("  ", "2020-01-10", "number"), (String(repeating: "号", count: 101), "2020-01-10", "number"),
        ("n", nil, "congress_date"), ("n", "2020-02-30", "congress_date"), ("n", "10/01/2020", "congress_date"),
    ] as [(String?, String?, String)])
    func badInput(_ number: String?, _ congress: String?, _ field: String) {
        do {
            _ = try Self.command(number: number, congress: congress)
            Issue.record("accepted \(String(describing: number)) \(String(describing: congress))")
        } catch {
            let error = error as? WorkflowError
            #expect(error?.category == .invalidInput)
            #expect(error?.details.map(\.field) == [field])
        }
    }

    /// Each row: the snapshot's facts and the expected outcome (nil: a plan).
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var exists = true
        var existing = false
        var yearCongress: String?
        var congress = "2020-01-10"
        var states: [EntryState] = [.approved, .published]
        var refused: WorkflowError.Category?
        var testDescription: String { name }
    }

    @Test("the 批复's rules", arguments: [
        Row(name: "all approved or published: a plan"),
        Row(name: "unknown department", exists: false, refused: .notFound),
        Row(name: "a second 批复", existing: true, refused: .conflict),
        Row(name: "a congress date after today", congress: "2020-01-21", refused: .invalidInput),
        Row(name: "a congress date two years early", congress: "2018-12-30", refused: .invalidInput),
        Row(name: "the congress sat on another day for another department", yearCongress: "2020-01-09", refused: .invalidInput),
        Row(name: "the same congress date as another department", yearCongress: "2020-01-10"),
        Row(name: "no entries", states: [], refused: .conflict),
        Row(name: "one in finance review", states: [.approved, .financeReview], refused: .conflict),
        Row(name: "one draft", states: [.draft, .approved], refused: .conflict),
        Row(name: "one in department review", states: [.departmentReview], refused: .conflict),
    ])
    func rules(_ row: Row) throws {
        let command = try Self.command(congress: row.congress)
        let entries = row.states.enumerated().map { Self.standing("C-\($0.offset)", $0.element) }
        let snapshot = ApproveBudgetCommand.Snapshot(
            departmentExists: row.exists,
            existing: row.existing ? BudgetApprovalRecord(department: "201", year: 2020, number: "old", congressDate: Self.today, approvedOn: Self.today) : nil,
            yearCongressDate: row.yearCongress.flatMap { CalendarDate($0) }, entries: entries, today: Self.today)
        do {
            let plan = try command.decide(snapshot)
            #expect(row.refused == nil, "decided a plan")
            #expect(plan.writes == [
                .recordBudgetApproval(department: "201", year: 2020, number: "徐财预〔2020〕1号", congressDate: CalendarDate("2020-01-10")!),
                .freezeApprovedFigures(year: 2020, entryIDs: entries.map(\.id)),
            ])
            #expect(plan.events.map(\.action) == ["approve-budget"])
            #expect(plan.events.first?.chain == "approval:201:2020")
            #expect(plan.events.first?.changes["amount"] == "200.00")
        } catch {
            #expect(error.category == row.refused, "\(error)")
        }
    }

    @Test("refused with entries not approved: every such code listed with its state")
    func listsCodes() throws {
        let snapshot = ApproveBudgetCommand.Snapshot(
            departmentExists: true,
            entries: [Self.standing("A", .approved), Self.standing("B", .draft), Self.standing("C", .financeReview)], today: Self.today)
        #expect { try Self.command().decide(snapshot) } throws: { error in
            guard let error = error as? WorkflowError else { return false }
            return error.details.map(\.field) == ["B", "C"]
                && error.details.map(\.message) == ["B revision 1 is draft", "C revision 1 is finance_review"]
        }
    }

    @Test("approve-units: own department only, after the finance 批复, once")
    func units() throws {
        let approval = BudgetApprovalRecord(department: "201", year: 2020, number: "徐财预〔2020〕1号", congressDate: Self.today, approvedOn: Self.today)
        let command = try ApproveUnitsCommand(actor: Self.reviewer, department: "201", year: 2020, number: "徐委办〔2020〕3号")
        #expect(throws: WorkflowError.notFound(resource: "department")) { try command.decide(.init(departmentExists: false)) }
        let elsewhere = try ApproveUnitsCommand(actor: Actor(name: "r", role: .departmentReviewer, orgCode: "202"), department: "201",
                                                year: 2020, number: nil)
        #expect(throws: WorkflowError.notFound(resource: "department")) { try elsewhere.decide(.init(departmentExists: true, approval: approval)) }
        #expect { try command.decide(.init(departmentExists: true)) } throws: { ($0 as? WorkflowError)?.category == .conflict }
        var done = approval
        done.unitsApproved = true
        #expect { try command.decide(.init(departmentExists: true, approval: done)) } throws: { ($0 as? WorkflowError)?.category == .conflict }
        let plan = try command.decide(.init(departmentExists: true, approval: approval))
        #expect(plan.writes == [.recordUnitsApproval(department: "201", year: 2020, number: "徐委办〔2020〕3号")])
        #expect(plan.events.map(\.action) == ["approve-units"])
    }

    @Test("publication in a managed year waits for the 批复; an unmanaged year publishes as before")
    func publication() throws {
        let command = try PublishCommand(actor: Self.finance, department: "201", year: 2020, overrideReason: nil)
        var snapshot = PublishCommand.Snapshot(departmentExists: true)
        snapshot.approved = [PublishCommandTests.entry("A")]
        snapshot.managedYear = true
        #expect { try command.decide(snapshot) } throws: { error in
            guard let error = error as? WorkflowError else { return false }
            return error.category == .conflict && error.message.contains("批复")
        }
        snapshot.budgetApproved = true
        #expect(try command.decide(snapshot).published.count == 1)
        snapshot.managedYear = false
        snapshot.budgetApproved = false
        #expect(try command.decide(snapshot).published.count == 1)
    }
}

@Suite("clocks of 二下")
struct BudgetClockTests {
    static func approval(_ on: String, units: Bool = false) -> BudgetApprovalRecord {
        BudgetApprovalRecord(department: "201", year: 2020, number: "n", congressDate: CalendarDate("2020-01-10")!,
                             approvedOn: CalendarDate(on)!, unitsApproved: units)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var facts: BudgetClocks.Facts
        var today: String
        /// clock, due day, days left
        var expected: [String]
        var testDescription: String { name }
    }

    @Test("which clocks run, due when", arguments: [
        Row(name: "nothing known", facts: .init(department: "201", year: 2020, managed: true), today: "2020-01-15", expected: []),
        Row(name: "the congress sat: the finance 批复 is due in 20 days",
            facts: .init(department: "201", year: 2020, managed: true, congressDate: CalendarDate("2020-01-10")), today: "2020-01-15",
            expected: ["budget_approval 2020-01-30 15"]),
        Row(name: "no entries, no 批复 clock",
            facts: .init(department: "201", year: 2020, managed: true, congressDate: CalendarDate("2020-01-10"), hasEntries: false),
            today: "2020-01-15", expected: []),
        Row(name: "after the 批复: units in 15 days, publication in 20",
            facts: .init(department: "201", year: 2020, managed: true, congressDate: CalendarDate("2020-01-10"), approval: approval("2020-01-25")),
            today: "2020-02-11", expected: ["units_approval 2020-02-09 -2", "publication 2020-02-14 3"]),
        Row(name: "units done, published: nothing runs",
            facts: .init(department: "201", year: 2020, managed: true, approval: approval("2020-01-25", units: true), publishedSinceApproval: true),
            today: "2020-02-11", expected: []),
        Row(name: "unmanaged year: publication from the first approval, 批复 or not",
            facts: .init(department: "201", year: 2020, managed: false, oldestUnpublishedApproval: CalendarDate("2020-02-28")),
            today: "2020-03-01", expected: ["publication 2020-03-19 18"]),
        Row(name: "unmanaged year with a 批复: units clock, publication still from approval",
            facts: .init(department: "201", year: 2020, managed: false, approval: approval("2020-01-25", units: false),
                         oldestUnpublishedApproval: CalendarDate("2020-01-20")),
            today: "2020-01-25", expected: ["units_approval 2020-02-09 15", "publication 2020-02-09 15"]),
    ])
    func clocks(_ row: Row) {
        let found = BudgetClocks.running(row.facts, today: CalendarDate(row.today)!)
        #expect(found.map { "\($0.clock.rawValue) \($0.dueOn) \($0.daysLeft)" } == row.expected)
    }

    @Test("overdue first, then the soonest due")
    func order() {
        let facts = [
            BudgetClocks.Facts(department: "202", year: 2020, managed: true, congressDate: CalendarDate("2020-01-10")),
            BudgetClocks.Facts(department: "201", year: 2020, managed: true, approval: Self.approval("2019-12-01")),
        ]
        let found = BudgetClocks.running(facts, today: CalendarDate("2020-01-20")!)
        #expect(found.map(\.daysLeft) == [-35, -30, 10])
        #expect(found.first?.standing == "overdue by 35 days")
        #expect(found.last?.standing == "10 days left")
    }

    @Test("calendar days across months, leap days and years")
    func dates() {
        #expect(CalendarDate("2020-02-20")!.adding(days: 10).description == "2020-03-01")
        #expect(CalendarDate("2021-02-20")!.adding(days: 10).description == "2021-03-02")
        #expect(CalendarDate("2019-12-25")!.adding(days: 20).description == "2020-01-14")
        #expect(CalendarDate("2020-01-01")!.days(to: CalendarDate("2019-12-31")!) == -1)
        #expect(CalendarDate("2021-02-29") == nil)
        #expect(CalendarDate("2020-02-29") != nil)
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
    }
}

@Suite("revise after the 批复 (调剂, 追加)")
struct AdjustmentRuleTests {
    static let officer = Actor(name: "officer-201002", role: .officer, orgCode: "201002")
    static let finance = Actor(name: "finance", role: .financeReviewer)

    static func entry(_ state: EntryState, yuan amount: String = "100.00") -> BudgetEntry {
        BudgetEntry(id: UUID(), year: 2020, unitCode: "201002", departmentCode: "201", revision: 1, version: 3, state: state,
                    content: EntryDraft(code: "A", name: "n", kind: .operation, functionCode: "2013101",
                                        sources: FundingSources(general: yuan(amount))))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var approved: Bool
        var kind: AdjustmentKind?
        var action: EntryAction = .revise
        var refusedField: String?
        var testDescription: String { name }
    }

    @Test("kind is required after the 批复 and refused before it", arguments: [
        Row(name: "before the 批复, no kind", approved: false, kind: nil),
        Row(name: "before the 批复, a kind", approved: false, kind: .transfer, refusedField: "kind"),
        Row(name: "after the 批复, no kind", approved: true, kind: nil, refusedField: "kind"),
        Row(name: "after the 批复, 调剂", approved: true, kind: .transfer),
        Row(name: "after the 批复, 追加", approved: true, kind: .supplement),
        Row(name: "a kind on another action", approved: true, kind: .transfer, action: .discard, refusedField: "kind"),
    ])
    func kind(_ row: Row) {
        var snapshot = EntryActionSnapshot(entry: Self.entry(row.action == .revise ? .approved : .draft))
        snapshot.budgetApproved = row.approved
        let command = EntryActionCommand(row.action, on: snapshot.entry.id, reason: "调整用途", adjustment: row.kind)
        do {
            let decision = try command.decide(Self.officer, snapshot)
            #expect(row.refusedField == nil)
            guard row.action == .revise else { return }
            let created = decision.newRevision!
            #expect(decision.plan.events.first?.changes["kind"] == row.kind?.rawValue)
            if let kind = row.kind {
                #expect(decision.plan.writes.last == .recordAdjustmentKind(entryID: created.id, kind: kind))
            } else {
                #expect(decision.plan.writes.count == 1)
            }
        } catch {
            #expect(error.category == .invalidInput)
            #expect(error.details.map(\.field) == [row.refusedField])
        }
    }

    @Test("a 调剂 is approved only within the unit's 批复 total; a 追加 is not held to it", arguments: [
        (AdjustmentKind.transfer, "40.00", true), (.transfer, "50.00", true), (.transfer, "50.01", false), (.supplement, "90.00", true),
    ])
    func transfer(_ kind: AdjustmentKind, _ amount: String, _ allowed: Bool) {
        var snapshot = EntryActionSnapshot(entry: Self.entry(.financeReview, yuan: amount))
        snapshot.budgetApproved = true
        snapshot.entryAdjustment = kind
        snapshot.approvedTotal = kind == .transfer ? ApprovedTotalStanding(approvedTotal: yuan("150.00"), othersInForce: yuan("100.00")) : nil
        let command = EntryActionCommand(.approve, on: snapshot.entry.id)
        do {
            let decision = try command.decide(Self.finance, snapshot)
            #expect(allowed)
            #expect(decision.entry.state == .approved)
        } catch {
            #expect(!allowed)
            #expect(error.category == .validation)
            #expect(error.details.map(\.field) == ["amount"])
        }
    }
}
