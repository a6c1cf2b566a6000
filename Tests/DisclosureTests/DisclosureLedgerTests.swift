import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// The previous year reaches a disclosure as sums PostgreSQL computed (grouped by kind, and by kind
/// and economic code); they must give what the entries themselves give.
@Suite("Disclosure ledger")
struct DisclosureLedgerTests {
    typealias F = DisclosureFixtures

    /// `drafts` summed the way the database sums them: one addition per group, not per entry.
    private func grouped(_ drafts: [EntryDraft]) throws -> DisclosureLedger {
        var ledger = DisclosureLedger()
        for kind in EntryKind.allCases {
            var sources = FundingSources()
            for draft in drafts where draft.kind == kind {
                sources = FundingSources(
                    general: try sources.general.adding(draft.sources.general), fund: try sources.fund.adding(draft.sources.fund),
                    stateCapital: try sources.stateCapital.adding(draft.sources.stateCapital),
                    special: try sources.special.adding(draft.sources.special), other: try sources.other.adding(draft.sources.other))
            }
            try ledger.add(kind: kind, sources: sources)
        }
        var items: [DisclosureLedger.ItemGroup: Money] = [:]
        for draft in drafts {
            for item in draft.items {
                let group = DisclosureLedger.ItemGroup(kind: draft.kind, econ: item.econ)
                items[group] = try (items[group] ?? .zero).adding(item.amount)
            }
        }
        for (group, amount) in items {
            try ledger.add(kind: group.kind, econ: group.econ, amount: amount)
        }
        return ledger
    }

    @Test("the sample's entries as the previous year: grouped sums and entries give the same disclosure")
    func previousYearSums() throws {
        let current = [F.draft("P-1", .project, general: "150000.00", items: [("30231", "50000.00")])]
        let previous = DisclosureSample.drafts
        let fromEntries = try F.disclosure(current, previous: previous)
        let fromSums = try Disclosure(DisclosureInput(
            department: F.department, units: [F.unit], year: 2021, entries: F.entries(current), previousLedger: try grouped(previous)))
        #expect(fromSums == fromEntries)
        #expect(fromSums.previous.total?.description == "1012.49" && fromSums.threePublic.previous?.total.description == "54.50")
    }

    @Test("the ledger of entries equals their grouped sums")
    func entriesAndGroups() throws {
        let drafts = DisclosureSample.drafts
        #expect(try DisclosureLedger(F.entries(drafts)) == grouped(drafts))
    }

    @Test("previous-year entries win over previous-year sums, and those over the baseline")
    func precedence() throws {
        let current = [F.draft("P-1", .project, general: "150000.00")]
        var sums = DisclosureLedger()
        try sums.add(kind: .project, sources: FundingSources(general: yuan("10000.00")))
        let baseline = Baseline([.total: yuan("30000.00")])
        func previousTotal(_ entries: [EntryDraft]?, _ ledger: DisclosureLedger?) throws -> String? {
            try Disclosure(DisclosureInput(
                department: F.department, units: [F.unit], year: 2021, entries: F.entries(current), baseline: baseline,
                previousEntries: entries.map { F.entries($0, year: 2020) }, previousLedger: ledger)).previous.total?.description
        }
        #expect(try previousTotal([F.draft("P-0", .project, general: "20000.00")], sums) == "2.00")
        #expect(try previousTotal(nil, sums) == "1.00")
        #expect(try previousTotal(nil, nil) == "3.00")
    }
}
