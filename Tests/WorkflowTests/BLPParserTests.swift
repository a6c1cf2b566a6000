import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP parser: accepted documents")
struct BLPParserTests {
    @Test("the SPEC §5 entry example parses verbatim")
    func specEntryExample() {
        let result = BLPFixtures.parseEntries(BLPFixtures.specEntries)
        #expect(result.errors == [])
        #expect(result.records.map(\.type) == ["entry", "item", "indicator", "procurement"])
        #expect(result.records.map(\.line) == [1, 2, 3, 4])
        let entry = result.records[0]
        #expect(entry["code"] == "201-0502-JBN-E5EL")
        #expect(entry["name"] == "督查调研所需经费")
        #expect(entry["plan"] == "30,60,90,100")
        #expect(entry["goals"] == "…")
        #expect(entry["fund"] == nil)
        #expect(entry.fields.map(\.key) == ["code", "name", "kind", "func", "general", "plan", "purpose", "goals"])
        let indicator = result.records[2]
        #expect(indicator["value"] == "≥95百分比")
        #expect(indicator["l1"] == "产出指标")
        #expect(indicator["basis"] == "依据部门职责")
        #expect(result.records[3]["unit"] == "台")
        #expect(result.records[1...].allSatisfy { $0.parentLine == 1 })
        #expect(entry.parentLine == nil)
    }

    @Test("the SPEC §5 disclosure-input examples parse")
    func specDisclosureExample() {
        let result = BLPParser.parse(BLPFixtures.specDisclosureInputs, schema: .disclosureInputs)
        #expect(result.errors == [])
        #expect(result.records == [
            BLPRecord("baseline", ["metric": "total", "amount": "8732900.00"], line: 1),
            BLPRecord("narrative", ["section": "change_reason", "text": "主要原因是机构改革档案馆调入，基本支出增加"], line: 2),
        ])
    }

    @Test("groups attach children to the entry above them")
    func groups() {
        let result = BLPFixtures.parseEntries(BLPFixtures.entriesDocument)
        #expect(result.isValid)
        let groups = result.groups
        #expect(groups.map(\.record.line) == [2, 9])
        #expect(groups[0].children.map(\.type) == ["item", "item", "indicator", "indicator", "procurement"])
        #expect(groups[1].children.map(\.line) == [10])
        #expect(groups[0].record["goals"] == "完成调研\n提交报告")
        #expect(result.records.first { $0.line == 6 }?["basis"] == "历史\t标准")
        #expect(groups[1].record["other"] == "")
        #expect(result.lineCount == 10)
    }

    @Test("CRLF and LF line ends give the same records; a final line needs no terminator")
    func crlf() {
        let lf = BLPFixtures.entriesDocument
        let crlf = lf.replacing("\n", with: "\r\n")
        let noFinalNewline = String(lf.dropLast())
        let reference = BLPFixtures.parseEntries(lf)
        #expect(BLPFixtures.parseEntries(crlf) == reference)
        #expect(BLPFixtures.parseEntries(noFinalNewline) == reference)
        #expect(BLPFixtures.parseEntries("item econ=1\r").errors.map(\.code) == [.orphanChild])
    }

    @Test("a CR that does not end a line is an error")
    func strayCarriageReturn() {
        let result = BLPFixtures.parseEntries("entry code=a\rname=b\n")
        #expect(result.records == [])
        #expect(result.errors == [
            BLPError(line: 1, field: "code", code: .controlCharacter, reason: "control character U+000D in the value of code"),
        ])
    }

    @Test("blank, white-space-only and comment lines are skipped but counted")
    func blanksAndComments() {
        let text = "\n   \n\t\n# comment with = and \"\n  # indented comment\nentry code=a\n\n"
        let result = BLPFixtures.parseEntries(text)
        #expect(result.errors == [])
        #expect(result.records == [BLPRecord("entry", ["code": "a"], line: 6)])
        #expect(result.lineCount == 7)
        #expect(BLPFixtures.parseEntries("").records.isEmpty)
        #expect(BLPFixtures.parseEntries("").lineCount == 0)
    }

    @Test("several spaces between fields and around the line are allowed; tabs only at the margins")
    func spacing() {
        let result = BLPFixtures.parseEntries("  entry   code=a    name=\"b c\"  \t\n")
        #expect(result.errors == [])
        #expect(result.records.first?.fields == [BLPField("code", "a"), BLPField("name", "b c")])
    }

    @Test("an empty value is the empty string, bare or quoted; a record may have no fields")
    func emptyValues() {
        let result = BLPFixtures.parseEntries("entry code= name=\"\" kind=\nentry\n")
        #expect(result.errors == [])
        #expect(result.records[0].fields == [BLPField("code", ""), BLPField("name", ""), BLPField("kind", "")])
        #expect(result.records[1].fields == [])
    }

    @Test("quoted values carry the four escapes; bare values take backslash and non-ASCII literally")
    func escapes() {
        let result = BLPFixtures.parseEntries(#"entry name="a\"b\\c\nd\te=f g" purpose=C:\dir\x goals=≥95%（年）"# + "\n")
        #expect(result.errors == [])
        #expect(result.records[0]["name"] == "a\"b\\c\nd\te=f g")
        #expect(result.records[0]["purpose"] == #"C:\dir\x"#)
        #expect(result.records[0]["goals"] == "≥95%（年）")
    }

    @Test("a byte-order mark at the start is skipped")
    func byteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("entry code=a\n".utf8)
        let result = BLPParser.parse(bytes, schema: .entries)
        #expect(result.errors == [])
        #expect(result.records.map(\.type) == ["entry"])
        let later = BLPParser.parse(Array("entry code=a\n".utf8) + bytes, schema: .entries)
        #expect(later.errors.map(\.code) == [.unknownRecordType])
        #expect(later.errors.map(\.line) == [2])
    }

    @Test("feeding the document in chunks of any size gives the same result")
    func chunks() {
        let bytes = Array(BLPFixtures.entriesDocument.utf8)
        let whole = BLPParser.parse(bytes, schema: .entries)
        for size in [1, 2, 3, 7, 64, 1000] {
            var parser = BLPParser(schema: .entries)
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                parser.consume(bytes[start..<end])
                start = end
            }
            #expect(parser.finish() == whole, "chunk size \(size)")
        }
    }

    @Test("non-contiguous sequences are accepted")
    func lazySequence() {
        let text = "entry code=a\nitem econ=1 amount=2\n"
        let lazy = text.utf8.lazy.map { $0 }
        #expect(BLPParser.parse(lazy, schema: .entries) == BLPFixtures.parseEntries(text))
    }

    @Test("a child may follow a bad parent line without an orphan error, but is not attached")
    func childAfterBadParent() {
        let text = "entry code=a\nitem econ=1\nentry code=\"x\nitem econ=2\nentyr code=c\nitem econ=3\n"
        let result = BLPFixtures.parseEntries(text)
        #expect(result.errors.map(\.line) == [3, 5])
        #expect(result.records.map(\.line) == [1, 2, 4, 6])
        #expect(result.records.map(\.parentLine) == [nil, 1, 3, 5])
        #expect(result.groups == [BLPRecordGroup(record: result.records[0], children: [result.records[1]])])
    }

    @Test("response lines parse with the responses schema")
    func responses() {
        let text = "ok line=1 code=201-0502-JBN-E5EL id=42 state=draft version=2\nerror line=3 field=general reason=\"bad amount\"\n"
        let result = BLPParser.parse(text, schema: .responses)
        #expect(result.errors == [])
        #expect(result.records[0]["state"] == "draft")
        #expect(result.records[1]["reason"] == "bad amount")
    }
}
