import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Actions on one entry, a unit-year or a department-year, each idempotent.
extension EntriesController {
    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try Self.id(context)
        let name = try context.parameters.require("action")
        guard let action = EntryAction(rawValue: name), action != .publish else {
            throw APIError.notFound("unknown action \(name): submit, withdraw, approve, reject, discard or revise")
        }
        let version = try Self.ifMatch(request)
        let body = try await limits.body(of: request)
        let reply = try WireFormat.ofResponse(request)
        return try await idempotency.run(request, context: context, caller: caller, body: body) { entries in
            let (reason, kind) = try Self.actionBody(body, request: request)
            let result = try await entries.act(action, on: id, reason: reason, expectedVersion: version, adjustment: kind, by: caller)
            let shown = result.newRevision ?? result.entry
            switch reply {
            case .json:
                return try .json(EntryJSON.ActionResult(entry: result.entry, newRevision: result.newRevision),
                                 status: result.newRevision == nil ? .ok : .created, headers: [.eTag: Self.etag(shown.version)])
            case .blp:
                return .blp(BLPResponseLine.document([.ok(
                    line: nil, code: shown.content.code, id: shown.id.uuidString.lowercased(), state: shown.state.rawValue,
                    version: shown.version, revision: shown.revision)]), headers: [.eTag: Self.etag(shown.version)])
            }
        }.response
    }

    @Sendable func submitAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unit = try context.parameters.require("unit")
        return try await bulkAction(request, context: context) { entries, year, caller in
            try await entries.submitAll(unit: unit, year: year, by: caller).map(\.entry)
        }
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let department = try context.parameters.require("department")
        return try await bulkAction(request, context: context) { entries, year, caller in
            try await entries.publish(department: department, year: year, by: caller).published
        }
    }

    /// An action on a whole unit-year or department-year, idempotent, answering one line per entry.
    func bulkAction(
        _ request: Request, context: AppRequestContext, _ work: (EntryService, Int, Caller) async throws -> [BudgetEntry]
    ) async throws -> Response {
        let caller = try context.requireCaller()
        let year = try Self.year(context)
        let body = try await limits.body(of: request)
        let reply = try WireFormat.ofResponse(request)
        return try await idempotency.run(request, context: context, caller: caller, body: body) { entries in
            try Self.actionsReply(try await work(entries, year, caller), format: reply)
        }.response
    }
}
