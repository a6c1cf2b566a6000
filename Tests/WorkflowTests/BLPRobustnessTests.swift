import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP parser robustness")
struct BLPRobustnessTests {
    /// Bytes that matter to the grammar and to UTF-8 validation, so random input reaches deep.
    static let interestingBytes: [UInt8] = Array("entry item code=\"\\\n\r\t #ntq".utf8) + [
        0x00, 0x01, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0x85, 0x9F, 0xA0, 0xE0, 0xE8, 0xB4, 0xB9,
        0xED, 0xEF, 0xBB, 0xF0, 0xF4, 0x8F, 0x90, 0xF5, 0xFF,
    ]
    static let tokens: [String] = [
        "entry", "item", "indicator", "procurement", "entyr", " ", "  ", "\t", "\n", "\r\n", "\r", "#",
        "code=", "name=", "econ=", "amount=", "amout=", "=", "\"", "\\", "\\n", "\\q", "\"\"", "a", "201-0502",
        "50000.00", "督查", "≥95", "\u{85}", "\u{0}", "\u{FEFF}", "😀",
    ]

    /// Checks everything a parse result must satisfy whatever the input, against an independent
    /// reading of the lines: every content line yields a record or errors (never both, never
    /// neither), blank and comment lines yield nothing, UTF-8 validity agrees with the standard
    /// library, and every record the parser produced can be written and parses back the same.
    /// Returns the broken invariants (plain checks, not #expect: this runs 200 000 times).
    static func brokenInvariants(_ bytes: [UInt8], _ result: BLPParseResult, schema: BLPSchema) -> [String] {
        var broken: [String] = []
        func check(_ condition: Bool, _ what: @autoclosure () -> String) {
            if !condition { broken.append(what()) }
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A || bytes.isEmpty {
            lines.removeLast()
        }
        check(result.lineCount == lines.count, "lineCount \(result.lineCount), expected \(lines.count)")
        let recordLines = result.records.map(\.line)
        let errorLines = result.errors.map(\.line)
        check(recordLines == recordLines.sorted() && Set(recordLines).count == recordLines.count, "record lines \(recordLines)")
        check(errorLines == errorLines.sorted(), "error lines \(errorLines)")
        check(Set(recordLines).isDisjoint(with: errorLines), "a line has both a record and an error")
        let expectedLines = 1...max(1, lines.count)
        check(recordLines.allSatisfy(expectedLines.contains), "record line out of range")
        check(result.errors.allSatisfy { expectedLines.contains($0.line) && !$0.reason.isEmpty }, "error line out of range")
        check(result.records.allSatisfy { record in record.parentLine.map { $0 < record.line } ?? true }, "parent below child")

        let produced = Set(recordLines).union(errorLines)
        for (index, raw) in lines.enumerated() {
            var line = raw
            if line.last == 0x0D { line = line.dropLast() }
            if index == 0 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if String(validating: line, as: UTF8.self) == nil {
                check(result.errors.contains { $0.line == index + 1 && $0.code == .invalidUTF8 }, "line \(index + 1) is not UTF-8")
                continue
            }
            let content = line.drop { $0 == 0x20 || $0 == 0x09 }
            let skipped = content.allSatisfy { $0 == 0x20 || $0 == 0x09 } || content.first == 0x23
            check(produced.contains(index + 1) == !skipped, "line \(index + 1): skipped \(skipped)")
        }

        do {
            let written = try BLPWriter.document(result.records)
            let again = BLPParser.parse(written, schema: .init(flattening: schema))
            check(again.errors.isEmpty && again.records.map(\.fields) == result.records.map(\.fields), "rewritten \(written)")
        } catch {
            broken.append("the writer refused a parsed record: \(error)")
        }
        return broken
    }

    /// Parses `bytes` whole and, when `chunked`, in random chunks, which must agree.
    static func check(_ bytes: [UInt8], chunked: Bool, rng: inout BLPTestRNG) {
        let result = BLPParser.parse(bytes, schema: .entries)
        let broken = brokenInvariants(bytes, result, schema: .entries)
        if !broken.isEmpty {
            Issue.record("input \(bytes): \(broken)")
        }
        guard chunked else { return }
        var parser = BLPParser(schema: .entries)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...16, using: &rng))
            parser.consume(bytes[start..<end])
            start = end
        }
        if parser.finish() != result {
            Issue.record("input \(bytes): chunked parse differs")
        }
    }

    @Test("60 000 random byte strings")
    func randomBytes() {
        var rng = BLPTestRNG(seed: 1)
        for round in 0..<60_000 {
            let count = Int.random(in: 0...48, using: &rng)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<8, using: &rng) == 0
                    ? UInt8.random(in: 0...255, using: &rng)
                    : Self.interestingBytes.randomElement(using: &rng)!
            }
            Self.check(bytes, chunked: round % 4 == 0, rng: &rng)
        }
    }

    @Test("60 000 random token soups")
    func tokenSoup() {
        var rng = BLPTestRNG(seed: 2)
        for round in 0..<60_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...24, using: &rng) {
                text += Self.tokens.randomElement(using: &rng)!
            }
            Self.check(Array(text.utf8), chunked: round % 4 == 0, rng: &rng)
        }
    }

    @Test("80 000 mutations of a valid document")
    func mutations() {
        var rng = BLPTestRNG(seed: 3)
        let seed = Array(BLPFixtures.entriesDocument.utf8)
        for round in 0..<80_000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutate(&bytes, &rng)
            }
            Self.check(bytes, chunked: round % 8 == 0, rng: &rng)
        }
    }

    private func mutate(_ bytes: inout [UInt8], _ rng: inout BLPTestRNG) {
        guard !bytes.isEmpty else {
            bytes.append(Self.interestingBytes.randomElement(using: &rng)!)
            return
        }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:
            bytes[at] = Self.interestingBytes.randomElement(using: &rng)!
        case 1:
            bytes.insert(Self.interestingBytes.randomElement(using: &rng)!, at: at)
        case 2:
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
        case 3:
            let end = min(bytes.count, at + Int.random(in: 1...40, using: &rng))
            bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
        case 4:
            bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 5:
            bytes.removeSubrange(at...)
        default:
            bytes.insert(contentsOf: Array(Self.tokens.randomElement(using: &rng)!.utf8), at: at)
        }
    }

    @Test("a 100 000-character line is rejected as too long, quickly, whole or streamed")
    func longLine() {
        let long = "entry name=" + String(repeating: "费", count: 100_000)
        let text = "entry code=a\n\(long)\nitem econ=1\n"
        let clock = ContinuousClock()
        var result = BLPParseResult(records: [], errors: [], lineCount: 0)
        let elapsed = clock.measure {
            result = BLPFixtures.parseEntries(text)
        }
        #expect(result.errors == [BLPError(line: 2, code: .lineTooLong, reason: "line exceeds 65536 bytes")])
        #expect(result.records.map(\.line) == [1, 3])
        #expect(result.records.last?.parentLine == 2, "the long line is still the item's parent")
        #expect(result.groups.map(\.record.line) == [1])
        #expect(elapsed < .seconds(1))

        // 16 MB of one line fed in 64 KiB chunks: linear time, and only the limit is buffered.
        var parser = BLPParser(schema: .entries)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 65_536)
        let streamed = clock.measure {
            parser.consume("entry name=".utf8)
            for _ in 0..<256 {
                parser.consume(chunk)
            }
            parser.consume("\nentry code=b".utf8)
        }
        let streamedResult = parser.finish()
        #expect(streamedResult.errors.map(\.code) == [.lineTooLong])
        #expect(streamedResult.records.map(\.line) == [2])
        #expect(streamed < .seconds(5))
    }

    @Test("a line of exactly the limit is accepted, in CRLF too, and one byte more is not")
    func limitBoundary() {
        let limits = BLPLimits(maxLineBytes: 100)
        let exact = "entry name=" + String(repeating: "x", count: 89)
        for terminator in ["\n", "\r\n"] {
            for extra in ["", "y"] {
                let bytes = Array((exact + extra + terminator + "entry code=z").utf8)
                var parser = BLPParser(schema: .entries, limits: limits)
                for byte in bytes {
                    parser.consume(CollectionOfOne(byte))
                }
                let streamed = parser.finish()
                let whole = BLPParser.parse(bytes, schema: .entries, limits: limits)
                #expect(streamed == whole)
                #expect(whole.errors.map(\.code) == (extra.isEmpty ? [] : [.lineTooLong]))
                #expect(whole.records.count == (extra.isEmpty ? 2 : 1))
            }
        }
    }
}

extension BLPSchema {
    /// The same types and keys with no parent links, so records can be re-parsed out of context.
    init(flattening schema: BLPSchema) {
        self.init(schema.recordTypes.map { .init($0.name, keys: $0.keys) })
    }
}

@Suite("BLP parser regressions found by fuzzing")
struct BLPFuzzRegressionTests {
    @Test("an over-long line is judged by the bytes a chunked parse keeps, whole or chunked")
    func overlongLineContext() {
        let limits = BLPLimits(maxLineBytes: 64)
        let bytes = Array((String(repeating: "\t", count: 70) + "entry code=a\r\nitem econ=1\n").utf8)
        let whole = BLPParser.parse(bytes, schema: .entries, limits: limits)
        var parser = BLPParser(schema: .entries, limits: limits)
        for byte in bytes {
            parser.consume(CollectionOfOne(byte))
        }
        #expect(parser.finish() == whole)
        #expect(whole.errors.map(\.code) == [.lineTooLong])
        #expect(whole.records.map(\.parentLine) == [1])
    }
}
