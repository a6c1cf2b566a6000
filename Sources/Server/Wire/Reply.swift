import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence
import Workflow

/// A response as bytes, so it can also be stored for Idempotency-Key replays.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: [UInt8]
    var headers: HTTPFields = [:]

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Reply {
        Reply(status: status, contentType: WireFormat.json.contentType, body: Array(try JSON.encoder.encode(value)), headers: headers)
    }

    static func blp(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Reply {
        Reply(status: status, contentType: WireFormat.blp.contentType, body: Array(text.utf8), headers: headers)
    }

    /// An error in the request's format, as the ErrorMiddleware would render it.
    static func error(_ error: APIError, for request: Request) -> Reply {
        Reply(status: error.status, contentType: WireFormat.forError(request).contentType,
              body: error.renderedBody(for: request) ?? [], headers: error.headers)
    }

    var response: Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension APIError {
    /// The body bytes of this error for `request`.
    func renderedBody(for request: Request) -> [UInt8]? {
        switch WireFormat.forError(request) {
        case .json:
            return try? Array(JSON.encoder.encode(Body(error: .init(code: code, message: message, details: details))))
        case .blp:
            var lines = [BLPResponseLine.error(line: nil, code: code, reason: message)]
            lines += details.map { BLPResponseLine.error(line: $0.line, field: $0.field, code: $0.rule?.rawValue ?? code, reason: $0.message) }
            return Array(BLPResponseLine.document(lines).utf8)
        }
    }
}

enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()
}
