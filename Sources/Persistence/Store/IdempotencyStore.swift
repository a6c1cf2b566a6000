import Crypto
import Foundation

/// Remembers the first response to a request carrying an `Idempotency-Key`, per actor.
///
/// `begin` claims the key; a retry of a finished request gets the stored response, a retry while
/// the first is still running gets `.inProgress`, and the same key with a different body is refused.
/// The claimed request runs inside `applying`, which marks the key applied in the same transaction
/// as the change: a retry after a crash between that commit and `finish` gets `.appliedWithoutResponse`
/// rather than running the change again. An unapplied claim left behind by a crashed server expires
/// after `staleAfter`, so it cannot block forever.
public struct IdempotencyStore: Sendable {
    public let pool: ConnectionPool
    public var staleAfter: Duration = .seconds(60)

    public init(pool: ConnectionPool) { self.pool = pool }

    public struct StoredResponse: Sendable, Hashable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]

        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    public enum Claim: Sendable, Hashable {
        case claimed
        case replay(StoredResponse)
        case inProgress
        case mismatch
        /// The change committed but its response was never stored (the server stopped in between).
        case appliedWithoutResponse
    }

    public func begin(actor: String, key: String, method: String, path: String, body: [UInt8]) async throws -> Claim {
        let hash = ByteA(Array(SHA256.hash(data: Data(body))))
        let staleSeconds = Int(staleAfter.components.seconds)
        return try await pool.transaction { connection in
            let inserted = try connection.query("""
                INSERT INTO idempotency_keys (actor, key, method, path, body_hash) VALUES (\(actor), \(key), \(method), \(path), \(hash))
                ON CONFLICT (actor, key) DO NOTHING
                """).affectedRows
            if inserted == 1 { return .claimed }
            guard let row = try connection.query("""
                SELECT method, path, body_hash, status, content_type, response, applied_at IS NOT NULL AS applied,
                       created_at < now() - make_interval(secs => \(staleSeconds)) AS stale
                FROM idempotency_keys WHERE actor = \(actor) AND key = \(key) FOR UPDATE
                """).first else { return .inProgress }
            let sameRequest = try row.decode("method", as: String.self) == method
                && row.decode("path", as: String.self) == path && row.decode("body_hash", as: ByteA.self) == hash
            guard sameRequest else { return .mismatch }
            if let status = try row.decode("status", as: Int?.self) {
                return .replay(StoredResponse(
                    status: status, contentType: try row.decode("content_type", as: String?.self) ?? "application/json",
                    body: try row.decode("response", as: ByteA?.self)?.bytes ?? []))
            }
            if try row.decode("applied", as: Bool.self) { return .appliedWithoutResponse }
            guard try row.decode("stale", as: Bool.self) else { return .inProgress }
            try connection.query("UPDATE idempotency_keys SET created_at = now() WHERE actor = \(actor) AND key = \(key)")
            return .claimed
        }
    }

    /// Runs `work` with every read-write transaction it makes also marking the claimed key applied.
    public func applying<T>(actor: String, key: String, _ work: () async throws -> T) async throws -> T {
        try await TransactionHook.$beforeCommit.withValue({ connection in
            try connection.query("UPDATE idempotency_keys SET applied_at = now() WHERE actor = \(actor) AND key = \(key)")
        }, operation: work)
    }

    /// Stores the final response of a claimed key.
    public func finish(actor: String, key: String, response: StoredResponse) async throws {
        try await pool.withConnection { connection in
            try connection.query("""
                UPDATE idempotency_keys SET status = \(response.status), content_type = \(response.contentType),
                       response = \(ByteA(response.body))
                WHERE actor = \(actor) AND key = \(key)
                """)
        }
    }

    /// Releases a claim whose request failed in a way a retry may cure (e.g. the database was down),
    /// unless its change committed after all (a 503 `outcome_unknown`).
    public func abandon(actor: String, key: String) async {
        _ = try? await pool.withConnection { connection in
            try connection.query("""
                DELETE FROM idempotency_keys WHERE actor = \(actor) AND key = \(key) AND status IS NULL AND applied_at IS NULL
                """)
        }
    }
}
