import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// Publishing a department-year, decided in Workflow.
@Suite("publish command")
struct PublishCommandTests {
    static func entry(_ code: String, state: EntryState = .approved, revision: Int = 1, fen: Int64 = 10_000) -> BudgetEntry {
        BudgetEntry(id: UUID(), year: 2020, unitCode: "201002", departmentCode: "201", revision: revision, version: 4, state: state,
                    content: EntryDraft(code: code, name: "n", kind: .operation, functionCode: "2013101",
                                        sources: FundingSources(general: Money(fen: fen))))
    }

    @Test("only the finance bureau publishes", arguments: Role.allCases)
    func roles(_ role: Role) {
        do {
            _ = try PublishCommand(actor: Actor(name: "x", role: role, orgCode: "201"), department: "201", year: 2020, overrideReason: nil)
            #expect(role == .financeReviewer)
        } catch {
            #expect(role != .financeReviewer && error.workflowCategory == .forbidden)
        }
    }

    static let finance = Actor(name: "finance", role: .financeReviewer)

    @Test("nothing to publish: unknown department, no approved entries and no inputs, or unchanged inputs")
    func nothing() throws {
        let command = try PublishCommand(actor: Self.finance, department: "201", year: 2020, overrideReason: nil)
        #expect(throws: WorkflowError.notFound(resource: "department")) { try command.decide(.init(departmentExists: false)) }
        #expect(throws: WorkflowError.conflict("department 201 has no approved entries in 2020 to publish")) {
            try command.decide(.init(departmentExists: true))
        }
        var unchanged = PublishCommand.Snapshot(departmentExists: true)
        unchanged.previousPublication = 3
        #expect { try command.decide(unchanged) } throws: { ($0 as? WorkflowError)?.category == .conflict }
        unchanged.inputsChanged = ["baseline.total"]
        #expect(try command.decide(unchanged).plan == Plan())
    }

    @Test("approved entries are published, a revision superseding the published one of its code")
    func publish() throws {
        let command = try PublishCommand(actor: Self.finance, department: "201", year: 2020, overrideReason: nil)
        var revised = Self.entry("B", revision: 2)
        let old = RevisionReference(id: UUID(), revision: 1)
        revised.supersedes = old.id
        var snapshot = PublishCommand.Snapshot(departmentExists: true)
        snapshot.approved = [Self.entry("A"), revised]
        snapshot.published = ["B": [old]]
        let (plan, published) = try command.decide(snapshot)
        #expect(published.map(\.state) == [.published, .published])
        #expect(published.map(\.version) == [5, 5])
        #expect(plan.writes == [
            .setEntryState(id: snapshot.approved[0].id, to: .published),
            .setEntryState(id: old.id, to: .superseded),
            .setEntryState(id: revised.id, to: .published),
        ])
        #expect(plan.events.map(\.action) == ["publish", "supersede", "publish"])
        #expect(plan.events[1].changes == ["superseded_by": revised.id.uuidString.lowercased()])
    }

    @Test("a failed cross-check blocks unless overridden with a reason, which the event records")
    func crossChecks() throws {
        let failed = [PublishCommand.FailedCheck(code: "C1", subject: "total", message: "does not add up")]
        let plain = try PublishCommand(actor: Self.finance, department: "201", year: 2020, overrideReason: "  ")
        #expect { try plain.finish(published: [], inputsChanged: [], failedChecks: failed, frozen: .init()) } throws: {
            ($0 as? WorkflowError)?.category == .validation
        }
        let overriding = try PublishCommand(actor: Self.finance, department: "201", year: 2020, overrideReason: " 已核实 ")
        let frozen = BLPEntryMapping.DisclosureInputs(baseline: ["total": Money(fen: 100)], narrative: ["duties": "职责"])
        let plan = try overriding.finish(
            published: [Self.entry("A", fen: 150)], inputsChanged: ["narrative.duties"], failedChecks: failed, frozen: frozen)
        #expect(plan.writes == [.recordPublication(department: "201", year: 2020, entryCount: 1, overrideReason: " 已核实 ", frozen: frozen)])
        #expect(plan.events == [PlannedEvent(
            chain: "publication:201:2020", action: "publish", reason: "已核实",
            changes: ["entries": "1", "amount": "1.50", "inputs_changed": "narrative.duties", "overridden_checks": "C1 total"])])
        #expect(try plain.finish(published: [], inputsChanged: [], failedChecks: [], frozen: .init()).events.first?.reason == nil)
    }
}
