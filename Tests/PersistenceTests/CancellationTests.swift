import Foundation
import Persistence
import TestSupport
import Testing

@Suite("statement cancellation")
struct CancellationTests {
    /// Statements of this database still running `needle` (not counting the observer's own).
    static func running(_ needle: String, in db: TestDatabase, observer: PostgresConnection) throws -> Int {
        try observer.query("""
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND state = 'active' AND position(\(needle) in query) > 0
            """).first!.decode("n")
    }

    @Test("a cancelled task cancels its statement in the server and gets CancellationError")
    func cancelRunningStatement() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 1)
        let observer = try db.superuser()
        let task = Task {
            try await db.pool.withConnection { c in _ = try c.query("SELECT pg_sleep(30) AS cancel_me") }
        }
        // Wait until the statement really runs in the server, then cancel the task.
        let started = ContinuousClock.now
        while try Self.running("cancel_me", in: db, observer: observer) == 0 {
            try #require(ContinuousClock.now - started < .seconds(20), "the statement never started")
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - cancelled < .seconds(10))  // far below the 30 s it would run
        #expect(throws: CancellationError.self) { try result.get() }
        // The server is no longer running it (give its backend a moment to notice).
        let checked = ContinuousClock.now
        while try Self.running("cancel_me", in: db, observer: observer) > 0, ContinuousClock.now - checked < .seconds(2) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try Self.running("cancel_me", in: db, observer: observer) == 0)
        // The pool carries on (the cancelled connection was replaced).
        #expect(await db.pool.ping())
        #expect(db.pool.usage.inUse == 0)
    }

    @Test("a transaction whose task is cancelled rolls back, and nothing after the cancel runs")
    func cancelTransaction() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 1)
        let observer = try db.superuser()
        _ = try observer.query("CREATE TABLE marks (n int)")
        let task = Task {
            try await db.pool.transaction { c in
                _ = try c.query("INSERT INTO marks VALUES (1)")
                _ = try? c.query("SELECT pg_sleep(30) AS cancel_tx")  // swallowed: the next one must still not run
                _ = try c.query("INSERT INTO marks VALUES (2)")
            }
        }
        let started = ContinuousClock.now
        while try Self.running("cancel_tx", in: db, observer: observer) == 0 {
            try #require(ContinuousClock.now - started < .seconds(20), "the statement never started")
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let checked = ContinuousClock.now
        // The session ends with the discarded connection, and its transaction with it.
        var rows = -1
        while ContinuousClock.now - checked < .seconds(3) {
            rows = try observer.query("SELECT count(*)::int AS n FROM marks").first!.decode("n")
            if rows == 0, try Self.running("cancel_tx", in: db, observer: observer) == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(rows == 0)
        #expect(try Self.running("cancel_tx", in: db, observer: observer) == 0)
        #expect(await db.pool.ping())
    }
}
