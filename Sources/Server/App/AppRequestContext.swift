import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence
import Workflow

/// Per-request state: who is calling (set by `AuthMiddleware`) and the request id.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var caller: Caller?
    var requestID: String
    /// The connection, for timers that must end a stalled body read.
    let channel: (any NIOCore.Channel)?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        caller = nil
        requestID = ""
    }

    /// The authenticated caller; routes under /v1 always have one (the middleware answers 401 otherwise).
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.unauthorized("missing or invalid bearer token") }
        return caller
    }
}
