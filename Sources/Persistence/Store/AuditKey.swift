import Crypto
import Foundation
import Workflow

/// Why an audit key could not be read, made or parsed; the message names the file or value.
public struct AuditKeyError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case missing, exists, unreadable, invalid, tooOpen }
    public var kind: Kind
    public var description: String
}

/// The Ed25519 key that signs audit checkpoints. It lives in a file outside the database
/// (`BUDGET_AUDIT_KEY_FILE`), so whoever can write the database cannot sign.
///
/// The file holds one line: the base64 of the 32-byte private key (`budgetctl audit key --generate`).
public struct AuditSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public var publicKey: AuditPublicKey { AuditPublicKey(key: key.publicKey) }

    /// A fresh random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// Reads a key file; refuses one that others may read, as ssh does.
    public init(contentsOf path: String) throws(AuditKeyError) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw AuditKeyError(kind: .missing, description: "audit key file \(path) cannot be opened")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw AuditKeyError(kind: .tooOpen, description: """
                audit key file \(path) may be read by others (mode \(String(mode & 0o777, radix: 8))); run chmod 600 \(path)
                """)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditKeyError(kind: .unreadable, description: "audit key file \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw AuditKeyError(kind: .invalid, description: "audit key file \(path) does not hold a base64 Ed25519 private key")
        }
        self.key = key
    }

    /// Writes a new key to `path` with mode 0600; never overwrites an existing file.
    public static func generate(at path: String) throws(AuditKeyError) -> AuditSigningKey {
        let signing = AuditSigningKey()
        let line = Array((signing.key.rawRepresentation.base64EncodedString() + "\n").utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw AuditKeyError(kind: .exists, description: "\(path) already exists; an audit key file is never overwritten")
            }
            throw AuditKeyError(kind: .unreadable, description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw AuditKeyError(kind: .unreadable, description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return signing
    }

    /// The signature of `checkpoint`'s canonical bytes (64 bytes).
    public func sign(_ checkpoint: AuditCheckpoint) throws -> [UInt8] {
        Array(try key.signature(for: checkpoint.canonicalBytes))
    }
}

/// The public half, which the auditor holds: base64 of the 32 raw bytes.
public struct AuditPublicKey: Sendable, Hashable {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Parses the base64 text `budgetctl audit key` prints.
    public init(base64 text: String) throws(AuditKeyError) {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw AuditKeyError(kind: .invalid, description: "\"\(text.prefix(60))\" is not a base64 Ed25519 public key (44 characters)")
        }
        self.key = key
    }

    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// The first 8 bytes of the SHA-256 of the raw public key, in hex: stored beside each signature.
    public var id: String { ByteA(Array(SHA256.hash(data: key.rawRepresentation).prefix(8))).hex }

    public static func == (lhs: AuditPublicKey, rhs: AuditPublicKey) -> Bool { lhs.key.rawRepresentation == rhs.key.rawRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(key.rawRepresentation) }

    func isValid(_ signature: [UInt8], for checkpoint: AuditCheckpoint) -> Bool {
        key.isValidSignature(signature, for: checkpoint.canonicalBytes)
    }
}

extension AuditCheckpoint {
    /// SHA-256 of the canonical bytes: what the next checkpoint links to.
    var digest: [UInt8] { Array(SHA256.hash(data: canonicalBytes)) }
}
