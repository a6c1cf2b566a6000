import CLibPQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A notification received on a channel the session LISTENs to.
public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
}

extension PostgresConnection {
    /// Waits up to `timeout` for notifications on the channels this session LISTENs to, and
    /// returns those that arrived (maybe none). Throws when the session is lost.
    ///
    /// Only for a session of its own, between statements: it reads the socket directly.
    public func notifications(waitingUpTo timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        let pending = takeNotifications()
        guard pending.isEmpty else { return pending }
        let socket = PQsocket(handle)
        guard socket >= 0, PQstatus(handle) == CONNECTION_OK else { throw lostListener() }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw lostListener() }
        if ready > 0 {
            // Reads what arrived; a closed socket or a FATAL from the server leaves the status bad.
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { throw lostListener() }
            let arrived = takeNotifications()
            if arrived.isEmpty && descriptor.revents & Int16(POLLHUP | POLLERR) != 0 { throw lostListener() }
            return arrived
        }
        return []
    }

    private func takeNotifications() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notice = PQnotifies(handle) {
            received.append(PostgresNotification(
                channel: String(cString: notice.pointee.relname), payload: String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        return received
    }

    private func lostListener() -> PostgresError {
        PostgresError(kind: .connection, message: "the listening session was lost: "
            + String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
