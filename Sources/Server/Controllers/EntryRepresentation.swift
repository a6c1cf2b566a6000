import Foundation
import HTTPTypes
import Logging
import Persistence
import Workflow

/// The JSON shapes of the API (snake_case; money as decimal strings in yuan).
enum EntryJSON {
    /// `POST …/entries` accepts `{"entries": [...]}` or a bare array.
    struct Batch: Decodable {
        var entries: [Attempt]

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Attempt] = []
                while !array.isAtEnd { items.append(try array.decode(Attempt.self)) }
                entries = items
            } else {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                entries = try container.decode([Attempt].self, forKey: .entries)
            }
        }

        enum CodingKeys: String, CodingKey { case entries }
    }

    /// One entry as sent: its draft, and the `unit`/`year` it names (read-only fields of an
    /// entry as GET returns it), which must agree with the path or the stored entry.
    struct SentDraft: Sendable {
        var draft: EntryDraft
        var unit: String?
        var year: Int?
    }

    /// Decodes one element, keeping its error, so every bad element of a batch is reported.
    struct Attempt: Decodable {
        var result: Result<SentDraft, any Error>
        init(from decoder: any Decoder) throws {
            result = Result { try StrictDraft(from: decoder).sent }
        }
    }

    /// Unknown keys inside an entry, as `items[0].amout` relative to the entry.
    struct UnknownKeys: Error {
        var fields: [String]
        var message: String { "unknown field(s) \(fields.joined(separator: ", ")); check the spelling" }
    }

    /// Unknown keys are errors, as in BLP: a misspelt `genral` (or `amout` inside an item) must
    /// not vanish silently. The read-only fields of an entry (as GET returns it) are accepted.
    enum StrictKeys {
        static let allowed: Set<String> = [
            "code", "name", "kind", "function_code", "general", "fund", "state_capital", "special", "other", "amount",
            "purpose", "plan", "goals", "items", "indicators", "procurement",
            "id", "year", "unit", "department", "state", "version", "revision", "supersedes", "round", "figures",
        ]
        /// The keys of the elements of each list field.
        static let allowedInLists: [String: Set<String>] = [
            "items": ["econ", "amount"],
            "indicators": ["l1", "l2", "l3", "desc", "value", "basis"],
            "procurement": ["item", "catalog", "unit", "quantity", "price", "amount"],
        ]

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) {
                self.stringValue = String(intValue)
                self.intValue = intValue
            }
        }

        static func check(_ decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
            var unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
            for (list, keys) in allowedInLists.sorted(by: { $0.key < $1.key }) {
                guard var elements = try? container.nestedUnkeyedContainer(forKey: AnyKey(stringValue: list)) else { continue }
                var position = 0
                while !elements.isAtEnd {
                    if let element = try? elements.nestedContainer(keyedBy: AnyKey.self) {
                        unknown += element.allKeys.map(\.stringValue).filter { !keys.contains($0) }.sorted()
                            .map { "\(list)[\(position)].\($0)" }
                    } else {
                        _ = try? elements.decode(Skip.self)  // not an object: the decoder will say so
                    }
                    position += 1
                }
            }
            guard unknown.isEmpty else { throw UnknownKeys(fields: unknown) }
        }

        /// Any JSON value, read and thrown away.
        struct Skip: Decodable {
            init(from decoder: any Decoder) throws {}
        }
    }

    /// One entry (PUT, or an element of a batch), strict about its keys.
    struct StrictDraft: Decodable {
        var sent: SentDraft
        enum Keys: String, CodingKey { case unit, year }
        init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder)
            let container = try decoder.container(keyedBy: Keys.self)
            sent = SentDraft(
                draft: try EntryDraft(from: decoder),
                unit: try container.decodeIfPresent(String.self, forKey: .unit),
                year: try container.decodeIfPresent(Int.self, forKey: .year))
        }
    }

    // The answers' documents are defined once, in `EntryDocument`, which budgetctl prints too.
    typealias SavedItem = EntryDocument.Saved
    typealias ActionResult = EntryDocument.Changed
    typealias Event = EntryDocument.Event
    typealias Items = EntryDocument.Items

    /// An id as the controllers pass it to ``SavedItem`` (which prints it in lower case).
    struct LowercaseUUID {
        var uuid: UUID
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
        /// For a `revise` after the 批复: 调剂 or 追加.
        var kind: String?
    }
}

extension EntryDocument.Saved {
    /// The controllers' spelling; `EntryDocument.Saved(saved)` builds the same from a stored change.
    init(line: Int?, id: EntryJSON.LowercaseUUID, code: String, state: EntryState, version: Int, revision: Int, created: Bool) {
        self.init(line: line, id: id.uuid, code: code, state: state, version: version, revision: revision, created: created)
    }
}
