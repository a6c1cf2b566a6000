import Foundation
import Persistence
import TestSupport
import Testing

@Suite("round trips: lazy BEGIN and pipelines")
struct PipelineTests {
    /// Round trips the pool's only connection made while `work` ran.
    static func roundTrips(_ pool: ConnectionPool, _ work: () async throws -> Void) async throws -> Int {
        let (before, pid) = try await pool.withConnection { c in (c.roundTrips, c.backendPID) }
        try await work()
        let (after, samePID) = try await pool.withConnection { c in (c.roundTrips, c.backendPID) }
        try #require(pid == samePID, "the connection was replaced")
        return after - before
    }

    @Test("a read-write transaction of one statement costs two round trips: BEGIN with it, then COMMIT")
    func twoRoundTrips() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 1)
        try await db.pool.withConnection { c in try c.execute(unsafeSQL: "CREATE TABLE t (n int NOT NULL)") }
        let trips = try await Self.roundTrips(db.pool) {
            _ = try await db.pool.transaction { c in try c.query("INSERT INTO t VALUES (\(1))") }
        }
        #expect(trips == 2)
        let stored: Int = try await db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM t").first!.decode("n") }
        #expect(stored == 1)
        // A transaction that runs nothing costs nothing.
        #expect(try await Self.roundTrips(db.pool) { try await db.pool.transaction { _ in 0 } } == 0)
    }

    @Test("the lazy BEGIN keeps its isolation and read-only options, and errors surface as before")
    func optionsAndErrors() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 1)
        try await db.pool.withConnection { c in try c.execute(unsafeSQL: "CREATE TABLE t (n int NOT NULL)") }
        let level: String = try await db.pool.transaction(isolation: .serializable) { c in
            try c.query("SHOW transaction_isolation").first!.decode("transaction_isolation")
        }
        #expect(level == "serializable")
        do {
            try await db.pool.transaction(readOnly: true) { c in try c.query("INSERT INTO t VALUES (1)") }
            Issue.record("a read-only transaction wrote")
        } catch let error as PostgresError {
            #expect(error.sqlState == SQLState("25006"), "\(error)")
        }
        do {
            try await db.pool.transaction { c in try c.query("INSERT INTO t VALUES (\(Int?.none))") }
            Issue.record("NULL stored in a NOT NULL column")
        } catch let error as PostgresError {
            #expect(error.sqlState == .notNullViolation, "\(error)")
            #expect(error.table == "t")
        }
        // Rolled back and usable: the next transaction commits.
        try await db.pool.transaction { c in try c.query("INSERT INTO t VALUES (2)") }
        let rows: Int = try await db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM t").first!.decode("n") }
        #expect(rows == 1)
    }

    @Test("pipeline runs several statements in one round trip; a failure stops the batch")
    func pipeline() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let c = try db.superuser()
        try c.execute(unsafeSQL: "CREATE TABLE t (n int PRIMARY KEY)")
        let before = c.roundTrips
        let results = try c.pipeline(["INSERT INTO t VALUES (\(1))", "INSERT INTO t VALUES (\(2))", "SELECT count(*)::int AS n FROM t"])
        #expect(c.roundTrips - before == 1)
        #expect(results.count == 3)
        #expect(results[0].affectedRows == 1)
        #expect(try results[2].first!.decode("n", as: Int.self) == 2)
        let failure = #expect(throws: PostgresError.self) {
            _ = try c.pipeline(["INSERT INTO t VALUES (\(3))", "INSERT INTO t VALUES (\(1))", "INSERT INTO t VALUES (\(4))"])
        }
        #expect(failure?.sqlState == .uniqueViolation)
        // Outside a transaction the batch is one implicit transaction: 3 went with the failure.
        #expect(try c.query("SELECT count(*)::int AS n FROM t").first!.decode("n", as: Int.self) == 2)
        // Inside one, the statements join it.
        try c.withTransaction { c in
            _ = try c.pipeline(["INSERT INTO t VALUES (\(5))", "INSERT INTO t VALUES (\(6))"])
        }
        #expect(try c.query("SELECT count(*)::int AS n FROM t").first!.decode("n", as: Int.self) == 4)
    }
}
