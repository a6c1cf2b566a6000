import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// Authenticates `Authorization: Bearer <token>` against the stored token hashes; 401 otherwise,
/// 403 for an administrator's token. Answers already given come from the ``TokenCache``, which
/// every change of a user or token flushes.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let admin: AdminService
    let tokens: TokenCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing bearer token: send Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              let caller = try await authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces))
        else {
            throw APIError.unauthorized("invalid, expired or revoked bearer token")
        }
        // The administrator has no entries, units or departments to act on (SPEC §2: CLI only);
        // telling it so beats a 404 for a unit that exists.
        guard caller.actor.role != .admin else {
            throw APIError.forbidden(
                "an administrator's token has no use on the API: the administrator manages organizations, users and tokens with budgetctl (org, user); budget entries are read and changed with an officer's, reviewer's, finance or auditor token")
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "actor"] = .string(caller.actor.name)
        return try await next(request, context)
    }

    /// The caller a token belongs to, from the cache or else the database.
    func authenticate(_ token: String) async throws -> Caller? {
        guard token.utf8.count <= 200 else { return nil }
        let digest = TokenDigest(token: token)
        switch tokens.lookup(digest) {
        case .hit(let caller):
            return caller
        case .miss(let generation):
            // The time left is counted from before the question: the answer's own latency must
            // not stretch a cached token past its expiry.
            let asked = ContinuousClock.now
            guard let found = try await admin.authentication(token: token, channel: .api) else { return nil }
            if let generation { tokens.store(found.caller, for: digest, expiresIn: found.expiresIn, generation: generation, asked: asked) }
            return found.caller
        }
    }
}
