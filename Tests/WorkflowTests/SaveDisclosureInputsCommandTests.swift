import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// Disclosure inputs (baseline figures, narrative), decided in Workflow.
@Suite("disclosure inputs command")
struct SaveDisclosureInputsCommandTests {
    static let inputs = BLPEntryMapping.DisclosureInputs(
        baseline: ["total": Money(fen: 123_45), "basic": Money(fen: 100)], narrative: ["duties": "主要职责"])

    /// Who acts, and what becomes of a department 201's inputs: stored, forbidden by role, or
    /// not found (another department's reviewer sees no department 201).
    static let callers: [(Actor, WorkflowError.Category?)] = [
        (Actor(name: "f", role: .financeReviewer), nil),
        (Actor(name: "d", role: .departmentReviewer, orgCode: "201"), nil),
        (Actor(name: "d2", role: .departmentReviewer, orgCode: "202"), .notFound),
        (Actor(name: "o", role: .officer, orgCode: "201002"), .forbidden),
        (Actor(name: "a", role: .auditor), .forbidden),
        (Actor(name: "root", role: .admin), .forbidden),
    ]

    @Test("role and scope", arguments: callers)
    func who(_ actor: Actor, _ refused: WorkflowError.Category?) {
        #expect(Set(Self.callers.map(\.0.role)) == Set(Role.allCases))
        do {
            let plan = try SaveDisclosureInputsCommand(actor: actor, department: "201", year: 2020, inputs: Self.inputs)
                .decide(departmentExists: true)
            #expect(refused == nil)
            #expect(plan.writes == [
                .setDisclosureBaseline(department: "201", year: 2020, metric: "basic", amount: Money(fen: 100)),
                .setDisclosureBaseline(department: "201", year: 2020, metric: "total", amount: Money(fen: 123_45)),
                .setDisclosureNarrative(department: "201", year: 2020, section: "duties", text: "主要职责"),
            ])
            #expect(plan.events == [PlannedEvent(
                chain: "disclosure:201:2020", action: "disclosure.inputs",
                changes: ["baseline.basic": "1.00", "baseline.total": "123.45", "narrative.duties": "主要职责"])])
        } catch {
            #expect(error.category == refused)
        }
    }

    @Test("nothing given, a bad value, or an unknown department: nothing is stored")
    func refusals() throws {
        let finance = Actor(name: "f", role: .financeReviewer)
        #expect { try SaveDisclosureInputsCommand(actor: finance, department: "201", year: 2020, inputs: .init()) } throws: {
            ($0 as? WorkflowError)?.category == .invalidInput
        }
        for bad in [BLPEntryMapping.DisclosureInputs(baseline: ["nope": Money(fen: 1)]),
                    BLPEntryMapping.DisclosureInputs(baseline: ["total": Money(fen: -1)]),
                    BLPEntryMapping.DisclosureInputs(narrative: ["duties": "a\u{0}b"])] {
            #expect { try SaveDisclosureInputsCommand(actor: finance, department: "201", year: 2020, inputs: bad) } throws: {
                ($0 as? WorkflowError)?.category == .invalidInput
            }
        }
        let command = try SaveDisclosureInputsCommand(actor: finance, department: "299", year: 2020, inputs: Self.inputs)
        #expect(throws: WorkflowError.notFound(resource: "department")) { try command.decide(departmentExists: false) }
    }
}
