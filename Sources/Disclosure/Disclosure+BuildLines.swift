import Workflow

extension Disclosure {
    /// Every procurement line of `entries`, with unit subtotals (in order of first appearance) and the total.
    static func procurement(_ entries: [BudgetEntry], units: UnitDirectory) throws(MoneyError) -> Procurement {
        var lines: [Procurement.Line] = []
        var total = DisclosureTally.Sum()
        var subtotals: [String: DisclosureTally.Sum] = [:]
        var unitOrder: [String] = []
        for entry in entries {
            guard !entry.content.procurement.isEmpty else { continue }
            let entryAmount = WanYuan(try entry.content.sources.exactTotal())
            for line in entry.content.procurement {
                // Each line is rounded to the fen once (qty × price), then summed exactly.
                let amount = try line.quantity.checkedTimes(line.price)
                try total.add(amount)
                if subtotals[entry.unitCode] == nil { unitOrder.append(entry.unitCode) }
                try subtotals[entry.unitCode, default: DisclosureTally.Sum()].add(amount)
                lines.append(Procurement.Line(
                    unitCode: entry.unitCode, entryCode: entry.content.code, entryName: entry.content.name,
                    entryAmount: entryAmount, item: line.item, catalog: line.catalog, unit: line.unit,
                    quantity: line.quantity, price: WanYuan(line.price), amount: WanYuan(amount)))
            }
        }
        return Procurement(
            total: total.wan,
            subtotals: unitOrder.map { code in
                Procurement.Subtotal(unitCode: code, unitName: units.name(of: code), total: subtotals[code, default: .init()].wan)
            },
            items: lines)
    }

    /// Appends an entry's budget lines: one per item, one for any part the items leave uncovered (all of
    /// an entry without items), so that the lines sum exactly to the entry's amount.
    static func appendBudgetLines(_ entry: BudgetEntry, unitName: String, to lines: inout [BudgetLine]) throws(MoneyError) {
        let content = entry.content
        func line(_ econ: String, _ amount: Money) -> BudgetLine {
            BudgetLine(
                unitCode: entry.unitCode, unitName: unitName, entryCode: content.code, entryName: content.name,
                kind: content.kind, functionCode: content.functionCode, econ: econ, amount: amount)
        }
        var covered = Money.zero
        for item in content.items {
            lines.append(line(item.econ, item.amount))
            covered = try covered.adding(item.amount)
        }
        let rest = try content.sources.exactTotal().subtracting(covered)
        if rest != .zero || content.items.isEmpty {
            lines.append(line("", rest))
        }
    }
}
