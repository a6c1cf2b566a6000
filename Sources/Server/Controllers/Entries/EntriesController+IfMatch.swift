import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// ETags and If-Match: an entry's version, compared strongly.
extension EntriesController {
    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an If-Match names (`"3"` or `3`), nil without the header. If-Match compares
    /// strongly (RFC 9110 §13.1.1): a weak tag `W/"3"` never matches, so it is 412.
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let value = request.headers[.ifMatch] else { return nil }
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") {
            throw APIError(status: .preconditionFailed, code: "precondition_failed",
                           message: "If-Match compares strongly: a weak ETag (W/…) never matches; send the ETag as issued, e.g. \"3\"")
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(text), version >= 1 else {
            throw APIError.badRequest("If-Match must be an ETag this server issued, e.g. \"3\"", field: "If-Match")
        }
        return version
    }
}
