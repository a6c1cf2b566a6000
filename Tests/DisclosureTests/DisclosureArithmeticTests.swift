import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// How the disclosure sums, classifies and compares (SPEC §8).
@Suite("Disclosure arithmetic")
struct DisclosureArithmeticTests {
    typealias F = DisclosureFixtures

    @Test("totals are summed in fen and rounded once: 3 × 40.00 yuan is 0.01万元, not 3 × 0.00")
    func roundingOnceUp() throws {
        let drafts = (1...3).map { F.draft("P\($0)", .personnel, general: "40.00") }
        let disclosure = try F.disclosure(drafts)
        #expect(WanYuan(yuan("40.00")).description == "0.00")  // each line alone would show 0.00
        #expect(disclosure.expenditure.personnel.description == "0.01")
        #expect(disclosure.income.total.description == "0.01")
    }

    @Test("totals are rounded once: 3 × 60.00 yuan is 0.02万元, not 3 × 0.01")
    func roundingOnceDown() throws {
        let drafts = (1...3).map { F.draft("O\($0)", .operation, general: "60.00", items: [("30201", "60.00")]) }
        let disclosure = try F.disclosure(drafts)
        #expect(WanYuan(yuan("60.00")).description == "0.01")
        #expect(disclosure.operatingCosts.office.description == "0.02")
        #expect(disclosure.expenditure.total.description == "0.02")
        #expect(disclosure.operatingCosts.office.money == yuan("180.00"))
    }

    @Test("half-up at the 0.005万元 boundary")
    func halfUp() throws {
        #expect(try F.disclosure([F.draft("A", .project, general: "50.00")]).expenditure.project.description == "0.01")
        #expect(try F.disclosure([F.draft("A", .project, general: "49.99")]).expenditure.project.description == "0.00")
    }

    @Test("机关运行经费: categories by economic code; no items → other; uncovered remainder → other")
    func operatingCostClassification() throws {
        let disclosure = try F.disclosure([
            F.draft("O1", .operation, general: "9000.00",
                    items: [("30201", "1000.00"), ("30207", "2000.00"), ("30228", "300.00"), ("30229", "700.00"),
                            ("30231", "4000.00"), ("30211", "500.00")]),  // 8500.00 of 9000.00 covered
            F.draft("O2", .operation, general: "2500.00"),
            // Not 机关运行经费: a project's 30201 and personnel items.
            F.draft("J1", .project, general: "9000.00", items: [("30201", "9000.00")]),
            F.draft("R1", .personnel, general: "8000.00", items: [("30101", "8000.00")]),
        ])
        let costs = disclosure.operatingCosts
        #expect(costs.office.money == yuan("1000.00"))
        #expect(costs.post.money == yuan("2000.00"))
        #expect(costs.unionWelfare.money == yuan("1000.00"))
        #expect(costs.vehicleOperation.money == yuan("4000.00"))
        #expect(costs.other.money == yuan("3500.00"))  // 500.00 (30211) + 500.00 uncovered + 2500.00 without items
        #expect(costs.total.money == yuan("11500.00"))
        #expect(costs.total == disclosure.expenditure.operation)
        #expect(disclosure.checks() == [])
    }

    @Test("三公 sums the items of every kind of entry")
    func threePublicOverAllEntries() throws {
        let disclosure = try F.disclosure([
            F.draft("O1", .operation, general: "3000.00", items: [("30231", "1000.00"), ("30217", "2000.00")]),
            F.draft("J1", .project, general: "9000.00", items: [("30212", "4000.00"), ("31013", "5000.00")]),
            F.draft("R1", .personnel, general: "600.00", items: [("30217", "600.00")]),
        ])
        let current = disclosure.threePublic.current
        #expect(current.abroad.money == yuan("4000.00"))
        #expect(current.vehiclePurchase.money == yuan("5000.00"))
        #expect(current.vehicleOperation.money == yuan("1000.00"))
        #expect(current.reception.money == yuan("2600.00"))
        #expect(current.total.money == yuan("12600.00"))
        #expect(disclosure.threePublic.previous == nil)
        #expect(disclosure.threePublic.change == nil)
        #expect(disclosure.threePublic.reason == "")
    }

    @Test("only published entries of the department-year are disclosed")
    func onlyPublished() throws {
        let published = F.entries([F.draft("A", .project, general: "100.00")])
        let others = F.entries([F.draft("B", .project, general: "1.00")], state: .approved)
            + F.entries([F.draft("C", .project, general: "2.00")], state: .draft)
            + F.entries([F.draft("D", .project, general: "4.00")], state: .superseded)
            + F.entries([F.draft("E", .project, general: "8.00")], year: 2020)
            + [BudgetEntry(id: UUID(), year: 2021, unitCode: "999001", departmentCode: "999", state: .published,
                           content: F.draft("F", .project, general: "16.00"))]
        let disclosure = try Disclosure(DisclosureInput(
            department: F.department, units: [F.unit], year: 2021, entries: published + others))
        #expect(disclosure.expenditure.total.money == yuan("100.00"))
        #expect(disclosure.projects.map(\.code) == ["A"])
    }

    @Test("income by funding source; 财政资金 and 其他资金 of a project")
    func fundingSources() throws {
        let disclosure = try F.disclosure([
            F.draft("A", .project, general: "60000.00", special: "30000.00", other: "10000.00"),
            F.draft("B", .personnel, general: "5000.00"),
        ])
        #expect(disclosure.income.general.description == "6.50")
        #expect(disclosure.income.special.description == "3.00")
        #expect(disclosure.income.other.description == "1.00")
        #expect(disclosure.income.total.description == "10.50")
        let project = try #require(disclosure.projects.first)
        #expect([project.amount, project.fiscal, project.other].map(\.description) == ["10.00", "6.00", "4.00"])
    }

    @Test("a decrease is a plain negative figure")
    func negativeChange() throws {
        let baseline = Baseline([.total: yuan("50000.00"), .basic: yuan("20000.00"), .project: yuan("30000.00")])
        let disclosure = try F.disclosure(
            [F.draft("A", .project, general: "26500.00"), F.draft("B", .personnel, general: "20000.00")], baseline: baseline)
        #expect(disclosure.change.total?.description == "-0.35")
        #expect(disclosure.change.basic?.description == "0.00")
        #expect(disclosure.change.project?.description == "-0.35")
        #expect(disclosure.change.personnel == nil)
        let json = try disclosure.renderJSON()
        #expect(json.contains(#""change":{"basic":"0.00","operation":null,"personnel":null,"project":"-0.35","total":"-0.35"}"#))
    }

    @Test("a partial baseline: basic and total derived from their parts, the rest unknown")
    func partialBaseline() throws {
        let baseline = Baseline([
            .personnel: yuan("10000.00"), .operation: yuan("5000.00"), .project: yuan("1000.00"),
            .threePublicReception: yuan("300.00"),
        ])
        let disclosure = try F.disclosure([F.draft("A", .project, general: "20000.00")], baseline: baseline)
        #expect(disclosure.previous.basic?.description == "1.50")
        #expect(disclosure.previous.total?.description == "1.60")
        #expect(disclosure.change.total?.description == "0.40")
        let previous = try #require(disclosure.threePublic.previous)
        #expect([previous.abroad, previous.vehiclePurchase, previous.vehicleOperation, previous.reception, previous.total]
            .map(\.description) == ["0.00", "0.00", "0.00", "0.03", "0.03"])
        #expect(disclosure.threePublic.change?.reception.description == "-0.03")
    }

    @Test("without a baseline the previous year and the changes are null")
    func noBaseline() throws {
        let disclosure = try F.disclosure([F.draft("A", .project, general: "100.00")])
        #expect(disclosure.previous == .unknown)
        #expect(disclosure.change == .unknown)
        let json = try disclosure.renderJSON()
        #expect(json.contains(#""change":{"basic":null,"operation":null,"personnel":null,"project":null,"total":null}"#))
        #expect(json.contains(#""three_public":{"change":null,"current":{"#))
        #expect(json.contains(#""previous":null"#))
    }

    @Test("previous-year entries take precedence over the baseline")
    func previousEntriesWin() throws {
        let baseline = Baseline([.total: yuan("1.00"), .basic: yuan("1.00"), .project: yuan("0.00"), .threePublicAbroad: yuan("1.00")])
        let disclosure = try F.disclosure(
            [F.draft("A", .project, general: "30000.00", items: [("30217", "30000.00")])],
            baseline: baseline,
            previous: [
                F.draft("A", .project, general: "10000.00", items: [("30217", "10000.00")]),
                F.draft("B", .personnel, general: "5000.00"),
            ])
        #expect(disclosure.previous.total?.description == "1.50")
        #expect(disclosure.previous.personnel?.description == "0.50")
        #expect(disclosure.change.total?.description == "1.50")
        #expect(disclosure.change.basic?.description == "-0.50")
        #expect(disclosure.threePublic.previous?.reception.description == "1.00")
        #expect(disclosure.threePublic.previous?.abroad.description == "0.00")
        #expect(disclosure.threePublic.change?.reception.description == "2.00")
    }

    @Test("organization table: a single unit shows the department, several units show each unit")
    func organizationRows() throws {
        let single = try F.disclosure([F.draft("A", .project, general: "1.00")])
        #expect(single.organizations.map(\.name) == ["测试部门"])
        let second = Organization(code: "301002", name: "第二单位", kind: .unit, parentCode: "301", nature: "行政")
        let several = try F.disclosure([F.draft("A", .project, general: "1.00")], units: [F.unit, second])
        #expect(several.organizations == [
            Disclosure.OrganizationRow(code: "301001", name: "测试单位", nature: "事业", level: "副科", funding: "财政补助"),
            Disclosure.OrganizationRow(code: "301002", name: "第二单位", nature: "行政", level: "副科", funding: "财政补助"),
        ])
    }

    @Test("budget lines cover every entry exactly, with a line for what the items leave out")
    func budgetLineRemainder() throws {
        let disclosure = try F.disclosure([
            F.draft("O1", .operation, general: "1000.00", items: [("30201", "600.00")]),
            F.draft("J1", .project, general: "250.00"),
        ])
        #expect(disclosure.budgetLines.map(\.econ) == ["30201", "", ""])
        #expect(disclosure.budgetLines.map(\.amount) == [yuan("600.00"), yuan("400.00"), yuan("250.00")])
    }

    @Test("projects and procurement keep the input order")
    func inputOrder() throws {
        let line = ProcurementItem(item: "纸", catalog: "A05", unit: "箱", quantity: Quantity(2), price: yuan("150.00"))
        let disclosure = try F.disclosure([
            F.draft("Z-9", .project, general: "1000.00", procurement: [line]),
            F.draft("A-1", .project, general: "1000.00", procurement: [line]),
        ])
        #expect(disclosure.projects.map(\.code) == ["Z-9", "A-1"])
        #expect(disclosure.procurement.items.map(\.entryCode) == ["Z-9", "A-1"])
        #expect(disclosure.procurement.total.description == "0.06")
    }

    @Test("the JSON decodes back to the same disclosure")
    func jsonRoundTrip() throws {
        let disclosure = try DisclosureSample.disclosure()
        let decoded = try JSONDecoder().decode(Disclosure.self, from: Data(try disclosure.renderJSON().utf8))
        #expect(decoded == disclosure)
    }
}
