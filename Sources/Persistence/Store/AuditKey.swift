import Crypto
import Foundation
import Workflow

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an audit key could not be read, made or parsed; the message names the file or value.
public struct AuditKeyError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case missing, exists, unreadable, invalid, tooOpen }
    public var kind: Kind
    public var description: String
}

/// The Ed25519 key that signs every audit event and checkpoint. It lives in a file outside the
/// database (`BUDGET_AUDIT_KEY_FILE`), so whoever can write the database cannot sign.
///
/// The file holds one line: the base64 of the 32-byte private key (`budgetctl audit key --generate`).
public struct AuditSigningKey: Sendable {
    /// The raw 32 bytes (the Crypto key type is not Sendable).
    let raw: [UInt8]
    var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    /// The public key's id, stored beside each signature (computed once: each append needs it).
    let keyID: String

    public var publicKey: AuditPublicKey { AuditPublicKey(raw: Array(key.publicKey.rawRepresentation)) }

    /// A fresh random key.
    public init() { self.init(raw: Array(Curve25519.Signing.PrivateKey().rawRepresentation)) }

    init(raw: [UInt8]) {
        self.raw = raw
        keyID = AuditPublicKey(raw: Array(try! Curve25519.Signing.PrivateKey(rawRepresentation: raw).publicKey.rawRepresentation)).id
    }

    /// Reads a key file; refuses one that others may read, as ssh does.
    public init(contentsOf path: String) throws(AuditKeyError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AuditKeyError(kind: .missing, description: "audit key file \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o077 != 0 {
            throw AuditKeyError(kind: .tooOpen, description: """
                audit key file \(path) may be read by others (mode \(String(mode, radix: 8))); run chmod 600 \(path)
                """)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditKeyError(kind: .unreadable, description: "audit key file \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32,
              (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) != nil else {
            throw AuditKeyError(kind: .invalid, description: "audit key file \(path) does not hold a base64 Ed25519 private key")
        }
        self.init(raw: Array(raw))
    }

    /// Writes a new key to `path` with mode 0600; never overwrites an existing file.
    public static func generate(at path: String) throws(AuditKeyError) -> AuditSigningKey {
        let signing = AuditSigningKey()
        let line = Array((Data(signing.raw).base64EncodedString() + "\n").utf8)
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

    /// Signs event hashes; build one per batch, since making the Crypto key derives the public key.
    func eventSigner() -> AuditEventSigner { AuditEventSigner(key: key, keyID: keyID) }
}

/// What is signed for an audit event: a domain prefix, so that an event signature can never pass
/// for a checkpoint's or anything else's, then the event's hash (which covers the previous hash).
func auditEventSignedBytes(_ hash: some Sequence<UInt8>) -> [UInt8] {
    var bytes = Array("BAUDSIG1".utf8)
    bytes.append(contentsOf: hash)
    return bytes
}

/// Signs audit event hashes with one key (not Sendable: one per thread).
struct AuditEventSigner {
    let key: Curve25519.Signing.PrivateKey
    /// Stored beside each signature.
    let keyID: String

    /// Ed25519("BAUDSIG1" || hash): 64 bytes.
    func sign(eventHash hash: some Sequence<UInt8>) throws -> [UInt8] {
        Array(try key.signature(for: auditEventSignedBytes(hash)))
    }
}

/// The public half, which the auditor holds: base64 of the 32 raw bytes.
public struct AuditPublicKey: Sendable, Hashable {
    /// The raw 32 bytes.
    let raw: [UInt8]

    init(raw: [UInt8]) { self.raw = raw }

    /// Parses the base64 text `budgetctl audit key` prints.
    public init(base64 text: String) throws(AuditKeyError) {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw AuditKeyError(kind: .invalid, description: "\"\(text.prefix(60))\" is not a base64 Ed25519 public key (44 characters)")
        }
        self.raw = Array(raw)
    }

    public var base64: String { Data(raw).base64EncodedString() }

    /// The first 8 bytes of the SHA-256 of the raw public key, in hex: stored beside each signature.
    public var id: String { ByteA(Array(SHA256.hash(data: raw).prefix(8))).hex }

    func isValid(_ signature: [UInt8], for checkpoint: AuditCheckpoint) -> Bool {
        signingKey?.isValidSignature(signature, for: checkpoint.canonicalBytes) ?? false
    }

    /// The Crypto key, for checking many event signatures (`auditEventSignedBytes`).
    var signingKey: Curve25519.Signing.PublicKey? { try? Curve25519.Signing.PublicKey(rawRepresentation: raw) }
}

extension AuditCheckpoint {
    /// SHA-256 of the canonical bytes: what the next checkpoint links to.
    var digest: [UInt8] { Array(SHA256.hash(data: canonicalBytes)) }
}
