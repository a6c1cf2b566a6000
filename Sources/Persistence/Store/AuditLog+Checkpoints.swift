import Crypto
import Foundation
import Workflow

/// Signed checkpoints: every chain head, signed with the key outside the database and linked to
/// the previous signed checkpoint (migration 0010).
extension AuditLog {
    struct CheckpointHead: Codable {
        var seq: Int64
        var hash: String

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            seq = try container.decode(Int64.self)
            hash = try container.decode(String.self)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(seq)
            try container.encode(hash)
        }
    }

    /// One stored checkpoint row, rebuilt into what was (or should have been) signed.
    struct StoredCheckpoint {
        var id: Int64
        var checkpoint: AuditCheckpoint
        var keyID: String?
        var signature: [UInt8]?
    }

    static let checkpointColumns: SQL = "id, at, heads, prev_id, prev_digest, key_id, signature"

    struct MalformedCheckpoint: Error {}

    static func decodeCheckpoint(_ row: PostgresRow) throws -> StoredCheckpoint {
        let id: Int64 = try row.decode("id")
        var heads: [AuditCheckpoint.Head] = []
        do {
            let json: JSONB = try row.decode("heads")
            for (chain, head) in try json.decode([String: CheckpointHead].self) {
                heads.append(.init(chain: chain, seq: head.seq, hash: try ByteA(postgresText: "\\x" + head.hash).bytes))
            }
        } catch {
            throw MalformedCheckpoint()
        }
        let previous: AuditCheckpoint.Link?
        if let prevID = try row.decode("prev_id", as: Int64?.self) {
            previous = .init(id: prevID, digest: try row.decode("prev_digest", as: ByteA?.self)?.bytes ?? [])
        } else {
            previous = nil
        }
        return StoredCheckpoint(
            id: id,
            checkpoint: AuditCheckpoint(at: try row.decode("at", as: Timestamp.self).microsecondsSinceEpoch, previous: previous, heads: heads),
            keyID: try row.decode("key_id", as: String?.self),
            signature: try row.decode("signature", as: ByteA?.self)?.bytes)
    }

    /// Signs and records every chain head. Must run in a REPEATABLE READ transaction: the database
    /// function stores the heads it reads itself, which are the ones signed here only in one snapshot.
    ///
    /// With `skipUnchanged`, returns nil instead when no event was appended since the newest signed
    /// checkpoint (heads only grow, so equal counts mean equal heads): every checkpoint is verified
    /// one by one, so an idle server should not pile up identical ones.
    static func checkpoint(signedWith key: AuditSigningKey, skipUnchanged: Bool = false, on connection: PostgresConnection) throws -> Int64? {
        let at: Timestamp = try connection.query("SELECT now() AS now").first!.decode("now")
        var heads: [AuditCheckpoint.Head] = []
        for row in try connection.query("SELECT chain, seq, hash FROM audit_chain_heads WHERE seq > 0") {
            heads.append(.init(chain: try row.decode("chain"), seq: try row.decode("seq"), hash: try row.decode("hash", as: ByteA.self).bytes))
        }
        let previous = try connection.query("""
            SELECT \(checkpointColumns) FROM audit_checkpoints WHERE signature IS NOT NULL ORDER BY id DESC LIMIT 1
            """).first.map(decodeCheckpoint)
        if skipUnchanged, let previous, previous.checkpoint.heads.count == heads.count,
           previous.checkpoint.events == heads.reduce(0, { $0 + $1.seq }) {
            return nil
        }
        let checkpoint = AuditCheckpoint(
            at: at.microsecondsSinceEpoch, previous: previous.map { .init(id: $0.id, digest: $0.checkpoint.digest) }, heads: heads)
        let signature = try key.sign(checkpoint)
        return try connection.query("""
            SELECT audit_record_checkpoint(\(checkpoint.previous?.id), \(checkpoint.previous.map { ByteA($0.digest) }),
                                           \(heads.count), \(checkpoint.events), \(key.publicKey.id), \(ByteA(signature))) AS id
            """).first!.decode("id")
    }

    /// Checks every checkpoint in order: its signature, its link to the previous signed one, and
    /// that each head it recorded is still the event with that hash (the chains were verified
    /// already, so nothing at or below a recorded head changed, vanished or was inserted).
    static func verifyCheckpoints(
        on connection: PostgresConnection, options: AuditVerification.Options, events: Int, chains: Int
    ) throws -> AuditVerification {
        var result = AuditVerification(events: events, chains: chains)
        let keys = Dictionary(options.keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var lastSigned: (id: Int64, digest: [UInt8], events: Int64)?
        var expectedSeen = false
        func fail(_ id: Int64, _ reason: String, chain: String = "") -> AuditVerification {
            var failed = result
            failed.problem = .init(chain: chain, checkpointID: id, reason: reason)
            return failed
        }
        var after: Int64 = 0
        while true {
            let rows = try connection.query("""
                SELECT \(checkpointColumns) FROM audit_checkpoints WHERE id > \(after) ORDER BY id LIMIT 20
                """)
            if rows.count == 0 { break }
            for row in rows {
                let id: Int64 = try row.decode("id")
                after = id
                result.checkpoints += 1
                let stored: StoredCheckpoint
                do {
                    stored = try decodeCheckpoint(row)
                } catch is MalformedCheckpoint {
                    return fail(id, "checkpoint \(id) does not hold a valid list of chain heads: it was altered")
                }
                if let signature = stored.signature {
                    let keyID = stored.keyID ?? ""
                    guard let key = keys[keyID] else {
                        if keys.isEmpty {
                            throw AuditKeyError(kind: .missing, description: """
                                checkpoint \(id) is signed, and no public key was given to check it
                                """)
                        }
                        return fail(id, "checkpoint \(id) names signing key \(keyID), not the given public key (\(keys.keys.sorted().joined(separator: ", ")))")
                    }
                    guard key.isValid(signature, for: stored.checkpoint) else {
                        return fail(id, "checkpoint \(id): its signature does not match its content: the checkpoint was altered or forged")
                    }
                    let link = stored.checkpoint.previous
                    switch (link, lastSigned) {
                    case (nil, nil):
                        break
                    case let (link?, nil):
                        return fail(id, "checkpoint \(id) follows signed checkpoint \(link.id), which is missing: checkpoints were deleted")
                    case let (nil, last?):
                        return fail(id, "checkpoint \(id) claims to be the first signed checkpoint, but checkpoint \(last.id) is signed before it")
                    case let (link?, last?):
                        guard link.id == last.id else {
                            return fail(id, "checkpoint \(id) follows signed checkpoint \(link.id), but the signed checkpoint before it is \(last.id): checkpoints were deleted or inserted")
                        }
                        guard link.digest == last.digest else {
                            return fail(id, "checkpoint \(id) does not match the content of checkpoint \(last.id) it follows: that checkpoint was altered")
                        }
                    }
                    let digest = stored.checkpoint.digest
                    if let expected = options.expected, expected.id == id {
                        guard expected.digest == digest else {
                            return fail(id, "checkpoint \(id) is not the one noted earlier (digest \(ByteA(digest).hex)): checkpoints were rewritten")
                        }
                        expectedSeen = true
                    }
                    lastSigned = (id, digest, stored.checkpoint.events)
                    result.signedCheckpoints += 1
                    result.latestSigned = .init(id: id, digest: ByteA(digest).hex, at: Timestamp(microsecondsSinceEpoch: stored.checkpoint.at), keyID: keyID)
                } else {
                    if let last = lastSigned {
                        return fail(id, "checkpoint \(id) is not signed, yet follows signed checkpoint \(last.id): it was not recorded by the signer")
                    }
                    if options.requireSigned {
                        return fail(id, "checkpoint \(id) is not signed (recorded before checkpoints were signed), and signatures are required")
                    }
                    result.unsignedCheckpoints += 1
                }
                if let missing = try connection.query("""
                    SELECT c.key AS chain, (c.value->>0)::bigint AS seq
                    FROM audit_checkpoints cp
                    CROSS JOIN LATERAL jsonb_each(cp.heads) AS c
                    LEFT JOIN audit_events e ON e.chain = c.key AND e.seq = (c.value->>0)::bigint
                    WHERE cp.id = \(id) AND (e.hash IS NULL OR encode(e.hash, 'hex') <> c.value->>1)
                    ORDER BY c.key LIMIT 1
                    """).first {
                    let seq: Int64 = try missing.decode("seq")
                    return fail(id, "checkpoint \(id) recorded event \(seq) of this chain, which is gone or altered", chain: try missing.decode("chain"))
                }
            }
        }
        if let expected = options.expected, !expectedSeen {
            return fail(expected.id, "checkpoint \(expected.id), noted earlier, is gone: checkpoints were deleted")
        }
        if options.requireSigned && lastSigned == nil {
            var failed = result
            failed.problem = .init(chain: "", reason: "no checkpoint is signed, and signatures are required")
            return failed
        }
        result.eventsAfterLatestSigned = events - Int(lastSigned?.events ?? 0)
        return result
    }
}
