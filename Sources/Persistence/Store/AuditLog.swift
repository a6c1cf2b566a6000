import Crypto
import Foundation
import Workflow

/// The hash-chained, append-only audit log (SPEC §4).
///
/// Design: every event belongs to a *chain* — one per entry (`entry:YEAR:CODE`, all revisions) and
/// one per other subject (`user:NAME`, `org:CODE`, `control:UNIT:YEAR`, `publication:DEPT:YEAR`).
/// An event's hash is SHA-256 over its canonical bytes (`AuditRecord.canonicalBytes`), which
/// include the previous event's hash in the same chain. Appending locks only that chain's head row,
/// so writers on different entries never queue behind one global lock. Each event is signed with
/// the connection's audit key (outside the database), so whoever can only write the database
/// cannot append an event verify accepts. Checkpoints record every chain head, so truncating a
/// chain (and rewriting its head) is still detected.
public enum AuditLog {
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// What to append (decided in Workflow); chain position, time and hashes are filled in by
    /// ``AuditAppender`` when ``PlanWriter`` applies a plan: the one way an event is appended and a
    /// chain head moves.
    public typealias Event = PlannedEvent

    /// One stored event, as history and `audit log` show it.
    public struct StoredEvent: Sendable, Hashable, Codable {
        public var id: Int64
        public var record: AuditRecord
        public var hash: String
    }

    static func entryChain(year: Int, code: String) -> String { PlannedEvent.entryChain(year: year, code: code) }

    /// Locks `chain`'s head row for the rest of the transaction (creating it at genesis when the
    /// chain is new) and reads the database's clock, the time of the events appended after it.
    static func lockHead(_ chain: String, on connection: PostgresConnection) throws -> (AuditAppender.Head, now: Timestamp) {
        func select() throws -> PostgresRow? {
            try connection.query("""
                SELECT seq, hash, clock_timestamp() AS now FROM audit_chain_heads WHERE chain = \(chain) FOR UPDATE
                """).first
        }
        var head = try select()
        if head == nil {
            try connection.query("""
                INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (\(chain), 0, \(ByteA(genesis)))
                ON CONFLICT (chain) DO NOTHING
                """)
            head = try select()
        }
        guard let head else { throw PostgresError(kind: .client, message: "audit chain head vanished") }
        return (AuditAppender.Head(seq: try head.decode("seq"), hash: try head.decode("hash", as: ByteA.self).bytes),
                try head.decode("now"))
    }

    static let eventColumns: SQL = """
        id, chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state, reason,
        changes, prev_hash, hash
        """

    static func decodeEvent(_ row: PostgresRow) throws -> (StoredEvent, previous: [UInt8]) {
        let changes = try row.decode("changes", as: JSONB.self).decode([String: String].self)
        let record = AuditRecord(
            chain: try row.decode("chain"), seq: try row.decode("seq"),
            at: try row.decode("at", as: Timestamp.self).microsecondsSinceEpoch,
            actor: try row.decode("actor"), role: try row.decode("role"), channel: try row.decode("channel"),
            action: try row.decode("action"), entryID: try row.decode("entry_id", as: UUID?.self),
            revision: try row.decode("revision", as: Int?.self), fromState: try row.decode("from_state", as: String?.self),
            toState: try row.decode("to_state", as: String?.self), reason: try row.decode("reason", as: String?.self),
            changes: changes)
        let hash = try row.decode("hash", as: ByteA.self)
        return (StoredEvent(id: try row.decode("id"), record: record, hash: hash.hex),
                try row.decode("prev_hash", as: ByteA.self).bytes)
    }
}

extension AuditLog {
    /// Recomputes every chain in order and names the first event that does not match, or that
    /// lacks a valid signature by one of `options.keys` (unless written before events were signed).
    ///
    /// Reads in pages on one REPEATABLE READ snapshot, so memory stays flat and concurrent appends
    /// do not produce false alarms. `progress` is called with the number of events checked so far.
    static func verify(
        on connection: PostgresConnection, options: AuditVerification.Options = .init(), progress: (Int) -> Void = { _ in }
    ) throws -> AuditVerification {
        var checked = 0
        var chains = 0
        var lastChain: String?
        var expectedSeq: Int64 = 1
        var previousHash = genesis
        var heads: [String: (seq: Int64, hash: [UInt8])] = [:]
        var legacy = 0
        var chainSigned = false  // the current chain had a signed event already
        // Parsed once, not per event.
        let keys = Dictionary(
            options.keys.compactMap { key in key.signingKey.map { (key.id, $0) } }, uniquingKeysWith: { first, _ in first })
        func problem(_ reason: String, _ event: StoredEvent?, chain: String) -> AuditVerification {
            var result = AuditVerification(
                events: checked, chains: chains,
                problem: .init(eventID: event?.id, chain: chain, seq: event?.record.seq, reason: reason))
            result.legacyUnsignedEvents = legacy
            return result
        }
        func closeChain() {
            if let lastChain { heads[lastChain] = (expectedSeq - 1, previousHash) }
        }
        var after: (String, Int64) = ("", 0)
        while true {
            let rows = try connection.query("""
                SELECT \(eventColumns), key_id, signature,
                       (SELECT u.seq FROM audit_unsigned_heads u WHERE u.chain = audit_events.chain) AS unsigned_to
                FROM audit_events
                WHERE (chain, seq) > (\(after.0), \(after.1))
                ORDER BY chain, seq LIMIT 5000
                """)
            if rows.count == 0 { break }
            for row in rows {
                let (event, storedPrevious) = try decodeEvent(row)
                let record = event.record
                if record.chain != lastChain {
                    closeChain()
                    lastChain = record.chain
                    chainSigned = false
                    chains += 1
                    expectedSeq = 1
                    previousHash = genesis
                }
                guard record.seq == expectedSeq else {
                    return problem("expected sequence \(expectedSeq) in chain \(record.chain), found \(record.seq): an event is missing or was moved", event, chain: record.chain)
                }
                guard storedPrevious == previousHash else {
                    return problem("its previous-hash does not match the event before it: an event was removed or reordered", event, chain: record.chain)
                }
                let computed = Array(SHA256.hash(data: record.canonicalBytes(previousHash: previousHash)))
                guard ByteA(computed).hex == event.hash else {
                    return problem("its content does not match its hash: the event was altered", event, chain: record.chain)
                }
                if let signature = try row.decode("signature", as: ByteA?.self)?.bytes {
                    let keyID = try row.decode("key_id", as: String?.self) ?? ""
                    guard let key = keys[keyID] else {
                        if keys.isEmpty {
                            throw AuditKeyError(kind: .missing, description: "event \(event.id) is signed, and no public key was given to check it")
                        }
                        return problem("it is signed by key \(keyID), not by the given public key (\(keys.keys.sorted().joined(separator: ", ")))", event, chain: record.chain)
                    }
                    guard key.isValidSignature(signature, for: auditEventSignedBytes(computed)) else {
                        return problem("its signature does not match: the event was forged, not written by the signer", event, chain: record.chain)
                    }
                    chainSigned = true
                } else if record.seq <= (try row.decode("unsigned_to", as: Int64?.self) ?? 0) {
                    // Written before events were signed (migration 0012), so never after a signed one:
                    // that would take a raised unsigned head, i.e. a superuser.
                    guard !chainSigned else {
                        return problem("the event is unsigned, yet follows signed events of its chain: it was inserted later", event, chain: record.chain)
                    }
                    legacy += 1
                } else {
                    return problem("the event is unsigned: written by a process without the audit key, or forged", event, chain: record.chain)
                }
                previousHash = computed
                expectedSeq += 1
                checked += 1
                after = (record.chain, record.seq)
            }
            progress(checked)
        }
        closeChain()
        var stored: [String: (seq: Int64, hash: [UInt8])] = [:]
        for row in try connection.query("SELECT chain, seq, hash FROM audit_chain_heads") {
            stored[try row.decode("chain")] = (try row.decode("seq"), try row.decode("hash", as: ByteA.self).bytes)
        }
        for chain in Set(stored.keys).union(heads.keys).sorted() {
            let head = stored[chain] ?? (0, genesis)
            let actual = heads[chain] ?? (0, genesis)
            if actual.seq != head.seq || actual.hash != head.hash {
                return problem("the chain head says sequence \(head.seq) but the events end at \(actual.seq): events were removed, added or altered past the head", nil, chain: chain)
            }
        }
        var result = try verifyCheckpoints(on: connection, options: options, events: checked, chains: chains)
        result.legacyUnsignedEvents = legacy
        return result
    }
}
