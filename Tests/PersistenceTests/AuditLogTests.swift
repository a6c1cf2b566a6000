import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("the audit log")
struct AuditLogTests {
    /// Three entries, each created, submitted and approved by the department: nine entry events.
    func populated() async throws -> Fixture {
        let f = try await Fixture.make()
        for entry in try await f.create([Fixture.project("L-1"), Fixture.project("L-2"), Fixture.project("L-3")]) {
            _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
            _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        }
        return f
    }

    func eventID(_ f: Fixture, chain: String, seq: Int) throws -> Int64 {
        try f.db.superuser().query("SELECT id FROM audit_events WHERE chain = \(chain) AND seq = \(seq)").first!.decode("id")
    }

    @Test("PostgreSQL itself refuses UPDATE, DELETE and TRUNCATE of events, even for a superuser")
    func appendOnly() async throws {
        let f = try await populated()
        let su = try f.db.superuser()
        for statement in ["UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events"] {
            do {
                try su.execute(unsafeSQL: statement)
                Issue.record("\(statement) was allowed")
            } catch {
                #expect(error.sqlState == .insufficientPrivilege, "\(statement): \(error)")
                #expect(error.message.contains("append-only"))
            }
        }
    }

    @Test("the application role may append but not change events, nor disable the trigger")
    func applicationRole() async throws {
        let f = try await populated()
        let su = try f.db.superuser()
        try su.query("SET ROLE budget_app")
        _ = try su.query("SELECT count(*) FROM audit_events")
        for statement in ["UPDATE audit_events SET reason = 'x'", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"] {
            do {
                try su.execute(unsafeSQL: statement)
                Issue.record("budget_app could run \(statement)")
            } catch {
                #expect(error.sqlState == .insufficientPrivilege || error.sqlState == SQLState("42501"), "\(error)")
            }
        }
    }

    @Test("verify passes, then names the first altered event after a superuser edits one")
    func tamperedContent() async throws {
        let f = try await populated()
        #expect(try await f.verifyAudit().ok)
        let target = try eventID(f, chain: "entry:2020:L-2", seq: 2)
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        try su.query("UPDATE audit_events SET actor = 'someone-else' WHERE id = \(target)")
        let result = try await f.verifyAudit()
        #expect(!result.ok)
        #expect(result.problem?.eventID == target)
        #expect(result.problem?.chain == "entry:2020:L-2")
        #expect(result.problem?.reason.contains("altered") == true)
    }

    @Test("deleting or reordering events is detected and named")
    func deletedAndReordered() async throws {
        let f = try await populated()
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        // Swap the order of two events of L-1 by exchanging their sequence numbers.
        let first = try eventID(f, chain: "entry:2020:L-1", seq: 2)
        let second = try eventID(f, chain: "entry:2020:L-1", seq: 3)
        try su.query("UPDATE audit_events SET seq = seq + 1000 WHERE id IN (\(first), \(second))")
        try su.query("UPDATE audit_events SET seq = 3 WHERE id = \(first)")
        try su.query("UPDATE audit_events SET seq = 2 WHERE id = \(second)")
        var result = try await f.verifyAudit()
        #expect(result.problem?.eventID == second)
        try su.query("UPDATE audit_events SET seq = seq + 1000 WHERE id IN (\(first), \(second))")
        try su.query("UPDATE audit_events SET seq = 2 WHERE id = \(first)")
        try su.query("UPDATE audit_events SET seq = 3 WHERE id = \(second)")
        #expect(try await f.verifyAudit().ok)
        // Delete a middle event of L-3.
        let middle = try eventID(f, chain: "entry:2020:L-3", seq: 2)
        let after = try eventID(f, chain: "entry:2020:L-3", seq: 3)
        try su.query("DELETE FROM audit_events WHERE id = \(middle)")
        result = try await f.verifyAudit()
        #expect(result.problem?.eventID == after)
    }

    @Test("a truncated chain is caught by its head, and by the checkpoint even when the head is rewritten")
    func truncatedTail() async throws {
        let f = try await populated()
        let key = try TestAuditKey.run()  // the key that signed the events, too
        try await f.admin.checkpointAudit(signedWith: key.key)
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        let last = try eventID(f, chain: "entry:2020:L-1", seq: 3)
        let previousHash: ByteA = try su.query("SELECT hash FROM audit_events WHERE chain = 'entry:2020:L-1' AND seq = 2").first!.decode("hash")
        try su.query("DELETE FROM audit_events WHERE id = \(last)")
        var result = try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [key.publicKey]))
        #expect(result.problem?.chain == "entry:2020:L-1")
        #expect(result.problem?.reason.contains("head") == true)
        try su.query("UPDATE audit_chain_heads SET seq = 2, hash = \(previousHash) WHERE chain = 'entry:2020:L-1'")
        result = try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [key.publicKey]))
        #expect(result.problem?.chain == "entry:2020:L-1")
        #expect(result.problem?.reason.contains("checkpoint") == true)
    }

    @Test("officers and department reviewers may not read the audit log")
    func readers() async throws {
        let f = try await Fixture.make()
        await expectError("forbidden") { try await f.admin.verifyAudit(by: f.officer) }
        await expectError("forbidden") { try await f.admin.auditLog(by: f.reviewer) }
        #expect(try await f.admin.auditLog(by: f.auditor).count == 5)
    }
}
