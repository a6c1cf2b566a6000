import Foundation
import Workflow

/// The control-figure cells in the database: a department's in `control_cells` with unit_code
/// '', a unit's total in `control_figures` and its other cells in `control_cells`.
///
/// Lock order (every writer and every check takes them so): the department's cells, then the
/// unit's `control_figures` row, then the unit's cells; several of a kind in (year, code, cell)
/// order. An entry action locks its entry first; an allocation locks no entry.
enum ControlRows {
    /// Figures per cell, keyed by unit code ('' for the department's own figures).
    typealias Sheets = [String: [ControlCell: Money]]

    static func decodeCells(_ json: String?) throws -> [ControlCell: Money] {
        guard let json else { return [:] }
        var cells: [ControlCell: Money] = [:]
        for (name, amount) in try JSONDecoder().decode([String: String].self, from: Data(json.utf8)) {
            guard let cell = ControlCell(rawValue: name) else { continue }  // the column's CHECK lists the cells
            cells[cell] = try Money(postgresText: amount)
        }
        return cells
    }

    /// The department's own figures, locked in cell order.
    static func lockDepartment(_ department: String, year: Int, on connection: PostgresConnection) throws -> [ControlCell: Money] {
        try decodeCells(connection.query("""
            SELECT (SELECT json_object_agg(cell, amount::text) FROM (
                SELECT cell, amount FROM control_cells
                WHERE year = \(year) AND department_code = \(department) AND unit_code = ''
                ORDER BY cell FOR UPDATE) d) AS cells
            """).first?["cells"])
    }

    /// Every figure of a department-year, unlocked: the department's under '', each unit's under its code.
    static func figures(department: String, year: Int, on connection: PostgresConnection) throws -> Sheets {
        var sheets = try unitFigures(department: department, year: year, on: connection)
        for row in try connection.query("""
            SELECT cell, amount FROM control_cells WHERE year = \(year) AND department_code = \(department) AND unit_code = ''
            """) {
            guard let cell = ControlCell(rawValue: try row.decode("cell")) else { continue }
            sheets["", default: [:]][cell] = try row.decode("amount", as: Money.self)
        }
        return sheets
    }

    /// Every unit's figures of a department-year (the total from control_figures), keyed by
    /// unit; `lockUnit` locks that unit's rows (its total first), reading after the department's lock.
    static func unitFigures(department: String, year: Int, lockUnit unit: String? = nil, on connection: PostgresConnection) throws -> Sheets {
        var sheets: Sheets = [:]
        if let unit {
            try connection.query("""
                SELECT (SELECT 1 FROM control_figures WHERE unit_code = \(unit) AND year = \(year) FOR UPDATE) AS a,
                       (SELECT count(*) FROM (SELECT 1 FROM control_cells
                        WHERE year = \(year) AND department_code = \(department) AND unit_code = \(unit)
                        ORDER BY cell FOR UPDATE) c) AS b
                """)
        }
        for row in try connection.query("""
            SELECT unit_code, cell, amount FROM control_cells
            WHERE year = \(year) AND department_code = \(department) AND unit_code <> ''
            UNION ALL
            SELECT f.unit_code, 'total', f.amount FROM control_figures f JOIN organizations o ON o.code = f.unit_code
            WHERE f.year = \(year) AND o.parent_code = \(department)
            """) {
            guard let cell = ControlCell(rawValue: try row.decode("cell")) else { continue }
            sheets[try row.decode("unit_code"), default: [:]][cell] = try row.decode("amount", as: Money.self)
        }
        return sheets
    }

    /// What the year's entries in review, approved or published use per cell (each code once, at
    /// its latest such revision), keyed by unit: of the whole department, or of one unit when
    /// `unit` is given; `except` leaves out one code (the entry being decided).
    static func usage(
        year: Int, department: String, unit: String? = nil, except code: String? = nil, on connection: PostgresConnection
    ) throws -> Sheets {
        var sheets: Sheets = [:]
        for row in try connection.query(usageStatement(year: year, department: department, unit: unit, except: code, groupBy: "unit_code")) {
            guard let cell = ControlCell(rawValue: try row.decode("cell")) else { continue }
            sheets[try row.decode("unit_code"), default: [:]][cell] = try row.decode("used", as: Money.self)
        }
        return sheets
    }

    /// What a unit's saved drafts are warned against, in a managed year: its figures and its
    /// usage per code; nil when the year has no rounds or the unit no figure (nothing to warn of).
    static func draftStanding(
        unit: String, year: Int, on connection: PostgresConnection
    ) throws -> (ceilings: [ControlCell: Money], usedByCode: [String: [ControlCell: Money]])? {
        guard let row = try connection.query("""
            SELECT o.parent_code,
                   EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year)) AS managed,
                   (SELECT amount FROM control_figures WHERE unit_code = o.code AND year = \(year)) AS total,
                   (SELECT json_object_agg(cell, amount::text) FROM control_cells
                    WHERE year = \(year) AND department_code = o.parent_code AND unit_code = o.code) AS cells
            FROM organizations o WHERE o.code = \(unit)
            """).first, try row.decode("managed", as: Bool.self) else { return nil }
        var ceilings = try decodeCells(row["cells"])
        if let total = try row.decode("total", as: Money?.self) { ceilings[.total] = total }
        guard !ceilings.isEmpty else { return nil }
        let department: String = try row.decode("parent_code")
        return (ceilings, try usageByCode(year: year, department: department, unit: unit, on: connection))
    }

    /// ``usage(year:department:unit:except:on:)`` of one unit, per code.
    static func usageByCode(year: Int, department: String, unit: String, on connection: PostgresConnection) throws -> [String: [ControlCell: Money]] {
        var byCode: [String: [ControlCell: Money]] = [:]
        for row in try connection.query(usageStatement(year: year, department: department, unit: unit, except: nil, groupBy: "code")) {
            guard let cell = ControlCell(rawValue: try row.decode("cell")) else { continue }
            byCode[try row.decode("code"), default: [:]][cell] = try row.decode("used", as: Money.self)
        }
        return byCode
    }

    /// The usage per cell, grouped by `groupBy` (`unit_code` or `code`, written here only).
    private static func usageStatement(year: Int, department: String, unit: String?, except code: String?, groupBy: String) -> SQL {
        let states = PostgresArray(ControlSheet.usedStates.map(\.rawValue))
        let sangong = ControlCell.sangong
        let unitFilter: SQL = unit.map { "AND unit_code = \($0)" } ?? ""
        let key = SQL(unsafeSQL: groupBy == "code" ? "code" : "unit_code")
        return """
            WITH latest AS MATERIALIZED (
                SELECT DISTINCT ON (code) id, code, unit_code, kind, amount, general, fund, state_capital, special, other
                FROM entries
                WHERE year = \(year) AND department_code = \(department) \(unitFilter)
                  AND state = ANY(\(states)::text[]) AND (\(code)::text IS NULL OR code <> \(code)::text)
                ORDER BY code, revision DESC
            )
            SELECT \(key), cell, sum(amount) AS used FROM (
                SELECT l.\(key), v.cell, v.amount FROM latest l
                CROSS JOIN LATERAL (VALUES ('kind:' || l.kind, l.amount), ('total', l.amount),
                    ('funding:general', l.general), ('funding:fund', l.fund), ('funding:state_capital', l.state_capital),
                    ('funding:special', l.special), ('funding:other', l.other)) AS v(cell, amount)
                UNION ALL
                SELECT l.\(key), m.cell, x.amount FROM latest l JOIN entry_items x ON x.entry_id = l.id
                JOIN unnest(\(PostgresArray(sangong.map(\.sangongEcon!)))::text[], \(PostgresArray(sangong.map(\.rawValue)))::text[])
                    AS m(econ, cell) ON m.econ = x.econ
            ) u GROUP BY \(key), cell
            """
    }

    /// The cells of several units summed (a department's usage, or its units' allocations).
    static func sum(_ sheets: some Sequence<[ControlCell: Money]>) -> [ControlCell: Money] {
        var total: [ControlCell: Money] = [:]
        for sheet in sheets {
            for (cell, amount) in sheet { total[cell] = (total[cell] ?? .zero) + amount }
        }
        return total
    }

    /// Writes cells of a department (`unit` nil) or of a unit; a unit's total goes to control_figures.
    static func write(
        year: Int, department: String, unit: String?, cells: [ControlCell: Money], by caller: Caller,
        on connection: PostgresConnection
    ) throws {
        var rest = cells
        if let unit, let total = rest.removeValue(forKey: .total) {
            try PlanWriter.setControlFigure(unit: unit, year: year, amount: total, by: caller, on: connection)
        }
        guard !rest.isEmpty else { return }
        let ordered = rest.sorted { $0.key.rawValue < $1.key.rawValue }
        try connection.query("""
            INSERT INTO control_cells (year, department_code, unit_code, cell, amount, set_by)
            SELECT \(year), \(department), \(unit ?? ""), v.cell, v.amount::numeric, \(caller.actor.name)
            FROM unnest(\(PostgresArray(ordered.map(\.key.rawValue)))::text[], \(PostgresArray(ordered.map(\.value.description)))::text[])
                AS v(cell, amount)
            ON CONFLICT (year, department_code, unit_code, cell) DO UPDATE
            SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now(), version = control_cells.version + 1
            """)
    }
}
