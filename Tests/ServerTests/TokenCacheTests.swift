import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

@Suite("token cache: flushed by budget_auth notifications, bypassed without them")
struct TokenCacheTests {
    /// Waits (at most 10 s) until `condition` holds.
    static func eventually(_ condition: () -> Bool) async throws {
        let giveUp = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < giveUp else { Issue.record("timed out"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Revokes `user` without telling anyone: triggers (and so notifications) are off for the session.
    static func revokeSilently(_ user: String, in world: APIWorld) throws {
        try world.fixture.db.superuser().execute(unsafeSQL: """
            SET session_replication_role = replica;
            UPDATE users SET revoked_at = now() WHERE name = '\(user)';
            UPDATE api_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE name = '\(user)');
            """)
    }

    @Test("a user revoked by budgetctl gets 401 on the very next request; the cache serves only what nobody changed")
    func revokedByBudgetctl() async throws {
        let world = try await APIWorld.make()
        let cache = TokenCache()
        try await world.app(tokens: cache).test(.router) { client in
            try await Self.eventually { cache.isListening }
            let get = { (user: String) in
                try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers(user)).status
            }
            #expect(try await get("reviewer-201") == .ok)
            #expect(try await get("auditor") == .ok)
            #expect(cache.count == 2)
            // The cache answers: a revocation made with notifications off goes unseen…
            try Self.revokeSilently("auditor", in: world)
            #expect(try await get("auditor") == .ok)
            // …while one made by budgetctl, another process, is seen at once.
            let revoked = try await Budgetctl.run(["user", "revoke", "reviewer-201", "--as", "root"],
                                                  environment: ["DATABASE_URL": world.fixture.db.conninfo])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(try await get("reviewer-201") == .unauthorized)
            // Every change flushes the whole cache, so the silent revocation is now seen too.
            #expect(try await get("auditor") == .unauthorized)
        }
    }

    @Test("a user revoked through another pool (another server) gets 401 at once")
    func revokedElsewhere() async throws {
        let world = try await APIWorld.make()
        let cache = TokenCache()
        let other = ConnectionPool(configuration: .init(connectionString: world.fixture.db.conninfo, size: 1, auditKey: try TestAuditKey.run().key),
                                   logger: TestPostgres.logger)
        try await world.app(tokens: cache).test(.router) { client in
            try await Self.eventually { cache.isListening }
            let get = { try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("finance")).status }
            #expect(try await get() == .ok)
            #expect(try await get() == .ok)
            try await AdminService(pool: other).revokeUser("finance", by: world.fixture.administrator)
            #expect(try await get() == .unauthorized)
        }
        await other.shutdown()
    }

    @Test("losing the listening session flushes the cache and bypasses it until LISTEN holds again")
    func listenerLost() async throws {
        let world = try await APIWorld.make()
        let cache = TokenCache()
        try await world.app(tokens: cache).test(.router) { client in
            try await Self.eventually { cache.isListening }
            let get = { try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("finance")).status }
            #expect(try await get() == .ok)
            #expect(cache.count == 1)
            _ = try world.fixture.db.superuser().query("""
                SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE query = 'LISTEN budget_auth' AND datname = current_database()
                """)
            try await Self.eventually { cache.count == 0 }
            try Self.revokeSilently("finance", in: world)
            #expect(try await get() == .unauthorized)
            // And it listens again.
            try await Self.eventually { cache.isListening }
        }
    }

    @Test("the cache never serves a token past its expiry")
    func expiry() async throws {
        let world = try await APIWorld.make()
        let cache = TokenCache()
        try await world.app(tokens: cache).test(.router) { client in
            try await Self.eventually { cache.isListening }
            // Made now, so the time left is the token's own (the 60 s lifetime would outlast it);
            // 20 s, so a loaded machine still caches it before it expires.
            let expires = Timestamp(Date().addingTimeInterval(20))
            let token = try await world.fixture.admin.addUser(
                name: "brief", role: .auditor, org: nil, expiresAt: expires, by: world.fixture.administrator)
            let get = { try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers(token)).status }
            #expect(try await get() == .ok)
            #expect(cache.count == 1)
            try await Task.sleep(for: .seconds(max(0, expires.date.timeIntervalSinceNow) + 0.3))
            #expect(try await get() == .unauthorized)
        }
    }

    @Test("a bounded cache: past its capacity it drops entries rather than grow")
    func capacity() {
        let cache = TokenCache(capacity: 2)
        cache.setListening(true)
        let caller = Caller(actor: Actor(name: "a", role: .auditor), channel: .api)
        for token in ["t1", "t2", "t3"] {
            guard case .miss(let generation?) = cache.lookup(TokenDigest(token: token)) else { Issue.record("no generation"); return }
            cache.store(caller, for: TokenDigest(token: token), expiresIn: nil, generation: generation)
        }
        #expect(cache.count == 2)
        // An answer read before a flush is not stored after it.
        guard case .miss(let stale?) = cache.lookup(TokenDigest(token: "t4")) else { Issue.record("no generation"); return }
        cache.flush()
        cache.store(caller, for: TokenDigest(token: "t4"), expiresIn: nil, generation: stale)
        #expect(cache.count == 0)
    }

    @Test("a cached token's time left counts from when the database was asked, not from when the answer came")
    func countedFromTheQuestion() {
        let cache = TokenCache()
        cache.setListening(true)
        let caller = Caller(actor: Actor(name: "a", role: .auditor), channel: .api)
        let digest = TokenDigest(token: "slow")
        let asked = ContinuousClock.now
        guard case .miss(let generation?) = cache.lookup(digest, now: asked) else { Issue.record("no generation"); return }
        // The database said 2 s were left, and its answer took 1.5 s to arrive.
        let answered = asked + .milliseconds(1500)
        cache.store(caller, for: digest, expiresIn: .seconds(2), generation: generation, asked: asked, now: answered)
        #expect(cache.lookup(digest, now: asked + .milliseconds(1900)) == .hit(caller))
        #expect(cache.lookup(digest, now: asked + .milliseconds(2100)) != .hit(caller), "served past the token's expiry")
    }
}
