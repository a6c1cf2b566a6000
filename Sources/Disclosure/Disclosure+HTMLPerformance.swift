import Workflow

extension Disclosure {
    func writePerformance(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第五部分：预算绩效信息")
        if !narrative[.performanceGoals].isEmpty {
            html.element("h3", "部门整体绩效目标")
            html.paragraphs(narrative[.performanceGoals])
        }
        if !narrative[.safeguards].isEmpty {
            html.element("h3", "工作保障措施")
            html.paragraphs(narrative[.safeguards])
        }
        html.element("h3", "预算项目绩效目标")
        for (index, project) in projects.enumerated() {
            html.element("h4", "\(index + 1)、\(project.name)绩效目标表")
            html.table(Self.projectRows(project), caption: "\(project.unitCode)\(project.unitName)　单位：万元", class: "project")
            html.table(Self.indicatorRows(project.indicators), class: "indicators")
        }
        html.raw("</section>\n")
    }

    /// The reference's project table on a grid of seven columns.
    static func projectRows(_ project: Project) -> [[HTMLCell]] {
        var plan = project.plan.map(\.description)
        plan += Array(repeating: "", count: max(0, planHeadings.count - plan.count))
        return [
            [.th("项目编码"), .td(project.code, columns: 2), .th("项目名称"), .td(project.name, columns: 3)],
            [
                .th("预算规模及资金用途", rows: 2), .th("预算数"), .number(project.amount.description), .th("其中：财政资金"),
                .number(project.fiscal.description), .th("其他资金"), .number(project.other.description),
            ],
            [.td(project.purpose, columns: 6)],
            [.th("资金支出计划（%）", rows: 2)] + planHeadings.enumerated().map { index, heading in
                .th(heading, columns: index == planHeadings.count - 1 ? 3 : 1)
            },
            plan.prefix(planHeadings.count).enumerated().map { index, point in
                .number(point, columns: index == planHeadings.count - 1 ? 3 : 1)
            },
            [.th("绩效目标"), .td(project.goals, columns: 6)],
        ]
    }

    /// The indicator table; consecutive rows of the same 一级指标 share one merged cell, as in the reference.
    static func indicatorRows(_ indicators: [Indicator]) -> [[HTMLCell]] {
        var rows: [[HTMLCell]] = [["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"].map { .th($0) }]
        var index = 0
        while index < indicators.count {
            let level = indicators[index].l1
            var span = 1
            while index + span < indicators.count, indicators[index + span].l1 == level { span += 1 }
            for offset in 0..<span {
                let indicator = indicators[index + offset]
                var row: [HTMLCell] = offset == 0 ? [.td(level, rows: span)] : []
                row += [indicator.l2, indicator.l3, indicator.desc, indicator.value, indicator.basis].map { .td($0) }
                rows.append(row)
            }
            index += span
        }
        return rows
    }

    func writeProcurement(_ html: inout HTMLWriter) {
        html.raw("<section>\n")
        html.element("h2", "第六部分：政府采购预算情况")
        html.element("p", procurementSentence)
        var rows: [[HTMLCell]] = [[
            .th("政府采购项目来源", columns: 2), .th("采购物品名称", rows: 2), .th("政府采购目录序号", rows: 2),
            .th("计量单位", rows: 2), .th("数量", rows: 2), .th("单价", rows: 2), .th("政府采购金额", rows: 2),
        ], [.th("项目名称"), .th("预算资金")]]
        for subtotal in procurement.subtotals {
            rows.append([.th("\(subtotal.unitName)小计", columns: 7), .number(subtotal.total.description)])
            for line in procurement.items where line.unitCode == subtotal.unitCode {
                rows.append([
                    .td(line.entryName), .number(line.entryAmount.description), .td(line.item), .td(line.catalog),
                    .td(line.unit), .number(Self.quantityText(line.quantity)), .number(line.price.description),
                    .number(line.amount.description),
                ])
            }
        }
        rows.append([.th("合计", columns: 7), .number(procurement.total.description)])
        html.table(rows, caption: "\(department.code)\(department.name)　单位：万元", class: "procurement")
        html.raw("</section>\n")
    }

    /// The other narrative; its own 第…部分 lines become part headings.
    func writeOther(_ html: inout HTMLWriter) {
        let lines = narrative[.other].split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { return }
        html.raw("<section>\n")
        if !Self.isPartHeading(lines[0]) { html.element("h2", Self.otherHeading) }
        for line in lines {
            html.element(Self.isPartHeading(line) ? "h2" : "p", line)
        }
        html.raw("</section>\n")
    }
}
