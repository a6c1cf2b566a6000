import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// What a spreadsheet makes of the disclosure's CSV, and how quantities print.
@Suite("Disclosure CSV safety and quantities")
struct DisclosureCSVSafetyTests {
    typealias F = DisclosureFixtures

    static let formulas = [
        #"=HYPERLINK("http://evil.example","x")"#, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
    ]

    /// A disclosure whose texts start like spreadsheet formulas, and whose 三公 fell (a negative change).
    func hostile() throws -> Disclosure {
        let buying = ProcurementItem(item: Self.formulas[3], catalog: "A06", unit: "=U", quantity: Quantity(2), price: yuan("500.00"))
        return try F.disclosure(
            [F.draft("=P-1", .project, general: "1000.00", name: Self.formulas[0], items: [("30217", "1000.00")], procurement: [buying]),
             F.draft("O-1", .operation, general: "200.00", name: Self.formulas[1])],
            baseline: Baseline([.threePublicReception: yuan("2250.00"), .total: yuan("3450.00")]),
            narrative: Narrative([.threePublicReason: Self.formulas[2]]),
            department: Organization(code: "301", name: "测试部门", kind: .department, nature: Self.formulas[5], level: "副科", funding: "财政补助"),
            units: [Organization(code: "301001", name: Self.formulas[4], kind: .unit, parentCode: "301")])
    }

    /// Every cell of every CSV the disclosure writes (tables and the data package's budget lines).
    func cells(_ disclosure: Disclosure) throws -> [String] {
        var files = disclosure.renderCSV()
        files["budget-lines.csv"] = try disclosure.renderFiscalDataPackage()["budget-lines.csv"]
        return files.values.flatMap(Self.parse)
    }

    /// RFC 4180 cells (quoted fields unquoted).
    static func parse(_ csv: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false, previous: Unicode.Scalar? = nil
        var scalars = csv.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if quoted {
                if c == "\"" { quoted = false } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" {
                if previous == "\"" { cell.unicodeScalars.append(c) }
                quoted = true
            } else if c == "," || c == "\n" {
                cells.append(cell); cell = ""
            } else if c != "\r" {
                cell.unicodeScalars.append(c)
            }
            previous = c
        }
        return cells
    }

    @Test("a cell a spreadsheet would take for a formula starts with a single quote; numbers, negative ones too, stay numbers")
    func formulaInjection() throws {
        let disclosure = try hostile()
        let cells = try cells(disclosure)
        for formula in Self.formulas {
            #expect(cells.contains("'" + formula), "\(formula.debugDescription) not neutralised")
            #expect(!cells.contains(formula), "\(formula.debugDescription) written as it is")
        }
        #expect(cells.contains("'=P-1") && cells.contains("'=U"))
        let dangerous: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
        for cell in cells where cell.unicodeScalars.first.map(dangerous.contains) == true {
            #expect(cell.wholeMatch(of: /-[0-9]+(\.[0-9]+)?/) != nil, "cell \(cell.debugDescription) starts like a formula")
        }
        // 公务接待 fell from 0.23 to 0.10万元: the change stays the number -0.13.
        let threePublic = try #require(disclosure.renderCSV()["three_public.csv"])
        #expect(threePublic.contains("reception,公务接待费支出,0.23,0.10,-0.13,'-2+3\r\n"), "\(threePublic)")
        // The quoting still holds: the neutralised cell is quoted where RFC 4180 needs it.
        #expect(try #require(disclosure.renderCSV()["projects.csv"]).contains(#""'=HYPERLINK(""http://evil.example"",""x"")""#))
    }

    @Test("budget lines say phase published; the data package's model keeps the FDP phase approved")
    func phase() throws {
        let files = try DisclosureSample.disclosure().renderFiscalDataPackage()
        let rows = try #require(files["budget-lines.csv"]).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.hasSuffix(",CNY,published") })
        #expect(try #require(files["datapackage.json"]).contains(#""phase" : "approved""#))
    }

    @Test("quantities: whole counts without decimals (8 辆), others with the decimals they have, in every format")
    func quantities() throws {
        let sample = try DisclosureSample.disclosure()
        let html = sample.renderHTML(), markdown = sample.renderMarkdown()
        #expect(html.contains(#"<td>辆</td><td class="num">8</td>"#), "8 辆 in HTML")
        #expect(html.contains(#"<td>套</td><td class="num">1</td>"#))
        #expect(!html.contains(#"<td class="num">8.00</td>"#) && !html.contains(#"<td class="num">1.00</td><td class="num">77.86"#))
        #expect(markdown.contains("| 辆 | 8 |") && markdown.contains("| 套 | 1 |"))
        #expect(!markdown.contains("| 辆 | 8.00 |"))

        let measured = ProcurementItem(item: "燃油", catalog: "A08", unit: "吨", quantity: try Quantity.parse("2.50"), price: yuan("8000.00"))
        let fine = ProcurementItem(item: "试剂", catalog: "A09", unit: "升", quantity: try Quantity.parse("0.125"), price: yuan("800.00"))
        let d = try F.disclosure([F.draft("P-1", .project, general: "30000.00", procurement: [measured, fine])])
        #expect(d.renderHTML().contains(#"<td>吨</td><td class="num">2.5</td>"#))
        #expect(d.renderHTML().contains(#"<td>升</td><td class="num">0.125</td>"#))
        #expect(d.renderMarkdown().contains("| 吨 | 2.5 |") && d.renderMarkdown().contains("| 升 | 0.125 |"))
        #expect(try #require(d.renderCSV()["procurement.csv"]).contains(",燃油,A08,吨,2.5,0.80,2.00\r\n"))
        let json = try d.renderJSON()
        #expect(json.contains(#""quantity":"2.5""#) && json.contains(#""quantity":"0.125""#))
    }
}
