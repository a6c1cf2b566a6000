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

    @Test("the checkpoint service signs what it records; verify checks it with the public key")
    func serviceSigns() async throws {
        let fixture = try await Fixture.make()
        let key = try TestAuditKey.make()
        let service = AuditCheckpointService(admin: fixture.admin, key: key.key, interval: .milliseconds(100), logger: TestPostgres.logger)
        let task = Task { try await service.run() }
        var signed = 0
        for _ in 0..<100 where signed < 2 {
            try await Task.sleep(for: .milliseconds(100))
            signed = try await fixture.db.pool.withConnection { c in
                try c.query("SELECT count(*)::int AS n FROM audit_checkpoints WHERE key_id = \(key.publicKey.id)").first!.decode("n")
            }
        }
        task.cancel()
        _ = try? await task.value
        #expect(signed >= 2)
        let result = try await fixture.admin.verifyAudit(by: fixture.auditor, options: .init(keys: [key.publicKey]))
        #expect(result.ok && result.signedCheckpoints >= 2, "\(String(describing: result.problem))")
    }
}
