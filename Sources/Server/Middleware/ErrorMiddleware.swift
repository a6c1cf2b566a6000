import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// Gives every request an id (echoed as `X-Request-ID` and in the logs) and turns every error
/// into an `APIError` response in the request's wire format.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let given = request.headers[.requestID].flatMap { $0.count <= 128 && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } ? $0 : nil }
        context.requestID = given ?? context.id
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var apiError = APIError(error)
            if let routerError = error as? HTTPError, routerError.status == .notFound {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    let names = Set(allowed.map(\.rawValue)).sorted().joined(separator: ", ")
                    apiError = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                                        message: "\(request.method.rawValue) is not allowed here; use \(names)", headers: [.allow: names])
                } else {
                    apiError = APIError.notFound("no route \(request.uri.path)")
                }
            }
            if apiError.citesRequestID {
                apiError.message += " (request id \(context.requestID))"
            }
            if apiError.code == APIError.clientClosed.code {
                // Not a server error: the client gave up mid-upload.
                context.logger.info("client closed the connection mid-request", metadata: ["status": "\(apiError.status.code)"])
            } else if apiError.status.code >= 500 || apiError.citesRequestID {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "status": "\(apiError.status.code)"])
            } else {
                context.logger.info("request refused", metadata: ["code": "\(apiError.code)", "status": "\(apiError.status.code)"])
            }
            response = try apiError.response(from: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        return response
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
