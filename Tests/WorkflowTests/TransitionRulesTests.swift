import Foundation
import Testing
import Workflow
import WorkflowFixtures

private let officer = actor(.officer, inScope: true)
private let departmentReviewer = actor(.departmentReviewer, inScope: true)
private let financeReviewer = actor(.financeReviewer, inScope: true)
private let someViolation = Violation(rule: .v3, field: "plan[3]", message: "the last plan percentage must be 100.00")

private func decide(
    _ state: EntryState, _ action: EntryAction, by actor: Actor, reason: String? = nil, violations: [Violation] = []
) throws(WorkflowError) -> TransitionOutcome {
    try Transition.decide(TransitionRequest(
        state: state, action: action, actor: actor, scope: referenceScope, reason: reason, violations: violations))
}

@Suite("Transition rules")
struct TransitionRulesTests {
    @Test("enum raw values are the wire names")
    func rawValues() {
        #expect(EntryState.allCases.map(\.rawValue)
            == ["draft", "department_review", "finance_review", "approved", "published", "discarded", "superseded"])
        #expect(EntryAction.allCases.map(\.rawValue) == ["submit", "withdraw", "approve", "reject", "publish", "discard", "revise"])
        #expect(Role.allCases.map(\.rawValue) == ["officer", "department_reviewer", "finance_reviewer", "auditor", "admin"])
        #expect(EntryKind.allCases.map(\.rawValue) == ["personnel", "operation", "project"])
        #expect(RuleCode.allCases.map(\.rawValue) == ["V1", "V2", "V3", "V4", "V5", "V6", "V7"])
    }

    @Test("reject needs a non-blank reason, which is trimmed", arguments: [EntryState.departmentReview, .financeReview])
    func rejectReason(state: EntryState) throws {
        let reviewer = state == .departmentReview ? departmentReviewer : financeReviewer
        for blank in [nil, "", "   ", " \n\t "] {
            #expect(throws: WorkflowError.reasonRequired(action: "reject")) { try decide(state, .reject, by: reviewer, reason: blank) }
        }
        #expect(throws: WorkflowError.invalidInput("reason contains the control character U+0000; only line breaks and tabs are allowed",
                                                   details: [ErrorDetail(field: "reason", message: "reason contains the control character U+0000; only line breaks and tabs are allowed")])) {
            try decide(state, .reject, by: reviewer, reason: "计划\u{0}不符")
        }
        let outcome = try decide(state, .reject, by: reviewer, reason: "  计划不符合要求 \n")
        #expect(outcome.to == .draft)
        #expect(outcome.reason == "计划不符合要求")
    }

    @Test("revise needs a reason, keeps this revision and creates a new draft", arguments: [EntryState.approved, .published])
    func revise(state: EntryState) throws {
        #expect(throws: WorkflowError.reasonRequired(action: "revise")) { try decide(state, .revise, by: officer) }
        #expect(throws: WorkflowError.reasonRequired(action: "revise")) { try decide(state, .revise, by: officer, reason: " ") }
        let outcome = try decide(state, .revise, by: officer, reason: "追加预算")
        #expect(outcome.from == state)
        #expect(outcome.to == state)
        #expect(outcome.newRevision == .draft)
        #expect(!outcome.supersedesPrevious)
        #expect(outcome.reason == "追加预算")
    }

    @Test("submit and both approvals need zero violations; every violation is passed on")
    func rulesGate() throws {
        let violations = [someViolation, Violation(rule: .v6, field: "code", message: "bad code")]
        #expect(throws: WorkflowError.validationFailed(violations)) {
            try decide(.draft, .submit, by: officer, violations: violations)
        }
        #expect(throws: WorkflowError.validationFailed(violations)) {
            try decide(.departmentReview, .approve, by: departmentReviewer, violations: violations)
        }
        let controlFigure = [Violation(rule: .v7, field: "amount", message: "over the control figure")]
        #expect(throws: WorkflowError.validationFailed(controlFigure)) {
            try decide(.financeReview, .approve, by: financeReviewer, violations: controlFigure)
        }
        let submitted = try decide(.draft, .submit, by: officer)
        #expect(submitted.to == .departmentReview)
        #expect(submitted.rulesRequired)
    }

    @Test("actions without rules ignore violations")
    func noRulesGate() throws {
        #expect(try decide(.departmentReview, .withdraw, by: officer, violations: [someViolation]).to == .draft)
        #expect(try decide(.draft, .discard, by: officer, violations: [someViolation]).to == .discarded)
        #expect(try decide(.approved, .publish, by: financeReviewer, violations: [someViolation]).to == .published)
        #expect(try decide(.departmentReview, .reject, by: departmentReviewer, reason: "x", violations: [someViolation]).to == .draft)
        #expect(!(try decide(.draft, .discard, by: officer).rulesRequired))
    }

    @Test("check order: scope, then role, then state, then reason, then rules")
    func checkOrder() {
        // Out of scope beats forbidden and illegal: an outsider learns nothing.
        let outsider = actor(.officer, inScope: false)
        #expect(throws: WorkflowError.notFound(resource: "entry")) { try decide(.draft, .publish, by: outsider) }
        #expect(throws: WorkflowError.notFound(resource: "entry")) { try decide(.superseded, .submit, by: outsider) }
        // Forbidden beats illegal: the role may never publish, whatever the state.
        #expect(throws: WorkflowError.forbidden("role officer may not publish entries")) {
            try decide(.draft, .publish, by: officer)
        }
        // Illegal beats a missing reason and violations.
        #expect(throws: WorkflowError.illegalTransition(state: .draft, action: .reject)) {
            try decide(.draft, .reject, by: departmentReviewer)
        }
        #expect(throws: WorkflowError.illegalTransition(state: .approved, action: .submit)) {
            try decide(.approved, .submit, by: officer, violations: [someViolation])
        }
    }

    @Test("scope: officers see their unit, reviewers their department, finance and audit everything, admins nothing")
    func scope() {
        let sameDepartmentOtherUnit = EntryScope(unitCode: "201003", departmentCode: "201")
        let otherDepartment = EntryScope(unitCode: "202001", departmentCode: "202")
        #expect(Transition.canRead(officer, referenceScope))
        #expect(!Transition.canRead(officer, sameDepartmentOtherUnit))
        #expect(!Transition.canRead(Actor(name: "x", role: .officer, orgCode: nil), referenceScope))
        #expect(Transition.canRead(departmentReviewer, sameDepartmentOtherUnit))
        #expect(!Transition.canRead(departmentReviewer, otherDepartment))
        // A department reviewer bound to the unit's code, not its department's, sees nothing.
        #expect(!Transition.canRead(Actor(name: "x", role: .departmentReviewer, orgCode: "201002"), referenceScope))
        #expect(Transition.canRead(financeReviewer, otherDepartment))
        #expect(Transition.canRead(actor(.auditor, inScope: true), otherDepartment))
        #expect(!Transition.canRead(actor(.admin, inScope: true), referenceScope))
        #expect(officer.readScope == .unit("201002"))
        #expect(departmentReviewer.readScope == .department("201"))
        #expect(financeReviewer.readScope == .everything)
        #expect(actor(.admin, inScope: true).readScope == .nothing)
        // An officer of another unit gets 404 even for an action it could do on its own entries.
        #expect(throws: WorkflowError.notFound(resource: "entry")) {
            try Transition.decide(TransitionRequest(
                state: .draft, action: .submit, actor: officer, scope: sameDepartmentOtherUnit))
        }
    }

    @Test("the illegal-transition message names the state and the action")
    func illegalMessage() {
        let error = WorkflowError.illegalTransition(state: .financeReview, action: .withdraw)
        #expect(error.message.contains("finance_review"))
        #expect(error.message.contains("withdraw"))
        #expect(error.code == "illegal_transition")
        #expect(error.category == .conflict)
    }

    @Test("outcomes carry the audit action and description; publish supersedes")
    func auditFields() throws {
        let submitted = try decide(.draft, .submit, by: officer, reason: "  ")
        #expect(submitted.auditAction == "submit")
        #expect(submitted.auditDescription == "submit: draft → department_review")
        #expect(submitted.reason == nil)
        let published = try decide(.approved, .publish, by: financeReviewer)
        #expect(published.supersedesPrevious)
        #expect(published.auditDescription == "publish: approved → published")
        #expect(!(try decide(.financeReview, .approve, by: financeReviewer).supersedesPrevious))
        #expect(try decide(.published, .revise, by: officer, reason: "r").auditDescription
            == "revise: new draft revision of a published entry")
    }

    @Test("which transitions need the rules, and which the control figure")
    func ruleHelpers() throws {
        var needRules: [String] = []
        var needControl: [String] = []
        for role in Role.allCases {
            let someone = actor(role, inScope: true)
            for action in EntryAction.allCases {
                for state in EntryState.allCases {
                    let cell = "\(action.rawValue)@\(state.rawValue)"
                    if (try? decide(state, action, by: someone, reason: "r", violations: [someViolation])) == nil,
                       (try? decide(state, action, by: someone, reason: "r")) != nil {
                        needRules.append(cell)
                    }
                    if EntryActionCommand(action, on: UUID()).needs(by: someone, from: state).contains(.controlFigure) {
                        needControl.append(cell)
                    }
                }
            }
        }
        #expect(needRules.sorted() == ["approve@department_review", "approve@finance_review", "submit@draft"])
        #expect(needControl == ["approve@finance_review"])
    }

    @Test("state properties")
    func stateProperties() {
        #expect(EntryState.allCases.filter(\.isEditable) == [.draft])
        #expect(EntryState.allCases.filter(\.isTerminal) == [.discarded, .superseded])
        #expect(EntryState.allCases.filter(\.countsAgainstControlFigure) == [.approved, .published])
    }
}
