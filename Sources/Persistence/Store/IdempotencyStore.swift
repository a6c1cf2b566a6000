import Crypto
import Foundation
import Workflow

/// Remembers the first response to a request carrying an `Idempotency-Key`, per actor.
///
/// `begin` claims the key; a retry of a finished request gets the stored response, a retry while
/// the first is still running gets `.inProgress`, and the same key with a different body is refused.
/// The claimed request's change is made through a service given the claim (`EntryService.applying`),
/// whose read-write transactions mark the key applied in the same transaction as the change: a
/// retry after a crash between that commit and `finish` gets `.appliedWithoutResponse` rather
/// than running the change again. An unapplied claim left behind by a crashed server expires
/// after `staleAfter`, so it cannot block forever; each claim has its own token, so a run whose claim
/// was taken over can no longer apply its change or store its answer.
public struct IdempotencyStore: Sendable {
    package let pool: ConnectionPool
    public var staleAfter: Duration = .seconds(60)

    package init(pool: ConnectionPool) { self.pool = pool }

    public struct StoredResponse: Sendable, Hashable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        /// Other headers, as (name, value) pairs.
        public var headers: [Header]

        public struct Header: Sendable, Hashable {
            public var name: String
            public var value: String
            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        public init(status: Int, contentType: String, body: [UInt8], headers: [Header] = []) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }
    }

    /// One run's hold on a key.
    public struct Claim: Sendable, Hashable {
        public var actor: String
        public var key: String
        var token: UUID
        /// The store's `staleAfter`, for the message of a run that was taken over.
        var staleSeconds: Int64
    }

    public enum Outcome: Sendable, Hashable {
        case claimed(Claim)
        case replay(StoredResponse)
        case inProgress
        case mismatch
        /// The change committed but its response was never stored (the server stopped in between).
        case appliedWithoutResponse
    }

    public func begin(actor: String, key: String, method: String, path: String, body: [UInt8]) async throws -> Outcome {
        let hash = ByteA(Array(SHA256.hash(data: Data(body))))
        let staleSeconds = Int(staleAfter.components.seconds)
        let claim = Claim(actor: actor, key: key, token: UUID(), staleSeconds: staleAfter.components.seconds)
        return try await pool.transaction { connection in
            let inserted = try connection.query("""
                INSERT INTO idempotency_keys (actor, key, method, path, body_hash, claim)
                VALUES (\(actor), \(key), \(method), \(path), \(hash), \(claim.token))
                ON CONFLICT (actor, key) DO NOTHING
                """).affectedRows
            if inserted == 1 { return .claimed(claim) }
            guard let row = try connection.query("""
                SELECT method, path, body_hash, status, content_type, response, headers,
                       applied_at < now() - make_interval(secs => \(staleSeconds)) AS applied_long_ago,
                       created_at < now() - make_interval(secs => \(staleSeconds)) AS stale
                FROM idempotency_keys WHERE actor = \(actor) AND key = \(key) FOR UPDATE
                """).first else { return .inProgress }
            let sameRequest = try row.decode("method", as: String.self) == method
                && row.decode("path", as: String.self) == path && row.decode("body_hash", as: ByteA.self) == hash
            guard sameRequest else { return .mismatch }
            if let status = try row.decode("status", as: Int?.self) {
                return .replay(StoredResponse(
                    status: status, contentType: try row.decode("content_type", as: String?.self) ?? "application/json",
                    body: try row.decode("response", as: ByteA?.self)?.bytes ?? [],
                    headers: Self.headers(from: try row.decode("headers", as: String?.self) ?? "")))
            }
            // Applied moments ago: the first run is between its commit and storing its answer.
            if let appliedLongAgo = try row.decode("applied_long_ago", as: Bool?.self) {
                return appliedLongAgo ? .appliedWithoutResponse : .inProgress
            }
            guard try row.decode("stale", as: Bool.self) else { return .inProgress }
            try connection.query("""
                UPDATE idempotency_keys SET created_at = now(), claim = \(claim.token) WHERE actor = \(actor) AND key = \(key)
                """)
            return .claimed(claim)
        }
    }

    /// Runs `work` (the claimed request) while renewing the claim every third of `staleAfter`, so
    /// a slow request that is still working is not taken for one a crash left behind. It marks
    /// nothing itself: the change is made through a service given the claim (for entries,
    /// `EntryService.applying(_:)`), whose read-write transactions are ``transaction(on:marking:isolation:_:)``.
    public func renewing<T>(_ claim: Claim, _ work: () async throws -> T) async throws -> T {
        let heartbeat = Task { [pool, staleAfter] in
            while !Task.isCancelled {
                try await Task.sleep(for: staleAfter / 3)
                _ = try? await pool.withConnection { connection in
                    try connection.query("""
                        UPDATE idempotency_keys SET created_at = now()
                        WHERE actor = \(claim.actor) AND key = \(claim.key) AND claim = \(claim.token) AND applied_at IS NULL
                        """)
                }
            }
        }
        defer { heartbeat.cancel() }
        return try await work()
    }

    /// A read-write transaction on `pool` that, given a claim, also marks the key applied, last
    /// before COMMIT, so the change and the mark commit together or not at all. A claim that a
    /// retry took over throws `conflict`, and the transaction rolls back.
    package static func transaction<T: Sendable>(
        on pool: ConnectionPool, marking claim: Claim?, isolation: IsolationLevel = .readCommitted,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        guard let claim else { return try await pool.transaction(isolation: isolation, body) }
        return try await pool.transaction(isolation: isolation) { connection in
            let result = try body(connection)
            // The commit's time, not the transaction's start: "applied long ago" counts from here.
            let marked = try connection.query("""
                UPDATE idempotency_keys SET applied_at = clock_timestamp()
                WHERE actor = \(claim.actor) AND key = \(claim.key) AND claim = \(claim.token)
                """).affectedRows
            guard marked == 1 else {
                throw WorkflowError.conflict(
                    "a retry with this Idempotency-Key took the request over after \(claim.staleSeconds) s; this run was not applied")
            }
            return result
        }
    }

    /// Stores the final response of a claimed key (nothing when the claim was taken over).
    public func finish(_ claim: Claim, response: StoredResponse) async throws {
        try await pool.withConnection { connection in
            try connection.query("""
                UPDATE idempotency_keys SET status = \(response.status), content_type = \(response.contentType),
                       response = \(ByteA(response.body)), headers = \(Self.text(of: response.headers))
                WHERE actor = \(claim.actor) AND key = \(claim.key) AND claim = \(claim.token)
                """)
        }
    }

    /// Releases a claim whose request failed in a way a retry may cure (the database was down, a
    /// concurrent change conflicted), unless its change committed after all (a 503 `outcome_unknown`).
    public func abandon(_ claim: Claim) async {
        _ = try? await pool.withConnection { connection in
            try connection.query("""
                DELETE FROM idempotency_keys
                WHERE actor = \(claim.actor) AND key = \(claim.key) AND claim = \(claim.token)
                  AND status IS NULL AND applied_at IS NULL
                """)
        }
    }

    /// "Name: value" a line; header values cannot hold line breaks.
    static func text(of headers: [StoredResponse.Header]) -> String {
        headers.map { "\($0.name): \($0.value)\n" }.joined()
    }

    static func headers(from text: String) -> [StoredResponse.Header] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return .init(name: String(line[..<colon]), value: String(line[line.index(after: colon)...].dropFirst()))
        }
    }
}
