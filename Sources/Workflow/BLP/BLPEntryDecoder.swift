/// Decodes an entries document while it is still being read: ``consume(_:)`` a piece of the
/// body, then ``takeEntries()`` the entries that are complete (every child that can belong to them
/// has been read). ``finish()`` returns the rest and every error of the document, exactly as
/// ``BLPEntryMapping/decodeEntries(_:unit:year:)`` would report them for the whole document.
public struct BLPEntryDecoder: Sendable {
    private var parser: BLPParser
    private let unit: String?
    private let year: Int?
    /// Errors of decoding records into drafts, in document order (the parser keeps its own).
    private var mappingErrors: [BLPError] = []

    /// A decoder of one document; `unit`/`year` come from the request path, as for `decodeEntries`.
    public init(unit: String?, year: Int?, limits: BLPLimits = .standard) {
        parser = BLPParser(schema: .entries, limits: limits)
        self.unit = unit
        self.year = year
    }

    /// Whether any line read so far was bad: the batch will then store nothing.
    public var hasErrors: Bool { !parser.errors.isEmpty || !mappingErrors.isEmpty }

    /// Reads the next piece of the document; pieces may split lines anywhere.
    public mutating func consume(_ bytes: some Sequence<UInt8>) {
        parser.consume(bytes)
    }

    /// The entries completed since the last call, in document order. An entry with a bad line
    /// (its own or a child's) is left out and its errors are kept for ``finish()``.
    public mutating func takeEntries() -> [BLPEntryMapping.DecodedEntry] {
        decode(parser.takeCompleteRecords())
    }

    /// Ends the document: the entries not taken yet, and every error of the document sorted by
    /// line and field.
    public mutating func finish() -> BLPEntryMapping.Decoded {
        let parsed = parser.finish()
        let entries = decode(parsed.records)
        var errors = parsed.errors + mappingErrors
        errors.sort { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
        return BLPEntryMapping.Decoded(entries: entries, errors: errors)
    }

    private mutating func decode(_ records: [BLPRecord]) -> [BLPEntryMapping.DecodedEntry] {
        var entries: [BLPEntryMapping.DecodedEntry] = []
        for group in BLPParseResult.groups(of: records) where group.record.type == "entry" {
            var lineErrors: [BLPError] = []
            let draft = BLPEntryMapping.decodeEntry(group, unit: unit, year: year, errors: &lineErrors)
            if let draft, lineErrors.isEmpty {
                entries.append(BLPEntryMapping.DecodedEntry(draft: draft, line: group.record.line))
            }
            mappingErrors += lineErrors
        }
        return entries
    }
}
