import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// POST …/entries: new drafts, or drafts replaced, from a JSON or BLP batch.
extension EntriesController {
    @Sendable func createEntries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let unit = try context.parameters.require("unit")
        let year = try Self.year(context)
        let format = try WireFormat.ofBody(request)
        let reply = try WireFormat.ofResponse(request, default: format)
        let body = try await limits.body(of: request)
        return try await idempotency.run(request, context: context, caller: caller, body: body) { entries in
            let saved: [EntryService.Saved]
            switch format {
            case .blp:
                // Decoded by Persistence's worker while earlier drafts are stored.
                do {
                    saved = try await entries.saveDrafts(
                        from: .blp(body, unit: unit, year: year, limits: limits.blp), unit: unit, year: year, by: caller)
                } catch let refusal as BLPBatchTooLarge {
                    throw Self.tooLarge(refusal)
                }
            case .json:
                let inputs = try decodeDrafts(body, format: format, unit: unit, year: year)
                saved = try await entries.saveDrafts(inputs, unit: unit, year: year, by: caller)
            }
            return try Self.savedReply(saved, format: reply)
        }.response
    }
}
