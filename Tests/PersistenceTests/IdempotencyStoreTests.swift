import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("Idempotency-Key records")
struct IdempotencyStoreTests {
    static func begin(_ store: IdempotencyStore, _ key: String) async throws -> IdempotencyStore.Outcome {
        try await store.begin(actor: "officer", key: key, method: "POST", path: "/v1/x", body: Array("body".utf8))
    }

    static func claim(_ store: IdempotencyStore, _ key: String) async throws -> IdempotencyStore.Claim {
        let outcome = try await begin(store, key)
        guard case .claimed(let claim) = outcome else { throw Unexpected(outcome: outcome) }
        return claim
    }

    struct Unexpected: Error { var outcome: IdempotencyStore.Outcome }

    static func makeStore() async throws -> (IdempotencyStore, TestDatabase) {
        let db = try await TestPostgres.makeDatabase()
        try await db.pool.withConnection { c in _ = try c.query("CREATE TABLE changes (n int)") }
        return (IdempotencyStore(pool: db.pool), db)
    }

    static func changes(_ db: TestDatabase) async throws -> Int {
        try await db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM changes").first!.decode("n") }
    }

    @Test("a change that committed marks its key applied in the same transaction; the claim then survives abandon")
    func appliedWithTheChange() async throws {
        let (store, db) = try await Self.makeStore()
        var hasty = store
        hasty.staleAfter = .zero
        let claim = try await Self.claim(store, "k1")
        try await IdempotencyStore.transaction(on: db.pool, marking: claim) { c in _ = try c.query("INSERT INTO changes VALUES (1)") }
        // Applied moments ago: the first run may still be storing its answer.
        #expect(try await Self.begin(store, "k1") == .inProgress)
        // No finish for long: the server stopped in between.
        await store.abandon(claim)
        #expect(try await Self.begin(hasty, "k1") == .appliedWithoutResponse)
        // With the response stored, the retry is a replay, headers included.
        let response = IdempotencyStore.StoredResponse(
            status: 200, contentType: "text/plain", body: [1], headers: [.init(name: "ETag", value: "\"2\"")])
        try await store.finish(claim, response: response)
        #expect(try await Self.begin(store, "k1") == .replay(response))
        #expect(try await Self.changes(db) == 1)
    }

    @Test("a change that rolled back leaves the key unapplied, so abandon frees it for a retry")
    func rolledBack() async throws {
        let (store, db) = try await Self.makeStore()
        struct Refused: Error {}
        let claim = try await Self.claim(store, "k2")
        await #expect(throws: Refused.self) {
            try await IdempotencyStore.transaction(on: db.pool, marking: claim) { c in
                _ = try c.query("INSERT INTO changes VALUES (2)")
                throw Refused()
            }
        }
        #expect(try await Self.begin(store, "k2") == .inProgress)
        await store.abandon(claim)
        _ = try await Self.claim(store, "k2")
        #expect(try await Self.changes(db) == 0)
    }

    @Test("a run whose stale claim a retry took over can neither apply its change nor store its answer")
    func takenOver() async throws {
        let (store, db) = try await Self.makeStore()
        var hasty = store
        hasty.staleAfter = .zero
        let first = try await Self.claim(store, "k3")
        let second = try await Self.claim(hasty, "k3")  // the first looks stale to this store
        #expect(first != second)
        do {
            try await IdempotencyStore.transaction(on: db.pool, marking: first) { c in _ = try c.query("INSERT INTO changes VALUES (3)") }
            Issue.record("the superseded run applied its change")
        } catch let error as WorkflowError {
            #expect(error.code == "conflict")
            #expect(error.description.contains("Idempotency-Key"))
        }
        #expect(try await Self.changes(db) == 0)
        try await store.finish(first, response: .init(status: 200, contentType: "text/plain", body: [9]))
        await store.abandon(first)
        #expect(try await Self.begin(store, "k3") == .inProgress)  // still the second run's
        try await IdempotencyStore.transaction(on: db.pool, marking: second) { c in _ = try c.query("INSERT INTO changes VALUES (3)") }
        try await store.finish(second, response: .init(status: 201, contentType: "text/plain", body: [3]))
        #expect(try await Self.begin(store, "k3") == .replay(.init(status: 201, contentType: "text/plain", body: [3])))
        #expect(try await Self.changes(db) == 1)
    }

    @Test("a claim is renewed while its request is still working, so it does not go stale")
    func heartbeat() async throws {
        let (store, db) = try await Self.makeStore()
        var quick = store
        quick.staleAfter = .seconds(3)  // renewed every second
        let claim = try await Self.claim(quick, "k5")
        func claimedAt() async throws -> String {
            try await db.pool.withConnection { c in
                try c.query("SELECT created_at::text AS t FROM idempotency_keys WHERE key = 'k5'").first!.decode("t")
            }
        }
        let first = try await claimedAt()
        let renewed = try await quick.renewing(claim) {
            let giveUp = ContinuousClock.now + .seconds(60)  // only a guard against hanging
            while ContinuousClock.now < giveUp {
                if try await claimedAt() != first { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        #expect(renewed)
    }

    @Test("transactions without the claim do not touch the key")
    func outside() async throws {
        let (store, db) = try await Self.makeStore()
        let claim = try await Self.claim(store, "k4")
        try await db.pool.transaction { c in _ = try c.query("INSERT INTO changes VALUES (4)") }
        await store.abandon(claim)
        _ = try await Self.claim(store, "k4")
    }

    @Test("a key of 200 code points (more UTF-8 bytes) fits the database's limit")
    func limits() async throws {
        let (store, _) = try await Self.makeStore()
        _ = try await Self.claim(store, String(repeating: "é", count: 200))
    }
}
