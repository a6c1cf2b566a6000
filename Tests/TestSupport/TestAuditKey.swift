import Foundation
import Persistence

/// An audit signing key in a fresh key file (mode 0600), for tests that sign checkpoints or start
/// a server with `BUDGET_AUDIT_KEY_FILE`.
public struct TestAuditKey: Sendable {
    public let path: String
    public let key: AuditSigningKey

    public var publicKey: AuditPublicKey { key.publicKey }
    /// What `budgetctl audit key` prints.
    public var publicBase64: String { key.publicKey.base64 }
    /// The variables a server or budgetctl needs to sign with it.
    public var environment: [String: String] { ["BUDGET_AUDIT_KEY_FILE": path] }

    public static func make() throws -> TestAuditKey {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-key-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("key").path
        return TestAuditKey(path: path, key: try AuditSigningKey.generate(at: path))
    }
}
