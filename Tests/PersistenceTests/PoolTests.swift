import Foundation
import Persistence
import TestSupport
import Testing

@Suite("connection pool")
struct PoolTests {
    @Test("many concurrent tasks share a few connections")
    func concurrency() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        // Generous waits: this is about sharing, not deadlines (the suite runs beside heavy tests).
        let pool = TestDatabaseFactory.pool(db.conninfo, size: 3, acquireTimeout: .seconds(120), maxWaiters: 1000)
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await pool.withConnection { c in
                        let v: Int = try c.query("SELECT \(i)::int AS v").first!.decode("v")
                        precondition(v == i)
                        return c.backendPID
                    }
                }
            }
            var seen = Set<Int32>()
            for try await pid in group { seen.insert(pid) }
            return seen
        }
        #expect(pids.count <= 3)
        #expect(pids.count >= 1)
        #expect(pool.usage.inUse == 0)
        await pool.shutdown()
    }

    @Test("survives its connections being killed with pg_terminate_backend")
    func terminatedBackends() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 2)
        // Open both connections.
        async let a: Void = db.pool.withConnection { c in _ = try c.query("SELECT pg_sleep(0.2)") }
        async let b: Void = db.pool.withConnection { c in _ = try c.query("SELECT pg_sleep(0.2)") }
        _ = try await (a, b)
        let admin = try db.superuser()
        let killed: Int = try admin.query("""
            SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """).first!.decode("n")
        #expect(killed >= 1)
        try await Task.sleep(for: .milliseconds(100))
        for i in 0..<10 {
            let v: Int = try await db.pool.withConnection { c in try c.query("SELECT \(i)::int AS v").first!.decode("v") }
            #expect(v == i)
        }
        try await db.pool.transaction { c in try c.query("SELECT 1") }
    }

    @Test("a full pool answers quickly with poolExhausted instead of queueing forever")
    func exhaustion() async throws {
        let db = TestDatabaseFactory.pool(
            try TestPostgres.conninfo(database: "postgres"), size: 1, acquireTimeout: .milliseconds(100), maxWaiters: 1)
        // The holder waits on a gate this test opens, so "refused while the holder still held the
        // pool" proves nobody queued behind it, with no clock involved.
        let gate = try LockGate(conninfo: try TestPostgres.conninfo(database: "postgres"))
        async let long: Void = db.withConnection { c in _ = try c.query(gate.waitStatement) }
        defer { try? gate.open() }  // before the holder is awaited, even if the test throws
        while db.usage.inUse == 0 { try await Task.sleep(for: .milliseconds(5)) }
        var exhausted = 0
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        try await db.withConnection { c in _ = try c.query("SELECT 1") }
                        return false
                    } catch let error as PostgresError {
                        return error.kind == .poolExhausted
                    } catch {
                        return false
                    }
                }
            }
            for await result in group where result { exhausted += 1 }
        }
        #expect(exhausted == 5)
        #expect(db.usage.inUse == 1)  // the holder was still holding: all five were refused, not queued
        try gate.open()
        try await long  // the holder finishes normally once the gate opens
        // Recovers when the load drops.
        #expect(await db.ping())
        await db.shutdown()
    }

    @Test("a statement over the statement timeout is cancelled by the server")
    func statementTimeout() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let pool = ConnectionPool(
            // 1 s, not less: the timeout also bounds the pool's own probe and ping, which a loaded
            // machine can hold up for a few hundred milliseconds.
            configuration: .init(connectionString: db.conninfo, size: 1, statementTimeout: .seconds(1)), logger: TestPostgres.logger)
        do {
            try await pool.withConnection { c in _ = try c.query("SELECT pg_sleep(30)") }
            Issue.record("a 30 s statement was not cancelled")
        } catch let error as PostgresError {
            #expect(error.sqlState == .queryCanceled)
        }
        #expect(await pool.ping())  // the connection stays usable
        await pool.shutdown()
    }

    @Test("connecting to nowhere fails with a connection error and no leak")
    func unreachable() async throws {
        let pool = TestDatabaseFactory.pool("host=127.0.0.1 port=1 user=postgres dbname=x connect_timeout=2", size: 1)
        for _ in 0..<3 {
            do {
                try await pool.withConnection { c in _ = try c.query("SELECT 1") }
                Issue.record("connected to port 1")
            } catch let error as PostgresError {
                #expect(error.kind == .connection)
                #expect(error.isConnectionFailure)
            }
        }
        #expect(await pool.ping() == false)
        await pool.shutdown()
    }
}

enum TestDatabaseFactory {
    static func pool(
        _ conninfo: String, size: Int, acquireTimeout: Duration = .seconds(2), maxWaiters: Int = 16
    ) -> ConnectionPool {
        ConnectionPool(
            configuration: .init(connectionString: conninfo, size: size, acquireTimeout: acquireTimeout, maxWaiters: maxWaiters),
            logger: TestPostgres.logger)
    }
}
