import Foundation
import HTTPTypes
import Logging
import Persistence
import Workflow

/// The JSON shapes of the API (snake_case; money as decimal strings in yuan).
enum EntryJSON {
    /// `POST …/entries` accepts `{"entries": [...]}` or a bare array.
    struct Batch: Decodable {
        var entries: [Attempt<EntryDraft>]

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Attempt<EntryDraft>] = []
                while !array.isAtEnd { items.append(try array.decode(Attempt<EntryDraft>.self)) }
                entries = items
            } else {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                entries = try container.decode([Attempt<EntryDraft>].self, forKey: .entries)
            }
        }

        enum CodingKeys: String, CodingKey { case entries }
    }

    /// Decodes one element, keeping its error, so every bad element of a batch is reported.
    struct Attempt<T: Decodable>: Decodable {
        var result: Result<T, any Error>
        init(from decoder: any Decoder) throws {
            result = Result {
                try StrictKeys.check(decoder)
                return try T(from: decoder)
            }
        }
    }

    /// Unknown keys are errors, as in BLP: a misspelt `genral` must not vanish silently.
    /// The read-only fields of an entry (as GET returns it) are accepted and ignored.
    enum StrictKeys {
        static let allowed: Set<String> = [
            "code", "name", "kind", "function_code", "general", "fund", "state_capital", "special", "other", "amount",
            "purpose", "plan", "goals", "items", "indicators", "procurement",
            "id", "year", "unit", "department", "state", "version", "revision", "supersedes",
        ]

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        static func check(_ decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
            let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
            guard unknown.isEmpty else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "unknown field(s) \(unknown.joined(separator: ", "))"))
            }
        }
    }

    /// One entry (PUT), strict about its keys like a batch element.
    struct StrictDraft: Decodable {
        var draft: EntryDraft
        init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder)
            draft = try EntryDraft(from: decoder)
        }
    }

    struct SavedItem: Encodable {
        var line: Int?
        var id: LowercaseUUID
        var code: String
        var state: EntryState
        var version: Int
        var revision: Int
        var created: Bool
    }

    /// UUIDs in JSON as PostgreSQL prints them (Foundation's default is upper case).
    struct LowercaseUUID: Encodable {
        var uuid: UUID
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(uuid.uuidString.lowercased())
        }
    }

    /// `{"items": [...], "next_cursor": ...}` around the entry objects PostgreSQL rendered;
    /// `next_cursor` is an explicit null on the last page. Cursors are base64url: nothing to escape.
    static func pageBody(_ page: EntryService.JSONPage) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(page.items.reduce(64) { $0 + $1.utf8.count + 1 })
        body += #"{"items":["#.utf8
        for (i, item) in page.items.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += item.utf8
        }
        body += #"],"next_cursor":"#.utf8
        if let next = page.nextCursor { body += "\"\(next)\"".utf8 } else { body += "null".utf8 }
        body.append(UInt8(ascii: "}"))
        return body
    }

    struct ActionBody: Decodable {
        var reason: String?
    }

    struct ActionResult: Encodable {
        var entry: BudgetEntry
        var newRevision: BudgetEntry?
        enum CodingKeys: String, CodingKey {
            case entry
            case newRevision = "new_revision"
        }
    }

    struct Event: Encodable {
        var id: Int64
        var hash: String
        var record: AuditRecord
        enum CodingKeys: String, CodingKey { case id, hash, time }
        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)  // `at`: microseconds since the epoch, as hashed
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(hash, forKey: .hash)
            try container.encode(Timestamp(microsecondsSinceEpoch: record.at), forKey: .time)
        }
    }

    struct Items<T: Encodable>: Encodable {
        var items: [T]
    }

    struct Publication: Encodable {
        var department: String
        var year: Int
        var published: [SavedItem]
    }
}
