import Foundation
import Testing
import Workflow
import WorkflowFixtures

private let entryID = UUID(uuidString: "6f1c2a52-0000-4000-8000-000000000001")!
private let newID = UUID(uuidString: "6f1c2a52-0000-4000-8000-000000000002")!
private let olderID = UUID(uuidString: "6f1c2a52-0000-4000-8000-000000000003")!
private let content = ReferenceProjects.supervisionResearch
private let chain = "entry:2020:\(content.code)"

/// The reference entry (valid, in unit 201002 of department 201) at revision 2, version 5.
private func snapshot(
    _ state: EntryState, content: EntryDraft = content, waived: Set<RuleCode> = [],
    controlFigure: ControlFigureStanding? = nil, otherOpenRevision: Bool = false, approvedRevision: RevisionReference? = nil
) -> EntryActionSnapshot {
    EntryActionSnapshot(
        entry: BudgetEntry(id: entryID, year: 2020, unitCode: "201002", departmentCode: "201", revision: 2, version: 5,
                           state: state, content: content),
        waived: waived, controlFigure: controlFigure, latestRevision: 3, otherOpenRevision: otherOpenRevision,
        approvedRevision: approvedRevision)
}

private func command(_ action: EntryAction, reason: String? = "reason given", version: Int? = nil) -> EntryActionCommand {
    EntryActionCommand(action, on: entryID, reason: reason, expectedVersion: version, newRevisionID: newID)
}

/// The plan every allowed transition of the table must produce: one state change, one event.
private func transitionPlan(_ action: EntryAction, from: EntryState, to: EntryState, reason: String?) -> Plan {
    Plan(writes: [.setEntryState(id: entryID, to: to)],
         events: [PlannedEvent(chain: chain, action: action.rawValue, entryID: entryID, revision: 2,
                               fromState: from.rawValue, toState: to.rawValue, reason: reason)])
}

private func revisePlan(from state: EntryState) -> Plan {
    var created = snapshot(state).entry
    created.id = newID
    created.revision = 4
    created.version = 1
    created.state = .draft
    created.supersedes = entryID
    return Plan(writes: [.insertRevision(created, reason: "reason given")],
                events: [PlannedEvent(chain: chain, action: "revise", entryID: newID, revision: 4, fromState: state.rawValue,
                                      toState: "draft", reason: "reason given",
                                      changes: ["revises": entryID.uuidString.lowercased(), "revision": "4"])])
}

@Suite("Entry action command: command × state × role → plan or error")
struct EntryActionCommandTests {
    @Test("every cell of the transition table, as the exact plan or the error")
    func table() throws {
        let cells = try parseTable()
        var checked = 0
        for (key, cell) in cells where key.action != .publish {
            let someone = actor(key.role, inScope: key.inScope)
            let result = Result { () throws(WorkflowError) in try command(key.action).decide(someone, snapshot(key.state)) }
            switch (cell, result) {
            case ("404", .failure(let error)): #expect(error == .notFound(resource: "entry"), "\(key)")
            case ("403", .failure(let error)):
                #expect(error == .forbidden("role \(key.role.rawValue) may not \(key.action.rawValue) entries"), "\(key)")
            case ("ILL", .failure(let error)):
                #expect(error == .illegalTransition(state: key.state, action: key.action), "\(key)")
            case ("+draft", .success(let decision)):
                #expect(decision.plan == revisePlan(from: key.state), "\(key)")
                #expect(decision.entry == snapshot(key.state).entry, "\(key): revise leaves the revision acted on as it is")
                #expect(decision.newRevision?.id == newID)
            case (let to, .success(let decision)):
                let next = try #require(EntryState(rawValue: to), "\(key): allowed, table says \(to)")
                #expect(decision.plan == transitionPlan(key.action, from: key.state, to: next, reason: "reason given"), "\(key)")
                #expect(decision.entry.state == next && decision.entry.version == 6, "\(key)")
                #expect(decision.newRevision == nil)
            case (let expected, .failure(let error)):
                Issue.record("\(key): expected \(expected), got \(error)")
            }
            checked += 1
        }
        #expect(checked == Role.allCases.count * 2 * (EntryAction.allCases.count - 1) * EntryState.allCases.count)
    }

    @Test("publish is not an entry action: it applies to a department-year")
    func publishRefused() {
        for state in EntryState.allCases {
            #expect(throws: WorkflowError.invalidInput("publish applies to a department-year, not to one entry")) {
                try command(.publish).decide(actor(.financeReviewer, inScope: true), snapshot(state))
            }
        }
    }

    @Test("checks run scope, role, state, reason, version, rules — the first failing one is thrown")
    func order() {
        let broken = { var d = content; d.plan = plan(30, 60, 90, 99); return d }()
        let officer = actor(.officer, inScope: true)
        let reviewer = actor(.departmentReviewer, inScope: true)
        // Out of scope beats everything.
        #expect(throws: WorkflowError.notFound(resource: "entry")) {
            try command(.approve, reason: nil, version: 1).decide(actor(.departmentReviewer, inScope: false), snapshot(.draft, content: broken))
        }
        // Role beats state, reason, version and rules.
        #expect(throws: WorkflowError.forbidden("role officer may not reject entries")) {
            try command(.reject, reason: nil, version: 1).decide(officer, snapshot(.draft, content: broken))
        }
        // State beats reason, version and rules.
        #expect(throws: WorkflowError.illegalTransition(state: .draft, action: .reject)) {
            try command(.reject, reason: nil, version: 1).decide(reviewer, snapshot(.draft))
        }
        // Reason beats version.
        #expect(throws: WorkflowError.reasonRequired(action: "reject")) {
            try command(.reject, reason: "  ", version: 1).decide(reviewer, snapshot(.departmentReview))
        }
        // Version beats rules.
        #expect(throws: WorkflowError.staleVersion(expected: 4, actual: 5)) {
            try command(.submit, reason: nil, version: 4).decide(officer, snapshot(.draft, content: broken))
        }
        // The current version passes; then the rules decide.
        #expect(throws: WorkflowError.self) { try command(.submit, reason: nil, version: 5).decide(officer, snapshot(.draft, content: broken)) }
        #expect((try? command(.submit, reason: nil, version: 5).decide(officer, snapshot(.draft))) != nil)
    }

    @Test("submit and approvals validate the content; waivers remove violations; others do not validate")
    func rules() throws {
        var broken = content
        broken.plan = plan(30, 60, 90, 99)
        let officer = actor(.officer, inScope: true)
        do {
            _ = try command(.submit, reason: nil).decide(officer, snapshot(.draft, content: broken))
            Issue.record("an invalid draft was submitted")
        } catch {
            #expect(error.code == "validation_failed")
            #expect(error.details.map(\.rule) == [.v3])
        }
        let waived = try command(.submit, reason: nil).decide(officer, snapshot(.draft, content: broken, waived: [.v3]))
        #expect(waived.plan == transitionPlan(.submit, from: .draft, to: .departmentReview, reason: nil))
        #expect(throws: WorkflowError.self) {
            try command(.approve).decide(actor(.departmentReviewer, inScope: true), snapshot(.departmentReview, content: broken))
        }
        // Withdraw does not look at the content.
        #expect(try command(.withdraw, reason: nil).decide(officer, snapshot(.departmentReview, content: broken)).plan
            == transitionPlan(.withdraw, from: .departmentReview, to: .draft, reason: nil))
    }

    @Test("the control figure is a column of the table: checked at the finance bureau's approval only")
    func controlFigure() throws {
        let over = ControlFigureStanding.unmanaged(ceiling: yuan("1000000.00"), committed: yuan("900000.00"))  // + 150000 > ceiling
        let finance = actor(.financeReviewer, inScope: true)
        do {
            _ = try command(.approve).decide(finance, snapshot(.financeReview, controlFigure: over))
            Issue.record("an approval over the control figure passed")
        } catch {
            #expect(error.details.map(\.rule) == [.v7])
        }
        // Waived, or within the ceiling, it passes.
        _ = try command(.approve).decide(finance, snapshot(.financeReview, waived: [.v7], controlFigure: over))
        let within = ControlFigureStanding.unmanaged(ceiling: yuan("1050000.00"), committed: yuan("900000.00"))
        _ = try command(.approve).decide(finance, snapshot(.financeReview, controlFigure: within))
        // The department's approval and a submit do not check it.
        _ = try command(.approve).decide(actor(.departmentReviewer, inScope: true), snapshot(.departmentReview, controlFigure: over))
        _ = try command(.submit).decide(actor(.officer, inScope: true), snapshot(.draft, controlFigure: over))

        // What a loader must read, by state.
        #expect(command(.approve).states(needing: .controlFigure, by: finance) == [.financeReview])
        #expect(command(.approve).states(needing: .controlFigure, by: actor(.departmentReviewer, inScope: true)) == [])
        #expect(command(.approve).states(needing: .approvedRevision, by: finance) == [.financeReview])
        // A submit reads no unmanaged ceiling; in a year with rounds it reads the unit's cells.
        #expect(command(.submit).needs(by: actor(.officer, inScope: true), from: .draft) == [.unitFigures])
    }

    @Test("the finance approval supersedes an older approved revision first, each with its event")
    func supersede() throws {
        let older = RevisionReference(id: olderID, revision: 1)
        let decision = try command(.approve, reason: nil).decide(
            actor(.financeReviewer, inScope: true), snapshot(.financeReview, approvedRevision: older))
        #expect(decision.plan == Plan(
            writes: [.setEntryState(id: olderID, to: .superseded), .setEntryState(id: entryID, to: .approved)],
            events: [
                PlannedEvent(chain: chain, action: "supersede", entryID: olderID, revision: 1, fromState: "approved",
                             toState: "superseded", changes: ["superseded_by": entryID.uuidString.lowercased()]),
                PlannedEvent(chain: chain, action: "approve", entryID: entryID, revision: 2, fromState: "finance_review",
                             toState: "approved"),
            ]))
    }

    @Test("revise while another revision is being worked on is a conflict; the reason is trimmed")
    func reviseConflict() throws {
        let officer = actor(.officer, inScope: true)
        #expect(throws: WorkflowError.conflict("entry \(content.code) already has a revision being worked on")) {
            try command(.revise).decide(officer, snapshot(.approved, otherOpenRevision: true))
        }
        let decision = try command(.revise, reason: "  reason given \n").decide(officer, snapshot(.published))
        #expect(decision.plan == revisePlan(from: .published))
        #expect(decision.newRevision?.revision == 4 && decision.newRevision?.supersedes == entryID)
    }
}
