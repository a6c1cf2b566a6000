import Foundation
import Synchronization

/// One `withConnection` call's claim on a connection, and the way its task's cancellation reaches
/// the statement running there.
///
/// When the task is cancelled (e.g. the HTTP client went away), `cancel()` marks the lease and asks
/// the server to cancel the running statement (`PQcancel`); no further statement starts. A
/// connection whose lease was cancelled is discarded rather than reused: the cancel request may
/// still be on its way and must never hit the next borrower's statement.
final class StatementLease: Sendable {
    private struct State {
        var cancelled = false
        var connection: PostgresConnection?
    }

    private let state = Mutex(State())

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Ties the lease to the connection about to run; false when the task is already cancelled.
    func attach(_ connection: PostgresConnection) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.connection = connection
            return true
        }
    }

    /// Ends the lease; true when it was cancelled (the connection must then be discarded).
    func detach() -> Bool {
        state.withLock { s in
            s.connection = nil
            return s.cancelled
        }
    }

    /// Called from the task's cancellation handler, on whatever thread cancelled it.
    func cancel() {
        let running: PostgresConnection? = state.withLock { s in
            s.cancelled = true
            return s.connection
        }
        guard let running else { return }
        // PQcancel opens a connection of its own: keep it off the canceller's thread, which may be
        // an event loop.
        DispatchQueue.global().async { running.requestCancel() }
    }
}
