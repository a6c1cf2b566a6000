import Foundation
import Workflow

/// Reading and writing a year's calendar of rounds (`budget_rounds`) and its frozen figures.
/// Internal: the rules are Workflow's (``YearCalendar``, the round commands).
enum YearRows {
    /// Today in Asia/Shanghai, as the windows' dates are written, by the database's clock.
    static let today: SQL = "to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD')"

    /// The year's windows as one JSON array (for a snapshot statement): `rounds` of `year`.
    static func windowsJSON(year: SQL) -> SQL {
        """
        (SELECT json_agg(json_build_object('round', b.round, 'opens_on', to_char(b.opens_on, 'YYYY-MM-DD'),
                                           'closes_on', to_char(b.closes_on, 'YYYY-MM-DD'), 'closed', b.closed_at IS NOT NULL))
         FROM budget_rounds b WHERE b.year = \(year))::text
        """
    }

    /// The calendar of `windowsJSON`'s text (nil: no window, an unmanaged year).
    static func calendar(year: Int, json: String?) throws -> YearCalendar {
        struct Window: Decodable {
            var round: String
            var opens_on: String
            var closes_on: String
            var closed: Bool
        }
        guard let json else { return YearCalendar(year: year) }
        let windows = try JSONDecoder().decode([Window].self, from: Data(json.utf8)).map { window in
            guard let round = BudgetRound(rawValue: window.round), let opens = CalendarDate(parsing: window.opens_on),
                  let closes = CalendarDate(parsing: window.closes_on)
            else { throw PostgresError(kind: .decoding, message: "unknown round or date in budget_rounds") }
            return RoundWindow(round: round, opensOn: opens, closesOn: closes, closedEarly: window.closed)
        }
        return YearCalendar(year: year, windows: windows)
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else {
            throw PostgresError(kind: .decoding, message: "not a date: \(text)")
        }
        return date
    }

    /// The year's calendar and today; `lock` takes the year's window rows FOR SHARE (draft saves:
    /// an opening, which takes them FOR UPDATE, waits for them, and they for it).
    static func load(_ year: Int, lock: Bool, on connection: PostgresConnection) throws -> (YearCalendar, CalendarDate) {
        if lock {
            try connection.query("SELECT 1 AS x FROM budget_rounds WHERE year = \(year) FOR SHARE")
        }
        let row = try connection.query("SELECT \(windowsJSON(year: "\(year)")) AS rounds, \(today) AS today").first!
        return (try calendar(year: year, json: row["rounds"]), try date(try row.decode("today")))
    }

    /// The year's 一上 entries (or entries from before the year was managed): the latest revision
    /// of each code, neither discarded nor superseded, locked, in (code) order.
    static func firstUpEntries(_ year: Int, on connection: PostgresConnection) throws -> [FirstUpEntry] {
        try connection.query("""
            SELECT e.id, e.code, e.unit_code, e.revision, e.state, e.kind, e.amount FROM entries e
            WHERE e.year = \(year) AND (e.round = '一上' OR e.round IS NULL)
              AND e.state NOT IN ('discarded', 'superseded')
              AND e.revision = (SELECT max(r.revision) FROM entries r WHERE r.year = e.year AND r.code = e.code)
            ORDER BY e.code FOR UPDATE OF e
            """).map { row in
            guard let state = EntryState(rawValue: try row.decode("state")), let kind = EntryKind(rawValue: try row.decode("kind")) else {
                throw PostgresError(kind: .decoding, message: "unknown kind or state in entries row")
            }
            return FirstUpEntry(
                id: try row.decode("id"), code: try row.decode("code"), unitCode: try row.decode("unit_code"),
                revision: try row.decode("revision"), state: state, kind: kind, amount: try row.decode("amount"))
        }
    }

    // MARK: Writes (PlanWriter's)

    static func open(year: Int, round: BudgetRound, opensOn: CalendarDate, closesOn: CalendarDate, by caller: Caller,
                     on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO budget_rounds (year, round, opens_on, closes_on, opened_by)
            VALUES (\(year), \(round.rawValue), \(opensOn.description)::date, \(closesOn.description)::date, \(caller.actor.name))
            """)
    }

    static func extend(year: Int, round: BudgetRound, closesOn: CalendarDate, on connection: PostgresConnection) throws {
        try connection.query("""
            UPDATE budget_rounds SET closes_on = \(closesOn.description)::date, version = version + 1
            WHERE year = \(year) AND round = \(round.rawValue)
            """)
    }

    static func close(year: Int, round: BudgetRound, on connection: PostgresConnection) throws {
        try connection.query("""
            UPDATE budget_rounds SET closed_at = now(), version = version + 1
            WHERE year = \(year) AND round = \(round.rawValue)
            """)
    }

    /// Stage 一上 of `entries` (ids of revisions), frozen as they are stored.
    static func freezeFirstUp(year: Int, entries: [UUID], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        try connection.query("""
            INSERT INTO round_figures (year, stage, code, unit_code, entry_id, revision, kind, amount)
            SELECT e.year, '一上', e.code, e.unit_code, e.id, e.revision, e.kind, e.amount
            FROM entries e WHERE e.year = \(year) AND e.id = ANY(\(PostgresArray(entries))::uuid[])
            """)
    }

    /// Each `from` revision superseded, then copied (with its children) into the draft revision
    /// `to` of round 二上. Two statements: the open-revision unique index is checked row by row.
    static func carryIntoSecondUp(year: Int, entries: [CarriedEntry], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        let from = PostgresArray(entries.map(\.from))
        let to = PostgresArray(entries.map(\.to))
        let revisions = PostgresArray(entries.map(\.revision))
        try connection.query("""
            UPDATE entries SET state = 'superseded', version = version + 1, updated_at = now()
            WHERE year = \(year) AND id = ANY(\(from)::uuid[])
            """)
        let pairs: SQL = "unnest(\(from)::uuid[], \(to)::uuid[], \(revisions)::int[]) AS v(f, t, r)"
        try connection.query("""
                INSERT INTO entries (id, year, unit_code, department_code, code, revision, supersedes, name, kind, func_code,
                                     general, fund, state_capital, special, other, plan, purpose, goals, state, round)
                SELECT v.t, e.year, e.unit_code, e.department_code, e.code, v.r, e.id, e.name, e.kind, e.func_code,
                       e.general, e.fund, e.state_capital, e.special, e.other, e.plan, e.purpose, e.goals, 'draft', '二上'
                FROM entries e JOIN \(pairs) ON e.id = v.f
                ORDER BY e.code
            """)
        // The children in one statement, once their rows exist.
        try connection.query("""
            WITH items AS (
                INSERT INTO entry_items (entry_id, position, econ, amount)
                SELECT v.t, x.position, x.econ, x.amount FROM entry_items x JOIN \(pairs) ON x.entry_id = v.f
            ), indicators AS (
                INSERT INTO entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis)
                SELECT v.t, x.position, x.l1, x.l2, x.l3, x.descr, x.value, x.basis FROM entry_indicators x JOIN \(pairs) ON x.entry_id = v.f
            )
            INSERT INTO entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount)
            SELECT v.t, x.position, x.item, x.catalog, x.unit, x.quantity, x.price, x.amount
            FROM entry_procurement x JOIN \(pairs) ON x.entry_id = v.f
            """)
    }
}
