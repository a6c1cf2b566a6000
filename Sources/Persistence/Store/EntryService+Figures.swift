import Foundation
import Workflow

extension EntryService {
    /// The entry's figures by round (一上 / 二上 / 批复, side by side) in a year run in rounds;
    /// nil in an unmanaged year. The caller has already read the entry (so may see it).
    public func figures(of entry: BudgetEntry) async throws -> RoundFigures? {
        try await pool.withConnection { connection in
            let year = entry.year
            let code = entry.content.code
            let row = try connection.query("""
                SELECT EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year)) AS managed,
                    (SELECT amount FROM round_figures WHERE year = \(year) AND stage = '一上' AND code = \(code)) AS first_up,
                    (SELECT amount FROM round_figures WHERE year = \(year) AND stage = '批复' AND code = \(code)) AS approved,
                    (SELECT amount FROM entries WHERE year = \(year) AND code = \(code) AND round = '二上'
                       AND state NOT IN ('discarded', 'superseded') ORDER BY revision DESC LIMIT 1) AS second_up
                """).first!
            guard try row.decode("managed", as: Bool.self) else { return nil }
            return RoundFigures(
                firstUp: try row.decode("first_up", as: Money?.self), secondUp: try row.decode("second_up", as: Money?.self),
                approved: try row.decode("approved", as: Money?.self))
        }
    }

    /// A unit-year's totals by round (side by side), or nil in an unmanaged year. A round with no
    /// figure of the unit is absent.
    static func roundTotals(unit: String, year: Int, on connection: PostgresConnection) throws -> RoundFigures? {
        let row = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year)) AS managed,
                (SELECT sum(amount) FROM round_figures WHERE unit_code = \(unit) AND year = \(year) AND stage = '一上') AS first_up,
                (SELECT sum(amount) FROM round_figures WHERE unit_code = \(unit) AND year = \(year) AND stage = '批复') AS approved,
                (SELECT sum(amount) FROM (
                    SELECT DISTINCT ON (code) amount FROM entries
                    WHERE unit_code = \(unit) AND year = \(year) AND round = '二上' AND state NOT IN ('discarded', 'superseded')
                    ORDER BY code, revision DESC) latest) AS second_up
            """).first!
        guard try row.decode("managed", as: Bool.self) else { return nil }
        return RoundFigures(
            firstUp: try row.decode("first_up", as: Money?.self), secondUp: try row.decode("second_up", as: Money?.self),
            approved: try row.decode("approved", as: Money?.self))
    }
}
