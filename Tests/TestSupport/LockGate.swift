import Foundation
import Persistence

/// Keeps a statement waiting until the test opens the gate.
///
/// A separate session holds an advisory lock; `waitStatement` blocks on the same lock. So "the
/// pool is still held" is a fact the test controls, not a guess about how long a sleep lasts on a
/// loaded machine (a clock-bound holder could finish, or not yet have started, when asserted).
public final class LockGate: @unchecked Sendable {
    private let session: PostgresConnection
    private let key: Int64

    public init(conninfo: String) throws {
        session = try PostgresConnection(connectionString: conninfo, logger: TestPostgres.logger)
        key = Int64.random(in: 1...Int64(Int32.max))
        _ = try session.query("SELECT pg_advisory_lock(\(key))")
    }

    /// Blocks until `open()`; releases the lock again when its statement ends.
    package var waitStatement: SQL { "SELECT pg_advisory_xact_lock(\(key))" }

    public func open() throws {
        _ = try session.query("SELECT pg_advisory_unlock(\(key))")
    }
}
