import Foundation
import Persistence
import TestSupport
import Testing

@Suite("prepared statements")
struct PreparedStatementTests {
    static func prepared(_ text: String, on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = \(text) AND NOT from_sql")
            .first!.decode("n")
    }

    static func preparedCount(on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE NOT from_sql").first!.decode("n")
    }

    @Test("a repeated statement is prepared once per connection, in no extra round trip, and answers right")
    func preparedOnce() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let c = try db.superuser()
        let before = c.roundTrips
        for i in 0..<10 {
            let v: Int = try c.query("SELECT \(i)::int + 1 AS v").first!.decode("v")
            #expect(v == i + 1)
        }
        #expect(c.roundTrips - before == 10)
        #expect(try Self.prepared("SELECT $1::int + 1 AS v", on: c) == 1)
        #expect(try Self.preparedCount(on: c) == 1)
    }

    @Test("statements run once are not prepared, and the cache is bounded")
    func onlyReusedAndBounded() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let c = try db.superuser()
        for i in 0..<50 { _ = try c.query("SELECT \(i)::int AS once_\(unsafeRaw: String(i))") }
        #expect(try Self.preparedCount(on: c) == 0)
        for i in 0..<300 {
            for _ in 0..<2 {
                let v: Int = try c.query("SELECT \(i)::int AS twice_\(unsafeRaw: String(i))").first!.decode("twice_\(i)")
                #expect(v == i)
            }
        }
        #expect(try Self.preparedCount(on: c) == 256)
    }

    @Test("after a schema change a cached statement runs again outside a transaction, and fails once inside one")
    func schemaChange() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let c = try db.superuser()
        try c.execute(unsafeSQL: "CREATE TABLE t (id int, a text); INSERT INTO t VALUES (1, 'one')")
        for _ in 0..<2 { #expect(try c.query("SELECT * FROM t WHERE id = \(1)").columns == ["id", "a"]) }
        try c.execute(unsafeSQL: "ALTER TABLE t ADD COLUMN b text DEFAULT 'x'")
        let rows = try c.query("SELECT * FROM t WHERE id = \(1)")
        #expect(rows.columns == ["id", "a", "b"])
        #expect(rows.first?["b"] == "x")

        for _ in 0..<2 { _ = try c.query("SELECT * FROM t WHERE id = \(1)") }
        try c.execute(unsafeSQL: "ALTER TABLE t ADD COLUMN d int DEFAULT 4")
        do {
            try c.withTransaction { c in _ = try c.query("SELECT * FROM t WHERE id = \(1)") }
            Issue.record("a cached plan of another shape ran")
        } catch let error as PostgresError {
            #expect(error.sqlState == .cachedPlanChanged, "\(error)")
        }
        // The entry was dropped: the next run prepares afresh.
        #expect(try c.query("SELECT * FROM t WHERE id = \(1)").columns == ["id", "a", "b", "d"])
        let d = try c.withTransaction { c in try c.query("SELECT * FROM t WHERE id = \(1)").first?["d"] }
        #expect(d == "4")
    }
}
