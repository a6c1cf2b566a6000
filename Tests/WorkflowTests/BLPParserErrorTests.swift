import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP parser: errors")
struct BLPParserErrorTests {
    /// Parses `line` as line 2 of a document after a good entry, so line numbers are exercised.
    private func errors(_ line: String, schema: BLPSchema = .entries) -> [BLPError] {
        let result = BLPParser.parse("entry code=ok\n" + line + "\nentry code=after\n", schema: schema)
        #expect(result.records.map(\.line) == [1, 3], "good lines around a bad one still parse")
        return result.errors
    }

    private func expectError(
        _ line: String,
        _ code: BLPErrorCode,
        field: String?,
        _ reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            errors(line) == [BLPError(line: 2, field: field, code: code, reason: reason)],
            sourceLocation: sourceLocation
        )
    }

    @Test func unknownRecordType() {
        expectError("entyr code=a", .unknownRecordType, field: nil, "unknown record type \"entyr\"")
        expectError("Entry code=a", .unknownRecordType, field: nil, "unknown record type \"Entry\"")
        expectError("款项 code=a", .unknownRecordType, field: nil, "unknown record type \"款项\"")
        expectError("code=a name=b", .unknownRecordType, field: nil, "missing record type: the line starts with a field")
        expectError("ok line=1", .unknownRecordType, field: nil, "unknown record type \"ok\"")
        expectError("entry\u{1}", .unknownRecordType, field: nil, "unknown record type \"entry<U+0001>\"")
    }

    @Test func unknownKey() {
        expectError("item econ=30201 amout=1.00", .unknownKey, field: "amout", "unknown key \"amout\" for item")
    }

    @Test func repeatedKey() {
        expectError("item econ=30201 econ=30202", .repeatedKey, field: "econ", "repeated key \"econ\"")
    }

    @Test("all unknown and repeated keys of a line are reported")
    func severalKeyErrors() {
        #expect(errors("item amout=1 econ=1 econ=2 x=\"y\"").map(\.field) == ["amout", "econ", "x"])
    }

    @Test func badKey() {
        expectError("item Econ=1", .badKey, field: nil, "bad key \"Econ\": keys are lowercase letters, digits and _, starting with a letter")
        expectError("item 1econ=1", .badKey, field: nil, "bad key \"1econ\": keys are lowercase letters, digits and _, starting with a letter")
        expectError("item =1", .badKey, field: nil, "'=' with no key before it")
        expectError("item \"econ\"=1", .badKey, field: nil, "bad key \"\"econ\"\": keys are lowercase letters, digits and _, starting with a letter")
    }

    @Test func missingValue() {
        expectError("item econ", .missingValue, field: "econ", "econ has no value: write econ=…")
        expectError("item econ amount=1", .missingValue, field: "econ", "econ has no value: write econ=…")
    }

    @Test func badQuoting() {
        expectError("entry name=\"abc", .badQuoting, field: "name", "unterminated quoted value of name")
        expectError("entry name=\"abc\\", .badQuoting, field: "name", "unterminated quoted value of name")
        expectError("entry name=\"abc\\\"", .badQuoting, field: "name", "unterminated quoted value of name")
        expectError("entry name=\"a\"b", .badQuoting, field: "name", "text right after the closing quote of name; separate fields with a space")
        expectError("entry name=\"a\"code=b", .badQuoting, field: "name", "text right after the closing quote of name; separate fields with a space")
        expectError("entry name=a\"b\"", .badQuoting, field: "name", "'\"' inside the unquoted value of name; quote the whole value")
        expectError("entry name=a=b", .badQuoting, field: "name", "'=' inside the unquoted value of name; quote the value or put a space before the next field")
        expectError("entry name=acode=b", .badQuoting, field: "name", "'=' inside the unquoted value of name; quote the value or put a space before the next field")
    }

    @Test func badEscape() {
        expectError(#"entry name="a\qb""#, .badEscape, field: "name", #"bad escape \q in the value of name; only \" \\ \n \t are allowed"#)
        expectError(#"entry name="a\r""#, .badEscape, field: "name", #"bad escape \r in the value of name; only \" \\ \n \t are allowed"#)
        expectError(#"entry name="a\费""#, .badEscape, field: "name", #"bad escape \费 in the value of name; only \" \\ \n \t are allowed"#)
    }

    @Test func badSeparator() {
        expectError("entry\tcode=a", .badSeparator, field: nil, "tab between fields; separate fields with spaces")
        expectError("entry code=a\tname=b", .badSeparator, field: "code", "tab after the value of code; separate fields with spaces or quote the value")
        expectError("entry name=\"a\"\tcode=b", .badSeparator, field: "name", "tab after the value of name; separate fields with spaces")
        expectError("entry code=a \tname=b", .badSeparator, field: nil, "tab between fields; separate fields with spaces")
    }

    @Test func controlCharacter() {
        expectError("entry name=\"a\tb\"", .controlCharacter, field: "name", "control character U+0009 in the value of name; write \\t")
        expectError("entry name=a\u{0}b", .controlCharacter, field: "name", "control character U+0000 in the value of name")
        expectError("entry name=\"a\u{7F}\"", .controlCharacter, field: "name", "control character U+007F in the value of name")
        expectError("entry name=a\u{85}", .controlCharacter, field: "name", "control character U+0085 in the value of name")
    }

    @Test func invalidUTF8() {
        let cases: [([UInt8], Int)] = [
            ([0x66, 0x6F, 0xFF], 3),          // never valid
            ([0xC0, 0x80], 1),                 // overlong NUL
            ([0x61, 0xED, 0xA0, 0x80], 2),     // surrogate
            ([0xF4, 0x90, 0x80, 0x80], 1),     // above U+10FFFF
            ([0x61, 0x62, 0xE8, 0xB4], 3),     // truncated 费
            ([0x23, 0x20, 0x80], 3),           // in a comment too: the whole document is UTF-8
        ]
        for (bad, column) in cases {
            let bytes = Array("entry code=ok\n".utf8) + bad + Array("\nentry code=after\n".utf8)
            let result = BLPParser.parse(bytes, schema: .entries)
            #expect(result.records.map(\.line) == [1, 3])
            #expect(result.errors == [BLPError(line: 2, code: .invalidUTF8, reason: "invalid UTF-8 at byte \(column)")])
        }
    }

    @Test func lineTooLong() {
        let limits = BLPLimits(maxLineBytes: 20)
        let exact = "entry name=\"0123456\""   // 20 bytes
        let text = "entry code=ok\n\(exact)\r\n\(exact)x\nentry code=after"
        let result = BLPParser.parse(text, schema: .entries, limits: limits)
        #expect(result.records.map(\.line) == [1, 2, 4])
        #expect(result.errors == [BLPError(line: 3, code: .lineTooLong, reason: "line exceeds 20 bytes")])
    }

    @Test func orphanChild() {
        let result = BLPFixtures.parseEntries("# header\nitem econ=30201 amount=1\nentry code=a\nitem econ=1\n")
        #expect(result.errors == [BLPError(line: 2, code: .orphanChild, reason: "item must follow the entry record it belongs to")])
        #expect(result.records.map(\.line) == [3, 4])
    }

    @Test("a child after a top-level record of another type is an orphan")
    func orphanAfterOtherParent() {
        let schema = BLPSchema([
            .init("entry", keys: ["code"]),
            .init("baseline", keys: ["metric"]),
            .init("item", keys: ["econ"], parent: "entry"),
        ])
        let result = BLPParser.parse("entry code=a\nbaseline metric=total\nitem econ=1\n", schema: schema)
        #expect(result.errors.map(\.code) == [.orphanChild])
        #expect(result.errors.map(\.line) == [3])
    }

    @Test func tooManyRecords() {
        let text = "entry code=a\nitem econ=1\n\nitem econ=2\nentry code=b\nbad\n"
        let result = BLPFixtures.parseEntries(text, limits: BLPLimits(maxRecords: 3))
        #expect(result.records.map(\.line) == [1, 2, 4])
        #expect(result.errors == [BLPError(line: 5, code: .tooManyRecords, reason: "more than 3 records; stopped reading here")])
    }

    @Test func tooManyErrors() {
        let text = String(repeating: "bad\n", count: 10) + "entry code=a\n"
        let result = BLPFixtures.parseEntries(text, limits: BLPLimits(maxErrors: 4))
        #expect(result.errors.map(\.line) == [1, 2, 3, 4, 5])
        #expect(result.errors.last == BLPError(line: 5, code: .tooManyErrors, reason: "more than 4 errors; stopped reading here"))
        #expect(result.records.isEmpty)
    }

    @Test("a document with three bad lines reports all three, in order")
    func threeBadLines() {
        let text = """
            entry code=201-0502-JBN-E5EL name="督查调研所需经费" kind=project
            item econ=30231 amout=50000.00
            item econ=30211 amount=100000.00
            indicator l1=产出指标 desc="未结束
            # a comment
            procurement item=台式计算机 catalog=A02010104 qty=6 price=5000.00
            entyr code=x

            """
        let result = BLPFixtures.parseEntries(text)
        #expect(result.errors.map(\.line) == [2, 4, 7])
        #expect(result.errors.map(\.code) == [.unknownKey, .badQuoting, .unknownRecordType])
        #expect(result.errors.map(\.field) == ["amout", "desc", nil])
        #expect(result.records.map(\.line) == [1, 3, 6])
    }

    @Test("every error code except the caller's value codes is produced by some input")
    func everyCodeIsReachable() {
        let inputs: [String] = [
            "x", "item amout=1", "item econ=1 econ=1", "item E=1", "item econ", "item econ=\"",
            "item econ=\"\\q\"", "item\tecon=1", "item econ=\u{1}", "item econ=\u{FFFF}\u{10FFFF}",
        ]
        var codes = Set<BLPErrorCode>()
        for input in inputs {
            codes.formUnion(BLPFixtures.parseEntries("entry\n" + input).errors.map(\.code))
        }
        codes.formUnion(BLPParser.parse([0xFF], schema: .entries).errors.map(\.code))
        codes.formUnion(BLPFixtures.parseEntries("entry\n" + String(repeating: "a", count: 70_000)).errors.map(\.code))
        codes.formUnion(BLPFixtures.parseEntries("item").errors.map(\.code))
        codes.formUnion(BLPFixtures.parseEntries("entry\nentry", limits: BLPLimits(maxRecords: 1)).errors.map(\.code))
        codes.formUnion(BLPFixtures.parseEntries("x\nx", limits: BLPLimits(maxErrors: 1)).errors.map(\.code))
        #expect(codes == Set(BLPErrorCode.allCases).subtracting([.missingField, .badValue]))
    }

    @Test("errors describe themselves with line and field")
    func description() {
        #expect(BLPError(line: 3, field: "general", code: .badValue, reason: "bad").description == "line 3, field general: bad")
        #expect(BLPError(line: 4, code: .lineTooLong, reason: "long").description == "line 4: long")
    }
}
