import Foundation
import Workflow

/// The JSON documents about entries that the API and budgetctl print, each defined once.
///
/// An entry itself is `BudgetEntry`'s `Codable` (the API's flat object: snake_case, money as yuan
/// strings, ids in lower case). The list fast path has PostgreSQL render that same object
/// (`EntryRows.jsonObject`); `ListJSONTests` holds the two equal field for field.
public enum EntryDocument {
    /// What one change stored: an element of a batch answer (create, import, submit-all, publish).
    public struct Saved: Encodable, Sendable, Hashable {
        /// The input line (BLP or batch position) it came from; absent when there was none.
        public var line: Int?
        public var id: UUID
        public var code: String
        public var state: EntryState
        public var version: Int
        public var revision: Int
        /// A new code (true) or a draft replaced (false).
        public var created: Bool

        public init(line: Int?, id: UUID, code: String, state: EntryState, version: Int, revision: Int, created: Bool) {
            self.line = line
            self.id = id
            self.code = code
            self.state = state
            self.version = version
            self.revision = revision
            self.created = created
        }

        /// An entry as a batch answer lists it.
        public init(_ entry: BudgetEntry, line: Int? = nil, created: Bool = false) {
            self.init(line: line, id: entry.id, code: entry.content.code, state: entry.state,
                      version: entry.version, revision: entry.revision, created: created)
        }

        public init(_ saved: EntryService.Saved) {
            self.init(saved.entry, line: saved.line, created: saved.created)
        }

        enum CodingKeys: String, CodingKey { case line, id, code, state, version, revision, created }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(line, forKey: .line)
            try container.encode(id.uuidString.lowercased(), forKey: .id)  // as PostgreSQL prints it
            try container.encode(code, forKey: .code)
            try container.encode(state, forKey: .state)
            try container.encode(version, forKey: .version)
            try container.encode(revision, forKey: .revision)
            try container.encode(created, forKey: .created)
        }
    }

    /// The answer to one action: the entry after it, and the new draft revision `revise` made.
    public struct Changed: Encodable, Sendable, Hashable {
        public var entry: BudgetEntry
        public var newRevision: BudgetEntry?

        public init(entry: BudgetEntry, newRevision: BudgetEntry?) {
            self.entry = entry
            self.newRevision = newRevision
        }

        public init(_ result: EntryService.ActionResult) {
            self.init(entry: result.entry, newRevision: result.newRevision)
        }

        enum CodingKeys: String, CodingKey {
            case entry
            case newRevision = "new_revision"
        }
    }

    /// One audit event of an entry's history: the record's fields as hashed (`at` in microseconds),
    /// its id and hash, and `time` for people.
    public struct Event: Encodable, Sendable, Hashable {
        public var id: Int64
        public var hash: String
        public var record: AuditRecord

        public init(id: Int64, hash: String, record: AuditRecord) {
            self.id = id
            self.hash = hash
            self.record = record
        }

        public init(_ stored: AuditLog.StoredEvent) {
            self.init(id: stored.id, hash: stored.hash, record: stored.record)
        }

        enum CodingKeys: String, CodingKey { case id, hash, time }

        public func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(hash, forKey: .hash)
            try container.encode(Timestamp(microsecondsSinceEpoch: record.at), forKey: .time)
        }
    }

    /// One entry as a read answers it (`GET /v1/entries/{id}`, `budgetctl show`): the entry's
    /// object, plus `figures` by round (一上 / 二上 / 批复, change) in a year run in rounds.
    public struct Read: Encodable, Sendable, Hashable {
        public var entry: BudgetEntry
        public var figures: RoundFigures?

        public init(entry: BudgetEntry, figures: RoundFigures?) {
            self.entry = entry
            self.figures = figures
        }

        enum CodingKeys: String, CodingKey { case figures }

        public func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(figures, forKey: .figures)
        }
    }

    /// `{"items": [...]}`, the API's envelope of a batch answer.
    public struct Items<Item: Encodable>: Encodable {
        public var items: [Item]
        public init(items: [Item]) { self.items = items }
    }
}

extension EntryDocument.Items: Sendable where Item: Sendable {}
