import Crypto
import Foundation
import Workflow

// Bulk creation, the batch mode of the plan writer: a batch's drafts are decoded, checked, decided
// and formatted as COPY rows on one thread while the transaction's connection stores the previous
// piece, so decoding, validation, hashing and PostgreSQL's work overlap instead of running one
// after the other.
extension EntryService {
    /// How many drafts a piece of a batch holds: small, so storing starts soon after a request
    /// arrives. The connection takes every piece ready when it is free, so its COPY statements
    /// grow to thousands of rows while it is the slower side.
    public static let bulkPiece = 250

    /// One piece of a batch, checked and, while the batch has no problem, decided as new drafts
    /// and formatted for COPY.
    struct PreparedPiece: Sendable {
        /// The drafts, each with its line.
        var lines: [DraftLine] = []
        /// What storing them as new entries gives back.
        var saved: [Saved] = []
        /// The decided plan as COPY rows; nil once the batch has a problem, since nothing will
        /// be stored then.
        var rows: NewEntryRows?
    }

    /// The COPY rows of new entries: the rows, their children, `create` events and chain heads.
    struct NewEntryRows: Sendable {
        var entries = CopyRows()
        var items = CopyRows()
        var indicators = CopyRows()
        var procurement = CopyRows()
        var events = CopyRows()
        var heads = CopyRows()
    }

    /// Starts decoding, checking and formatting `source`'s drafts on another thread.
    static func prepare(_ source: DraftSource, with preparer: BatchPreparer) -> PieceHandOff<PreparedPiece, [ErrorDetail]> {
        let handOff = PieceHandOff<PreparedPiece, [ErrorDetail]>()
        DispatchQueue.global(qos: .userInitiated).async {
            var preparer = preparer
            do {
                // Signing an event can fail only in theory; it ends the batch like a decoding error.
                var failure: (any Error)?
                try source.produce { inputs in
                    do {
                        return handOff.put(try preparer.prepare(inputs))
                    } catch {
                        failure = error
                        return false
                    }
                }
                if let failure { throw failure }
                handOff.finish(.success(preparer.checker.problems))
            } catch {
                handOff.finish(.failure(error))
            }
        }
        return handOff
    }

    /// Stores pieces of new entries with COPY: six statements for any number of entries, through
    /// the same column lists as the single-row INSERT.
    static func copy(_ pieces: [NewEntryRows], on connection: PostgresConnection) throws {
        func copy(_ columns: TableColumns, _ rows: KeyPath<NewEntryRows, CopyRows>) throws {
            guard pieces.contains(where: { !$0[keyPath: rows].isEmpty }) else { return }
            try connection.copyIn(columns.copy) { writer in
                for piece in pieces { try writer.send(piece[keyPath: rows]) }
            }
        }
        try copy(EntryRows.entryColumns, \.entries)
        try copy(EntryRows.itemColumns, \.items)
        try copy(EntryRows.indicatorColumns, \.indicators)
        try copy(EntryRows.procurementColumns, \.procurement)
        try copy(AuditAppender.table, \.events)
        try copy(AuditAppender.headTable, \.heads)
    }

    /// Checks a batch's drafts (``SaveDraftsCommand/Checker``) and, while there is no problem,
    /// decides them as new drafts (the connection's thread probes that their codes are) and
    /// formats the plan as COPY rows with its `create` events: the same rows, events and hashes
    /// as the row-by-row writer. Pure CPU work, done beside the connection's thread.
    struct BatchPreparer: Sendable {
        let command: SaveDraftsCommand
        let caller: Caller
        /// The events' time: the database's clock when the transaction began.
        let now: Timestamp
        /// Signs each `create` event (the connection's key); nil: they are stored unsigned.
        let auditKey: AuditSigningKey?
        private(set) var checker = SaveDraftsCommand.Checker()

        init(command: SaveDraftsCommand, caller: Caller, now: Timestamp, auditKey: AuditSigningKey?) {
            self.command = command
            self.caller = caller
            self.now = now
            self.auditKey = auditKey
        }

        mutating func prepare(_ inputs: [DraftLine]) throws -> PreparedPiece {
            var piece = PreparedPiece(lines: checker.check(inputs))
            guard checker.problems.isEmpty else { return piece }
            let decision = command.decide(piece.lines, current: [:], newID: EntryService.randomUUID)
            piece.saved = decision.saved
            piece.rows = try rows(decision.plan)
            return piece
        }

        private func rows(_ plan: Plan) throws -> NewEntryRows {
            var rows = NewEntryRows()
            let yearText = String(command.year)
            for write in plan.writes {
                guard case .insertEntry(let entry) = write else {
                    throw PostgresError(kind: .client, message: "a batch of new drafts planned more than inserts")
                }
                let idText = EntryService.lowercaseText(entry.id)
                EntryRows.writeEntry(entry, idText: idText, yearText: yearText, into: &rows.entries)
                EntryRows.writeChildren(entry.content, idText: idText, items: &rows.items, indicators: &rows.indicators,
                                        procurement: &rows.procurement)
            }
            // Each new code's chain starts here: its first event follows the genesis hash.
            let appender = AuditAppender(caller: caller, at: now, signer: auditKey?.eventSigner())
            var json: [UInt8] = []
            for event in plan.events {
                var head = AuditAppender.Head.genesis
                appender.copyRow(try appender.seal(event, after: &head), into: &rows.events, json: &json)
                rows.heads.field(event.chain)
                rows.heads.field(String(head.seq))
                rows.heads.field(bytea: head.hash)
                rows.heads.endRow()
            }
            return rows
        }
    }


    /// `{"key":"value",…}`: keys and values as JSON strings, written straight into `out`.
    static func appendJSONObject(_ pairs: [(key: String, value: String)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(pair.key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONString.append(pair.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A random (version 4) UUID from the system's generator. `UUID()` opens /dev/urandom each
    /// time on Linux, which showed in bulk imports (one per entry).
    static func randomUUID() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }

    /// The UUID as PostgreSQL prints it (lowercase), without `uuidString.lowercased()`'s two copies.
    static func lowercaseText(_ id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                let hex: StaticString = "0123456789abcdef"
                return hex.withUTF8Buffer { digits in
                    var at = 0
                    for (index, byte) in raw.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[at] = UInt8(ascii: "-")
                            at += 1
                        }
                        out[at] = digits[Int(byte >> 4)]
                        out[at + 1] = digits[Int(byte & 0x0F)]
                        at += 2
                    }
                    return at
                }
            }
        }
    }
}
