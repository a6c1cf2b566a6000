import Workflow

/// The generated sentences of the document (the reference's wording, the figures from the data).
extension Disclosure {
    var incomeSentence: String {
        "\(year)年预算收入为\(income.total)万元，其中：一般公共预算收入\(income.general)万元，"
            + "政府性基金预算收入\(income.fund)万元，国有资本经营预算收入\(income.stateCapital)万元，"
            + "财政专户收入\(income.special)万元，其他来源收入\(income.other)万元。"
    }

    var expenditureSentence: String {
        "\(year)年部门支出预算\(expenditure.total)万元，其中：基本支出\(expenditure.basic)万元（人员经费"
            + "\(expenditure.personnel)万元，日常公用经费\(expenditure.operation)万元），项目支出\(expenditure.project)万元。"
    }

    /// 本年度预算收支安排…万元，较上年增加/减少…万元; without the comparison when the previous year is unknown.
    var changeSentence: String {
        let head = "本年度预算收支安排\(expenditure.total)万元"
        guard let total = change.total else { return head + "。" }
        var parts = [head + "，较上年" + Self.changeWords(total)]
        if let basic = change.basic { parts.append("基本支出" + Self.changeWords(basic)) }
        if let project = change.project { parts.append("项目支出" + Self.changeWords(project)) }
        return parts.count == 1 ? parts[0] + "。" : parts[0] + "。其中：" + parts.dropFirst().joined(separator: "，") + "。"
    }

    var operatingCostsSentence: String {
        "\(year)年我部门机关运行经费安排\(operatingCosts.total)万元，其中办公费\(operatingCosts.office)万元，"
            + "邮电费\(operatingCosts.post)万元，工会经费、福利费\(operatingCosts.unionWelfare)万元，"
            + "公务用车运行维护费\(operatingCosts.vehicleOperation)万元，其他支出\(operatingCosts.other)万元。"
    }

    var procurementSentence: String {
        "\(year)年，我部门安排政府采购预算\(procurement.total)万元，具体内容见下表。"
    }

    /// 增加12.00万元, 减少3.50万元, or 持平.
    static func changeWords(_ change: WanYuan) -> String {
        if change.shownHundredths == 0 { return "持平" }
        guard change.isNegative else { return "增加\(change)万元" }
        let magnitude = (try? Money.zero.subtracting(change.money)) ?? change.money
        return "减少\(WanYuan(magnitude))万元"
    }

    /// The reference's opening sentence.
    static let preamble = "按照《中华人民共和国预算法》、《地方预决算公开操作规程》等文件规定，现将我部门预算信息公开如下："

    /// 第七部分 (or the next free part) for the other narrative when it brings no heading of its own.
    static let otherHeading = "第七部分：其他需说明的事项"

    /// Whether a narrative line is a part heading of its own, e.g. `"第八部分：名词解释"`.
    static func isPartHeading(_ line: String) -> Bool {
        guard line.hasPrefix("第"), let end = line.firstIndex(of: "部") else { return false }
        let numeral = line[line.index(after: line.startIndex)..<end]
        return !numeral.isEmpty && numeral.allSatisfy { "一二三四五六七八九十".contains($0) }
            && line[end...].hasPrefix("部分")
    }
}
