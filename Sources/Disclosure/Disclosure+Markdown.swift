import Workflow

extension Disclosure {
    /// The document as GitHub-flavoured Markdown, in the same order and with the same tables as
    /// ``renderHTML()`` (without the charts). All text is escaped; amounts in 万元.
    public func renderMarkdown() -> String {
        var parts: [String] = ["# \(MarkdownText.escape(title))\n"]
        parts.append(MarkdownText.line(Self.preamble) + "\n")
        parts.append("## 第一部分：部门职责及机构设置情况\n\n### 一、部门职责\n")
        parts.append(MarkdownText.paragraphs(narrative[.duties]))
        parts.append("### 二、机构设置\n")
        parts.append(MarkdownText.table(
            ["序号", "单位名称", "单位性质", "单位规格", "经费保障形式"],
            organizations.enumerated().map { [String($0 + 1), $1.name, $1.nature, $1.level, $1.funding] }, numeric: [0]))
        parts.append("## 第二部分：部门预算安排的总体情况\n\n### 一、收入说明\n")
        parts.append(MarkdownText.line(incomeSentence) + "\n")
        parts.append("单位：万元\n\n" + Self.figureTable(incomeRows))
        parts.append("### 二、支出说明\n")
        parts.append(MarkdownText.line(expenditureSentence) + "\n")
        parts.append("单位：万元\n\n" + MarkdownText.table(
            ["项目", "\(year)年预算", "\(year - 1)年预算", "增减金额"],
            expenditureRows.map { [$0.label, $0.current.description, Self.text($0.previous), Self.text($0.change)] }, numeric: [1, 2, 3]))
        parts.append("### 三、比上年增减情况\n")
        parts.append(MarkdownText.line(changeSentence) + "\n")
        parts.append(MarkdownText.paragraphs(narrative[.changeReason]))
        parts.append("## 第三部分：机关运行经费安排情况\n")
        parts.append(MarkdownText.line(operatingCostsSentence) + "\n")
        parts.append("单位：万元\n\n" + Self.figureTable(operatingCostRows))
        parts.append("## 第四部分：财政拨款“三公”经费预算情况及增减变化原因\n")
        parts.append("单位：万元\n\n" + MarkdownText.table(
            ["项目名称", "\(year - 1)年度预算", "\(year)年度预算", "增减金额", "变化原因"],
            threePublicRows.map { [$0.label, Self.text($0.previous), $0.current.description, Self.text($0.change), threePublic.reason] },
            numeric: [1, 2, 3]))
        parts.append(markdownPerformance())
        parts.append(markdownProcurement())
        parts.append(markdownOther())
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private static func figureTable(_ rows: [LabelledFigure]) -> String {
        MarkdownText.table(["项目", "金额"], rows.map { [$0.label, $0.value.description] }, numeric: [1])
    }

    private func markdownPerformance() -> String {
        var parts = ["## 第五部分：预算绩效信息\n"]
        if !narrative[.performanceGoals].isEmpty {
            parts += ["### 部门整体绩效目标\n", MarkdownText.paragraphs(narrative[.performanceGoals])]
        }
        if !narrative[.safeguards].isEmpty {
            parts += ["### 工作保障措施\n", MarkdownText.paragraphs(narrative[.safeguards])]
        }
        parts.append("### 预算项目绩效目标\n")
        for (index, project) in projects.enumerated() {
            parts.append("#### \(index + 1)、\(MarkdownText.escape(project.name))绩效目标表\n")
            parts.append(MarkdownText.line("\(project.unitCode)\(project.unitName)") + "　单位：万元\n")
            let plan = project.plan.map(\.description).joined(separator: " / ")
            parts.append(MarkdownText.table(["项目", "内容"], [
                ["项目编码", project.code], ["项目名称", project.name], ["预算数", project.amount.description],
                ["其中：财政资金", project.fiscal.description], ["其他资金", project.other.description],
                ["资金用途", project.purpose], ["资金支出计划（%）" + Self.planHeadings.joined(separator: "/"), plan],
                ["绩效目标", project.goals],
            ]))
            parts.append(MarkdownText.table(
                ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
                project.indicators.map { [$0.l1, $0.l2, $0.l3, $0.desc, $0.value, $0.basis] }))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private func markdownProcurement() -> String {
        var rows: [[String]] = []
        for subtotal in procurement.subtotals {
            rows.append(["\(subtotal.unitName)小计", "", "", "", "", "", "", subtotal.total.description])
            for line in procurement.items where line.unitCode == subtotal.unitCode {
                rows.append([line.entryName, line.entryAmount.description, line.item, line.catalog, line.unit,
                             Self.quantityText(line.quantity), line.price.description, line.amount.description])
            }
        }
        rows.append(["合计", "", "", "", "", "", "", procurement.total.description])
        return "## 第六部分：政府采购预算情况\n\n" + MarkdownText.line(procurementSentence) + "\n\n"
            + MarkdownText.line("\(department.code)\(department.name)") + "　单位：万元\n\n"
            + MarkdownText.table(["项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价", "政府采购金额"],
                                 rows, numeric: [1, 5, 6, 7])
    }

    private func markdownOther() -> String {
        let lines = narrative[.other].split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { return "" }
        var parts = Self.isPartHeading(lines[0]) ? [] : ["## \(Self.otherHeading)\n"]
        for line in lines {
            parts.append(Self.isPartHeading(line) ? "## \(MarkdownText.escape(line))\n" : MarkdownText.line(line) + "\n")
        }
        return parts.joined(separator: "\n")
    }
}
