import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// The cross-checks that block publishing unless overridden.
@Suite("Disclosure checks")
struct DisclosureCheckTests {
    typealias F = DisclosureFixtures

    /// The sample with `narrative` texts replacing the sample's.
    private func sample(
        drafts: [EntryDraft] = DisclosureSample.drafts, narrative changes: [NarrativeSection: String] = [:]
    ) throws -> Disclosure {
        var narrative = DisclosureSample.narrative
        for (section, text) in changes { narrative[section] = text }
        return try Disclosure(DisclosureSample.input(drafts: drafts, narrative: narrative))
    }

    @Test("a broken sample: procurement over a project's amount and a narrative figure that disagrees")
    func brokenSample() throws {
        var drafts = DisclosureSample.drafts
        let index = try #require(drafts.firstIndex(of: ReferenceProjects.videoConference))
        // 2.28万元 project buying 3 × 1.00万元.
        drafts[index].procurement = [ProcurementItem(item: "视频终端", catalog: "A0201", unit: "台", quantity: Quantity(3), price: yuan("10000.00"))]
        let disclosure = try sample(drafts: drafts, narrative: [
            .changeReason: "基本支出增加110.00万元，主要原因是机构改革档案馆调入；项目支出增加28.92万元。",
        ])
        #expect(disclosure.procurement.total.description == "91.61")
        let checks = disclosure.checks()
        #expect(checks.map(\.code) == [.procurementExceedsAmount, .narrativeFigureMismatch])
        #expect(checks.map(\.subject) == ["201-0402-JBN-2ZGZ", "narrative.change_reason"])
        #expect(checks[0].message.contains("30000.00 yuan exceeds its amount 22800.00 yuan"))
        #expect(checks[1].message.contains("“基本支出增加110.00万元”"))
        #expect(checks[1].message.contains("110.28"))
    }

    @Test("the reference's own sentences all agree with the tables")
    func referenceSentences() throws {
        let text = """
            2020年预算收入为1012.49万元,其中：一般公共预算收入1012.49万元，基金预算收入0万元，财政专户收入0万元，其他来源收入0万元。
            2020年部门支出预算：1012.49万元
            基本支出835.07万元
                其中：人员经费723.13万元
                      日常公用经费111.94万元
            项目支出 177.42万元
                其中：本级支出177.42万元
            本年度预算收支安排1012.49万元，较上年增加139.20万元。其中:基本支出增加110.28万元，主要原因是机构改革档案馆调入，基本支出增加；项目支出增加28.92万元，主要原因是机要局项目金额较上年增加。
            2020年我部门机关运行经费安排111.94万元，其中办公费5.10万元，邮电费23.58万元，工会经费、福利费13.18万元，公务用车运行维护费24万元，其他支出46.08万元。
            2020年，我部门安排政府采购预算88.61万元，具体内容见下表：
            """
        #expect(try sample(narrative: [.changeReason: text]).checks() == [])
    }

    @Test("a change figure in the wrong direction disagrees")
    func wrongDirection() throws {
        let checks = try sample(narrative: [.changeReason: "项目支出减少28.92万元。"]).checks()
        #expect(checks.map(\.code) == [.narrativeFigureMismatch])
        #expect(checks.first?.message.contains("项目支出 change 28.92万元") == true)
    }

    @Test("an unnamed figure in the change reason must be one of the disclosure's figures")
    func unmatchedFigure() throws {
        let checks = try sample(narrative: [.changeReason: "较上年增加139.20万元；另有一笔999.99万元。"]).checks()
        #expect(checks.map(\.code) == [.narrativeFigureUnmatched])
        #expect(checks.first?.message.contains("999.99万元") == true)
    }

    @Test("figures elsewhere are checked when named, left alone when not from the budget")
    func otherSections() throws {
        let other = "上年末我部门固定资产总金额为414.78万元。本年度机关运行经费安排100.00万元。"
        let checks = try sample(narrative: [.other: other]).checks()
        #expect(checks.map(\.code) == [.narrativeFigureMismatch])
        #expect(checks.map(\.subject) == ["narrative.other"])
        #expect(checks.first?.message.contains("机关运行经费 111.94万元") == true)
    }

    @Test("a figure written with more decimals must match exactly")
    func exactDecimals() throws {
        let disclosure = try F.disclosure(
            [F.draft("A", .project, general: "12345.00")],
            narrative: Narrative([.performanceGoals: "项目支出1.2345万元；项目支出1.2346万元"]))
        #expect(disclosure.checks().map(\.code) == [.narrativeFigureMismatch])
    }

    @Test("a change named without a previous year cannot be confirmed")
    func changeWithoutBaseline() throws {
        let disclosure = try F.disclosure(
            [F.draft("A", .project, general: "10000.00")], narrative: Narrative([.changeReason: "项目支出增加1.00万元。"]))
        let checks = disclosure.checks()
        #expect(checks.map(\.code) == [.narrativeFigureMismatch])
        #expect(checks.first?.message.contains("no previous-year figure") == true)
    }

    @Test("items exceeding an operation entry's amount make 其他 negative")
    func negativeOperatingCost() throws {
        let disclosure = try F.disclosure([F.draft("O1", .operation, general: "100.00", items: [("30201", "300.00")])])
        #expect(disclosure.operatingCosts.other.description == "-0.02")
        #expect(disclosure.checks().map(\.code) == [.operatingCostsNegative])
        #expect(disclosure.checks().first?.subject == "operating_costs.other")
    }

    @Test("三公 changed without a reason")
    func threePublicReason() throws {
        let baseline = Baseline([.threePublicReception: yuan("1000.00")])
        let drafts = [F.draft("O1", .operation, general: "3000.00", items: [("30217", "3000.00")])]
        let silent = try F.disclosure(drafts, baseline: baseline)
        #expect(silent.threePublic.reason == "")
        #expect(silent.checks().map(\.code) == [.threePublicReason])
        // The subject is what to fill in and the message says where to send it (the code is not repeated).
        #expect(silent.checks().first?.subject == "narrative.three_public_reason")
        #expect(silent.checks().first?.message.contains("narrative section=three_public_reason") == true)
        #expect(silent.checks().first?.message.contains("/disclosure-inputs") == true)
        let explained = try F.disclosure(drafts, baseline: baseline, narrative: Narrative([.threePublicReason: "接待任务增加"]))
        #expect(explained.threePublic.reason == "接待任务增加")
        #expect(explained.checks() == [])
    }

    @Test("totals that do not add up (e.g. a tampered or hand-edited disclosure) are reported")
    func tamperedTotals() throws {
        var disclosure = try DisclosureSample.disclosure()
        disclosure.income.total = WanYuan(yuan("10000000.00"))
        disclosure.expenditure.basic = WanYuan(yuan("8350000.00"))
        disclosure.operatingCosts.office = WanYuan(yuan("50000.00"))
        disclosure.threePublic.current.total = WanYuan(.zero)
        disclosure.projects[0].fiscal = WanYuan(yuan("100000.00"))
        disclosure.procurement.total = WanYuan(.zero)
        disclosure.previous.basic = WanYuan(.zero)
        let codes = disclosure.checks().map(\.code)
        #expect(codes.contains(.incomeSum))
        #expect(codes.contains(.incomeExpenditure))
        #expect(codes.contains(.expenditureSum))
        #expect(codes.contains(.operatingCostsSum))
        #expect(codes.contains(.threePublicSum))
        #expect(codes.contains(.projectsSum))
        #expect(codes.contains(.procurementSum))
        #expect(codes.contains(.previousSum))
        #expect(codes.contains(.changeSum) == false)
    }

    @Test("check codes are stable strings")
    func codes() throws {
        #expect(DisclosureCheck.Code.procurementExceedsAmount.rawValue == "procurement.exceeds_amount")
        #expect(DisclosureCheck.Code.narrativeFigureMismatch.rawValue == "narrative.figure_mismatch")
        let check = DisclosureCheck(code: .incomeSum, subject: "income.total", message: "m")
        let json = String(decoding: try JSONEncoder().encode(check), as: UTF8.self)
        #expect(json.contains(#""code":"income.sum""#))
    }
}
