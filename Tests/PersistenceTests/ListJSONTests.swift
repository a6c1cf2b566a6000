import Foundation
import Persistence
import Testing
import TestSupport
import Workflow

/// `GET /v1/entries` (JSON) takes its objects from PostgreSQL (`EntryService.listJSON`); they must
/// be exactly what `BudgetEntry`'s `Encodable` writes for the same rows, field for field.
@Suite("entry lists rendered by PostgreSQL", .serialized)
struct ListJSONTests {
    @Test("every object equals the Swift encoding of the same entry, and paging agrees")
    func sameAsEncoder() async throws {
        let f = try await Fixture.make()
        var tricky = Fixture.project("J-1", yuan: "1234567.89", name: "引号\"反斜杠\\斜杠/表情😀")
        tricky.purpose = "制表\t换行\n引号\"反斜杠\\ <b>&amp;</b> \u{2028}"
        tricky.sources = FundingSources(general: try Money.parse("1000000.00"), fund: try Money.parse("0.01"),
                                        stateCapital: try Money.parse("34567.88"), special: try Money.parse("100000.00"),
                                        other: try Money.parse("100000.00"))
        tricky.items = [EntryItem(econ: "30201", amount: try Money.parse("1234567.88")), EntryItem(econ: "30299", amount: try Money.parse("0.01"))]
        tricky.plan = [Percent(hundredths: 1), Percent(hundredths: 3050), Percent(90), Percent(100)]
        tricky.procurement = [
            ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "台", quantity: try Quantity.parse("6"), price: try Money.parse("5000.00")),
            ProcurementItem(item: "复印纸", catalog: "A090101", unit: "箱", quantity: try Quantity.parse("2.5"), price: try Money.parse("0.33")),
            ProcurementItem(item: "墨粉", catalog: "A090102", unit: "克", quantity: try Quantity.parse("0.0001"), price: try Money.parse("1.00")),
        ]
        let personnel = EntryDraft(code: "J-2", name: "基本工资", kind: .personnel, functionCode: "2013101",
                                   sources: FundingSources(general: try Money.parse("723.13")))
        let created = try await f.create([tricky, personnel, Fixture.project("J-3")])
        try await f.approve(created[2].id)
        _ = try await f.entries.act(.revise, on: created[2].id, reason: "追加预算", by: f.officer)
        _ = try await f.create([Fixture.project("J-4")], unit: "202001")
        // CR and ESC are refused as input now; a row stored before that rule must still render alike.
        try f.db.superuser().query("UPDATE entries SET purpose = purpose || \("回车\r\u{1B}[31m") WHERE code = 'J-1'")

        for caller in [f.officer, f.reviewer, f.finance, f.officerElsewhere] {
            let swift = try await f.entries.list(.init(), for: caller)
            let postgres = try await f.entries.listJSON(.init(), for: caller)
            #expect(postgres.items.count == swift.items.count)
            #expect(postgres.nextCursor == nil)
            for (entry, object) in zip(swift.items, postgres.items) {
                #expect(try Self.object(object) == (try Self.object(String(decoding: JSONEncoder().encode(entry), as: UTF8.self))),
                        "entry \(entry.content.code) revision \(entry.revision)")
            }
        }
        let revised = try await f.entries.listJSON(.init(), for: f.finance).items.map(Self.object)
        #expect(revised.contains { $0["code"] as? String == "J-3" && $0["revision"] as? Int == 2 && $0["supersedes"] as? String == created[2].id.uuidString.lowercased() })

        var swiftCursor: String?
        var postgresCursor: String?
        repeat {
            let swift = try await f.entries.list(.init(limit: 2, cursor: swiftCursor), for: f.finance)
            let postgres = try await f.entries.listJSON(.init(limit: 2, cursor: postgresCursor), for: f.finance)
            #expect(try postgres.items.map { try Self.object($0)["id"] as? String } == swift.items.map { $0.id.uuidString.lowercased() })
            #expect(postgres.nextCursor == swift.nextCursor)
            swiftCursor = swift.nextCursor
            postgresCursor = postgres.nextCursor
        } while swiftCursor != nil
        await #expect(throws: WorkflowError.self) { try await f.entries.listJSON(.init(limit: 0), for: f.finance) }
        await #expect(throws: WorkflowError.self) { try await f.entries.listJSON(.init(cursor: "!!"), for: f.finance) }
        // Well-formed but forged: a code with NUL is refused as a cursor, not passed to PostgreSQL.
        let forged = Data("2020:1:A\u{0}B".utf8).base64EncodedString()
        await expectError("invalid_input") { try await f.entries.list(.init(cursor: forged), for: f.finance) }
    }

    @Test("bench/list.sql, the pgbench baseline of GET /v1/entries, is the statement the server runs")
    func benchStatement() throws {
        let officer = Caller(actor: Actor(name: "o", role: .officer, orgCode: "B01"), channel: .api)
        let statement = try EntryService.listJSONStatement(.init(limit: 100), for: officer)
        #expect(statement.binds.count == 2)
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../bench/list.sql")
        let bench = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("--") }.joined(separator: "\n")
            .replacingOccurrences(of: ":unit", with: "$1").replacingOccurrences(of: ":limit", with: "$2")
        #expect(Self.words(bench) == Self.words(statement.text + ";"))
    }

    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isWhitespace)
    }

    static func object(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }
}
