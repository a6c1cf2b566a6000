import Crypto
import Foundation
import Workflow

extension EntryService {
    /// Inserts a batch of drafts whose codes are all new in the year with COPY: the rows, their
    /// children, their `create` audit events and chain heads, in a handful of round trips instead
    /// of several per entry. Same rows, same events, same hashes as the one-by-one path; the unique
    /// indexes still guard against a concurrent batch using the same codes.
    static func insertNew(
        _ inputs: [DraftInput], unit: String, year: Int, scope: EntryScope, by caller: Caller, on connection: PostgresConnection
    ) throws -> [Saved] {
        let now: Timestamp = try connection.query("SELECT clock_timestamp() AS now").first!.decode("now")
        let ids = inputs.map { _ in UUID() }
        let idTexts = ids.map { $0.uuidString.lowercased() }
        let year = String(year)
        try connection.copyIn("""
            COPY entries (id, year, unit_code, code, revision, name, kind, func_code, general, fund, state_capital,
                          special, other, plan, purpose, goals, state) FROM STDIN
            """) { writer in
            for (input, id) in zip(inputs, idTexts) {
                let d = input.draft
                let s = d.sources
                try writer.row([
                    id, year, unit, d.code, "1", d.name, d.kind.rawValue, d.functionCode, s.general.description,
                    s.fund.description, s.stateCapital.description, s.special.description, s.other.description,
                    "{" + d.plan.map(\.description).joined(separator: ",") + "}", d.purpose, d.goals, EntryState.draft.rawValue,
                ])
            }
        }
        try copyChildren(inputs.map(\.draft), ids: idTexts, on: connection)

        var heads: [(chain: String, hash: String)] = []
        let genesis = [UInt8](repeating: 0, count: 32)
        let genesisText = ByteA(genesis).postgresBind.text
        let nowText = now.postgresBind.text
        try connection.copyIn("""
            COPY audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision, to_state, changes,
                               prev_hash, hash) FROM STDIN
            """) { writer in
            for (input, id) in zip(inputs, ids) {
                let record = AuditRecord(
                    chain: AuditLog.entryChain(year: Int(year)!, code: input.draft.code), seq: 1, at: now.microsecondsSinceEpoch,
                    actor: caller.actor.name, role: caller.actor.role.rawValue, channel: caller.channel.rawValue, action: "create",
                    entryID: id, revision: 1, toState: EntryState.draft.rawValue, changes: summary(of: input.draft))
                let hash = ByteA(Array(SHA256.hash(data: record.canonicalBytes(previousHash: genesis))))
                heads.append((record.chain, hash.postgresBind.text!))
                try writer.row([
                    record.chain, "1", nowText, record.actor, record.role, record.channel, record.action,
                    id.uuidString.lowercased(), "1", record.toState, JSONB(stringMap: record.changes).json,
                    genesisText, hash.postgresBind.text,
                ])
            }
        }
        try connection.copyIn("COPY audit_chain_heads (chain, seq, hash) FROM STDIN") { writer in
            for head in heads { try writer.row([head.chain, "1", head.hash]) }
        }
        return zip(inputs, ids).enumerated().map { index, pair in
            Saved(line: pair.0.line ?? index + 1, entry: BudgetEntry(
                id: pair.1, year: Int(year)!, unitCode: unit, departmentCode: scope.departmentCode, content: pair.0.draft),
                created: true)
        }
    }

    static func copyChildren(_ drafts: [EntryDraft], ids: [String], on connection: PostgresConnection) throws {
        if drafts.contains(where: { !$0.items.isEmpty }) {
            try connection.copyIn("COPY entry_items (entry_id, position, econ, amount) FROM STDIN") { writer in
                for (draft, id) in zip(drafts, ids) {
                    for (position, item) in draft.items.enumerated() {
                        try writer.row([id, String(position), item.econ, item.amount.description])
                    }
                }
            }
        }
        if drafts.contains(where: { !$0.indicators.isEmpty }) {
            try connection.copyIn("COPY entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis) FROM STDIN") { writer in
                for (draft, id) in zip(drafts, ids) {
                    for (position, i) in draft.indicators.enumerated() {
                        try writer.row([id, String(position), i.l1, i.l2, i.l3, i.desc, i.value, i.basis])
                    }
                }
            }
        }
        if drafts.contains(where: { !$0.procurement.isEmpty }) {
            try connection.copyIn("""
                COPY entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount) FROM STDIN
                """) { writer in
                for (draft, id) in zip(drafts, ids) {
                    for (position, p) in draft.procurement.enumerated() {
                        try writer.row([id, String(position), p.item, p.catalog, p.unit, p.quantity.description,
                                        p.price.description, p.amount.description])
                    }
                }
            }
        }
    }
}
