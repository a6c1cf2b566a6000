import Workflow

extension Disclosure {
    /// A self-contained, printable HTML page in Chinese, in the reference document's order:
    /// 第一部分 部门职责及机构设置 … 第五部分 预算绩效信息, 第六部分 政府采购, then the other
    /// narrative (国有资产, 名词解释, 其他需说明的事项). Inline CSS and SVG charts, no external
    /// assets; every text escaped; every table a `<table>` with `<th>` headings.
    public func renderHTML() -> String {
        var html = HTMLWriter()
        html.raw("""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>\(Self.stylesheet)</style>
            </head>
            <body>
            <main>

            """)
        html.element("h1", title)
        html.element("p", Self.preamble)
        writeDutiesAndOrganizations(&html)
        writeOverview(&html)
        writeOperatingCosts(&html)
        writeThreePublic(&html)
        writePerformance(&html)
        writeProcurement(&html)
        writeOther(&html)
        html.raw("</main>\n</body>\n</html>\n")
        return html.output
    }

    private func writeDutiesAndOrganizations(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第一部分：部门职责及机构设置情况")
        html.element("h3", "一、部门职责")
        html.paragraphs(narrative[.duties])
        html.element("h3", "二、机构设置")
        var rows: [[HTMLCell]] = [["序号", "单位名称", "单位性质", "单位规格", "经费保障形式"].map { .th($0) }]
        for (index, row) in organizations.enumerated() {
            rows.append([.number(String(index + 1)), .td(row.name), .td(row.nature), .td(row.level), .td(row.funding)])
        }
        html.table(rows)
        html.raw("</section>\n")
    }

    private func writeOverview(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第二部分：部门预算安排的总体情况")
        html.element("h3", "一、收入说明")
        html.element("p", incomeSentence)
        html.table([[.th("项目"), .th("金额")]] + incomeRows.map { [.td($0.label), .number($0.value.description)] },
                   caption: "单位：万元")
        html.element("h3", "二、支出说明")
        html.element("p", expenditureSentence)
        var rows: [[HTMLCell]] = [[.th("项目"), .th("\(year)年预算"), .th("\(year - 1)年预算"), .th("增减金额")]]
        for row in expenditureRows {
            rows.append([
                .td(row.label), .number(row.current.description), .number(Self.text(row.previous)), .number(Self.text(row.change)),
            ])
        }
        html.table(rows, caption: "单位：万元")
        html.raw("<figure>\n")
        html.raw(DisclosureChart.expenditureStructure(expenditure))
        html.element("figcaption", "图1 \(year)年支出结构（人员经费、日常公用经费、项目支出）")
        html.raw("</figure>\n")
        html.element("h3", "三、比上年增减情况")
        html.element("p", changeSentence)
        html.paragraphs(narrative[.changeReason])
        html.raw("</section>\n")
    }

    private func writeOperatingCosts(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第三部分：机关运行经费安排情况")
        html.element("p", operatingCostsSentence)
        html.table([[.th("项目"), .th("金额")]] + operatingCostRows.map { [.td($0.label), .number($0.value.description)] },
                   caption: "单位：万元")
        html.raw("</section>\n")
    }

    private func writeThreePublic(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第四部分：财政拨款“三公”经费预算情况及增减变化原因")
        var rows: [[HTMLCell]] = [
            [.th("项目名称"), .th("\(year - 1)年度预算"), .th("\(year)年度预算"), .th("增减金额"), .th("变化原因")],
        ]
        for row in threePublicRows {
            rows.append([
                .td(row.label), .number(Self.text(row.previous)), .number(row.current.description),
                .number(Self.text(row.change)), .td(threePublic.reason),
            ])
        }
        html.table(rows, caption: "单位：万元")
        html.raw("<figure>\n")
        html.raw(DisclosureChart.threePublicComparison(threePublic, year: year))
        html.element("figcaption", "图2 “三公”经费\(year - 1)年度与\(year)年度预算对比")
        html.raw("</figure>\n")
        html.raw("</section>\n")
    }

    /// A figure, or a dash when it is unknown.
    static func text(_ value: WanYuan?) -> String {
        value?.description ?? "—"
    }

    static let stylesheet = """
        body{margin:0;color:#1a1a1a;background:#fff;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",\
        "SimSun",serif;line-height:1.7}\
        main{max-width:960px;margin:0 auto;padding:24px}\
        h1{text-align:center;font-size:1.6em;margin:.5em 0 1em}\
        h2{font-size:1.25em;border-bottom:2px solid #333;padding-bottom:4px;margin-top:2em}\
        h3{font-size:1.1em;margin-top:1.4em}h4{font-size:1em;margin-top:1.2em}\
        p{text-indent:2em;margin:.4em 0}\
        table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:.95em}\
        caption{caption-side:top;text-align:right;font-size:.85em;padding:2px 0}\
        th,td{border:1px solid #555;padding:4px 6px;vertical-align:top;text-align:left}\
        th{background:#f0f0f0;font-weight:600}\
        td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
        figure{margin:8px 0 16px}figcaption{text-align:center;font-size:.85em}\
        svg{max-width:100%;height:auto;font-family:sans-serif}\
        @media print{main{max-width:none;padding:0}table,figure{break-inside:avoid}h2,h3,h4{break-after:avoid}}
        """
}
