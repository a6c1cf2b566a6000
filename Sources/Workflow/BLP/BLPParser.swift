/// The strict BLP/1 parser. It reports every bad line rather than stopping at the first, and it
/// can be fed a body chunk by chunk, holding at most one line (`BLPLimits.maxLineBytes`) in memory.
///
/// Grammar as implemented (SPEC §5, plus the choices where it is silent):
/// - Lines end at `\n`; one `\r` right before it (or at the end of the input) is dropped. A `\r`
///   elsewhere is a control character, hence an error. The last line needs no `\n`.
/// - The input must be UTF-8, comment lines included; one byte-order mark at the very start is skipped.
/// - Leading and trailing spaces and tabs of a line are ignored; a line that is then empty is blank,
///   one that then starts with `#` is a comment. Both are skipped.
/// - Between the type and the fields and between fields: one or more spaces; a tab is `badSeparator`.
/// - A bare value may be empty (`code=` is the empty string, so validation can say "code is
///   required"); it may contain `\` literally (only quoted values have escapes) and any non-control
///   character except space, tab, `"` and `=`.
/// - A quoted value may contain anything but a raw control character (a tab must be written `\t`);
///   the escapes are exactly `\"`, `\\`, `\n`, `\t`.
/// - Control characters are Unicode category Cc: U+0000–U+001F, U+007F and U+0080–U+009F.
/// - A line with any error yields no record. Lexing of a line stops at its first syntax error;
///   unknown and repeated keys before that are all reported.
/// - A child record (e.g. `item`) belongs to the nearest top-level record above it, which must be of
///   its parent type (`entry`); otherwise it is `orphanChild`. After a line whose type cannot be
///   recognized, children are not reported as orphans (the bad line is most likely their parent)
///   but are not attached to anything either.
public struct BLPParser: Sendable, Equatable {
    /// The record types and keys accepted.
    public let schema: BLPSchema
    /// The bounds of this parse.
    public let limits: BLPLimits

    /// Which top-level record children currently belong to.
    enum Context: Sendable, Equatable {
        case none
        case parent(type: String, line: Int)
        case unrecognized(line: Int)
    }

    var records: [BLPRecord] = []
    var errors: [BLPError] = []
    /// Records accepted so far, including those already taken by `takeCompleteRecords()`.
    private var acceptedRecords = 0
    var context: Context = .none
    /// True once a limit stopped the parse; later input is ignored.
    var stopped = false
    /// The number of the line being read.
    private var lineNumber = 1
    private var linesSeen = 0
    /// The start of the current line when it spans chunks, at most `maxLineBytes + 1` bytes.
    private var pending: [UInt8] = []
    /// The full length of the current line so far, including bytes not kept in `pending`.
    private var pendingLength = 0
    private var pendingLastByte: UInt8 = 0

    /// Creates a parser for one document.
    public init(schema: BLPSchema, limits: BLPLimits = .standard) {
        self.schema = schema
        self.limits = limits
    }

    /// Parses a whole document.
    public static func parse(
        _ bytes: some Sequence<UInt8>,
        schema: BLPSchema,
        limits: BLPLimits = .standard
    ) -> BLPParseResult {
        var parser = BLPParser(schema: schema, limits: limits)
        parser.consume(bytes)
        return parser.finish()
    }

    /// Parses a whole document given as text.
    public static func parse(
        _ text: String,
        schema: BLPSchema,
        limits: BLPLimits = .standard
    ) -> BLPParseResult {
        parse(text.utf8, schema: schema, limits: limits)
    }

    /// Feeds the next chunk of the document; chunks may split lines and UTF-8 sequences anywhere.
    public mutating func consume(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { consume(buffer: $0) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { consume(buffer: $0) }
        }
    }

    /// Ends the document and returns what was found.
    public mutating func finish() -> BLPParseResult {
        if pendingLength > 0 && !stopped {
            processPending()
        }
        return BLPParseResult(records: records, errors: errors, lineCount: linesSeen)
    }

    private mutating func consume(buffer: UnsafeBufferPointer<UInt8>) {
        var start = 0
        let count = buffer.count
        while start < count && !stopped {
            var end = start
            while end < count && buffer[end] != BLPText.lineFeed {
                end += 1
            }
            let piece = UnsafeBufferPointer(rebasing: buffer[start..<end])
            if end == count {
                keepPending(piece)
                return
            }
            if pendingLength == 0 {
                // The common case: the whole line is in this chunk, so no copy is needed.
                processLine(piece, length: piece.count, lastByte: piece.last ?? 0)
            } else {
                keepPending(piece)
                processPending()
            }
            start = end + 1
        }
    }

    private mutating func keepPending(_ piece: UnsafeBufferPointer<UInt8>) {
        guard !piece.isEmpty else { return }
        let room = max(0, limits.maxLineBytes + 1 - pending.count)
        pending.append(contentsOf: piece.prefix(room))
        pendingLength += piece.count
        pendingLastByte = piece[piece.count - 1]
    }

    private mutating func processPending() {
        let length = pendingLength
        let lastByte = pendingLastByte
        // Swapped out so processLine may mutate self while reading it; the capacity is reused.
        var line: [UInt8] = []
        swap(&line, &pending)
        pendingLength = 0
        line.withUnsafeBufferPointer { processLine($0, length: length, lastByte: lastByte) }
        line.removeAll(keepingCapacity: true)
        pending = line
    }

    /// Handles one line. `bytes` is the line or, when it is too long, at least its first
    /// `maxLineBytes + 1` bytes; `length` is its full length without the `\n`.
    private mutating func processLine(_ bytes: UnsafeBufferPointer<UInt8>, length: Int, lastByte: UInt8) {
        let line = lineNumber
        linesSeen = line
        lineNumber += 1
        var content = bytes
        var contentLength = length
        if lastByte == BLPText.carriageReturn {
            contentLength -= 1
            if content.count == length {
                content = UnsafeBufferPointer(rebasing: content.dropLast())
            }
        }
        if line == 1 && content.starts(with: [0xEF, 0xBB, 0xBF]) {
            content = UnsafeBufferPointer(rebasing: content.dropFirst(3))
        }
        guard contentLength <= limits.maxLineBytes else {
            // Only the bytes a chunked parse keeps, so chunking cannot change the outcome.
            var kept = UnsafeBufferPointer(rebasing: bytes.prefix(limits.maxLineBytes + 1))
            if line == 1 && kept.starts(with: [0xEF, 0xBB, 0xBF]) {
                kept = UnsafeBufferPointer(rebasing: kept.dropFirst(3))
            }
            noteUnreadableLine(kept, line: line)
            addError(BLPError(
                line: line,
                code: .lineTooLong,
                reason: "line exceeds \(limits.maxLineBytes) bytes"
            ))
            return
        }
        if let offset = BLPUTF8.firstInvalidOffset(content) {
            noteUnreadableLine(content, line: line)
            addError(BLPError(
                line: line,
                code: .invalidUTF8,
                reason: "invalid UTF-8 at byte \(offset + 1)"
            ))
            return
        }
        let trimmed = Self.trimmingBlanks(content)
        if trimmed.isEmpty || trimmed[0] == BLPText.hash {
            return
        }
        parseRecord(trimmed, line: line)
    }

    private static func trimmingBlanks(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == BLPText.space || bytes[start] == BLPText.tab) {
            start += 1
        }
        while end > start && (bytes[end - 1] == BLPText.space || bytes[end - 1] == BLPText.tab) {
            end -= 1
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Keeps the parent context right for a line that cannot be parsed: its leading word (read
    /// from the first bytes only) still says whether following children have a parent.
    private mutating func noteUnreadableLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        let trimmed = Self.trimmingBlanks(UnsafeBufferPointer(rebasing: bytes.prefix(256)))
        if !trimmed.isEmpty && trimmed[0] == BLPText.hash {
            return
        }
        var end = 0
        while end < trimmed.count && BLPText.isNameContinue(trimmed[end]) {
            end += 1
        }
        let word = String(decoding: UnsafeBufferPointer(rebasing: trimmed[..<end]), as: UTF8.self)
        let isWord = end == trimmed.count || trimmed[end] == BLPText.space || trimmed[end] == BLPText.tab
        if isWord, let type = schema.recordType(named: word) {
            if type.parent == nil {
                context = .parent(type: word, line: line)
            }
        } else {
            context = .unrecognized(line: line)
        }
    }

    /// Records an error unless `maxErrors` have been reported, in which case parsing stops.
    mutating func addError(_ error: BLPError) {
        guard !stopped else { return }
        guard errors.count < limits.maxErrors else {
            errors.append(BLPError(
                line: error.line,
                code: .tooManyErrors,
                reason: "more than \(limits.maxErrors) errors; stopped reading here"
            ))
            stopped = true
            return
        }
        errors.append(error)
    }

    /// Records a good record unless `maxRecords` have been accepted, in which case parsing stops.
    mutating func addRecord(_ record: BLPRecord) {
        guard !stopped else { return }
        guard acceptedRecords < limits.maxRecords else {
            addError(BLPError(
                line: record.line,
                code: .tooManyRecords,
                reason: "more than \(limits.maxRecords) records; stopped reading here"
            ))
            stopped = true
            return
        }
        records.append(record)
        acceptedRecords += 1
    }

    /// Removes and returns the records read so far that come before the last top-level record.
    /// A child only ever belongs to the nearest top-level record above it, so the groups of these
    /// records are complete: a caller may decode them while the rest of the document is read.
    mutating func takeCompleteRecords() -> [BLPRecord] {
        guard let last = records.lastIndex(where: { $0.parentLine == nil }), last > 0 else { return [] }
        let complete = Array(records[..<last])
        records.removeSubrange(..<last)
        return complete
    }
}
