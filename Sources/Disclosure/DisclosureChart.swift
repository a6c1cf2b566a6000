import Workflow

/// The inline SVG charts of the HTML page. Geometry is integer arithmetic on exact fen: money
/// never passes through floating point, not even to draw it.
enum DisclosureChart {
    /// `part / whole × length`, rounded half-up; 0 when `whole` is not positive, clamped to 0…length.
    static func scaled(_ part: Money, of whole: Money, to length: Int) -> Int {
        guard whole.fen > 0, part.fen > 0, length > 0 else { return 0 }
        let product = part.fen.magnitude.multipliedFullWidth(by: UInt64(length))
        let half = whole.fen.magnitude / 2
        let (low, carry) = product.low.addingReportingOverflow(half)
        let high = product.high + (carry ? 1 : 0)
        guard high < whole.fen.magnitude else { return length }
        let (quotient, _) = whole.fen.magnitude.dividingFullWidth((high: high, low: low))
        return Int(min(quotient, UInt64(length)))
    }

    /// A share as a percentage with two decimals, e.g. `"71.42%"`.
    static func share(_ part: Money, of whole: Money) -> String {
        let hundredths = scaled(part, of: whole, to: 10_000)
        return String(hundredths / 100) + "." + String(hundredths % 100).leftPadded(to: 2) + "%"
    }

    /// 支出结构: one horizontal bar per part (人员经费, 日常公用经费, 项目支出), as a share of the total.
    static func expenditureStructure(_ expenditure: Disclosure.Expenditure) -> String {
        let parts = [
            ("人员经费", expenditure.personnel, "#3b6ea5"),
            ("日常公用经费", expenditure.operation, "#6aa84f"),
            ("项目支出", expenditure.project, "#e69138"),
        ]
        let barArea = 380, left = 120, rowHeight = 36
        let height = parts.count * rowHeight + 16
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 \(height)" width="720" height="\(height)" \
            role="img" aria-labelledby="chart-expenditure-title">
            <title id="chart-expenditure-title">支出结构：人员经费、日常公用经费、项目支出占支出合计的比例</title>

            """
        for (index, (label, value, color)) in parts.enumerated() {
            let y = 8 + index * rowHeight
            let width = scaled(value.money, of: expenditure.total.money, to: barArea)
            let text = "\(value)万元（\(share(value.money, of: expenditure.total.money))）"
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 19)\" text-anchor=\"end\" font-size=\"14\">\(HTMLText.escape(label))</text>"
            svg += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"22\" fill=\"\(color)\"></rect>"
            svg += "<text x=\"\(left + width + 8)\" y=\"\(y + 19)\" font-size=\"13\">\(HTMLText.escape(text))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// “三公”经费 previous year against this year: two bars per category, on one scale.
    static func threePublicComparison(_ threePublic: Disclosure.ThreePublic, year: Int) -> String {
        let current = threePublic.current, previous = threePublic.previous
        let rows: [(String, WanYuan?, WanYuan)] = [
            ("因公出国", previous?.abroad, current.abroad),
            ("公务用车购置", previous?.vehiclePurchase, current.vehiclePurchase),
            ("公务用车运行", previous?.vehicleOperation, current.vehicleOperation),
            ("公务接待", previous?.reception, current.reception),
        ]
        let largest = rows.flatMap { [$0.1?.money ?? .zero, $0.2.money] }.max() ?? .zero
        let barArea = 380, left = 120, rowHeight = 52
        let height = rows.count * rowHeight + 40
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 \(height)" width="720" height="\(height)" \
            role="img" aria-labelledby="chart-three-public-title">
            <title id="chart-three-public-title">“三公”经费\(year - 1)年度与\(year)年度预算对比</title>
            <rect x="\(left)" y="6" width="14" height="12" fill="#b7b7b7"></rect>\
            <text x="\(left + 20)" y="17" font-size="13">\(year - 1)年度</text>\
            <rect x="\(left + 110)" y="6" width="14" height="12" fill="#3b6ea5"></rect>\
            <text x="\(left + 130)" y="17" font-size="13">\(year)年度</text>

            """
        for (index, (label, before, now)) in rows.enumerated() {
            let y = 32 + index * rowHeight
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 26)\" text-anchor=\"end\" font-size=\"14\">\(HTMLText.escape(label))</text>"
            let bars: [(WanYuan?, String, Int)] = [(before, "#b7b7b7", y + 4), (now, "#3b6ea5", y + 24)]
            for (value, color, top) in bars {
                guard let value else {
                    svg += "<text x=\"\(left)\" y=\"\(top + 14)\" font-size=\"12\">上年数未知</text>"
                    continue
                }
                let width = scaled(value.money, of: largest.fen > 0 ? largest : Money(fen: 1), to: barArea)
                svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width)\" height=\"18\" fill=\"\(color)\"></rect>"
                svg += "<text x=\"\(left + width + 6)\" y=\"\(top + 14)\" font-size=\"12\">\(HTMLText.escape("\(value)万元"))</text>"
            }
            svg += "\n"
        }
        return svg + "</svg>\n"
    }
}
