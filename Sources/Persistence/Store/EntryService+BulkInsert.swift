import Crypto
import Foundation
import Workflow

// Bulk creation: a batch's drafts are checked and formatted as COPY rows on one thread while the
// transaction's connection stores the previous piece, so decoding, validation, hashing and
// PostgreSQL's work overlap instead of running one after the other.
extension EntryService {
    /// How many drafts a piece of a batch holds: small, so storing starts soon after a request
    /// arrives. The connection takes every piece ready when it is free, so its COPY statements
    /// grow to thousands of rows while it is the slower side.
    public static let bulkPiece = 250

    /// One piece of a batch, checked and, while the batch has no error, formatted for COPY.
    struct PreparedPiece: Sendable {
        /// The drafts, each with its line.
        var inputs: [DraftInput] = []
        var ids: [UUID] = []
        /// The drafts as new entries; nil once the batch has a validation error, since nothing
        /// will be stored then.
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

    /// Starts checking and formatting `source`'s drafts on another thread.
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
                handOff.finish(.success(preparer.details))
            } catch {
                handOff.finish(.failure(error))
            }
        }
        return handOff
    }

    /// Stores pieces of new entries with COPY: six statements for any number of entries.
    static func copy(_ pieces: [NewEntryRows], on connection: PostgresConnection) throws {
        func copy(_ statement: SQL, _ rows: KeyPath<NewEntryRows, CopyRows>) throws {
            guard pieces.contains(where: { !$0[keyPath: rows].isEmpty }) else { return }
            try connection.copyIn(statement) { writer in
                for piece in pieces { try writer.send(piece[keyPath: rows]) }
            }
        }
        try copy("""
            COPY entries (id, year, unit_code, department_code, code, revision, name, kind, func_code, general, fund, state_capital,
                          special, other, plan, purpose, goals, state) FROM STDIN
            """, \.entries)
        try copy("COPY entry_items (entry_id, position, econ, amount) FROM STDIN", \.items)
        try copy("COPY entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis) FROM STDIN", \.indicators)
        try copy("COPY entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount) FROM STDIN",
                 \.procurement)
        try copy("COPY audit_events (\(AuditAppender.columns)) FROM STDIN", \.events)
        try copy("COPY audit_chain_heads (chain, seq, hash) FROM STDIN", \.heads)
    }

    /// Checks a batch's drafts against the storable rules and for codes repeated in the batch,
    /// and formats them as new entries with their `create` events (the same rows, events and
    /// hashes as the one-by-one path). Pure CPU work, done beside the connection's thread.
    struct BatchPreparer: Sendable {
        let unit: String
        /// The unit's department, written with each row so the insert trigger need not look it up.
        let department: String
        let year: Int
        let caller: Caller
        /// The events' time: the database's clock when the transaction began.
        let now: Timestamp
        /// Signs each `create` event (the connection's key); nil: they are stored unsigned.
        let auditKey: AuditSigningKey?
        /// Every validation error so far, in batch order.
        private(set) var details: [ErrorDetail] = []
        private var seenCodes: [String: Int] = [:]
        private var count = 0

        init(unit: String, department: String, year: Int, caller: Caller, now: Timestamp, auditKey: AuditSigningKey?) {
            self.unit = unit
            self.department = department
            self.year = year
            self.caller = caller
            self.now = now
            self.auditKey = auditKey
        }

        mutating func prepare(_ inputs: [DraftInput]) throws -> PreparedPiece {
            var piece = PreparedPiece()
            piece.inputs.reserveCapacity(inputs.count)
            piece.ids.reserveCapacity(inputs.count)
            for var input in inputs {
                count += 1
                let line = input.line ?? count
                input.line = line
                if let previous = seenCodes[input.draft.code] {
                    details.append(ErrorDetail(line: line, field: "code", rule: .v6,
                        message: "code \(input.draft.code) appears twice in this batch (first at \(previous))"))
                } else {
                    seenCodes[input.draft.code] = line
                }
                for violation in Validator.validate(input.draft, context: ValidationContext()) where !EntryService.storable(violation) {
                    details.append(ErrorDetail(line: line, field: violation.field, rule: violation.rule, message: violation.message))
                }
                piece.inputs.append(input)
                piece.ids.append(EntryService.randomUUID())
            }
            if details.isEmpty {
                piece.rows = try rows(piece.inputs, ids: piece.ids)
            }
            return piece
        }

        private func rows(_ inputs: [DraftInput], ids: [UUID]) throws -> NewEntryRows {
            var rows = NewEntryRows()
            let yearText = String(year)
            let draftState = EntryState.draft.rawValue
            let appender = AuditAppender(caller: caller, at: now, signer: auditKey?.eventSigner())
            var json: [UInt8] = []
            for (input, id) in zip(inputs, ids) {
                let d = input.draft
                let s = d.sources
                let idText = EntryService.lowercaseText(id)
                for text in [idText, yearText, unit, department, d.code, "1", d.name, d.kind.rawValue, d.functionCode] {
                    rows.entries.field(text)
                }
                for amount in [s.general, s.fund, s.stateCapital, s.special, s.other] {
                    rows.entries.field(amount.description)
                }
                rows.entries.field("{" + d.plan.map(\.description).joined(separator: ",") + "}")
                rows.entries.field(d.purpose)
                rows.entries.field(d.goals)
                rows.entries.field(draftState)
                rows.entries.endRow()
                for (position, item) in d.items.enumerated() {
                    rows.items.field(idText)
                    rows.items.field(String(position))
                    rows.items.field(item.econ)
                    rows.items.field(item.amount.description)
                    rows.items.endRow()
                }
                for (position, i) in d.indicators.enumerated() {
                    rows.indicators.field(idText)
                    rows.indicators.field(String(position))
                    for text in [i.l1, i.l2, i.l3, i.desc, i.value, i.basis] { rows.indicators.field(text) }
                    rows.indicators.endRow()
                }
                for (position, p) in d.procurement.enumerated() {
                    rows.procurement.row([idText, String(position), p.item, p.catalog, p.unit, p.quantity.description,
                                          p.price.description, p.amount.description])
                }

                let chain = AuditLog.entryChain(year: year, code: d.code)
                var head = AuditAppender.Head.genesis
                let event = try appender.seal(
                    chain: chain, action: "create", entryID: id, revision: 1, fromState: nil, toState: draftState,
                    reason: nil, sortedChanges: EntryService.sortedSummary(of: d), after: &head)
                appender.copyRow(event, into: &rows.events, json: &json)
                rows.heads.field(chain)
                rows.heads.field(String(head.seq))
                rows.heads.field(bytea: head.hash)
                rows.heads.endRow()
            }
            return rows
        }
    }

    /// What `summary(of:)` records, as pairs sorted by the key's UTF-8 bytes (the order the audit
    /// hash takes them in), built in that order rather than sorted.
    static func sortedSummary(of draft: EntryDraft) -> [(key: String, value: String)] {
        let s = draft.sources
        var pairs: [(key: String, value: String)] = [("amount", draft.amount.description), ("code", draft.code), ("func", draft.functionCode)]
        pairs.reserveCapacity(13)
        if s.fund != .zero { pairs.append(("fund", s.fund.description)) }
        if s.general != .zero { pairs.append(("general", s.general.description)) }
        if !draft.indicators.isEmpty { pairs.append(("indicators", String(draft.indicators.count))) }
        if !draft.items.isEmpty { pairs.append(("items", String(draft.items.count))) }
        pairs.append(("kind", draft.kind.rawValue))
        pairs.append(("name", draft.name))
        if s.other != .zero { pairs.append(("other", s.other.description)) }
        if !draft.procurement.isEmpty { pairs.append(("procurement", String(draft.procurement.count))) }
        if s.special != .zero { pairs.append(("special", s.special.description)) }
        if s.stateCapital != .zero { pairs.append(("state_capital", s.stateCapital.description)) }
        return pairs
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
