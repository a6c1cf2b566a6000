/// Everything a parse found: the good records and every error, both in line order.
///
/// A line with any error yields no record, so `records` of an invalid document is partial: a caller
/// may still run its own checks on it to report more bad lines at once, but must store nothing
/// unless `errors` is empty.
public struct BLPParseResult: Sendable, Equatable {
    /// The records of the lines that had no error.
    public var records: [BLPRecord]
    /// Every error, in line order (several may share a line).
    public var errors: [BLPError]
    /// How many lines the document had (a final `\n` does not start another line).
    public var lineCount: Int

    /// Creates a result.
    public init(records: [BLPRecord], errors: [BLPError], lineCount: Int) {
        self.records = records
        self.errors = errors
        self.lineCount = lineCount
    }

    /// Whether the document had no error at all.
    public var isValid: Bool { errors.isEmpty }

    /// The records as top-level records each with its children (an `entry` with its `item`,
    /// `indicator` and `procurement` records). Children whose parent line was bad are left out,
    /// so they are never attached to the wrong parent.
    public var groups: [BLPRecordGroup] {
        Self.groups(of: records)
    }

    /// `records` (in document order) as top-level records with their children, as ``groups``.
    static func groups(of records: [BLPRecord]) -> [BLPRecordGroup] {
        var groups: [BLPRecordGroup] = []
        for record in records {
            guard let parentLine = record.parentLine else {
                groups.append(BLPRecordGroup(record: record, children: []))
                continue
            }
            if let last = groups.indices.last, groups[last].record.line == parentLine {
                groups[last].children.append(record)
            }
        }
        return groups
    }
}

/// A top-level record and the child records that belong to it.
public struct BLPRecordGroup: Sendable, Equatable {
    /// The top-level record, e.g. an `entry`.
    public var record: BLPRecord
    /// Its children in document order.
    public var children: [BLPRecord]

    /// Creates a group.
    public init(record: BLPRecord, children: [BLPRecord]) {
        self.record = record
        self.children = children
    }
}
