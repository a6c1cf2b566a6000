import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence
import Workflow

/// Every error the API answers with: one status, a stable code, a message, and details.
///
/// The one place where domain and database errors become HTTP statuses.
struct APIError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: [ErrorDetail] = []
    var headers: HTTPFields = [:]
    /// The message ends with the request id, for answers whose details only the log has.
    var citesRequestID = false

    static var internalError: APIError {
        APIError(status: .internalServerError, code: "internal", message: "internal error", citesRequestID: true)
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, code: "forbidden", message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not_found", message: message) }
    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message,
                 details: field.map { [ErrorDetail(field: $0, message: message)] } ?? [])
    }
    static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: message)
    }
    static func notAcceptable(_ message: String) -> APIError { APIError(status: .notAcceptable, code: "not_acceptable", message: message) }
    static func tooLarge(_ message: String) -> APIError { APIError(status: .contentTooLarge, code: "too_large", message: message) }
    static func preconditionRequired(_ message: String) -> APIError {
        APIError(status: .preconditionRequired, code: "precondition_required", message: message)
    }
    static func unavailable(_ message: String, retryAfter: Int = 1) -> APIError {
        APIError(status: .serviceUnavailable, code: "unavailable", message: message, headers: [.retryAfter: String(retryAfter)])
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "body" : String(keys.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context).isEmpty || path(context) == "body" ? "" : path(context) + ".")\(key.stringValue) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "the body could not be decoded"
        }
    }

    struct Body: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
            var details: [ErrorDetail]
        }
        var error: Inner
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = WireFormat.forError(request).contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: renderedBody(for: request) ?? [])))
    }
}

extension APIError {
    /// Maps any error met while handling a request.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as WorkflowError:
            self.init(status: Self.status(of: .workflow(error.category)), code: error.code, message: error.message, details: error.details)
        case let error as PostgresError:
            let status = Self.status(of: .database(error.disposition))
            // The database's wording (constraint names, parameters) stays in the log.
            switch error.disposition {
            case .busy:
                self = .unavailable("the server is busy: \(error.message); retry shortly")
            case .unavailable:
                self = .unavailable("the database is unavailable; retry shortly", retryAfter: 2)
            case .outcomeUnknown:
                self.init(status: status, code: "outcome_unknown",
                          message: "the database went away while committing: the change may or may not have been applied; read the entry again before retrying",
                          headers: [.retryAfter: "2"])
            case .timedOut:
                self = .unavailable("the database took too long to answer; retry shortly", retryAfter: 2)
            case .transient:
                self.init(status: status, code: "conflict", message: "a concurrent change conflicted; retry")
            case .duplicate:
                self.init(status: status, code: "conflict", message: "a concurrent change created the same record; retry")
            case .refusedValues:
                // Validation should have refused it first; the caller gets the request id.
                self.init(status: status, code: "invalid_input",
                          message: "the database refused the values; nothing was stored", citesRequestID: true)
            case .notMigrated, .internalFailure:
                self = .internalError
            }
        case is NIOTooManyBytesError:
            self = .tooLarge("the request body is larger than the server accepts")
        case let error as DecodingError:
            self.init(status: .unprocessableContent, code: "invalid_input", message: Self.describe(error))
        case let error as HTTPError:
            self.init(status: error.status, code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase,
                      headers: error.headers)
        default:
            self = .internalError
        }
    }

}

extension APIError {
    /// The HTTP status of every domain and database failure: the one table (the CLI's exit codes
    /// are `CLIError.kind(of:)`; a value refused is 422 / exit 1, a conflict 409 / exit 4, an
    /// unavailable database 503 / exit 5).
    static func status(of failure: FailureClass) -> HTTPResponse.Status {
        switch failure {
        case .workflow(.notFound): .notFound
        case .workflow(.forbidden): .forbidden
        case .workflow(.unauthorized): .unauthorized
        case .workflow(.conflict): .conflict
        case .workflow(.preconditionFailed): .preconditionFailed
        case .workflow(.validation), .workflow(.invalidInput): .unprocessableContent
        case .database(.unavailable), .database(.outcomeUnknown), .database(.busy), .database(.timedOut): .serviceUnavailable
        case .database(.transient), .database(.duplicate): .conflict
        case .database(.refusedValues): .unprocessableContent
        case .database(.notMigrated), .database(.internalFailure): .internalServerError
        }
    }
}
