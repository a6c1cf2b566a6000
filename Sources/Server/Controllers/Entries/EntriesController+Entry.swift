import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// One entry: read, replace, history.
extension EntriesController {
    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let entry = try await entries.entry(try Self.id(context), for: caller)
        let format = try WireFormat.ofResponse(request, default: .json)
        guard format == .json else { return try Self.entryReply(entry, format: format).response }
        let read = EntryDocument.Read(entry: entry, figures: try await entries.figures(of: entry))
        return try Reply.json(read, headers: [.eTag: Self.etag(entry.version)]).response
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try Self.id(context)
        let format = try WireFormat.ofBody(request)
        let replyFormat = try WireFormat.ofResponse(request, default: format)
        guard let version = try Self.ifMatch(request) else {
            throw APIError.preconditionRequired("PUT needs If-Match with the entry's ETag (its version)")
        }
        let body = try await limits.body(of: request)
        let sent = try replacementDraft(body, format: format)
        let saved = try await entries.replaceDraftWarning(
            id, with: sent.draft, expectedVersion: version, by: caller,
            claimed: ClaimedPlace(unit: sent.unit, year: sent.year))
        guard !saved.warnings.isEmpty else { return try Self.entryReply(saved.entry, format: replyFormat).response }
        // Saved, but past a control figure: the entry, then its warnings.
        let headers: HTTPFields = [.eTag: Self.etag(saved.entry.version)]
        switch replyFormat {
        case .json:
            return try Reply.json(ControlWarning.Entry(entry: saved.entry, warnings: ControlWarning.of(saved)), headers: headers).response
        case .blp:
            let warnings = BLPResponseLine.document(saved.warnings.map { .warn(line: nil, entry: saved.entry.content.code, $0) })
            return Reply.blp(try Self.blpText(saved.entry) + warnings, headers: headers).response
        }
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireJSON(request, what: "an entry's history")
        let events = try await entries.history(try Self.id(context), for: caller)
        return try Reply.json(EntryJSON.Items(items: events.map { EntryJSON.Event(id: $0.id, hash: $0.hash, record: $0.record) })).response
    }
}
