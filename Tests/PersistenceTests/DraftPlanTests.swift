import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// The drafts command's plan applied: single rows and COPY write the same rows through one
/// column list per table, and a BLP body is decoded by Persistence's own worker.
@Suite("draft plans applied")
struct DraftPlanTests {
    static func drafts(_ prefix: String, _ range: Range<Int>) -> [EntryService.DraftInput] {
        range.map { i in
            var draft = Fixture.project("\(prefix)-\(i)", yuan: "\(100 + i).50")
            draft.procurement = [ProcurementItem(item: "打印纸(A4)", catalog: "A0901", unit: "箱", quantity: Quantity(3), price: Money(fen: 1_250))]
            draft.purpose = i % 2 == 0 ? "" : "用途\\说明\n第二行\t尾"
            draft.sources.fund = i % 3 == 0 ? Money(fen: 1) : .zero
            draft.items = [EntryItem(econ: "30231", amount: draft.sources.total)]
            return .init(draft: draft, line: i + 1)
        }
    }

    /// Every written column of the entries of `prefix` and their children, with the code's
    /// prefix and the ids taken out, one text per entry.
    static func stored(_ prefix: String, _ f: Fixture) throws -> [String] {
        let connection = try f.db.superuser()
        return try connection.query("""
            SELECT substr(e.code, length(\(prefix)::text) + 1) || '|' || concat_ws('|', e.year, e.unit_code, e.department_code,
                       e.revision, e.supersedes, e.name, e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special,
                       e.other, e.plan, e.purpose, e.goals, e.state, e.revise_reason, e.version)
                   || '|' || COALESCE((SELECT string_agg(concat_ws(',', position, econ, amount), ';' ORDER BY position)
                                       FROM entry_items WHERE entry_id = e.id), '')
                   || '|' || COALESCE((SELECT string_agg(concat_ws(',', position, l1, l2, l3, descr, value, basis), ';' ORDER BY position)
                                       FROM entry_indicators WHERE entry_id = e.id), '')
                   || '|' || COALESCE((SELECT string_agg(concat_ws(',', position, item, catalog, unit, quantity, price, amount), ';'
                                                         ORDER BY position)
                                       FROM entry_procurement WHERE entry_id = e.id), '')
                   || '|' || (SELECT concat_ws('|', a.seq, a.actor, a.role, a.channel, a.action, a.revision, a.from_state,
                                               a.to_state, a.reason, a.changes - 'code', a.key_id IS NOT NULL)
                              FROM audit_events a WHERE a.entry_id = e.id AND a.action = 'create') AS row
            FROM entries e WHERE e.code LIKE \(prefix + "%") ORDER BY e.code
            """).map { try $0.decode("row") }
    }

    @Test("new drafts written by COPY and by the single-row INSERT are the same rows and events")
    func copyAndInsertAgree() async throws {
        let f = try await Fixture.make()
        // All codes new: COPY.
        _ = try await f.entries.saveDrafts(from: .drafts(Self.drafts("C", 0..<12), piece: 5), unit: "201002", year: 2020, by: f.officer)
        // One code already a draft of the unit: the whole piece is decided again and written row by row.
        _ = try await f.create([Fixture.project("R-99")])
        let rows = Self.drafts("R", 0..<12) + [.init(draft: Fixture.project("R-99", name: "改"), line: 13)]
        let saved = try await f.entries.saveDrafts(rows, unit: "201002", year: 2020, by: f.officer)
        #expect(saved.map(\.created) == Array(repeating: true, count: 12) + [false])
        let copied = try Self.stored("C", f)
        let inserted = try Self.stored("R", f).filter { !$0.hasPrefix("-99|") }
        #expect(copied.count == 12)
        #expect(copied == inserted)
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("a BLP body is decoded on Persistence's worker: stored, or refused with Workflow's errors")
    func blpSource() async throws {
        let f = try await Fixture.make()
        let body = Array(try BLPEntryMapping.encode(Self.drafts("B", 0..<600).map(\.draft)).utf8)
        let saved = try await f.entries.saveDrafts(
            from: .blp(body, unit: "201002", year: 2020, limits: .standard, piece: 100), unit: "201002", year: 2020, by: f.officer)
        #expect(saved.count == 600)
        #expect(saved.allSatisfy { $0.created })
        #expect(try await f.entries.entry(saved[599].entry.id, for: f.officer).content == Self.drafts("B", 599..<600)[0].draft)

        // A broken limit: Workflow's own refusal, which the server answers with 413.
        let small = BLPLimits(maxLineBytes: 64)
        await #expect(throws: BLPBatchTooLarge.self) {
            try await f.entries.saveDrafts(from: .blp(Array(try BLPEntryMapping.encode(Self.drafts("L", 0..<3).map(\.draft)).utf8),
                                                      unit: "201002", year: 2020, limits: small), unit: "201002", year: 2020, by: f.officer)
        }
        // A bad line: invalid input with the line, nothing stored.
        await expectError("invalid_input") {
            try await f.entries.saveDrafts(from: .blp(Array("entry code=X-1 name=\n".utf8), unit: "201002", year: 2020, limits: .standard),
                                           unit: "201002", year: 2020, by: f.officer)
        }
        #expect(try await f.entries.list(.init(limit: 1_000), for: f.officer).items.count == 600)
    }

    @Test("waivers and control figures: Workflow's refusals, stored plans audited")
    func waiveAndControlFigure() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("W-1")]).first)
        await expectError("forbidden") { try await f.admin.waive(.v4, for: entry.id, reason: "r", by: f.officer) }
        await expectError("reason_required") { try await f.admin.waive(.v4, for: entry.id, reason: " ", by: f.finance) }
        await expectError("not_found") { try await f.admin.waive(.v4, for: UUID(), reason: "r", by: f.finance) }
        try await f.admin.waive(.v4, for: entry.id, reason: "同意", by: f.finance)
        await expectError("conflict") { try await f.admin.waive(.v4, for: entry.id, reason: "again", by: f.finance) }

        await expectError("forbidden") {
            try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: Money(fen: 100), by: f.reviewer)
        }
        await expectError("not_found") {
            try await f.admin.setControlFigure(unit: "999999", year: 2020, amount: Money(fen: 100), by: f.finance)
        }
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: Money(fen: 100), by: f.finance)
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: Money(fen: 250), by: f.finance)
        let summary = try await f.entries.summary(unit: "201002", year: 2020, for: f.finance)
        #expect(summary.controlFigure == Money(fen: 250))
        let connection = try f.db.superuser()
        let changes: [String] = try connection.query("""
            SELECT changes::text AS c FROM audit_events WHERE chain = 'control:201002:2020' ORDER BY seq
            """).map { try $0.decode("c") }
        #expect(changes == [#"{"amount": "1.00"}"#, #"{"amount": "2.50", "previous": "1.00"}"#])
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }
}
