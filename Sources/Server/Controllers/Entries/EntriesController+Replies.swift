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
            return try .json(EntryJSON.Items(items: saved.map(Self.savedItem)), status: status)
        case .blp:
            return .blp(BLPResponseLine.document(saved.map {
                .ok(line: $0.line, code: $0.entry.content.code, id: $0.entry.id.uuidString.lowercased(),
                    state: $0.entry.state.rawValue, version: $0.entry.version, revision: $0.entry.revision,
                    round: $0.entry.round?.rawValue)
            }), status: status)
        }
    }
}
