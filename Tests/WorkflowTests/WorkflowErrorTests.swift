import Testing
import Workflow
import WorkflowFixtures

@Suite("WorkflowError")
struct WorkflowErrorTests {
    static let all: [WorkflowError] = [
        .notFound(resource: "entry"), .forbidden("no"), .illegalTransition(state: .draft, action: .publish),
        .reasonRequired(action: "reject"), .validationFailed([]), .staleVersion(expected: 1, actual: 2),
        .conflict("dup"), .invalidInput("bad", details: []), .unauthorized("no token"),
    ]

    @Test("each error has a stable code and one category")
    func codes() {
        #expect(Self.all.map(\.code) == [
            "not_found", "forbidden", "illegal_transition", "reason_required", "validation_failed", "stale_version",
            "conflict", "invalid_input", "unauthorized",
        ])
        #expect(Self.all.map(\.category) == [
            .notFound, .forbidden, .conflict, .invalidInput, .validation, .preconditionFailed, .conflict, .invalidInput,
            .unauthorized,
        ])
        #expect(Set(Self.all.map(\.category)) == Set(WorkflowError.Category.allCases))
    }

    @Test("a validation failure lists every violation in its details")
    func details() {
        let violations = [
            Violation(rule: .v1, field: "general", message: "general must not be negative (-1.00)"),
            Violation(rule: .v4, field: "indicators", message: "a project needs at least one 产出指标 (output) indicator"),
        ]
        let error = WorkflowError.validationFailed(violations)
        #expect(error.details == [
            ErrorDetail(field: "general", rule: .v1, message: "general must not be negative (-1.00)"),
            ErrorDetail(field: "indicators", rule: .v4, message: "a project needs at least one 产出指标 (output) indicator"),
        ])
        #expect(error.message == "validation failed: 2 violation(s) of V1, V4")
        let input = WorkflowError.invalidInput("bad batch", details: [ErrorDetail(line: 3, field: "general", message: "not a number")])
        #expect(input.details.first?.line == 3)
        #expect(WorkflowError.notFound(resource: "entry").details.isEmpty)
    }

    @Test("messages are human and name their subject")
    func messages() {
        #expect(WorkflowError.notFound(resource: "entry").message == "entry not found")
        #expect(WorkflowError.reasonRequired(action: "reject").message == "reject requires a non-empty reason")
        #expect(WorkflowError.staleVersion(expected: 3, actual: 4).message.contains("4"))
        #expect(WorkflowError.illegalTransition(state: .draft, action: .approve).description
            == "illegal_transition: illegal transition: cannot approve an entry in state draft")
        // A second submit says why it is refused.
        #expect(WorkflowError.illegalTransition(state: .published, action: .submit).description
            == "illegal_transition: illegal transition: cannot submit an entry in state published: it is already submitted")
        #expect(WorkflowError.illegalTransition(state: .discarded, action: .submit).message
            == "illegal transition: cannot submit an entry in state discarded")
    }
}
