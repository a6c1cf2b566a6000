import Foundation
import Logging

/// Transaction isolation levels (PostgreSQL's three distinct ones).
package enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` in one transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// A failing ROLLBACK never hides the original error: it is logged, the connection is marked
    /// broken (the pool drops it), and the original error is rethrown. Nested calls use savepoints.
    package func withTransaction<T>(
        isolation: IsolationLevel = .readCommitted,
        readOnly: Bool = false,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        if transactionDepth > 0 { return try withSavepoint(body) }
        begin(isolation: isolation, readOnly: readOnly)
        return try finishTransaction(body)
    }

    /// Opens a transaction lazily: its BEGIN goes out in one round trip with the first statement
    /// (pipeline mode), and a transaction that runs none sends neither BEGIN nor COMMIT.
    func begin(isolation: IsolationLevel, readOnly: Bool) {
        let mode = readOnly ? " READ ONLY" : ""
        pendingBegin = "BEGIN ISOLATION LEVEL \(isolation.rawValue)\(mode)"
        beginLost = nil
    }

    /// Runs `body` inside a transaction that `begin` opened, then commits or rolls back.
    func finishTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        transactionDepth = 1
        defer {
            transactionDepth = 0
            pendingBegin = nil
        }
        let result: T
        do {
            result = try body(self)
        } catch {
            rollbackAfterFailure(of: error, statement: "ROLLBACK")
            throw error
        }
        try commit()
        return result
    }

    private func commit() throws(PostgresError) {
        if pendingBegin != nil { return }  // nothing ran: nothing to commit
        do throws(PostgresError) {
            try query("COMMIT")
        } catch {
            // Also when the server ended the session (57P01…) rather than libpq losing the socket.
            guard error.isConnectionFailure else { throw error }
            // The server may have committed before the connection died; only a re-read can tell.
            throw PostgresError(
                kind: .commitOutcomeUnknown,
                message: "the database connection was lost during COMMIT; the change may or may not have been applied (\(error.message))")
        }
    }

    private func withSavepoint<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let name = "sp\(transactionDepth)"
        try query(SQL(unsafeSQL: "SAVEPOINT \(name)"))
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body(self)
            try query(SQL(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return result
        } catch {
            rollbackAfterFailure(of: error, statement: "ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    private func rollbackAfterFailure(of original: any Error, statement: String) {
        guard isConnected else { return }  // the server already ended the transaction with the session
        // A cancelled lease discards the connection; ending the session rolls back.
        guard !isCancelled else { return }
        if pendingBegin != nil { return }  // the transaction never reached the server
        do {
            try query(SQL(unsafeSQL: statement))
        } catch {
            markBroken()
            logger.error(
                "rollback failed; connection discarded",
                metadata: ["rollback_error": "\(error)", "original_error": "\(original)"])
        }
    }
}

/// Bounded retries of transactions that failed with a serialization failure or a deadlock.
package struct RetryPolicy: Sendable {
    package var maxAttempts: Int
    package var baseDelay: Duration

    package init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(2)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
    }

    package static let `default` = RetryPolicy()
    package static let none = RetryPolicy(maxAttempts: 1)

    /// Exponential backoff with full jitter, so racing transactions do not collide again in step.
    func delay(afterAttempt attempt: Int) -> Duration {
        let cap = baseDelay * (1 << min(attempt, 8))
        let micros = cap.components.seconds * 1_000_000 + cap.components.attoseconds / 1_000_000_000_000
        return .microseconds(Int64.random(in: 0...max(1, micros)))
    }
}
