extension Validator {
    /// V1: every source and item ≥ 0; amount > 0 and ≤ 10¹² yuan. (Money itself already refuses
    /// a third decimal, so "at most two decimals" cannot be violated here.)
    static func checkAmounts(_ draft: EntryDraft) -> [Violation] {
        var violations: [Violation] = []
        for (field, amount) in draft.sources.named where amount.isNegative {
            violations.append(Violation(rule: .v1, field: field, message: "\(field) must not be negative (\(amount))"))
        }
        for (index, item) in draft.items.enumerated() where item.amount.isNegative {
            violations.append(Violation(
                rule: .v1, field: "items[\(index)].amount", message: "item amount must not be negative (\(item.amount))"))
        }
        for (index, item) in draft.items.enumerated() where item.amount > maxAmount {
            violations.append(Violation(
                rule: .v1, field: "items[\(index)].amount", message: "item amount \(item.amount) exceeds the limit of \(maxAmount) yuan"))
        }
        guard let amount = try? draft.sources.checkedTotal() else {
            return violations + [Violation(rule: .v1, field: "amount", message: "the sum of the funding sources is out of range")]
        }
        if amount.fen == 0, draft.sources.named.allSatisfy({ $0.amount == .zero }) {
            // The amount is not typed: it is the sum of the sources, so name them.
            let sources = draft.sources.named.map(\.field).joined(separator: ", ")
            violations.append(Violation(
                rule: .v1, field: "amount",
                message: "no funding source amount given: the amount is the sum of \(sources) and must be greater than zero"))
        } else if amount.fen <= 0 {
            violations.append(Violation(rule: .v1, field: "amount", message: "amount must be greater than zero (\(amount))"))
        }
        if amount > maxAmount {
            violations.append(Violation(
                rule: .v1, field: "amount", message: "amount \(amount) exceeds the limit of \(maxAmount) yuan"))
        }
        return violations
    }

    /// V2: items, when present, have economic classification codes (3–5 digits) and sum exactly to the amount.
    static func checkItems(_ draft: EntryDraft) -> [Violation] {
        guard !draft.items.isEmpty else { return [] }
        var violations: [Violation] = []
        for (index, item) in draft.items.enumerated() where !isDigits(item.econ, count: 3...5) {
            violations.append(Violation(
                rule: .v2, field: "items[\(index)].econ",
                message: "economic classification code must be 3 to 5 digits (e.g. 30201)",
                blocksStorage: true))  // the column holds codes only
        }
        guard let sum = try? Money.sum(draft.items.map(\.amount)) else {
            return violations + [Violation(rule: .v2, field: "items", message: "the sum of the items is out of range")]
        }
        // An out-of-range amount is V1's to report; comparing with it would say nothing more.
        if let amount = try? draft.sources.checkedTotal(), sum != amount {
            violations.append(Violation(
                rule: .v2, field: "items", message: "items sum to \(sum), not to the amount \(amount)"))
        }
        return violations
    }

    /// V7, checked only when asked (finance approval) and a control figure is set:
    /// committed + this amount ≤ the control figure.
    static func checkControlFigure(_ draft: EntryDraft, context: ValidationContext) -> [Violation] {
        guard context.checkControlFigure, let ceiling = context.controlFigure else { return [] }
        guard let amount = try? draft.sources.checkedTotal(),
              let total = try? context.committed.adding(amount)
        else {
            return [Violation(rule: .v7, field: "amount", message: "committed plus this amount is out of range")]
        }
        guard total > ceiling else { return [] }
        let excess = (try? total.subtracting(ceiling)).map { " by \($0)" } ?? ""
        return [Violation(
            rule: .v7, field: "amount",
            message: "approved and published entries (\(context.committed)) plus this entry (\(amount)) "
                + "exceed the control figure \(ceiling)\(excess)")]
    }

    /// Whether `text` is ASCII digits only, with a length in `count`.
    static func isDigits(_ text: String, count: ClosedRange<Int>) -> Bool {
        count.contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
