import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// The renderings: HTML for people, JSON, CSV and a fiscal data package for machines, Markdown.
@Suite("Disclosure renderings")
struct DisclosureRenderTests {
    typealias F = DisclosureFixtures

    /// A disclosure whose names and texts are full of markup and CSV metacharacters.
    private func hostile() throws -> Disclosure {
        let department = Organization(code: "666", name: "<script>alert('x')</script> & \"Co\"", kind: .department)
        let procurement = ProcurementItem(item: "椅子, \"人体工学\"", catalog: "A06", unit: "把", quantity: Quantity(2), price: yuan("500.00"))
        let project = F.draft("P-1", .project, general: "1000.00", name: "a,b \"c\"\nd <b>|x|</b>", procurement: [procurement])
        return try F.disclosure(
            [project], narrative: Narrative([.duties: "职责 <img src=x onerror=alert(1)>\n第二行 & 'quote'"]),
            department: department, units: [Organization(code: "666001", name: "单位\r\n二", kind: .unit, parentCode: "666")])
    }

    @Test("HTML: title, every part in the reference's order, the figures")
    func htmlStructure() throws {
        let html = try DisclosureSample.disclosure().renderHTML()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>中共保定市徐水区委办公室 2020年部门预算公开说明</title>"))
        #expect(html.contains("<h1>中共保定市徐水区委办公室 2020年部门预算公开说明</h1>"))
        let parts = ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分", "第六部分", "第七部分", "第八部分", "第九部分"]
        let positions = try parts.map { part in try #require(html.range(of: part)).lowerBound }
        #expect(positions == positions.sorted())
        for figure in ["1012.49", "835.07", "723.13", "111.94", "177.42", "139.20", "110.28", "28.92", "5.10", "23.58",
                       "13.18", "46.08", "34.00", "20.50", "54.50", "88.61", "77.86", "无增减变化"] {
            #expect(html.contains(figure), "missing \(figure)")
        }
        for project in ReferenceProjects.all {
            #expect(html.contains("<td colspan=\"2\">\(project.code)</td>"))
        }
        #expect(html.contains("<h4>1、督查调研所需经费绩效目标表</h4>"))
        #expect(html.contains("<caption>201002区委办（行政）　单位：万元</caption>"))
    }

    @Test("HTML: every table is a <table> with <th> headings")
    func htmlTables() throws {
        let html = try DisclosureSample.disclosure().renderHTML()
        let tables = html.components(separatedBy: "<table").dropFirst()
        // organizations, income, expenditure, operating costs, 三公, 8 × (project, indicators), procurement
        #expect(tables.count == 5 + 8 * 2 + 1)
        for table in tables {
            #expect(table.contains("<th"))
        }
        #expect(html.contains("<tr><th>序号</th><th>单位名称</th><th>单位性质</th><th>单位规格</th><th>经费保障形式</th></tr>"))
        #expect(html.contains("<tr><td>公务用车运行经费</td><td class=\"num\">34.00</td><td class=\"num\">34.00</td><td class=\"num\">0.00</td><td>无增减变化</td></tr>"))
        #expect(html.contains("<td rowspan=\"2\">产出指标</td>"))
    }

    @Test("HTML: inline SVG charts of the expenditure structure and of 三公, no external assets")
    func htmlCharts() throws {
        let html = try DisclosureSample.disclosure().renderHTML()
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(html.contains("723.13万元（71.42%）"))
        #expect(html.contains("111.94万元（11.06%）"))
        #expect(html.contains("177.42万元（17.52%）"))
        #expect(html.contains("“三公”经费2019年度与2020年度预算对比"))
        #expect(html.contains("<style>"))
        for external in ["<link", "<script", "src=", "url(", "@import", "https:"] {
            #expect(!html.contains(external), "external asset marker \(external)")
        }
    }

    @Test("HTML: every text is escaped")
    func htmlEscaping() throws {
        let html = try hostile().renderHTML()
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; 2021年部门预算公开说明</title>"))
        #expect(html.contains("<p>职责 &lt;img src=x onerror=alert(1)&gt;</p>"))
        #expect(html.contains("<p>第二行 &amp; &#39;quote&#39;</p>"))
        #expect(html.contains("a,b &quot;c&quot;<br>d &lt;b&gt;|x|&lt;/b&gt;"))
    }

    @Test("CSV: one file per table, RFC 4180 quoting, CRLF")
    func csv() throws {
        let files = try hostile().renderCSV()
        #expect(Set(files.keys) == [
            "organizations.csv", "income.csv", "expenditure.csv", "operating_costs.csv", "three_public.csv",
            "projects.csv", "indicators.csv", "procurement.csv",
        ])
        let projects = try #require(files["projects.csv"])
        #expect(projects.hasPrefix("code,name,unit_code,unit_name,amount,fiscal,other,purpose,plan_march,plan_june,plan_october,plan_december,goals\r\n"))
        #expect(projects.contains("P-1,\"a,b \"\"c\"\"\nd <b>|x|</b>\",666001,\"单位\r\n二\",0.10,0.10,0.00,用途,30.00,60.00,90.00,100.00,目标\r\n"))
        let procurement = try #require(files["procurement.csv"])
        #expect(procurement.contains(",\"椅子, \"\"人体工学\"\"\",A06,把,2,0.05,0.10\r\n"))
        // Unknown previous-year figures are empty fields.
        #expect(try #require(files["expenditure.csv"]).contains("total,支出合计,0.10,,\r\n"))
        let unit = try F.disclosure(
            [F.draft("A", .project, general: "1.00")],
            units: [Organization(code: "1", name: "x\r\ny", kind: .unit), Organization(code: "2", name: "z", kind: .unit)])
        #expect(try #require(unit.renderCSV()["organizations.csv"]).contains("1,1,\"x\r\ny\",事业,副科,财政补助\r\n"))
    }

    @Test("CSV of the sample")
    func sampleCSV() throws {
        let files = try DisclosureSample.disclosure().renderCSV()
        #expect(files["income.csv"] == "key,label,amount\r\ntotal,收入合计,1012.49\r\ngeneral,一般公共预算拨款,1012.49\r\n"
            + "fund,政府性基金预算拨款,0.00\r\nstate_capital,国有资本经营预算拨款,0.00\r\nspecial,财政专户核拨,0.00\r\nother,其他来源收入,0.00\r\n")
        #expect(try #require(files["three_public.csv"]).contains("total,合计,54.50,54.50,0.00,无增减变化\r\n"))
        #expect(try #require(files["indicators.csv"]).components(separatedBy: "\r\n").count - 2 == 25)
    }

    @Test("Markdown: the same parts and tables, text escaped")
    func markdown() throws {
        let markdown = try DisclosureSample.disclosure().renderMarkdown()
        #expect(markdown.hasPrefix("# 中共保定市徐水区委办公室 2020年部门预算公开说明\n"))
        #expect(markdown.contains("| 公务用车运行经费 | 34.00 | 34.00 | 0.00 | 无增减变化 |"))
        #expect(markdown.contains("| 收入合计 | 1012.49 |"))
        #expect(markdown.contains("本年度预算收支安排1012.49万元，较上年增加139.20万元。其中：基本支出增加110.28万元，项目支出增加28.92万元。"))
        #expect(markdown.contains("## 第八部分：名词解释"))
        let escaped = try hostile().renderMarkdown()
        #expect(escaped.contains("\\<script\\>"))
        #expect(escaped.contains("a,b \"c\"<br>d \\<b\\>\\|x\\|\\</b\\>"))
        #expect(!escaped.contains("<script>"))
    }

    @Test("JSON: the SPEC §8 shape, amounts as 万元 strings, sorted keys")
    func json() throws {
        let json = try DisclosureSample.disclosure().renderJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["department", "year", "income", "expenditure", "change", "operating_costs", "three_public", "projects", "procurement"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(json.hasPrefix(#"{"budget_lines":"#))  // sorted keys
        #expect(json.contains(#""department":{"code":"201","name":"中共保定市徐水区委办公室"}"#))
        #expect(json.contains(#""income":{"fund":"0.00","general":"1012.49","other":"0.00","special":"0.00","state_capital":"0.00","total":"1012.49"}"#))
        #expect(json.contains(#""operating_costs":{"office":"5.10","other":"46.08","post":"23.58","total":"111.94","union_welfare":"13.18","vehicle_operation":"24.00"}"#))
        #expect(json.contains(#""plan":["30.00","60.00","90.00","100.00"]"#))
        let projects = try #require(object["projects"] as? [[String: Any]])
        #expect(Set(projects[0].keys).isSuperset(of: ["code", "name", "amount", "fiscal", "other", "purpose", "plan", "goals", "indicators"]))
        let indicator = try #require((projects[0]["indicators"] as? [[String: Any]])?.first)
        #expect(Set(indicator.keys) == ["l1", "l2", "l3", "desc", "value", "basis"])
        let procurement = try #require(object["procurement"] as? [String: Any])
        #expect(procurement["total"] as? String == "88.61")
    }

    @Test("fiscal data package: the descriptor lists its resource, the CSV has one row per budget line")
    func fiscalDataPackage() throws {
        let disclosure = try DisclosureSample.disclosure()
        let files = try disclosure.renderFiscalDataPackage()
        #expect(Set(files.keys) == ["datapackage.json", "budget-lines.csv"])
        let descriptorText = try #require(files["datapackage.json"])
        let descriptor = try #require(try JSONSerialization.jsonObject(with: Data(descriptorText.utf8)) as? [String: Any])
        #expect(descriptor["name"] as? String == "budget-201-2020")
        #expect(descriptor["profile"] as? String == "fiscal-data-package")
        let resources = try #require(descriptor["resources"] as? [[String: Any]])
        #expect(resources.count == 1)
        #expect(resources[0]["path"] as? String == "budget-lines.csv")
        let schema = try #require(resources[0]["schema"] as? [String: Any])
        let fields = try #require(schema["fields"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        let model = try #require(descriptor["model"] as? [String: Any])
        let measure = try #require((model["measures"] as? [String: Any])?["amount"] as? [String: Any])
        #expect(measure["currency"] as? String == "CNY")
        #expect(measure["phase"] as? String == "approved")
        let dimensions = try #require(model["dimensions"] as? [String: Any])
        #expect(Set(dimensions.keys).isSuperset(of: ["administrative-classification", "functional-classification", "economic-classification", "date"]))

        let csv = try #require(files["budget-lines.csv"])
        var rows = csv.components(separatedBy: "\r\n")
        #expect(rows.removeLast() == "")
        let header = rows.removeFirst().components(separatedBy: ",")
        #expect(header == fields)
        #expect(rows.count == disclosure.budgetLines.count)
        let amount = try #require(header.firstIndex(of: "amount"))
        let cells = rows.map { $0.components(separatedBy: ",") }
        #expect(try cells.map { try Money.parse($0[amount]) }.reduce(Money.zero, +) == yuan("10124900.00"))
        #expect(cells.allSatisfy { $0.suffix(2) == ["CNY", "published"] && $0[0] == "2020" })
        #expect(rows[0] == "2020,201,中共保定市徐水区委办公室,201002,区委办（行政）,201-0001-JBN-RY01,工资福利支出,personnel,2013101,30101,1620000.00,CNY,published")
        #expect(rows.contains("2020,201,中共保定市徐水区委办公室,201002,区委办（行政）,201-0402-JBN-2ZGZ,高清视频会议系统维护租赁费,project,2013102,,22800.00,CNY,published"))
    }
}
