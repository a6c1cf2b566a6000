import Foundation
import Workflow

/// Where a row's values go: a COPY buffer, or the binds of an INSERT. The rows of each table are
/// written by one function into either, so the single-row INSERT and the COPY cannot drift.
protocol RowSink {
    mutating func field(_ value: String)
    mutating func null()
    mutating func endRow()
}

extension RowSink {
    mutating func field(_ value: String?) {
        if let value { field(value) } else { null() }
    }
}

extension CopyRows: RowSink {}

/// One table's column list: the only place its written columns are named.
struct TableColumns: Sendable {
    let table: String
    let names: [String]

    /// `COPY table (columns) FROM STDIN`.
    var copy: SQL { SQL(unsafeSQL: "COPY \(table) (\(names.joined(separator: ", "))) FROM STDIN") }

    /// `INSERT INTO table (columns) VALUES (…), …` of the rows in `values`, each value bound as
    /// text of unknown type, so PostgreSQL reads it as the column's type (as COPY does).
    func insert(_ values: InsertValues) -> SQL {
        precondition(values.binds.count == values.rows * names.count, "rows of \(table) do not match its columns")
        var sql = SQL.StringInterpolation(literalCapacity: 64 + values.binds.count * 6, interpolationCount: values.binds.count)
        sql.appendLiteral("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES ")
        for row in 0..<values.rows {
            sql.appendLiteral(row == 0 ? "(" : ", (")
            for column in names.indices {
                if column > 0 { sql.appendLiteral(", ") }
                sql.appendInterpolation(values.binds[row * names.count + column])
            }
            sql.appendLiteral(")")
        }
        return SQL(stringInterpolation: sql)
    }

    /// Rows per INSERT, within PostgreSQL's 65,535 parameters a statement.
    var rowsPerInsert: Int { 60_000 / names.count }
}

/// Rows collected as the binds of an INSERT.
struct InsertValues: RowSink {
    var binds: [String?] = []
    var rows = 0
    mutating func field(_ value: String) { binds.append(value) }
    mutating func null() { binds.append(nil) }
    mutating func endRow() { rows += 1 }
}

extension EntryRows {
    static let entryColumns = TableColumns(table: "entries", names: [
        "id", "year", "unit_code", "department_code", "code", "revision", "supersedes", "name", "kind", "func_code",
        "general", "fund", "state_capital", "special", "other", "plan", "purpose", "goals", "state", "revise_reason", "round",
    ])
    static let itemColumns = TableColumns(table: "entry_items", names: ["entry_id", "position", "econ", "amount"])
    static let indicatorColumns = TableColumns(
        table: "entry_indicators", names: ["entry_id", "position", "l1", "l2", "l3", "descr", "value", "basis"])
    static let procurementColumns = TableColumns(
        table: "entry_procurement", names: ["entry_id", "position", "item", "catalog", "unit", "quantity", "price", "amount"])

    /// The entry's row, in ``entryColumns`` order. `idText` is its id as PostgreSQL prints it.
    static func writeEntry(_ entry: NewEntry, idText: String, yearText: String, into sink: inout some RowSink) {
        let d = entry.content
        let s = d.sources
        sink.field(idText)
        sink.field(yearText)
        sink.field(entry.unitCode)
        sink.field(entry.departmentCode)  // nil: the insert trigger fills it in from the unit
        sink.field(d.code)
        sink.field(String(entry.revision))
        sink.field(entry.supersedes.map(EntryService.lowercaseText))
        sink.field(d.name)
        sink.field(d.kind.rawValue)
        sink.field(d.functionCode)
        for amount in [s.general, s.fund, s.stateCapital, s.special, s.other] { sink.field(amount.description) }
        sink.field("{" + d.plan.map(\.description).joined(separator: ",") + "}")
        sink.field(d.purpose)
        sink.field(d.goals)
        sink.field(entry.state.rawValue)
        sink.field(entry.reviseReason)
        sink.field(entry.round?.rawValue)
        sink.endRow()
    }

    /// The draft's items, indicators and procurement lines, in their tables' column order.
    static func writeChildren(
        _ d: EntryDraft, idText: String,
        items: inout some RowSink, indicators: inout some RowSink, procurement: inout some RowSink
    ) {
        for (position, item) in d.items.enumerated() {
            items.field(idText)
            items.field(String(position))
            items.field(item.econ)
            items.field(item.amount.description)
            items.endRow()
        }
        for (position, i) in d.indicators.enumerated() {
            indicators.field(idText)
            indicators.field(String(position))
            for text in [i.l1, i.l2, i.l3, i.desc, i.value, i.basis] { indicators.field(text) }
            indicators.endRow()
        }
        for (position, p) in d.procurement.enumerated() {
            procurement.field(idText)
            procurement.field(String(position))
            for text in [p.item, p.catalog, p.unit, p.quantity.description, p.price.description, p.amount.description] {
                procurement.field(text)
            }
            procurement.endRow()
        }
    }

    /// Inserts new entry rows with their children: one INSERT per table (per 60,000 values).
    static func insert(_ entries: [NewEntry], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        var rows = InsertValues()
        var items = InsertValues()
        var indicators = InsertValues()
        var procurement = InsertValues()
        for entry in entries {
            let idText = EntryService.lowercaseText(entry.id)
            writeEntry(entry, idText: idText, yearText: String(entry.year), into: &rows)
            writeChildren(entry.content, idText: idText, items: &items, indicators: &indicators, procurement: &procurement)
        }
        for (columns, values) in [(entryColumns, rows), (itemColumns, items), (indicatorColumns, indicators),
                                  (procurementColumns, procurement)] {
            try insert(values, into: columns, on: connection)
        }
    }

    /// `values` as INSERT statements of at most ``TableColumns/rowsPerInsert`` rows.
    static func insert(_ values: InsertValues, into columns: TableColumns, on connection: PostgresConnection) throws {
        let width = columns.names.count
        var start = 0
        while start < values.rows {
            let end = min(start + columns.rowsPerInsert, values.rows)
            var chunk = InsertValues()
            chunk.binds = Array(values.binds[(start * width)..<(end * width)])
            chunk.rows = end - start
            try connection.query(columns.insert(chunk))
            start = end
        }
    }
}
