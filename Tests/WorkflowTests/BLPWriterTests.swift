import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP writer and response lines")
struct BLPWriterTests {
    @Test("the SPEC §5 example round-trips to itself byte for byte")
    func specExampleIsCanonical() throws {
        let result = BLPFixtures.parseEntries(BLPFixtures.specEntries)
        let written = try BLPWriter.document(result.records)
        // The spec quotes some values the writer leaves bare; everything else is identical.
        let expected = BLPFixtures.specEntries
            .replacing("name=\"督查调研所需经费\"", with: "name=督查调研所需经费")
            .replacing("purpose=\"该项目用于2020年课题调研支出的公车运行维护费及差旅费\" goals=\"…\"", with: "purpose=该项目用于2020年课题调研支出的公车运行维护费及差旅费 goals=…")
            .replacing("desc=\"重大决策部署落实的调研工作完成率\" value=\"≥95百分比\"", with: "desc=重大决策部署落实的调研工作完成率 value=≥95百分比")
        #expect(written == expected)
    }

    @Test("values are quoted only when they must be, and escaped")
    func quoting() throws {
        let record = BLPRecord("entry", [
            "code": "201-0502",
            "name": "",
            "kind": "a b",
            "func": "x=y",
            "general": "say \"hi\"",
            "fund": #"C:\dir"#,
            "special": "line1\nline2\tend",
            "other": "全角\u{3000}空格",
            "plan": "#30,60",
        ])
        let line = try BLPWriter.line(record)
        #expect(line == #"entry code=201-0502 name="" kind="a b" func="x=y" general="say \"hi\"" fund="C:\\dir" special="line1\nline2\tend" other="全角　空格" plan=#30,60"#)
        let parsed = BLPParser.parse(line, schema: .entries)
        #expect(parsed.errors == [])
        #expect(parsed.records.first?.fields == record.fields)
    }

    @Test("stored text the grammar cannot carry is written escaped, never refused, and the parser refuses it by name")
    func controlCharactersEscaped() throws {
        // ESC, CR, DEL, C1 NEL, backspace and NUL: what older rows may hold (the text rule refuses them now).
        let value = "p\u{1B}[31mRED\r\nFAKE\u{7F}\u{85}\u{08}\u{0}"
        let line = try BLPWriter.line(BLPRecord("entry", ["purpose": value]))
        #expect(line == #"entry purpose="p\u001B[31mRED\u000D\nFAKE\u007F\u0085\u0008\u0000""#)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        let parsed = BLPParser.parse(line, schema: .entries)
        #expect(parsed.errors.map(\.field) == ["purpose"])
        #expect(parsed.errors.first?.code == .badEscape)
    }

    @Test("what the grammar cannot carry as a name is refused, not written")
    func refusals() {
        #expect(throws: BLPWriteError(code: .badKey, recordType: "entry", key: "Code", reason: "bad key \"Code\" in entry")) {
            try BLPWriter.line(BLPRecord("entry", ["Code": "a"]))
        }
        #expect(throws: BLPWriteError(code: .badRecordType, recordType: "1entry", reason: "bad record type \"1entry\"")) {
            try BLPWriter.document([BLPRecord("1entry", [:])])
        }
        #expect(throws: BLPWriteError(code: .repeatedKey, recordType: "item", key: "econ", reason: "repeated key \"econ\" in item")) {
            try BLPWriter.line(BLPRecord("item", ["econ": "1", "econ": "2"]))
        }
        #expect(BLPWriter.canEncode("多行\n文本\t"))
        #expect(!BLPWriter.canEncode("windows\r\n"))
    }

    @Test("ok and error response lines")
    func responseLines() {
        let ok = BLPResponseLine.ok(line: 1, code: "201-0502-JBN-E5EL", id: "42", state: "draft", version: 2)
        #expect(ok.text == "ok line=1 code=201-0502-JBN-E5EL id=42 state=draft version=2")
        let error = BLPResponseLine.error(line: 3, field: "general", reason: "金额最多两位小数")
        #expect(error.text == "error line=3 field=general reason=金额最多两位小数")
        let spaced = BLPResponseLine.error(line: 3, field: "general", code: "V1", reason: "amount must be > 0")
        #expect(spaced.text == #"error line=3 field=general code=V1 reason="amount must be > 0""#)
        #expect(BLPResponseLine.error(line: nil, reason: "body too large").text == #"error reason="body too large""#)
        #expect(BLPResponseLine.error(BLPError(line: 0, code: .badValue, reason: "x")).text == "error code=bad_value reason=x")
    }

    @Test("a parse error becomes an error line that parses back")
    func errorLineFromParseError() {
        let parseError = BLPFixtures.parseEntries("entry code=ok\nitem econ=1 amout=2").errors[0]
        let line = BLPResponseLine.error(parseError)
        #expect(line.text == #"error line=2 field=amout code=unknown_key reason="unknown key \"amout\" for item""#)
        let body = BLPResponseLine.document([.ok(line: 1, id: "7"), line])
        let parsed = BLPParser.parse(body, schema: .responses)
        #expect(parsed.errors == [])
        #expect(parsed.records.map(\.type) == ["ok", "error"])
        #expect(parsed.records[1]["reason"] == parseError.reason)
        #expect(parsed.records[1]["code"].flatMap(BLPErrorCode.init(rawValue:)) == .unknownKey)
    }

    @Test("response lines never fail: unwritable characters become U+FFFD")
    func responseSanitizing() {
        let line = BLPResponseLine.error(line: 1, reason: "bad\r\nvalue\u{0}")
        #expect(line.record["reason"] == "bad\u{FFFD}\nvalue\u{FFFD}")
        #expect(line.text == #"error line=1 reason="bad�\nvalue�""#)
        #expect(line.description == line.text)
    }
}
