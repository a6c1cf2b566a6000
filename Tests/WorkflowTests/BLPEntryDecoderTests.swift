import Foundation
import Testing
@testable import Workflow

@Suite("BLP decoded while it is read")
struct BLPEntryDecoderTests {
    static let documents: [String] = [
        // good, with children, comments, blank lines, CRLF
        "# batch\r\nentry code=A-1 name=甲 kind=project func=2013102 general=10.00 plan=25,50,75,100 goals=g\r\n"
            + "item econ=30201 amount=5.00\nitem econ=30211 amount=5.00\n\n"
            + "indicator l1=产出指标 l2=数量 l3=完成 desc=d value=\"≥3篇\" basis=b\n"
            + "entry code=A-2 name=乙 kind=operation func=2013101 general=1.50\n",
        // a bad entry line whose children must not attach to the entry before it
        "entry code=B-1 name=x kind=operation func=2013101 general=1.00\nitem econ=30201 amount=1.00\n"
            + "entry code=B-2 name=\"unterminated kind=operation\nitem econ=30201 amount=1.00\nitem econ=30202 amount=x\n"
            + "entry code=B-3 name=y kind=operation func=2013101 general=2.00\n",
        // orphans, an unknown record type, a bad amount, a repeated key, a unit that disagrees
        "item econ=30201 amount=1.00\nentry code=C-1 name=x kind=project func=1 general=1.005\nwidget a=1\n"
            + "item econ=3 amount=1\nentry code=C-2 code=C-3 name=x kind=operation func=2013101\n"
            + "entry code=C-4 name=x kind=operation func=2013101 unit=999\n",
        // a byte-order mark, a line without its final newline
        "\u{FEFF}entry code=D-1 name=x kind=operation func=2013101 general=3.00\nitem econ=30201 amount=3.00",
    ]

    /// Feeds `text` in pieces of `size` bytes, taking entries after every piece.
    static func streamed(_ text: String, pieces size: Int, limits: BLPLimits = .standard) -> BLPEntryMapping.Decoded {
        let bytes = Array(text.utf8)
        var decoder = BLPEntryDecoder(unit: "201002", year: 2020, limits: limits)
        var entries: [BLPEntryMapping.DecodedEntry] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            decoder.consume(bytes[start..<end])
            entries += decoder.takeEntries()
            start = end
        }
        var rest = decoder.finish()
        rest.entries = entries + rest.entries
        return rest
    }

    @Test("every piece size gives the entries and errors of decoding the whole document", arguments: documents)
    func sameAsWhole(_ text: String) {
        let whole = BLPEntryMapping.decodeEntries(Array(text.utf8), unit: "201002", year: 2020)
        for size in [1, 2, 7, 64, 100_000] {
            let streamed = Self.streamed(text, pieces: size)
            #expect(streamed.entries == whole.entries, "piece size \(size)")
            #expect(streamed.errors == whole.errors, "piece size \(size)")
        }
    }

    @Test("the record limit counts records already taken")
    func recordLimit() {
        let text = (0..<30).map { "entry code=L-\($0) name=x kind=operation func=2013101 general=1.00\n" }.joined()
        let limits = BLPLimits(maxLineBytes: 1_000, maxRecords: 20, maxErrors: 10)
        let whole = BLPEntryMapping.decodeEntries(Array(text.utf8), unit: "201002", year: 2020, limits: limits)
        let streamed = Self.streamed(text, pieces: 50, limits: limits)
        #expect(streamed.errors.map(\.code) == [.tooManyRecords])
        #expect(streamed.errors == whole.errors)
        #expect(streamed.entries == whole.entries)
    }
}

@Suite("bulk-path shortcuts agree with the long way")
struct BulkShortcutTests {
    @Test("amounts: well-formed text parses and prints as before; malformed text names the same problem")
    func amounts() throws {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("12", 1200), ("0.5", 50), ("150000.00", 15_000_000), ("-0.50", -50), ("92233720368547758.07", .max),
            ("-92233720368547758.08", .min), ("92233720368547758.08", nil), ("1.005", nil), ("", nil), ("1e5", nil),
            ("1 000", nil), ("1.", nil), (".5", nil), ("-", nil), ("--1", nil), ("1.2.3", nil), ("１", nil), ("+1", nil),
        ]
        for (text, fen) in cases {
            let parsed = try? Money.parse(text)
            #expect(parsed?.fen == fen, "\(text)")
        }
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Money.parse("1.005") }
        #expect(throws: MoneyError.exponent) { try Money.parse("1e5") }
        #expect(throws: MoneyError.overflow) { try Money.parse("92233720368547758.08") }
        #expect(throws: MoneyError.malformed) { try Money.parse("1.") }
        for fen: Int64 in [0, 1, 10, 99, 100, 101, 15_000_000, -1, -50, -100, .max, .min] {
            #expect(Money(fen: fen).description == Self.reference(fen, scale: 2, minimumDecimals: 2))
        }
        for tenThousandths: Int64 in [0, 1, 10_000, 12_345, 120_000, -5, .max] {
            #expect(Quantity(tenThousandths: tenThousandths).description == Self.reference(tenThousandths, scale: 4, minimumDecimals: 0))
        }
    }

    /// The formatting the hand-written one replaced.
    static func reference(_ value: Int64, scale: Int, minimumDecimals: Int) -> String {
        var unit: UInt64 = 1
        for _ in 0..<scale { unit *= 10 }
        let magnitude = value.magnitude
        var fraction = String(magnitude % unit)
        fraction = String(repeating: "0", count: max(0, scale - fraction.count)) + fraction
        while fraction.count > minimumDecimals, fraction.last == "0" { fraction.removeLast() }
        let sign = value < 0 ? "-" : ""
        return fraction.isEmpty ? sign + String(magnitude / unit) : sign + String(magnitude / unit) + "." + fraction
    }

    @Test("blank and trimmed text as Foundation's whitespacesAndNewlines says")
    func blanks() {
        let texts = ["", " ", "\t\n\r", "\u{3000}", "\u{00A0}", "\u{2028}", "\u{85}", " 产出指标 ", "产出指标", "\u{3000}产出指标",
                     "x", "\u{200B}", "\u{FEFF}", "a b", "\u{1680}\u{205F}"]
        for text in texts {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Validator.isBlank(text) == trimmed.isEmpty, "\(text.unicodeScalars.map(\.value))")
            #expect(Validator.trimmed(text) == trimmed, "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("canonical bytes from pairs already sorted are the record's canonical bytes")
    func canonicalPairs() {
        let changes = ["name": "督查", "amount": "1.00", "code": "A-1", "state_capital": "2.00", "special": "1.00", "func": "201"]
        let record = AuditRecord(chain: "entry:2020:A-1", seq: 1, at: 1_600_000_000_000_000, actor: "o", role: "officer",
                                 channel: "api", action: "create", entryID: UUID(), revision: 1, toState: "draft", changes: changes)
        let previous = [UInt8](repeating: 7, count: 32)
        let sorted = changes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var bare = record
        bare.changes = [:]
        #expect(bare.canonicalBytes(previousHash: previous, sortedChanges: sorted) == record.canonicalBytes(previousHash: previous))
    }
}
