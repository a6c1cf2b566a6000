import Foundation
import Workflow

/// Checks the “…万元” figures written in the narratives against the tables.
///
/// A figure is matched by the words before it in its clause (up to the previous `，。；、` or line
/// break): the nearest label of ``FigureMetric/labels`` says which figure it is, and an 增加/减少
/// between them makes it that figure's change against the previous year (its direction must agree
/// too). A figure named by a label must equal that figure as shown (to the cent of 万元; a figure
/// written with more decimals, exactly). An unnamed figure in the change reason must be one of the
/// disclosure's figures; unnamed figures elsewhere (e.g. 固定资产 in 其他需说明的事项) are not from
/// the budget and are left alone.
struct NarrativeFigures {
    /// A number written before 万元, with the clause that leads up to it.
    struct Figure: Equatable {
        /// The number as written, without thousands separators, e.g. `"110.28"`.
        var number: String
        /// The clause's words before the number, e.g. `"其中:基本支出增加"`.
        var lead: String
    }

    private let disclosure: Disclosure

    init(_ disclosure: Disclosure) {
        self.disclosure = disclosure
    }

    private static let clauseBreaks: Set<Character> = ["，", "。", "；", "、", "！", "？", ",", ";", "!", "?", "\n"]
    private static let increaseWords = ["增加", "增长", "提高"]
    private static let decreaseWords = ["减少", "下降", "降低", "减"]

    /// Every number directly followed by 万元 in `text`, in order.
    static func scan(_ text: String) -> [Figure] {
        let characters = Array(text)
        var figures: [Figure] = []
        var index = 0
        while index + 1 < characters.count {
            defer { index += 1 }
            guard characters[index] == "万", characters[index + 1] == "元" else { continue }
            var end = index
            while end > 0, characters[end - 1] == " " { end -= 1 }
            var start = end
            while start > 0, characters[start - 1].isASCII, characters[start - 1].isNumber || ".,".contains(characters[start - 1]) {
                start -= 1
            }
            let number = String(characters[start..<end]).replacingOccurrences(of: ",", with: "")
            guard let first = number.first, first.isNumber, number.last?.isNumber == true else { continue }
            var clauseStart = start
            while clauseStart > 0, !clauseBreaks.contains(characters[clauseStart - 1]) { clauseStart -= 1 }
            figures.append(Figure(number: number, lead: String(characters[clauseStart..<start])))
        }
        return figures
    }

    /// The failed checks of every narrative section.
    func checks() -> [DisclosureCheck] {
        NarrativeSection.allCases.flatMap { section in
            Self.scan(disclosure.narrative[section]).compactMap { check($0, in: section) }
        }
    }

    private func check(_ figure: Figure, in section: NarrativeSection) -> DisclosureCheck? {
        let subject = "narrative.\(section.rawValue)"
        let quoted = "“\(figure.lead.trimmingCharacters(in: .whitespaces))\(figure.number)万元”"
        guard let (metrics, afterLabel) = Self.label(in: figure.lead) else {
            guard section == .changeReason else { return nil }
            if allFigures.contains(where: { Self.matches(figure.number, $0) }) { return nil }
            return DisclosureCheck(
                code: .narrativeFigureUnmatched, subject: subject,
                message: "\(section.rawValue): \(quoted) is none of the disclosure's figures")
        }
        let direction = Self.direction(of: afterLabel)
        var expected: [String] = []
        for metric in metrics {
            if let direction {
                guard let change = metric.change(in: disclosure) else {
                    expected.append("\(metric.name) change unknown (no previous-year figure)")
                    continue
                }
                let agrees = change.money == .zero || change.isNegative == (direction == .decrease)
                if agrees, Self.matches(figure.number, change) { return nil }
                expected.append("\(metric.name) change \(change)万元")
            } else {
                let value = metric.current(in: disclosure)
                if Self.matches(figure.number, value) { return nil }
                expected.append("\(metric.name) \(value)万元")
            }
        }
        return DisclosureCheck(
            code: .narrativeFigureMismatch, subject: subject,
            message: "\(section.rawValue): \(quoted) disagrees with the table: \(expected.joined(separator: " / "))")
    }

    private enum Direction { case increase, decrease }

    /// The metrics named by the label nearest the end of `lead`, and the words after that label.
    private static func label(in lead: String) -> (metrics: [FigureMetric], after: Substring)? {
        var best: (range: Range<String.Index>, length: Int, metrics: [FigureMetric])?
        for (label, metrics) in FigureMetric.labels {
            guard let range = lead.range(of: label, options: .backwards) else { continue }
            if let current = best {
                guard range.upperBound > current.range.upperBound
                    || (range.upperBound == current.range.upperBound && label.count > current.length) else { continue }
            }
            best = (range, label.count, metrics)
        }
        guard let best else { return nil }
        return (best.metrics, lead[best.range.upperBound...])
    }

    /// 增加 or 减少 (and their synonyms) in the words between a label and its number.
    private static func direction(of words: Substring) -> Direction? {
        if increaseWords.contains(where: { words.contains($0) }) { return .increase }
        if decreaseWords.contains(where: { words.contains($0) }) { return .decrease }
        return nil
    }

    /// Whether the written number is `value`'s magnitude: as shown (two decimals or fewer), or
    /// exactly (more decimals, down to the fen).
    static func matches(_ number: String, _ value: WanYuan) -> Bool {
        if let hundredths = try? ExactDecimal.parse(number, scale: 2) {
            return hundredths.magnitude == value.shownHundredths.magnitude
        }
        if let fen = try? ExactDecimal.parse(number, scale: 6) {
            return fen.magnitude == value.money.fen.magnitude
        }
        return false
    }

    /// Every figure the disclosure shows, for numbers no label names.
    private var allFigures: [WanYuan] {
        let d = disclosure
        var figures = [d.income.total, d.income.general, d.income.fund, d.income.stateCapital, d.income.special, d.income.other]
        figures += [d.expenditure.total, d.expenditure.basic, d.expenditure.personnel, d.expenditure.operation, d.expenditure.project]
        for partial in [d.previous, d.change] {
            figures += [partial.total, partial.basic, partial.personnel, partial.operation, partial.project].compactMap { $0 }
        }
        let costs = d.operatingCosts
        figures += [costs.total, costs.office, costs.post, costs.unionWelfare, costs.vehicleOperation, costs.other]
        for column in [d.threePublic.previous, d.threePublic.current, d.threePublic.change].compactMap({ $0 }) {
            figures += [column.abroad, column.vehiclePurchase, column.vehicleOperation, column.reception, column.total]
        }
        figures += d.projects.flatMap { [$0.amount, $0.fiscal, $0.other] }
        figures += [d.procurement.total] + d.procurement.subtotals.map(\.total)
        figures += d.procurement.items.flatMap { [$0.amount, $0.entryAmount] }
        return figures
    }
}
