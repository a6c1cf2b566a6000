import Foundation
import Persistence
import TestSupport
import Testing

@Suite("Idempotency-Key records")
struct IdempotencyStoreTests {
    static func claim(_ store: IdempotencyStore, _ key: String) async throws -> IdempotencyStore.Claim {
        try await store.begin(actor: "officer", key: key, method: "POST", path: "/v1/x", body: Array("body".utf8))
    }

    static func makeStore() async throws -> (IdempotencyStore, TestDatabase) {
        let db = try await TestPostgres.makeDatabase()
        try await db.pool.withConnection { c in _ = try c.query("CREATE TABLE changes (n int)") }
        return (IdempotencyStore(pool: db.pool), db)
    }

    @Test("a change that committed marks its key applied in the same transaction; the claim then survives abandon")
    func appliedWithTheChange() async throws {
        let (store, db) = try await Self.makeStore()
        #expect(try await Self.claim(store, "k1") == .claimed)
        try await store.applying(actor: "officer", key: "k1") {
            try await db.pool.transaction { c in _ = try c.query("INSERT INTO changes VALUES (1)") }
        }
        // No finish: the server stopped here.
        await store.abandon(actor: "officer", key: "k1")
        #expect(try await Self.claim(store, "k1") == .appliedWithoutResponse)
        let applied: Bool = try await db.pool.withConnection { c in
            try c.query("SELECT applied_at IS NOT NULL AS a FROM idempotency_keys WHERE key = 'k1'").first!.decode("a")
        }
        #expect(applied)
        // With the response stored, the retry is a replay as before.
        try await store.finish(actor: "officer", key: "k1", response: .init(status: 200, contentType: "text/plain", body: [1]))
        #expect(try await Self.claim(store, "k1") == .replay(.init(status: 200, contentType: "text/plain", body: [1])))
    }

    @Test("a change that rolled back leaves the key unapplied, so abandon frees it for a retry")
    func rolledBack() async throws {
        let (store, db) = try await Self.makeStore()
        struct Refused: Error {}
        #expect(try await Self.claim(store, "k2") == .claimed)
        await #expect(throws: Refused.self) {
            try await store.applying(actor: "officer", key: "k2") {
                try await db.pool.transaction { c in
                    _ = try c.query("INSERT INTO changes VALUES (2)")
                    throw Refused()
                }
            }
        }
        // Reads do not mark it either.
        try await store.applying(actor: "officer", key: "k2") {
            try await db.pool.transaction(readOnly: true) { c in _ = try c.query("SELECT count(*) FROM changes") }
        }
        #expect(try await Self.claim(store, "k2") == .inProgress)
        await store.abandon(actor: "officer", key: "k2")
        #expect(try await Self.claim(store, "k2") == .claimed)
        let rows: Int = try await db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM changes").first!.decode("n") }
        #expect(rows == 0)
    }

    @Test("transactions outside applying do not touch the key")
    func outside() async throws {
        let (store, db) = try await Self.makeStore()
        #expect(try await Self.claim(store, "k3") == .claimed)
        try await db.pool.transaction { c in _ = try c.query("INSERT INTO changes VALUES (3)") }
        await store.abandon(actor: "officer", key: "k3")
        #expect(try await Self.claim(store, "k3") == .claimed)
    }
}
