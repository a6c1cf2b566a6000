import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// PUT of one draft, decided in Workflow from the stored entry and where the request says it is.
@Suite("replacing a draft: ReplaceDraftCommand")
struct ReplaceDraftCommandTests {
    static let officer = Actor(name: "officer", role: .officer, orgCode: "201002")
    static let draft = EntryDraft(
        code: "201-OP-1", name: "办公经费", kind: .operation, functionCode: "2013101",
        sources: FundingSources(general: Money(fen: 10_000)))
    static let stored = BudgetEntry(
        id: UUID(uuid: (1, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0)), year: 2020, unitCode: "201002",
        departmentCode: "201", version: 3, content: draft)

    struct Claim: Sendable, CustomTestStringConvertible {
        var claimed: ClaimedPlace
        var fields: [String]
        var testDescription: String { "unit \(claimed.unit ?? "-"), year \(claimed.year.map(String.init) ?? "-") → \(fields)" }
    }

    static let claims: [Claim] = [
        Claim(claimed: ClaimedPlace(), fields: []),
        Claim(claimed: ClaimedPlace(unit: "", year: nil), fields: []),
        Claim(claimed: ClaimedPlace(unit: "201002", year: 2020), fields: []),
        Claim(claimed: ClaimedPlace(unit: "201003", year: 2020), fields: ["unit"]),
        Claim(claimed: ClaimedPlace(unit: "201002", year: 2021), fields: ["year"]),
        Claim(claimed: ClaimedPlace(unit: "202001", year: 2019), fields: ["unit", "year"]),
    ]

    @Test("a unit or year the request claims must be the stored entry's; each disagreement is named", arguments: claims)
    func claimedPlace(_ claim: Claim) throws {
        var changed = Self.draft
        changed.name = "办公经费（调整）"
        do {
            let (plan, after) = try ReplaceDraftCommand.decide(
                actor: Self.officer, entry: Self.stored, with: changed, expectedVersion: 3, claimed: claim.claimed)
            #expect(claim.fields.isEmpty, "a disagreeing claim was accepted")
            #expect(plan.writes == [.replaceDraftContent(id: Self.stored.id, content: changed, fromVersion: 3)])
            #expect(plan.events.map(\.action) == ["edit"])
            #expect(after.version == 4)
        } catch {
            #expect(error.category == .invalidInput)
            #expect(error.details.compactMap(\.field) == claim.fields)
        }
    }

    @Test("a disagreeing claim is judged after scope and role, before the version: nothing about another unit's entry leaks")
    func order() throws {
        let stranger = Actor(name: "o2", role: .officer, orgCode: "201003")
        #expect(throws: WorkflowError.notFound(resource: "entry")) {
            try ReplaceDraftCommand.decide(
                actor: stranger, entry: Self.stored, with: Self.draft, expectedVersion: 1, claimed: ClaimedPlace(unit: "201003"))
        }
        #expect(throws: WorkflowError.self) {
            try ReplaceDraftCommand.decide(
                actor: Self.officer, entry: Self.stored, with: Self.draft, expectedVersion: 1, claimed: ClaimedPlace(year: 2021))
        }
        do {
            _ = try ReplaceDraftCommand.decide(
                actor: Self.officer, entry: Self.stored, with: Self.draft, expectedVersion: 1, claimed: ClaimedPlace(year: 2021))
        } catch {
            #expect(error.code == "invalid_input", "the claim, not the stale version, is reported first")
        }
    }
}
