import Foundation

extension Validator {
    /// V5: each procurement line has a name, a unit of measure, quantity > 0, price ≥ 0 and a
    /// catalog code `^[ABC][0-9]{2,}$`; the lines' total does not exceed the entry's amount.
    static func checkProcurement(_ draft: EntryDraft) -> [Violation] {
        var violations: [Violation] = []
        var amounts: [Money] = []
        for (index, line) in draft.procurement.enumerated() {
            let field = "procurement[\(index)]"
            if isBlank(line.item) {
                violations.append(Violation(rule: .v5, field: field + ".item", message: "procurement item name is required"))
            }
            if isBlank(line.unit) {
                violations.append(Violation(rule: .v5, field: field + ".unit", message: "unit of measure is required"))
            }
            if !line.quantity.isPositive {
                violations.append(Violation(
                    rule: .v5, field: field + ".quantity", message: "quantity must be greater than zero (\(line.quantity))"))
            }
            if line.price.isNegative {
                violations.append(Violation(
                    rule: .v5, field: field + ".price", message: "unit price must not be negative (\(line.price))"))
            }
            if !isCatalogCode(line.catalog) {
                violations.append(Violation(
                    rule: .v5, field: field + ".catalog",
                    message: "procurement catalog code must be A, B or C followed by at least two digits (e.g. A02010104)"))
            }
            // Bounded like an entry's amount, so every line fits its NUMERIC columns.
            if let lineAmount = try? line.quantity.checkedTimes(line.price), lineAmount <= maxAmount,
               line.quantity <= Quantity(1_000_000_000) {
                amounts.append(lineAmount)
            } else {
                violations.append(Violation(
                    rule: .v5, field: field, message: "quantity × price is out of range (at most \(maxAmount) yuan a line, quantity at most 10⁹)"))
            }
        }
        guard amounts.count == draft.procurement.count else { return violations }
        guard let total = try? Money.sum(amounts) else {
            return violations + [Violation(rule: .v5, field: "procurement", message: "the procurement total is out of range")]
        }
        if let amount = try? draft.sources.checkedTotal(), total > amount {
            violations.append(Violation(
                rule: .v5, field: "procurement",
                message: "the procurement total \(total) exceeds the entry's amount \(amount)"))
        }
        return violations
    }

    /// `^[ABC][0-9]{2,}$`: A goods, B works, C services.
    static func isCatalogCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, [UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "C")].contains(first) else {
            return false
        }
        let digits = bytes.dropFirst()
        return digits.count >= 2 && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
