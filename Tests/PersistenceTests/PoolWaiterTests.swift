import Foundation
import Persistence
import TestSupport
import Testing

@Suite("connection pool: waiters")
struct PoolWaiterTests {
    @Test("200 waiters cancelled at once all end at once, also those cancelled before they queued")
    func cancelledWaiters() async throws {
        let conninfo = try TestPostgres.conninfo(database: "postgres")
        // A long acquire timeout: a waiter that is not told about its cancel waits it out.
        let pool = TestDatabaseFactory.pool(conninfo, size: 1, acquireTimeout: .seconds(600), maxWaiters: 1000)
        let gate = try LockGate(conninfo: conninfo)
        async let holder: Void = pool.withConnection { c in _ = try c.query(gate.waitStatement) }
        defer { try? gate.open() }
        while pool.usage.inUse == 0 { try await Task.sleep(for: .milliseconds(5)) }

        let waiters = (0..<200).map { _ in
            Task { try await pool.withConnection { c in _ = try c.query("SELECT 1") } }
        }
        let cancelled = ContinuousClock.now
        for (index, waiter) in waiters.enumerated() where index % 2 == 0 { waiter.cancel() }  // some before they start
        try await Task.sleep(for: .milliseconds(50))
        for (index, waiter) in waiters.enumerated() where index % 2 == 1 { waiter.cancel() }  // some while queued
        var cancellations = 0
        for waiter in waiters {
            if case .failure(let error) = await waiter.result, error is CancellationError { cancellations += 1 }
        }
        #expect(ContinuousClock.now - cancelled < .seconds(60))  // generous for a loaded machine; far below 600
        #expect(cancellations == 200)
        #expect(pool.usage.waiting == 0)
        #expect(pool.usage.inUse == 1)  // the holder still holds: nobody was served, all gave up
        try gate.open()
        try await holder
        #expect(await pool.ping())
        try await Self.noTimerLeft(pool)
        await pool.shutdown()
    }

    @Test("served waiters leave no timer behind; an unserved one still times out")
    func noSleepingTimers() async throws {
        let conninfo = try TestPostgres.conninfo(database: "postgres")
        // Generous: this is about timers, not deadlines (the suite runs beside heavy tests).
        let pool = TestDatabaseFactory.pool(conninfo, size: 2, acquireTimeout: .seconds(600), maxWaiters: 1000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { try await pool.withConnection { c in _ = try c.query("SELECT pg_sleep(0.001)") } }
            }
            try await group.waitForAll()
        }
        try await Self.noTimerLeft(pool)

        // The one timer still does its job.
        let short = TestDatabaseFactory.pool(conninfo, size: 1, acquireTimeout: .milliseconds(200), maxWaiters: 10)
        let gate = try LockGate(conninfo: conninfo)
        async let holder: Void = short.withConnection { c in _ = try c.query(gate.waitStatement) }
        defer { try? gate.open() }
        while short.usage.inUse == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let started = ContinuousClock.now
        await #expect(throws: PostgresError.self) {
            try await short.withConnection { c in _ = try c.query("SELECT 1") }
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        try gate.open()
        try await holder
        try await Self.noTimerLeft(short)
        await pool.shutdown()
        await short.shutdown()
    }

    /// A disarmed timer task ends promptly once cancelled.
    static func noTimerLeft(_ pool: ConnectionPool) async throws {
        let started = ContinuousClock.now
        while pool.liveTimers > 0, ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(pool.liveTimers == 0)
    }
}
