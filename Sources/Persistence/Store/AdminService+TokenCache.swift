import Crypto
import Foundation

/// The SHA-256 of a bearer token: what a cache of authenticated tokens is keyed by, so the
/// tokens themselves are not kept.
public struct TokenDigest: Sendable, Hashable {
    let bytes: [UInt8]
    public init(token: String) { bytes = Array(SHA256.hash(data: Data(token.utf8))) }
}

extension AdminService {
    /// An authenticated token and how long the answer may be reused.
    public struct Authentication: Sendable {
        public var caller: Caller
        /// Time left before the token expires, measured by the database's clock; nil when it never does.
        public var expiresIn: Duration?
    }

    /// The active user a bearer token belongs to (nil: unknown, revoked or expired) with the time
    /// left before the token expires, so a cache never serves it past that. The one query that
    /// authenticates a token (``authenticate(token:channel:)`` is this without the time).
    public func authentication(token: String, channel: Channel = .api) async throws -> Authentication? {
        guard token.utf8.count <= 200 else { return nil }
        return try await pool.withConnection { connection in
            guard let row = try connection.query("""
                SELECT u.name, u.role, u.org_code,
                       (extract(epoch FROM t.expires_at - clock_timestamp()) * 1000)::bigint AS expires_in_ms
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(Self.hash(token)) AND t.revoked_at IS NULL AND u.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > now())
                """).first else { return nil }
            let left = try row.decode("expires_in_ms", as: Int64?.self)
            return Authentication(caller: try Self.caller(row, channel: channel), expiresIn: left.map { .milliseconds($0) })
        }
    }
}
