import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// The reference sample, disclosed, shows the reference document's figures (SPEC §8).
@Suite("Disclosure of the reference sample")
struct DisclosureReferenceTests {
    let disclosure: Disclosure

    init() throws {
        disclosure = try DisclosureSample.disclosure()
    }

    @Test("department, year and title")
    func heading() {
        #expect(disclosure.department == Disclosure.Department(code: "201", name: "中共保定市徐水区委办公室"))
        #expect(disclosure.year == 2020)
        #expect(disclosure.title == "中共保定市徐水区委办公室 2020年部门预算公开说明")
    }

    @Test("the organization table is the reference's one row")
    func organizations() {
        #expect(disclosure.organizations == [
            Disclosure.OrganizationRow(code: "201", name: "中共保定市徐水区委办公室", nature: "行政", level: "正科", funding: "财政拨款"),
        ])
    }

    @Test("income 1012.49, all 一般公共预算")
    func income() {
        let income = disclosure.income
        #expect([income.total, income.general, income.fund, income.stateCapital, income.special, income.other].map(\.description)
            == ["1012.49", "1012.49", "0.00", "0.00", "0.00", "0.00"])
        #expect(income.total.money == yuan("10124900.00"))
    }

    @Test("expenditure: basic 835.07 (personnel 723.13, operation 111.94), project 177.42")
    func expenditure() {
        let e = disclosure.expenditure
        #expect([e.total, e.basic, e.personnel, e.operation, e.project].map(\.description)
            == ["1012.49", "835.07", "723.13", "111.94", "177.42"])
    }

    @Test("change against 2019: +139.20 (basic +110.28, project +28.92)")
    func change() {
        #expect(disclosure.change.total?.description == "139.20")
        #expect(disclosure.change.basic?.description == "110.28")
        #expect(disclosure.change.project?.description == "28.92")
        #expect(disclosure.previous.total?.description == "873.29")
        #expect(disclosure.previous.basic?.description == "724.79")
        #expect(disclosure.previous.project?.description == "148.50")
    }

    @Test("机关运行经费 5.10 / 23.58 / 13.18 / 24.00 / 46.08 = 111.94")
    func operatingCosts() {
        let c = disclosure.operatingCosts
        #expect([c.office, c.post, c.unionWelfare, c.vehicleOperation, c.other, c.total].map(\.description)
            == ["5.10", "23.58", "13.18", "24.00", "46.08", "111.94"])
    }

    @Test("三公 0.00 / 0.00 / 34.00 / 20.50 = 54.50 in both years, no change, 无增减变化")
    func threePublic() throws {
        let expected = ["0.00", "0.00", "34.00", "20.50", "54.50"]
        func figures(_ column: Disclosure.ThreePublicFigures) -> [String] {
            [column.abroad, column.vehiclePurchase, column.vehicleOperation, column.reception, column.total].map(\.description)
        }
        #expect(figures(disclosure.threePublic.current) == expected)
        #expect(figures(try #require(disclosure.threePublic.previous)) == expected)
        #expect(figures(try #require(disclosure.threePublic.change)) == ["0.00", "0.00", "0.00", "0.00", "0.00"])
        #expect(disclosure.threePublic.reason == "无增减变化")
    }

    @Test("procurement 88.61 = 1.75 + 3.00 + 1.00 + 1.00 + 4.00 + 77.86, one unit subtotal")
    func procurement() {
        let procurement = disclosure.procurement
        #expect(procurement.total.description == "88.61")
        #expect(procurement.subtotals == [Disclosure.Procurement.Subtotal(unitCode: "201002", unitName: "区委办（行政）", total: procurement.total)])
        // Entry order: 日常公用经费's line first, then 综合事务管理's, then projects 7 and 8.
        #expect(procurement.items.map(\.amount.description) == ["4.00", "3.00", "1.00", "1.00", "1.75", "77.86"])
        #expect(procurement.items.map(\.entryName) == [
            "日常公用经费", "综合事务管理", "综合事务管理", "综合事务管理", "机要局机关密码通信及管理费",
            "徐水区党政机关电子公文系统安全可靠应用全面替代工程",
        ])
        #expect(procurement.items.map(\.entryAmount.description) == ["110.99", "40.00", "40.00", "40.00", "3.00", "78.68"])
        #expect(procurement.items[0].price.description == "0.50")
        #expect(procurement.items[4].price.description == "0.35")
    }

    @Test("the six published project tables, exactly as the reference, in its order")
    func sixProjects() throws {
        let projects = disclosure.projects
        #expect(projects.count == 8)  // and the two projects that only the procurement table names
        #expect(projects.prefix(6).map(\.code) == [
            "201-0502-JBN-E5EL", "201-0402-JBN-2ZGZ", "201-0403-JBN-TH71", "201-0601-JBN-L4IE", "201-0502-JBN-9Y35",
            "201-0901-JBN-LHVZ",
        ])
        #expect(projects.prefix(6).map(\.amount.description) == ["15.00", "2.28", "15.00", "2.16", "21.30", "40.00"])
        for (project, draft) in zip(projects, ReferenceProjects.all) {
            #expect(project.name == draft.name)
            #expect(project.fiscal == project.amount)
            #expect(project.other == .zero)
            #expect(project.unitCode == "201002")
            #expect(project.unitName == "区委办（行政）")
            #expect(project.purpose == draft.purpose)
            #expect(project.plan.map(\.description) == ["30.00", "60.00", "90.00", "100.00"])
            #expect(project.goals == draft.goals)
            #expect(project.indicators == draft.indicators)
        }
        #expect(projects.map(\.amount.money).reduce(Money.zero, +) == yuan("1774200.00"))
    }

    @Test("the sample passes every cross-check")
    func noChecks() {
        #expect(disclosure.checks() == [])
    }

    @Test("budget lines: one per item, in yuan, summing to the total")
    func budgetLines() {
        let lines = disclosure.budgetLines
        #expect(lines.map(\.amount).reduce(Money.zero, +) == yuan("10124900.00"))
        // 24 items plus one line each for the six projects without items.
        #expect(lines.count == 5 + 4 + 13 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1)
        #expect(lines.first == Disclosure.BudgetLine(
            unitCode: "201002", unitName: "区委办（行政）", entryCode: "201-0001-JBN-RY01", entryName: "工资福利支出",
            kind: .personnel, functionCode: "2013101", econ: "30101", amount: yuan("1620000.00")))
        #expect(lines.filter { $0.econ.isEmpty }.map(\.entryCode) == [
            "201-0402-JBN-2ZGZ", "201-0601-JBN-L4IE", "201-0502-JBN-9Y35", "201-0901-JBN-LHVZ", "201-0602-JBN-JYMM",
            "201-0603-JBN-DZGW",
        ])
    }
}
