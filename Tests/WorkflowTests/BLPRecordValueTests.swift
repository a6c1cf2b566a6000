import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP record value helpers")
struct BLPRecordValueTests {
    private let record = BLPRecord("entry", ["code": "", "name": "办公费", "general": "12.345", "fund": "", "year": "2020"], line: 7)

    @Test("required: absent or empty is missingField at the record's line")
    func required() throws {
        #expect(try record.required("name") == "办公费")
        #expect(throws: BLPError(line: 7, field: "code", code: .missingField, reason: "code is required")) {
            try record.required("code")
        }
        #expect(throws: BLPError(line: 7, field: "kind", code: .missingField, reason: "kind is required")) {
            try record.required("kind")
        }
    }

    @Test("typed required and optional report badValue with what was expected")
    func typed() throws {
        #expect(try record.required("year", expected: "a year") { Int($0) } == 2020)
        #expect(throws: BLPError(line: 7, field: "general", code: .badValue, reason: "bad general \"12.345\": expected an integer")) {
            try record.required("general", expected: "an integer") { Int($0) }
        }
        #expect(try record.optional("fund", expected: "an integer") { Int($0) } == nil)
        #expect(try record.optional("other", expected: "an integer") { Int($0) } == nil)
        #expect(try record.optional("year", expected: "an integer") { Int($0) } == 2020)
        #expect(throws: BLPError.self) {
            try record.optional("name", expected: "an integer") { Int($0) }
        }
    }

    @Test("long or control-laden values are shortened and made printable in reasons")
    func reasonText() {
        let long = BLPRecord("item", ["amount": String(repeating: "9", count: 100) + "\u{1}"], line: 2)
        #expect(throws: BLPError(line: 2, field: "amount", code: .badValue, reason: "bad amount \"" + String(repeating: "9", count: 40) + "…\": expected yuan")) {
            try long.required("amount", expected: "yuan") { Int($0) }
        }
        let control = BLPRecord("item", ["amount": "1\r"], line: 2)
        #expect(throws: BLPError(line: 2, field: "amount", code: .badValue, reason: "bad amount \"1<U+000D>\": expected yuan")) {
            try control.required("amount", expected: "yuan") { Int($0) }
        }
    }

    @Test("error(_:field:_:) builds an error at the record's line")
    func customError() {
        #expect(record.error(.badValue, field: "plan", "plan must end at 100") == BLPError(line: 7, field: "plan", code: .badValue, reason: "plan must end at 100"))
    }
}
