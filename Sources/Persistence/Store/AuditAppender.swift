import Crypto
import Foundation
import Workflow

/// The one audit appender: turns planned events into sealed rows (chain position, time, SHA-256
/// over the canonical bytes, Ed25519 signature) for both writers — a single statement's VALUES
/// and a COPY batch — so the two can never format or hash an event differently.
struct AuditAppender {
    /// A chain's last event: its position and hash (genesis: 0 and 32 zero bytes).
    struct Head: Sendable, Hashable {
        var seq: Int64
        var hash: [UInt8]
        static let genesis = Head(seq: 0, hash: AuditLog.genesis)
    }

    /// One event ready to store.
    struct Sealed: Sendable {
        /// The record; its `changes` are in ``sortedChanges`` (left empty here).
        var record: AuditRecord
        /// The changes sorted by the key's UTF-8 bytes, as hashed and stored.
        var sortedChanges: [(key: String, value: String)]
        var previousHash: [UInt8]
        var hash: [UInt8]
        var keyID: String?
        var signature: [UInt8]?
    }

    /// The stored columns, in the order both writers (INSERT and COPY) send them.
    static let table = TableColumns(table: "audit_events", names: [
        "chain", "seq", "at", "actor", "role", "channel", "action", "entry_id", "revision", "from_state", "to_state",
        "reason", "changes", "prev_hash", "hash", "key_id", "signature",
    ])
    static let columns = SQL(unsafeSQL: table.names.joined(separator: ", "))
    static let headTable = TableColumns(table: "audit_chain_heads", names: ["chain", "seq", "hash"])

    let actor: String
    let role: String
    let channel: String
    /// The events' time.
    let at: Timestamp
    private let atText: String
    /// nil: the events are stored unsigned.
    let signer: AuditEventSigner?

    init(caller: Caller, at: Timestamp, signer: AuditEventSigner?) {
        actor = caller.actor.name
        role = caller.actor.role.rawValue
        channel = caller.channel.rawValue
        self.at = at
        atText = at.postgresBind.text ?? ""
        self.signer = signer
    }

    /// Seals `event` as the next one after `head`, and moves `head` on to it.
    func seal(_ event: PlannedEvent, after head: inout Head) throws -> Sealed {
        try seal(
            chain: event.chain, action: event.action, entryID: event.entryID, revision: event.revision,
            fromState: event.fromState, toState: event.toState, reason: event.reason,
            sortedChanges: event.changes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }, after: &head)
    }

    /// ``seal(_:after:)`` with the changes already sorted (a bulk import builds them in order).
    func seal(
        chain: String, action: String, entryID: UUID?, revision: Int?, fromState: String?, toState: String?,
        reason: String?, sortedChanges: [(key: String, value: String)], after head: inout Head
    ) throws -> Sealed {
        let record = AuditRecord(
            chain: chain, seq: head.seq + 1, at: at.microsecondsSinceEpoch, actor: actor, role: role, channel: channel,
            action: action, entryID: entryID, revision: revision, fromState: fromState, toState: toState, reason: reason)
        let hash = Array(SHA256.hash(data: record.canonicalBytes(previousHash: head.hash, sortedChanges: sortedChanges)))
        let sealed = Sealed(
            record: record, sortedChanges: sortedChanges, previousHash: head.hash, hash: hash, keyID: signer?.keyID,
            signature: try signer?.sign(eventHash: hash))
        head = Head(seq: record.seq, hash: hash)
        return sealed
    }

    /// Single-row mode: the event as one `( … )` tuple of ``columns``.
    func values(_ event: Sealed) -> SQL {
        let r = event.record
        var json: [UInt8] = []
        EntryService.appendJSONObject(event.sortedChanges, to: &json)
        let changes = JSONB(json: String(decoding: json, as: UTF8.self))
        return """
            (\(r.chain), \(r.seq)::bigint, \(at), \(r.actor), \(r.role), \(r.channel), \(r.action), \(r.entryID)::uuid,
             \(r.revision)::integer, \(r.fromState), \(r.toState), \(r.reason), \(changes), \(ByteA(event.previousHash)),
             \(ByteA(event.hash)), \(event.keyID), \(event.signature.map { ByteA($0) })::bytea)
            """
    }

    /// Batch mode: the event as one COPY row of ``columns``. `json` is scratch space, reused.
    func copyRow(_ event: Sealed, into rows: inout CopyRows, json: inout [UInt8]) {
        let r = event.record
        rows.field(r.chain)
        rows.field(String(r.seq))
        rows.field(atText)
        rows.field(actor)
        rows.field(role)
        rows.field(channel)
        rows.field(r.action)
        if let id = r.entryID { rows.field(EntryService.lowercaseText(id)) } else { rows.null() }
        for text in [r.revision.map(String.init), r.fromState, r.toState, r.reason] {
            if let text { rows.field(text) } else { rows.null() }
        }
        json.removeAll(keepingCapacity: true)
        EntryService.appendJSONObject(event.sortedChanges, to: &json)
        json.withUnsafeBufferPointer { rows.field(utf8: $0) }
        rows.field(bytea: event.previousHash)
        rows.field(bytea: event.hash)
        if let keyID = event.keyID, let signature = event.signature {
            rows.field(keyID)
            rows.field(bytea: signature)
        } else {
            rows.null()
            rows.null()
        }
        rows.endRow()
    }
}
