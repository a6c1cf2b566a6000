import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// The Idempotency-Key step of a write request: a retry gets the first answer back.
///
/// The step claims the key, hands the work an `EntryService` bound to that claim (its writes mark
/// the key applied in their own transaction), then stores the answer or releases the key. Without
/// the header the work runs with the plain service.
struct IdempotentRequest: Sendable {
    let store: IdempotencyStore
    let entries: EntryService

    /// Runs `work` once per Idempotency-Key.
    ///
    /// Answers are stored except 5xx and 409: both mean nothing was applied and a retry may
    /// succeed (the database was back, the concurrent change was over), so the key is released.
    func run(
        _ request: Request, context: AppRequestContext, caller: Caller, body: [UInt8],
        _ work: (EntryService) async throws -> Reply
    ) async throws -> Reply {
        guard let key = request.headers[.idempotencyKey] else { return try await work(entries) }
        // Counted as PostgreSQL counts (code points), so the column's CHECK never refuses it.
        guard (1...200).contains(key.unicodeScalars.count) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 200 characters")
        }
        switch try await store.begin(
            actor: caller.actor.name, key: key, method: request.method.rawValue, path: request.uri.path, body: body)
        {
        case .replay(let stored):
            return Self.replay(stored)
        case .inProgress:
            throw APIError(status: .conflict, code: "in_progress", message: "a request with this Idempotency-Key is still being processed")
        case .mismatch:
            throw APIError(status: .unprocessableContent, code: "idempotency_key_reused",
                           message: "this Idempotency-Key was used for a different request")
        case .appliedWithoutResponse:
            throw APIError(status: .conflict, code: "already_applied", message: """
                the request with this Idempotency-Key was applied, but the server stopped before recording \
                its response: read the current state instead of retrying
                """)
        case .claimed(let claim):
            let reply: Reply
            do {
                reply = try await store.renewing(claim) { try await work(entries.applying(claim)) }
            } catch {
                let apiError = APIError(error)
                guard apiError.status.code < 500, apiError.status != .conflict else {
                    await store.abandon(claim)
                    throw error
                }
                reply = Reply.error(apiError, for: request)
            }
            do {
                try await store.finish(claim, response: .init(
                    status: Int(reply.status.code), contentType: reply.contentType, body: reply.body,
                    headers: reply.headers.map { .init(name: $0.name.rawName, value: $0.value) }))
            } catch {
                // The change stands; a retry will hear `already_applied` instead of this answer.
                context.logger.error("could not store the answer of an Idempotency-Key", metadata: ["error": "\(error)"])
            }
            return reply
        }
    }

    /// A stored answer, marked as a replay.
    static func replay(_ stored: IdempotencyStore.StoredResponse) -> Reply {
        var headers: HTTPFields = [:]
        for header in stored.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        headers[.init("Idempotent-Replayed")!] = "true"
        return Reply(status: .init(code: stored.status), contentType: stored.contentType, body: stored.body, headers: headers)
    }
}
