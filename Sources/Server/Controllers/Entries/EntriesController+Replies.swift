import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Reply rendering: the answers of the entries API in JSON and BLP.
extension EntriesController {
    static func savedItem(_ saved: EntryService.Saved) -> EntryJSON.SavedItem {
        EntryJSON.SavedItem(
            line: saved.line, id: .init(uuid: saved.entry.id), code: saved.entry.content.code, state: saved.entry.state,
            version: saved.entry.version, revision: saved.entry.revision, created: saved.created)
    }

    static func actionsReply(_ entries: [BudgetEntry], format: WireFormat) throws -> Reply {
        switch format {
        case .json:
            return try .json(EntryJSON.Items(items: entries.map {
                EntryJSON.SavedItem(line: nil, id: .init(uuid: $0.id), code: $0.content.code, state: $0.state, version: $0.version,
                                    revision: $0.revision, created: false)
            }))
        case .blp:
            return .blp(BLPResponseLine.document(entries.map {
                .ok(line: nil, code: $0.content.code, id: $0.id.uuidString.lowercased(), state: $0.state.rawValue,
                    version: $0.version, revision: $0.revision)
            }))
        }
    }

    static func entryReply(_ entry: BudgetEntry, request: Request) throws -> Reply {
        try entryReply(entry, format: WireFormat.ofResponse(request, default: .json))
    }

    static func entryReply(_ entry: BudgetEntry, format: WireFormat) throws -> Reply {
        let headers: HTTPFields = [.eTag: etag(entry.version)]
        switch format {
        case .json:
            return try .json(entry, headers: headers)
        case .blp:
            return .blp(try blpText(entry), headers: headers)
        }
    }

    /// Representations BLP has no records for are JSON only: an Accept that excludes JSON is 406.
    static func requireJSON(_ request: Request, what: String) throws {
        guard try WireFormat.ofResponse(request, default: .json) == .json else {
            throw APIError.notAcceptable("\(what) is available as application/json only")
        }
    }

    /// An entry in BLP: a comment naming its id, state, version and revision, then its records.
    static func blpText(_ entry: BudgetEntry) throws -> String {
        "# id=\(entry.id.uuidString.lowercased()) state=\(entry.state.rawValue) version=\(entry.version) revision=\(entry.revision)"
            + (entry.round.map { " round=\($0.rawValue)" } ?? "") + "\n"
            + (try BLPWriter.document(BLPEntryMapping.records(for: entry.content, unit: entry.unitCode, year: entry.year)))
    }

    /// The answer to a batch of drafts: one item (JSON) or line (BLP) per entry.
    static func savedReply(_ saved: [EntryService.Saved], format: WireFormat) throws -> Reply {
        let status: HTTPResponse.Status = saved.contains(where: \.created) ? .created : .ok
        switch format {
        case .json:
            return try .json(
                ControlWarning.Items(items: saved.map(Self.savedItem), warnings: saved.flatMap(ControlWarning.of)), status: status)
        case .blp:
            return .blp(BLPResponseLine.document(saved.flatMap { saved -> [BLPResponseLine] in
                [.ok(line: saved.line, code: saved.entry.content.code, id: saved.entry.id.uuidString.lowercased(),
                     state: saved.entry.state.rawValue, version: saved.entry.version, revision: saved.entry.revision,
                     round: saved.entry.round?.rawValue)]
                    + saved.warnings.map { .warn(line: saved.line, entry: saved.entry.content.code, $0) }
            }), status: status)
        }
    }
}

/// A saved draft's control-figure warning in JSON: `{"entry":…,"line":…,"rule":"V7","cell":…,
/// "ceiling":…,"used":…,"amount":…,"excess":…}`; a batch answer lists them under `warnings`
/// beside `items` (absent when there is none), a replaced entry's answer under `warnings` beside
/// the entry's fields.
struct ControlWarning: Encodable {
    var entry: String
    var line: Int?
    var rule = RuleCode.v7
    var cell: ControlCell
    var ceiling, used, amount, excess: Money

    static func of(_ saved: EntryService.Saved) -> [ControlWarning] {
        saved.warnings.map {
            ControlWarning(entry: saved.entry.content.code, line: saved.line, cell: $0.cell, ceiling: $0.ceiling, used: $0.used,
                           amount: $0.amount, excess: $0.excess)
        }
    }

    struct Items<Item: Encodable>: Encodable {
        var items: [Item]
        var warnings: [ControlWarning]

        enum CodingKeys: String, CodingKey { case items, warnings }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            if !warnings.isEmpty { try container.encode(warnings, forKey: .warnings) }
        }
    }

    /// An entry with its warnings beside its fields (only when there are some: the entry's one
    /// representation is unchanged otherwise).
    struct Entry: Encodable {
        var entry: BudgetEntry
        var warnings: [ControlWarning]

        enum CodingKeys: String, CodingKey { case warnings }

        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(warnings, forKey: .warnings)
        }
    }
}
