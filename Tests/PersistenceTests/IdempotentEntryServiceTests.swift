import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("Idempotency-Key claims bound to an EntryService")
struct IdempotentEntryServiceTests {
    static func applied(_ db: TestDatabase, _ key: String) async throws -> Bool {
        try await db.pool.withConnection { c in
            try c.query("SELECT applied_at IS NOT NULL AS applied FROM idempotency_keys WHERE key = \(key)").first!.decode("applied")
        }
    }

    @Test("only writes made through the claimed service mark the key: not a concurrent write of the same task tree, not a read")
    func onlyTheClaimedService() async throws {
        let fixture = try await Fixture.make()
        let store = IdempotencyStore(pool: fixture.db.pool)
        let outcome = try await store.begin(actor: "officer-201002", key: "k", method: "POST", path: "/v1/x", body: [1])
        guard case .claimed(let claim) = outcome else { Issue.record("not claimed: \(outcome)"); return }
        let claimed = fixture.entries.applying(claim)
        try await store.renewing(claim) {
            // A plain write in a child task and in this task, and a read through the claimed service.
            async let other = fixture.entries.saveDrafts([.init(draft: Fixture.project("A-1"))], unit: "201002", year: 2020, by: fixture.officer)
            let mine = try await fixture.entries.saveDrafts([.init(draft: Fixture.project("A-2"))], unit: "201002", year: 2020, by: fixture.officer)
            _ = try await other
            _ = try await claimed.entry(mine[0].entry.id, for: fixture.officer)
        }
        #expect(try await Self.applied(fixture.db, "k") == false)
        // The claimed service's write marks it, in the same transaction.
        try await store.renewing(claim) {
            _ = try await claimed.act(.submit, on: try #require(try await fixture.create([Fixture.project("A-3")]).first).id, by: fixture.officer)
        }
        #expect(try await Self.applied(fixture.db, "k"))
    }

    @Test("a claimed service's write that fails rolls the mark back with the change")
    func failedWrite() async throws {
        let fixture = try await Fixture.make()
        let store = IdempotencyStore(pool: fixture.db.pool)
        let outcome = try await store.begin(actor: "officer-201002", key: "f", method: "POST", path: "/v1/x", body: [1])
        guard case .claimed(let claim) = outcome else { Issue.record("not claimed: \(outcome)"); return }
        await #expect(throws: WorkflowError.self) {
            // Another unit's officer may not write here.
            _ = try await fixture.entries.applying(claim).saveDrafts(
                [.init(draft: Fixture.project("B-1"))], unit: "201002", year: 2020, by: fixture.officerElsewhere)
        }
        #expect(try await Self.applied(fixture.db, "f") == false)
    }
}
