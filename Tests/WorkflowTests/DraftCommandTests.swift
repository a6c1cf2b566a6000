import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// Creating/replacing drafts, waivers and control figures, decided in Workflow: command × role
/// × state against tables written here.
@Suite("draft, waiver and control-figure commands")
struct DraftCommandTests {
    static let scope = EntryScope(unitCode: "201002", departmentCode: "201")
    static let officer = Actor(name: "officer", role: .officer, orgCode: "201002")

    static func draft(_ code: String, yuan fen: Int64 = 10_000) -> EntryDraft {
        EntryDraft(code: code, name: "办公经费", kind: .operation, functionCode: "2013101", sources: FundingSources(general: Money(fen: fen)))
    }

    /// Sequential ids, so a plan can be compared whole.
    final class IDs: @unchecked Sendable {
        var next: UInt8 = 0
        func make() -> UUID {
            next += 1
            return UUID(uuid: (next, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0))
        }
    }

    // MARK: - Who may save drafts where

    struct Who: Sendable, CustomTestStringConvertible {
        var actor: Actor
        var scope: EntryScope?
        var year = 2020
        var expected: WorkflowError.Category?
        var testDescription: String { "\(actor.role.rawValue)@\(actor.orgCode ?? "-") → \(expected?.rawValue ?? "ok")" }
    }

    static let who: [Who] = [
        Who(actor: officer, scope: scope, expected: nil),
        Who(actor: officer, scope: scope, year: 1989, expected: .invalidInput),
        Who(actor: officer, scope: nil, expected: .notFound),
        Who(actor: Actor(name: "o2", role: .officer, orgCode: "201003"), scope: scope, expected: .notFound),
        Who(actor: Actor(name: "d", role: .departmentReviewer, orgCode: "201"), scope: scope, expected: .forbidden),
        Who(actor: Actor(name: "d2", role: .departmentReviewer, orgCode: "202"), scope: scope, expected: .notFound),
        Who(actor: Actor(name: "f", role: .financeReviewer), scope: scope, expected: .forbidden),
        Who(actor: Actor(name: "a", role: .auditor), scope: scope, expected: .forbidden),
        Who(actor: Actor(name: "admin", role: .admin), scope: scope, expected: .notFound),
    ]

    @Test("only the unit's officer saves drafts; an unknown or unseen unit is not found", arguments: who)
    func saveDraftsRoles(_ c: Who) {
        do {
            _ = try SaveDraftsCommand(actor: c.actor, unit: "201002", scope: c.scope, year: c.year)
            #expect(c.expected == nil)
        } catch {
            #expect(error.workflowCategory == c.expected)
        }
    }

    // MARK: - What a batch does with the codes it meets

    struct Existing: Sendable, CustomTestStringConvertible {
        var unit: String
        var state: EntryState
        var refused: Bool
        var message: String?
        var testDescription: String { "\(unit) \(state.rawValue)" }
    }

    static let existing: [Existing] = EntryState.allCases.flatMap { state in
        [
            Existing(unit: "201002", state: state, refused: state != .draft,
                     message: state == .draft ? nil : "entry C-1 is \(state.rawValue); only a draft can be replaced (revise it to change it)"),
            // Another unit's code is taken, whatever its state, and never named.
            Existing(unit: "201003", state: state, refused: true, message: Validator.codeTakenMessage),
        ]
    }

    @Test("a code of the year: the unit's draft is replaced, anything else refused", arguments: existing)
    func replaceOrRefuse(_ c: Existing) throws {
        let command = try SaveDraftsCommand(actor: Self.officer, unit: "201002", scope: Self.scope, year: 2020)
        var before = Self.draft("C-1")
        before.name = "旧名"
        let id = UUID()
        let current = CurrentRevision(id: id, unitCode: c.unit, state: c.state, revision: 2, version: 7,
                                      content: c.unit == "201002" && c.state == .draft ? before : nil)
        let decision = command.decide([DraftLine(draft: Self.draft("C-1"), line: 4)], current: ["C-1": current])
        if c.refused {
            #expect(decision.problems.map { Optional($0.message) } == [c.message])
            #expect(decision.problems.map(\.line) == [4])
            #expect(decision.plan == Plan())
            #expect(!decision.problems[0].message.contains("201003"))
        } else {
            #expect(decision.problems.isEmpty)
            #expect(decision.plan == Plan(
                writes: [.replaceDraftContent(id: id, content: Self.draft("C-1"), fromVersion: 7)],
                events: [PlannedEvent(chain: "entry:2020:C-1", action: "edit", entryID: id, revision: 2,
                                      fromState: "draft", toState: "draft", changes: ["name": "办公经费"])]))
            #expect(decision.saved.map(\.entry.version) == [8])
            #expect(decision.saved.map(\.created) == [false])
        }
    }

    @Test("new codes: one insert and one create event each, with the summary")
    func create() throws {
        let command = try SaveDraftsCommand(actor: Self.officer, unit: "201002", scope: Self.scope, year: 2020)
        let ids = IDs()
        let decision = try command.run([DraftLine(draft: Self.draft("A")), DraftLine(draft: Self.draft("B"), line: 9)],
                                       current: [:], newID: ids.make)
        #expect(decision.saved.map(\.line) == [1, 9])
        let first = UUID(uuid: (1, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0))
        #expect(decision.plan.writes.first == .insertEntry(NewEntry(
            id: first, year: 2020, unitCode: "201002", departmentCode: "201", content: Self.draft("A"))))
        #expect(decision.plan.events.first == PlannedEvent(
            chain: "entry:2020:A", action: "create", entryID: first, revision: 1, toState: "draft",
            changes: ["amount": "100.00", "code": "A", "func": "2013101", "general": "100.00", "kind": "operation", "name": "办公经费"]))
        #expect(decision.plan.writes.count == 2 && decision.plan.events.count == 2)
    }

    @Test("every problem of a batch, by line: storage rule and repeated codes before taken codes")
    func wholeBatch() throws {
        let command = try SaveDraftsCommand(actor: Self.officer, unit: "201002", scope: Self.scope, year: 2020)
        var bad = Self.draft("B")
        bad.sources.general = Money(fen: -1)
        let lines = [DraftLine(draft: Self.draft("A")), DraftLine(draft: bad), DraftLine(draft: Self.draft("A")),
                     DraftLine(draft: Self.draft("T"))]
        let taken = ["T": CurrentRevision(id: UUID(), unitCode: "201003", state: .approved, revision: 1, version: 1)]
        var details: [ErrorDetail] = []
        do {
            _ = try command.run(lines, current: taken)
            Issue.record("the batch was accepted")
        } catch {
            details = error.details
        }
        // Line 2's own violations, then line 3's repeated code; the taken code of line 4 waits.
        #expect(Set(details.compactMap(\.line)) == [2, 3], "\(details)")
        #expect(details.filter { $0.line == 3 }.map(\.rule) == [.v6], "\(details)")
        // A negative source, an amount not above zero, and procurement (none) above that amount.
        #expect(details.filter { $0.line == 2 }.map(\.rule) == [.v1, .v1, .v5], "\(details)")
        // Without the drafts' own problems, the taken code is reported.
        #expect {
            try command.run([DraftLine(draft: Self.draft("A")), DraftLine(draft: Self.draft("T"))], current: taken)
        } throws: { error in
            guard case .invalidInput(_, let details) = error as? WorkflowError else { return false }
            return details == [ErrorDetail(line: 2, field: "code", rule: .v6, message: Validator.codeTakenMessage)]
        }
    }

    // MARK: - Waivers

    struct Waive: Sendable, CustomTestStringConvertible {
        var role: Role
        var state: EntryState
        var reason = "报财政局同意"
        var alreadyWaived = false
        var expected: WorkflowError.Category?
        var testDescription: String { "\(role.rawValue) \(state.rawValue) → \(expected?.rawValue ?? "ok")" }
    }

    static let waives: [Waive] = Role.allCases.flatMap { role in
        EntryState.allCases.map { state in
            Waive(role: role, state: state,
                  expected: role != .financeReviewer ? .forbidden : state.isTerminal ? .conflict : nil)
        }
    } + [
        Waive(role: .financeReviewer, state: .financeReview, reason: "  ", expected: .invalidInput),
        Waive(role: .financeReviewer, state: .financeReview, alreadyWaived: true, expected: .conflict),
    ]

    @Test("only the finance bureau waives, with a reason, an entry still in review, once", arguments: waives)
    func waive(_ c: Waive) {
        let entry = BudgetEntry(id: UUID(), year: 2020, unitCode: "201002", departmentCode: "201", revision: 3, state: c.state,
                                content: Self.draft("W"))
        do {
            let command = try WaiveCommand(actor: Actor(name: "f", role: c.role, orgCode: "201002"), rule: .v4, reason: c.reason)
            let plan = try command.decide(entry: entry, waived: c.alreadyWaived ? [.v4] : [])
            #expect(c.expected == nil)
            #expect(plan == Plan(
                writes: [.grantWaiver(entryID: entry.id, rule: .v4, reason: "报财政局同意")],
                events: [PlannedEvent(chain: "entry:2020:W", action: "waive", entryID: entry.id, revision: 3,
                                      fromState: c.state.rawValue, toState: c.state.rawValue, reason: "报财政局同意",
                                      changes: ["rule": "V4"])]))
        } catch {
            #expect(error.workflowCategory == c.expected)
        }
    }

    @Test("a waiver of an entry that does not exist is not found")
    func waiveMissing() throws {
        let command = try WaiveCommand(actor: Actor(name: "f", role: .financeReviewer), rule: .v1, reason: "r")
        #expect(throws: WorkflowError.notFound(resource: "entry")) { try command.decide(entry: nil, waived: []) }
    }

    // MARK: - Control figures

    struct Figure: Sendable, CustomTestStringConvertible {
        var role: Role
        var amount = Money(fen: 100)
        var year = 2020
        var scope: EntryScope? = DraftCommandTests.scope
        var expected: WorkflowError.Category?
        var testDescription: String { "\(role.rawValue) \(amount) \(year) → \(expected?.rawValue ?? "ok")" }
    }

    static let figures: [Figure] = Role.allCases.map { Figure(role: $0, expected: $0 == .financeReviewer ? nil : .forbidden) } + [
        Figure(role: .financeReviewer, amount: Money(fen: -1), expected: .invalidInput),
        Figure(role: .financeReviewer, amount: Money(fen: Validator.maxAmount.fen + 1), expected: .invalidInput),
        Figure(role: .financeReviewer, year: 2201, expected: .invalidInput),
        Figure(role: .financeReviewer, scope: nil, expected: .notFound),
    ]

    @Test("only the finance bureau sets a control figure, within range, of a known unit", arguments: figures)
    func controlFigure(_ c: Figure) {
        do {
            let command = try SetControlFigureCommand(actor: Actor(name: "f", role: c.role, orgCode: "201002"),
                                                      unit: "201002", year: c.year, amount: c.amount)
            let plan = try command.decide(scope: c.scope, previous: Money(fen: 50))
            #expect(c.expected == nil)
            #expect(plan == Plan(
                writes: [.setControlFigure(unit: "201002", year: 2020, amount: Money(fen: 100))],
                events: [PlannedEvent(chain: "control:201002:2020", action: "control.set",
                                      changes: ["amount": "1.00", "previous": "0.50"])]))
        } catch {
            #expect(error.workflowCategory == c.expected)
        }
    }
}

extension Error {
    /// The category of a `WorkflowError`; nil for any other error.
    var workflowCategory: WorkflowError.Category? { (self as? WorkflowError)?.category }
}
