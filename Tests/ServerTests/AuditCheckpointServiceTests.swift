import Foundation
import Persistence
import TestSupport
import Testing

@testable import Server

@Suite("the server's signed audit checkpoints")
struct AuditCheckpointServiceTests {
    @Test("BUDGET_AUDIT_KEY_FILE: a usable key is loaded; a named but missing or open file stops the start")
    func configuration() throws {
        let key = try TestAuditKey.make()
        let base = ["DATABASE_URL": "host=/nonexistent", "PORT": "0"]
        let loaded = try ServerConfiguration(environment: base.merging(key.environment) { $1 })
        #expect(loaded.auditKey?.publicKey == key.publicKey)
        #expect(try ServerConfiguration(environment: base).auditKey == nil)
        #expect {
            _ = try ServerConfiguration(environment: base.merging(["BUDGET_AUDIT_KEY_FILE": key.path + ".missing"]) { $1 })
        } throws: { error in
            (error as? ServerConfiguration.Invalid)?.variable == "BUDGET_AUDIT_KEY_FILE"
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key.path)
        #expect {
            _ = try ServerConfiguration(environment: base.merging(key.environment) { $1 })
        } throws: { error in
            "\(error)".contains("chmod 600")
        }
    }

    @Test("the checkpoint service signs what it records, only when something was logged; verify checks it")
    func serviceSigns() async throws {
        let fixture = try await Fixture.make()
        let key = try TestAuditKey.run()  // the key that signs the events, as in a deployment
        let service = AuditCheckpointService(admin: fixture.admin, key: key.key, interval: .milliseconds(100), logger: TestPostgres.logger)
        let task = Task { try await service.run() }
        func signed() async throws -> Int {
            try await fixture.db.pool.withConnection { c in
                try c.query("SELECT count(*)::int AS n FROM audit_checkpoints WHERE key_id = \(key.publicKey.id)").first!.decode("n")
            }
        }
        func waitFor(_ count: Int) async throws {
            for _ in 0..<100 where try await signed() < count { try await Task.sleep(for: .milliseconds(100)) }
        }
        try await waitFor(1)
        #expect(try await signed() == 1)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await signed() == 1, "nothing new was logged: no second checkpoint")
        _ = try await fixture.create([Fixture.project("C-1")])
        try await waitFor(2)
        task.cancel()
        _ = try? await task.value
        #expect(try await signed() == 2)
        let result = try await fixture.admin.verifyAudit(by: fixture.auditor, options: .init(keys: [key.publicKey]))
        #expect(result.ok && result.signedCheckpoints >= 2, "\(String(describing: result.problem))")
    }
}
