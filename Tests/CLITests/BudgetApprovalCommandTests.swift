import Foundation
import TestSupport
import Testing
import Workflow

@Suite("budgetctl approve-budget, approve-units, budget-approval, deadlines")
struct BudgetApprovalCommandTests {
    @Test("the finance bureau gives the 批复 once; the document, the units' 批复 and the clocks follow")
    func approveBudget() async throws {
        let world = try await CLIWorld.bootstrapped()
        let args = ["approve-budget", "--department", "201", "--year", "2020", "--congress-date", "2020-01-10", "--number", "徐财预〔2020〕1号"]
        try await world.toFinanceReview([Fixture.project("201-0502-JBN-E5EL")])

        let early = try await world.run(args, as: "finance")
        #expect(early.status == 4, "\(early.stderr)")
        #expect(early.stderr.contains("201-0502-JBN-E5EL") && early.stderr.contains("finance_review"))
        let before = try world.auditEventCount()

        try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
        let units = try await world.run(["approve-units", "--department", "201", "--year", "2020"], as: "reviewer-201")
        #expect(units.status == 4, "before the finance 批复: \(units.stderr)")
        let forbidden = try await world.run(args, as: "reviewer-201")
        #expect(forbidden.status == 1 && forbidden.stderr.contains("finance bureau"), "\(forbidden.stderr)")
        let badDate = try await world.run(["approve-budget", "--department", "201", "--year", "2020", "--congress-date", "2020-13-01",
                                           "--number", "n"], as: "finance")
        #expect(badDate.status == 1 && badDate.stderr.contains("congress_date"), "\(badDate.stderr)")
        #expect(try world.auditEventCount() == before + 1, "only the approval wrote an event")

        let approved = try await world.ok(args, as: "finance")
        #expect(approved.stdout.contains("徐财预〔2020〕1号") && approved.stdout.contains("150,000.00"), "\(approved.stdout)")
        let again = try await world.run(args, as: "finance")
        #expect(again.status == 4 && again.stderr.contains("already"), "\(again.stderr)")

        let deadlines = try await world.ok(["deadlines", "--format", "json"], as: "finance")
        let clocks = try #require(try JSONSerialization.jsonObject(with: Data(deadlines.stdout.utf8)) as? [[String: Any]])
        #expect(clocks.contains { $0["clock"] as? String == "units_approval" && $0["days_left"] as? Int == 15 })
        let queue = try await world.ok(["queue"], as: "finance")
        #expect(queue.stdout.contains("awaiting publication"), "the unmanaged clock stays: \(queue.stdout)")
        #expect(queue.stdout.contains("units_approval") && queue.stdout.contains("15 days left"), "\(queue.stdout)")

        try await world.ok(["approve-units", "--department", "201", "--year", "2020", "--number", "徐委办〔2020〕3号"], as: "reviewer-201")
        let document = try await world.ok(["budget-approval", "--department", "201", "--year", "2020", "--format", "json"], as: "officer-201002")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(document.stdout.utf8)) as? [String: Any])
        #expect(json["total"] as? String == "150000.00")
        #expect((json["by_unit"] as? [[String: Any]])?.first?["code"] as? String == "201002")
        let html = try await world.ok(["budget-approval", "--department", "201", "--year", "2020", "--format", "html"], as: "finance")
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("徐委办〔2020〕3号"))
        let none = try await world.run(["budget-approval", "--department", "201", "--year", "2021"], as: "finance")
        #expect(none.status == 3)
    }
}
