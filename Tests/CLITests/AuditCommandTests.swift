import Foundation
import Persistence
import TestSupport
import Testing

@Suite("budgetctl audit")
struct AuditCommandTests {
    @Test("audit verify passes, then fails naming the event after one is tampered with")
    func verifyDetectsTampering() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("T-1"), Fixture.project("T-2")])

        let ok = try await world.ok(["audit", "verify"], as: "auditor")
        #expect(ok.stdout.contains("audit log verified"))
        #expect(ok.stderr.isEmpty, "no progress line when piped: \(ok.stderr)")
        let key = try TestAuditKey.run()  // signed the events too (budgetctl inherits BUDGET_AUDIT_KEY_FILE)
        try await world.ok(["audit", "checkpoint"], as: "root", environment: key.environment)
        let officer = try await world.run(["audit", "verify"], as: "officer-201002")
        #expect(officer.status == 1)

        let su = try world.db.superuser()
        let target: Int64 = try su.query("""
            SELECT id FROM audit_events WHERE chain = 'entry:2020:T-2' AND action = 'submit'
            """).first!.decode("id")
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        try su.query("UPDATE audit_events SET actor = 'someone-else' WHERE id = \(target)")

        let failed = try await world.run(["audit", "verify", "--public-key", key.publicBase64], as: "auditor")
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("budgetctl: audit log verification failed at event \(target) "), "\(failed.stderr)")
        #expect(failed.stderr.contains("altered"))
        let json = try await world.run(["audit", "verify", "--format", "json"], as: "auditor", environment: key.environment)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect((object["problem"] as? [String: Any])?["event_id"] as? Int == Int(target))
    }

    @Test("audit log lists events newest first, filtered by entry; only readers may see it")
    func log() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.importDrafts([Fixture.project("L-1"), Fixture.project("L-2")])
        let all = try await world.ok(["audit", "log", "--limit", "3"], as: "auditor")
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 2 + 3)
        #expect(lines[2].contains("create"))
        let one = try await world.ok(["audit", "log", "--entry", "L-1"], as: "finance")
        #expect(one.stdout.contains("entry:2020:L-1"))
        #expect(!one.stdout.contains("L-2"))
        #expect(try await world.run(["audit", "log"], as: "officer-201002").status == 1)
        #expect(try await world.run(["audit", "log", "--year", "2020"], as: "auditor").status == 2)
    }
}
