import Foundation
import Persistence
import TestSupport
import Testing

@Suite("budgetctl audit key and signed checkpoints")
struct AuditKeyCommandTests {
    func freshPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-key-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("audit-key").path
    }

    /// No key file at hand, whatever the test run exports.
    static let noKey = ["BUDGET_AUDIT_KEY_FILE": ""]

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("audit key --generate writes a 0600 key file once and prints its public key; audit key prints it again")
    func generate() async throws {
        let path = try freshPath()
        let made = try await Budgetctl.run(["audit", "key", "--generate", path])
        #expect(made.status == 0, "\(made.stderr)")
        let publicKey = made.stdout.trimmingCharacters(in: .newlines)
        #expect(publicKey.utf8.count == 44 && Data(base64Encoded: publicKey)?.count == 32, "\(made.stdout)")
        #expect(try mode(path) & 0o777 == 0o600)
        let original = try String(contentsOfFile: path, encoding: .utf8)

        let again = try await Budgetctl.run(["audit", "key", "--generate", path])
        #expect(again.status == 4)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original, "never overwritten")

        let printed = try await Budgetctl.run(["audit", "key"], environment: ["BUDGET_AUDIT_KEY_FILE": path])
        #expect(printed.status == 0 && printed.stdout == publicKey + "\n")
        let json = try await Budgetctl.run(["audit", "key", "--key-file", path, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["public_key"] as? String == publicKey)
        #expect(object["key_id"] as? String == (try AuditPublicKey(base64: publicKey)).id)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = try await Budgetctl.run(["audit", "key", "--key-file", path])
        #expect(open.status == 1 && open.stderr.contains("chmod 600"), "\(open.stderr)")
        let none = try await Budgetctl.run(["audit", "key"], environment: Self.noKey)
        #expect(none.status == 2 && none.stderr.contains("BUDGET_AUDIT_KEY_FILE"))
    }

    @Test("(d) verify --public-key: the right key passes, a wrong one fails naming the checkpoint, none is a usage error")
    func verifyWithPublicKey() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.importDrafts([Fixture.project("K-1")])
        let key = try TestAuditKey.run()  // the key budgetctl signed the events with
        let other = try TestAuditKey.make()
        #expect(try await world.run(["audit", "checkpoint"], as: "root", environment: Self.noKey).status == 2, "no key, no checkpoint")
        let recorded = try await world.ok(["audit", "checkpoint"], as: "root", environment: key.environment)
        #expect(recorded.stdout.contains("signed by key \(key.publicKey.id)"))

        let right = try await world.ok(["audit", "verify", "--public-key", key.publicBase64], as: "auditor")
        #expect(right.stdout.contains("1 signed, 0 unsigned"), "\(right.stdout)")
        let wrong = try await world.run(["audit", "verify", "--public-key", other.publicBase64], as: "auditor")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.hasPrefix("budgetctl: audit log verification failed at event "), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("signed by key \(key.publicKey.id)"))
        let missing = try await world.run(["audit", "verify"], as: "auditor", environment: Self.noKey)
        #expect(missing.status == 2 && missing.stderr.contains("--public-key"), "\(missing.stderr)")
        let malformed = try await world.run(["audit", "verify", "--public-key", "not-a-key"], as: "auditor")
        #expect(malformed.status == 2)
        // The key file's public key serves as well, for an operator who holds it.
        try await world.ok(["audit", "verify"], as: "auditor", environment: key.environment)
    }

    @Test("budgetctl signs what it writes with BUDGET_AUDIT_KEY_FILE; without it the events fail verify, named; a broken key file stops it")
    func writerKey() async throws {
        let world = try await CLIWorld.bootstrapped()
        let key = try TestAuditKey.run()
        try await world.importDrafts([Fixture.project("W-1")])
        let signed: Int = try world.db.superuser().query("""
            SELECT count(*)::int AS n FROM audit_events WHERE key_id = \(key.publicKey.id) AND length(signature) = 64
            """).first!.decode("n")
        #expect(signed == (try world.auditEventCount()), "every event budgetctl wrote is signed")
        try await world.ok(["audit", "verify", "--public-key", key.publicBase64], as: "auditor")

        let broken = try await world.run(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002",
                                         environment: ["BUDGET_AUDIT_KEY_FILE": key.path + ".missing"])
        #expect(broken.status == 1 && broken.stderr.contains("BUDGET_AUDIT_KEY_FILE"), "\(broken.stderr)")
        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002", environment: Self.noKey)
        let unsigned: Int64 = try world.db.superuser().query("""
            SELECT id FROM audit_events WHERE chain = 'entry:2020:W-1' AND action = 'submit'
            """).first!.decode("id")
        let failed = try await world.run(["audit", "verify", "--public-key", key.publicBase64], as: "auditor")
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("budgetctl: audit log verification failed at event \(unsigned) "), "\(failed.stderr)")
        #expect(failed.stderr.contains("unsigned: written by a process without the audit key"))
    }

    @Test("verify prints the newest signed checkpoint; --expect-checkpoint and --require-signed check against it")
    func notedCheckpoint() async throws {
        let world = try await CLIWorld.bootstrapped()
        let key = try TestAuditKey.run()
        let unsignedOnly = try await world.run(["audit", "verify", "--require-signed", "--public-key", key.publicBase64], as: "auditor")
        #expect(unsignedOnly.status == 1 && unsignedOnly.stderr.contains("no checkpoint is signed"), "\(unsignedOnly.stderr)")
        try await world.ok(["audit", "checkpoint"], as: "root", environment: key.environment)
        let json = try await world.ok(["audit", "verify", "--format", "json", "--public-key", key.publicBase64], as: "auditor")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let latest = try #require(object["latest_signed_checkpoint"] as? [String: Any])
        let noted = "\(latest["id"] as? Int ?? 0):\(latest["digest"] as? String ?? "")"
        let table = try await world.ok(["audit", "verify", "--public-key", key.publicBase64], as: "auditor")
        #expect(table.stdout.contains("newest signed checkpoint: \(noted)"), "\(table.stdout)")
        try await world.ok(["audit", "verify", "--require-signed", "--expect-checkpoint", noted, "--public-key", key.publicBase64],
                           as: "auditor")
        let bad = try await world.run(["audit", "verify", "--expect-checkpoint", "7", "--public-key", key.publicBase64], as: "auditor")
        #expect(bad.status == 2)
        let su = try world.db.superuser()
        try su.query("SET session_replication_role = replica")
        try su.query("DELETE FROM audit_checkpoints")
        let gone = try await world.run(["audit", "verify", "--expect-checkpoint", noted, "--public-key", key.publicBase64], as: "auditor")
        #expect(gone.status == 1 && gone.stderr.contains("is gone"), "\(gone.stderr)")
    }
}
