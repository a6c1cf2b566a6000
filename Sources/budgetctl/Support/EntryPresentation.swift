import Foundation
import Persistence
import Workflow

/// How entries look in tables, in `show`, and as BLP.
enum EntryPresentation {
    /// One line per entry: code, unit, name, kind, state, amount.
    static func table(_ entries: [BudgetEntry], total: Bool = true) -> String {
        var table = TextTable([.init("code"), .init("unit"), .init("name"), .init("kind"), .init("state"),
                               .init("amount (yuan)", .right)])
        for entry in entries {
            table.add([entry.content.code, entry.unitCode, entry.content.name, entry.content.kind.rawValue,
                       entry.state.rawValue, entry.content.amount.groupedYuan])
        }
        if total, entries.count > 1 {
            table.add(["total", "", "\(entries.count) entries", "", "", sum(entries).groupedYuan])
        }
        return table.render()
    }

    static func sum(_ entries: [BudgetEntry]) -> Money {
        (try? Money.sum(entries.map(\.content.amount))) ?? Money(fen: .max)
    }

    /// The full entry for `show`: fields, then items, indicators, procurement and history.
    static func detail(_ entry: BudgetEntry, history: [AuditLog.StoredEvent], figures: RoundFigures? = nil) -> String {
        let c = entry.content
        var fields: [(String, String)] = [
            ("code", c.code), ("name", c.name), ("id", entry.id.uuidString.lowercased()),
            ("year", String(entry.year)), ("unit", "\(entry.unitCode) (department \(entry.departmentCode))"),
            ("kind", c.kind.rawValue), ("function", c.functionCode), ("state", entry.state.rawValue),
            ("revision", "\(entry.revision) (version \(entry.version))"),
        ]
        if let supersedes = entry.supersedes { fields.append(("revises", supersedes.uuidString.lowercased())) }
        if let round = entry.round { fields.append(("round", round.rawValue)) }
        fields.append(("amount", c.amount.groupedYuan))
        for (source, amount) in c.sources.named where amount != .zero { fields.append(("  " + source, amount.groupedYuan)) }
        if !c.plan.isEmpty { fields.append(("plan", c.plan.map { Self.percent($0) }.joined(separator: " / ") + " (Mar / Jun / Oct / Dec)")) }
        if !c.purpose.isEmpty { fields.append(("purpose", c.purpose)) }
        if !c.goals.isEmpty { fields.append(("goals", c.goals)) }
        if let figures, !figures.isEmpty { fields.append(("figures", Self.figures(figures))) }
        var out = keyValues(fields)

        if !c.items.isEmpty {
            var table = TextTable([.init("econ"), .init("amount", .right)])
            for item in c.items { table.add([item.econ, item.amount.groupedYuan]) }
            out += "\n\nitems (明细)\n" + table.render()
        }
        if !c.indicators.isEmpty {
            var table = TextTable([.init("l1"), .init("l2"), .init("l3"), .init("value"), .init("description"), .init("basis")])
            for i in c.indicators { table.add([i.l1, i.l2, i.l3, i.value, i.desc, i.basis]) }
            out += "\n\nindicators (绩效指标)\n" + table.render()
        }
        if !c.procurement.isEmpty {
            var table = TextTable([.init("item"), .init("catalog"), .init("unit"), .init("qty", .right),
                                   .init("price", .right), .init("amount", .right)])
            for p in c.procurement {
                table.add([p.item, p.catalog, p.unit, p.quantity.description, p.price.groupedYuan, p.amount.groupedYuan])
            }
            out += "\n\nprocurement (政府采购)\n" + table.render()
        }
        if !history.isEmpty {
            out += "\n\nhistory\n" + AuditPresentation.table(history, showChain: false)
        }
        return out
    }

    /// `一上 1,000.00 | 二上 1,200.00 | 批复 — | change +200.00`: figures by round side by side.
    static func figures(_ figures: RoundFigures) -> String {
        func show(_ amount: Money?) -> String { amount?.groupedYuan ?? "—" }
        let change = figures.change.map { ($0 > .zero ? "+" : "") + $0.groupedYuan } ?? "—"
        return "一上 \(show(figures.firstUp)) | 二上 \(show(figures.secondUp)) | 批复 \(show(figures.approved)) | change \(change)"
    }

    /// `30%`, `12.5%`: a plan percentage without trailing zeros.
    static func percent(_ value: Percent) -> String {
        var text = value.description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + "%"
    }

    /// `key  value` lines, keys padded; a multi-line value continues under its first line, so no
    /// value can start a line of its own, and every line is escaped for the terminal.
    static func keyValues(_ pairs: [(String, String)]) -> String {
        let width = pairs.map { DisplayWidth.of($0.0) }.max() ?? 0
        let indent = String(repeating: " ", count: width + 2)
        return pairs.map { key, value in
            let lines = value.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                .map { TerminalText.escape(String($0)) }
            return key + String(repeating: " ", count: width - DisplayWidth.of(key) + 2)
                + lines.joined(separator: "\n" + indent)
        }.joined(separator: "\n")
    }

    /// The entries as a BLP/1 document that `budgetctl import` reads back unchanged.
    static func blp(_ entries: [BudgetEntry], header: String? = nil) throws -> String {
        var out = header.map { "# " + $0 + "\n" } ?? ""
        out += try BLPEntryMapping.encode(entries.map(\.content))
        return out
    }
}

/// How audit events look in tables.
enum AuditPresentation {
    static func table(_ events: [AuditLog.StoredEvent], showChain: Bool = true) -> String {
        var columns: [TextTable.Column] = [.init("id", .right), .init("at"), .init("actor"), .init("role"), .init("via")]
        if showChain { columns.append(.init("subject")) }
        columns += [.init("action"), .init("state"), .init("reason / changes")]
        var table = TextTable(columns)
        for event in events {
            let r = event.record
            var row = [String(event.id), Output.time(Timestamp(microsecondsSinceEpoch: r.at)), r.actor, r.role, r.channel]
            if showChain { row.append(r.chain + (r.revision.map { " r\($0)" } ?? "")) }
            let state: String = switch (r.fromState, r.toState) {
            case let (from?, to?) where from != to: "\(from) → \(to)"
            case let (_, to?): to
            case let (from?, nil): from
            case (nil, nil): ""
            }
            let changes = r.changes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let note = [r.reason, changes.isEmpty ? nil : changes].compactMap { $0 }.joined(separator: "; ")
            row += [r.action, state, DisplayWidth.truncate(TextTable.flatten(note), to: 100)]
            table.add(row)
        }
        return table.render()
    }
}
