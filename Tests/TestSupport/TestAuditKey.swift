import Foundation
import Persistence
import Synchronization

/// An audit signing key in a key file (mode 0600), for tests that sign or start a server or
/// `budgetctl` with `BUDGET_AUDIT_KEY_FILE`.
public struct TestAuditKey: Sendable {
    public let path: String
    public let key: AuditSigningKey

    public var publicKey: AuditPublicKey { key.publicKey }
    /// What `budgetctl audit key` prints.
    public var publicBase64: String { key.publicKey.base64 }
    /// The variables a server or budgetctl needs to sign with it.
    public var environment: [String: String] { ["BUDGET_AUDIT_KEY_FILE": path] }

    /// A fresh key in a new file.
    public static func make() throws -> TestAuditKey {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-key-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("key").path
        return TestAuditKey(path: path, key: try AuditSigningKey.generate(at: path))
    }

    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "BUDGET_AUDIT_KEY_FILE is not set: run the tests with scripts/test.sh, which makes the run's audit key"
        }
    }

    private static let cached = Mutex<TestAuditKey?>(nil)

    /// The run's key (`BUDGET_AUDIT_KEY_FILE`, made by scripts/test.sh): test pools, in-process
    /// servers and the built budgetctl all sign audit events with it, as the real ones do.
    public static func run() throws -> TestAuditKey {
        if let key = cached.withLock({ $0 }) { return key }
        guard let path = ProcessInfo.processInfo.environment["BUDGET_AUDIT_KEY_FILE"], !path.isEmpty else { throw NotConfigured() }
        let key = TestAuditKey(path: path, key: try AuditSigningKey(contentsOf: path))
        cached.withLock { $0 = key }
        return key
    }
}
