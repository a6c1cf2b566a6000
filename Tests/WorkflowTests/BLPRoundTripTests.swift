import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP write → parse identity")
struct BLPRoundTripTests {
    static let keys = ["a", "b", "code", "name", "x_1", "z9", "amount", "long_key_name_0", "q", "v"]
    static let schema = BLPSchema([
        .init("t", keys: keys),
        .init("alpha_1", keys: keys),
        .init("c", keys: keys, parent: "t"),
        .init("d2", keys: keys, parent: "alpha_1"),
    ])
    /// Pieces values are made of: the grammar's delimiters and escapes, Chinese text, symbols,
    /// Unicode white space, combining marks and astral characters.
    static let pieces = [
        "a", "Z", "0", "9", ".", ",", "-", "_", "#", "%", "/", ":", " ", "  ", "\t", "\n", "\"", "\\", "=",
        "\\n", "\\\"", "督查", "调研", "经费", "≥", "（", "）", "，", "\u{3000}", "\u{A0}", "\u{2028}",
        "\u{FEFF}", "\u{200B}", "é", "e\u{301}", "😀", "𠀀", "\u{10FFFF}", "…", "'", "`", "{", "}",
    ]

    static func value(_ rng: inout BLPTestRNG) -> String {
        if Int.random(in: 0..<8, using: &rng) == 0 {
            return ""
        }
        var value = ""
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            value += pieces.randomElement(using: &rng)!
        }
        return value
    }

    static func document(_ rng: inout BLPTestRNG) -> [BLPRecord] {
        var records: [BLPRecord] = []
        var parent = "t"
        for index in 0..<Int.random(in: 1...8, using: &rng) {
            let type: String
            if index == 0 || Int.random(in: 0..<3, using: &rng) == 0 {
                parent = ["t", "alpha_1"].randomElement(using: &rng)!
                type = parent
            } else {
                type = parent == "t" ? "c" : "d2"
            }
            let keys = keys.shuffled(using: &rng).prefix(Int.random(in: 0...8, using: &rng))
            records.append(BLPRecord(type: type, fields: keys.map { BLPField($0, value(&rng)) }))
        }
        return records
    }

    /// Field equality by bytes: String's == would let a composed and a decomposed é pass.
    static func sameBytes(_ lhs: [BLPField], _ rhs: [BLPField]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy {
            $0.key == $1.key && Array($0.value.utf8) == Array($1.value.utf8)
        }
    }

    @Test("5 000 generated documents parse back to the same records, with LF and with CRLF")
    func identity() throws {
        var rng = BLPTestRNG(seed: 0x5EED_B1F0)
        var recordsChecked = 0
        for _ in 0..<5_000 {
            let records = Self.document(&rng)
            let text = try BLPWriter.document(records)
            for variant in [text, text.replacing("\n", with: "\r\n")] {
                let result = BLPParser.parse(variant, schema: Self.schema)
                try #require(result.errors == [], "\(variant)")
                try #require(result.records.count == records.count)
                var lastParent: Int?
                for (index, (written, parsed)) in zip(records, result.records).enumerated() {
                    #expect(parsed.type == written.type)
                    #expect(Self.sameBytes(parsed.fields, written.fields), "\(variant)")
                    #expect(parsed.line == index + 1)
                    if Self.schema.recordType(named: parsed.type)?.parent == nil {
                        lastParent = parsed.line
                        #expect(parsed.parentLine == nil)
                    } else {
                        #expect(parsed.parentLine == lastParent)
                    }
                }
                recordsChecked += records.count
            }
        }
        #expect(recordsChecked > 20_000)
    }

    @Test("every value the writer accepts survives one field at a time, including lone delimiters")
    func singleValues() throws {
        let values = ["", " ", "\"", "\\", "=", "\n", "\t", "\\\"", "\"\"", "#", "a=", "=a", " a", "a ", "\\n"] + Self.pieces
        for value in values {
            let line = try BLPWriter.line(BLPRecord("t", ["a": value]))
            let result = BLPParser.parse(line, schema: Self.schema)
            #expect(result.errors == [], "\(line)")
            #expect(result.records.first.map { Array($0.fields[0].value.utf8) } == Array(value.utf8), "\(line)")
        }
    }
}
