import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A bounded pool of libpq connections whose blocking calls run on a dedicated thread pool.
///
/// - At most `size` connections exist; each borrowed one runs its closure on its own thread,
///   so Swift's cooperative pool never blocks on libpq.
/// - A caller waits at most `acquireTimeout` for a connection, and at most `maxWaiters` callers
///   wait at once; beyond that `PostgresError.Kind.poolExhausted` is thrown immediately, which the
///   server answers with 503 rather than queueing without bound.
/// - Broken connections are dropped; idle ones are probed before use, so a terminated backend or a
///   restarted server is recovered from by reconnecting.
package final class ConnectionPool: Sendable, Service {
    package struct Configuration: Sendable {
        package var connectionString: String
        package var size: Int
        package var acquireTimeout: Duration
        package var maxWaiters: Int
        package var applicationName: String
        /// Server-side limit of one statement (nil: none).
        package var statementTimeout: Duration?
        /// Signs every audit event the pool's connections append (`BUDGET_AUDIT_KEY_FILE`); nil
        /// stores them unsigned, which `audit verify` reports as a failure.
        package var auditKey: AuditSigningKey?

        package init(
            connectionString: String, size: Int = 8, acquireTimeout: Duration = .seconds(2),
            maxWaiters: Int = 256, applicationName: String = "budget", statementTimeout: Duration? = nil,
            auditKey: AuditSigningKey? = nil
        ) {
            self.statementTimeout = statementTimeout
            self.auditKey = auditKey
            self.connectionString = connectionString
            self.size = max(1, size)
            self.acquireTimeout = acquireTimeout
            self.maxWaiters = maxWaiters
            self.applicationName = applicationName
        }
    }

    /// A point-in-time view of the pool, for metrics and readiness.
    package struct Usage: Sendable, Equatable {
        package var size: Int
        package var inUse: Int
        package var idle: Int
        package var waiting: Int
    }

    private struct Waiter {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var permits: Int
        var idle: [PostgresConnection] = []
        /// In arrival order, which is also deadline order (every waiter waits `acquireTimeout`).
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
        /// The one timer that fails the oldest waiter at its deadline; nil while nobody waits.
        var timer: Task<Void, Never>?
        var timerGeneration: UInt64 = 0
    }

    package let configuration: Configuration
    package let logger: Logger
    private let threads: NIOThreadPool
    private let state: Mutex<State>
    private let liveTimerCount = Atomic<Int>(0)

    package init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        threads = NIOThreadPool(numberOfThreads: configuration.size)
        threads.start()
        state = Mutex(State(permits: configuration.size))
    }

    package var usage: Usage {
        state.withLock { s in
            Usage(size: configuration.size, inUse: configuration.size - s.permits, idle: s.idle.count,
                  waiting: s.waiters.count)
        }
    }

    /// Lends one connection to `body`, which runs on a pool thread and must not keep it.
    ///
    /// When the calling task is cancelled, the running statement is cancelled in the server, no
    /// further statement starts, the connection is discarded, and `CancellationError` is thrown
    /// (unless `body` had already finished).
    @discardableResult
    package func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await acquirePermit()
        defer { releasePermit() }
        let lease = StatementLease()
        return try await withTaskCancellationHandler {
            try await threads.runIfActive { [self] in
                if lease.isCancelled { throw CancellationError() }
                let connection = try checkout()
                guard lease.attach(connection) else {
                    checkin(connection)
                    throw CancellationError()
                }
                connection.lease = lease
                defer {
                    connection.lease = nil
                    if lease.detach() { connection.markBroken() }  // a cancel request may be in flight
                    checkin(connection)
                }
                do {
                    return try body(connection)
                } catch {
                    if lease.isCancelled { throw CancellationError() }
                    throw error
                }
            }
        } onCancel: {
            lease.cancel()
        }
    }

    /// Runs `body` in a transaction, retrying the whole transaction on serialization failures and
    /// deadlocks, and once more when the connection turned out to be dead before anything ran.
    @discardableResult
    package func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        readOnly: Bool = false,
        retry: RetryPolicy = .default,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 0
        var reconnects = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { connection in
                    connection.begin(isolation: isolation, readOnly: readOnly)
                    do {
                        return try connection.finishTransaction(body)
                    } catch {
                        // The round trip carrying BEGIN failed on the connection: nothing committed.
                        if let lost = connection.beginLost { throw DeadBeforeBegin(underlying: lost) }
                        throw error
                    }
                }
            } catch let error as PostgresError where error.sqlState?.isTransient == true && attempt < retry.maxAttempts {
                logger.debug("retrying transaction", metadata: ["sqlstate": "\(error.sqlState!)", "attempt": "\(attempt)"])
                try await Task.sleep(for: retry.delay(afterAttempt: attempt))
            } catch let failure as DeadBeforeBegin {
                // Nothing ran, so running again on a fresh connection is safe.
                guard reconnects < 2 else { throw failure.underlying }
                reconnects += 1
                attempt -= 1
            }
        }
    }

    /// Answers whether the database is reachable right now (for /readyz).
    package func ping() async -> Bool {
        do {
            return try await withConnection { connection in
                try connection.query("SELECT 1").count == 1
            }
        } catch {
            return false
        }
    }

    /// Closes idle connections, fails waiters, and stops the threads. In-flight work finishes first.
    package func shutdown() async {
        let (idle, waiters) = state.withLock { s in
            s.closed = true
            s.timer?.cancel()
            s.timer = nil
            defer { s.idle = []; s.waiters = [] }
            return (s.idle, s.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the database pool is shutting down"))
        }
        drop(idle)
        try? await threads.shutdownGracefully()
    }

    /// ServiceLifecycle: keeps the pool open until graceful shutdown, then closes it.
    package func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    private func drop(_ connections: [PostgresConnection]) {
        if !connections.isEmpty { logger.debug("closing idle connections", metadata: ["count": "\(connections.count)"]) }
    }

    // MARK: - Permits

    private func acquirePermit() async throws {
        let id: UInt64 = state.withLock { s in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Decision { case go, wait, exhausted, closed, cancelled }
                let decision: Decision = state.withLock { s in
                    if s.closed { return .closed }
                    if s.permits > 0 {
                        s.permits -= 1
                        return .go
                    }
                    // A cancel that came before the waiter is queued found nothing to fail: the
                    // task's flag is set before its handler runs, so checking it under the lock
                    // closes that gap.
                    if Task.isCancelled { return .cancelled }
                    if s.waiters.count >= configuration.maxWaiters { return .exhausted }
                    s.waiters.append(Waiter(
                        id: id, deadline: .now + configuration.acquireTimeout, continuation: continuation))
                    armTimer(&s)
                    return .wait
                }
                switch decision {
                case .go: continuation.resume()
                case .wait: break
                case .exhausted: continuation.resume(throwing: exhaustedError)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .closed:
                    continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the database pool is shutting down"))
                }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
    }

    private var exhaustedError: PostgresError {
        PostgresError(kind: .poolExhausted, message: "all \(configuration.size) database connections are busy")
    }

    /// Timer tasks that exist right now (at most one): none once nobody waits.
    package var liveTimers: Int { liveTimerCount.load(ordering: .relaxed) }

    /// Starts the timer for the oldest waiter unless one runs. Called under the lock.
    private func armTimer(_ s: inout State) {
        guard s.timer == nil, let deadline = s.waiters.first?.deadline else { return }
        s.timerGeneration += 1
        let generation = s.timerGeneration
        liveTimerCount.add(1, ordering: .relaxed)
        s.timer = Task { [self] in
            defer { liveTimerCount.subtract(1, ordering: .relaxed) }
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return  // disarmed: nobody waits any more
            }
            timerFired(generation)
        }
    }

    /// Stops the timer when nobody waits. Called under the lock.
    private func disarmTimerIfIdle(_ s: inout State) {
        guard s.waiters.isEmpty, let timer = s.timer else { return }
        timer.cancel()
        s.timer = nil
    }

    /// Fails the waiters whose deadline passed and re-arms for the next one.
    private func timerFired(_ generation: UInt64) {
        let expired: [Waiter] = state.withLock { s in
            guard s.timerGeneration == generation, s.timer != nil else { return [] }
            s.timer = nil
            let now = ContinuousClock.now
            let count = s.waiters.prefix { $0.deadline <= now }.count
            let expired = Array(s.waiters.prefix(count))
            s.waiters.removeFirst(count)
            armTimer(&s)
            return expired
        }
        for waiter in expired { waiter.continuation.resume(throwing: exhaustedError) }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter: Waiter? = state.withLock { s in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = s.waiters.remove(at: index)
            disarmTimerIfIdle(&s)
            return waiter
        }
        waiter?.continuation.resume(throwing: error)
    }

    private func releasePermit() {
        let next: Waiter? = state.withLock { s in
            if s.waiters.isEmpty {
                s.permits += 1
                return nil
            }
            let next = s.waiters.removeFirst()  // the permit passes straight to the oldest waiter
            disarmTimerIfIdle(&s)
            return next
        }
        next?.continuation.resume()
    }

    // MARK: - Connections (called on pool threads while holding a permit)

    private struct DeadBeforeBegin: Error {
        let underlying: PostgresError
    }

    private func checkout() throws -> PostgresConnection {
        while let candidate = state.withLock({ $0.idle.popLast() }) {
            if candidate.probeIdle() { return candidate }
            logger.info("dropping a broken idle database connection")
        }
        return try PostgresConnection(
            connectionString: configuration.connectionString,
            applicationName: configuration.applicationName, statementTimeout: configuration.statementTimeout,
            auditKey: configuration.auditKey, logger: logger)
    }

    private func checkin(_ connection: PostgresConnection) {
        guard connection.isConnected else {
            // One dead connection usually means the server restarted: drop the idle ones too,
            // they will be probed anyway, but reconnecting eagerly avoids a second failure.
            state.withLock { s in s.idle.removeAll { !$0.probeIdle() } }
            return
        }
        state.withLock { s in
            if !s.closed { s.idle.append(connection) }
        }
    }
}
