import Workflow

/// The 批复 document as a printable HTML page: every piece of user text escaped by ``HTMLWriter``.
public enum BudgetApprovalHTML {
    public static func render(_ document: BudgetApprovalDocument) -> String {
        var html = HTMLWriter()
        let title = "\(document.department.name)\(document.year)年部门预算批复"
        html.raw("""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(HTMLText.escape(title))</title>
            <style>
            body { font-family: "Noto Serif CJK SC", "SimSun", serif; max-width: 56em; margin: 2em auto; }
            table { border-collapse: collapse; width: 100%; margin: 1em 0; }
            th, td { border: 1px solid #444; padding: 0.3em 0.5em; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            caption { font-weight: bold; text-align: left; margin-bottom: 0.3em; }
            @media print { body { margin: 0; } }
            </style>
            </head>
            <body>

            """)
        html.element("h1", title)
        html.element("p", "文号：\(document.number)")
        html.element("p", "人民代表大会批准日期：\(document.congressDate)　批复时间：\(document.approvedAt)　批复人：\(document.approvedBy)")
        if let units = document.unitsApproval {
            html.element("p", "部门对所属单位批复：\(units.number ?? "（无文号）")　\(units.approvedAt)　\(units.approvedBy)")
        }
        html.element("p", "单位：元")
        html.table([[.th("合计"), .number(document.total.description)]], caption: "批复总额")
        var units: [[HTMLCell]] = [[.th("单位编码"), .th("单位名称"), .th("合计"), .th("人员经费"), .th("日常公用经费"), .th("项目支出")]]
        for unit in document.byUnit {
            units.append([.td(unit.code), .td(unit.name), .number(unit.total.description), .number(unit.personnel.description),
                          .number(unit.operation.description), .number(unit.project.description)])
        }
        html.table(units, caption: "按单位")
        let kinds: [(String, String)] = [("personnel", "人员经费"), ("operation", "日常公用经费"), ("project", "项目支出")]
        html.table([kinds.map { .th($0.1) }, kinds.map { .number(document.byKind[$0.0]?.description ?? "0.00") }], caption: "按支出类型")
        let sources: [(String, String)] = [
            ("general", "一般公共预算拨款"), ("fund", "政府性基金预算拨款"), ("state_capital", "国有资本经营预算拨款"),
            ("special", "财政专户核拨"), ("other", "其他来源收入"),
        ]
        html.table([sources.map { .th($0.1) }, sources.map { .number(document.bySource[$0.0]?.description ?? "0.00") }],
                   caption: "按资金来源")
        var projects: [[HTMLCell]] = [[.th("项目编码"), .th("项目名称"), .th("单位"), .th("金额")]]
        for project in document.projects {
            projects.append([.td(project.code), .td(project.name), .td(project.unit), .number(project.amount.description)])
        }
        html.table(projects, caption: "按项目")
        html.raw("</body>\n</html>\n")
        return html.output
    }
}
