import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// The two wire formats of the API: JSON, and the Budget Line Protocol (SPEC §5).
enum WireFormat: Sendable {
    case json
    case blp

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .blp: "text/plain; charset=utf-8"
        }
    }

    /// The format of a request body, from Content-Type; anything else is 415.
    static func ofBody(_ request: Request) throws -> WireFormat {
        guard let value = request.headers[.contentType] else {
            throw APIError.unsupportedMediaType("Content-Type is required: application/json or text/plain (BLP)")
        }
        let mediaType = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json": return .json
        case "text/plain": return .blp
        default: throw APIError.unsupportedMediaType("unsupported Content-Type \(value): use application/json or text/plain (BLP)")
        }
    }

    /// The response format: from Accept, falling back to the request body's format, then JSON.
    /// An Accept naming neither is 406.
    static func ofResponse(_ request: Request, default fallback: WireFormat? = nil) throws -> WireFormat {
        let bodyFormat = fallback ?? (try? ofBody(request)) ?? .json
        guard let accept = request.headers[.accept], !accept.isEmpty else { return bodyFormat }
        var best: (format: WireFormat, q: Double)?
        for part in accept.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard q > 0 else { continue }
            let format: WireFormat? = switch pieces.first ?? "" {
            case "application/json", "application/*": .json
            case "text/plain", "text/*": .blp
            case "*/*": bodyFormat
            default: nil
            }
            if let format, q > (best?.q ?? 0) { best = (format, q) }
        }
        guard let best else {
            throw APIError.notAcceptable("cannot answer with \(accept): use application/json or text/plain (BLP)")
        }
        return best.format
    }

    /// Like `ofResponse`, but never throws: for error responses, which must always be deliverable.
    static func forError(_ request: Request) -> WireFormat {
        (try? ofResponse(request)) ?? ((try? ofBody(request)) ?? .json)
    }
}
