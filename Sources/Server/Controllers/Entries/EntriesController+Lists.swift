import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Lists and summaries.
extension EntriesController {
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        var filter = EntryService.Filter()
        if let year = query["year"] { filter.year = try Self.parseYear(String(year)) }
        filter.unit = try Self.organizationFilter(query["unit"], field: "unit")
        filter.department = try Self.organizationFilter(query["department"], field: "department")
        if let state = query["state"] {
            guard let parsed = EntryState(rawValue: String(state)) else {
                throw APIError.badRequest("unknown state \(state)", field: "state")
            }
            filter.state = parsed
        }
        if let kind = query["kind"] {
            guard let parsed = EntryKind(rawValue: String(kind)) else {
                throw APIError.badRequest("unknown kind \(kind): personnel, operation or project", field: "kind")
            }
            filter.kind = parsed
        }
        if let limit = query["limit"] {
            guard let parsed = Int(limit), (1...EntryService.Filter.maxLimit).contains(parsed) else {
                throw APIError.badRequest("limit must be an integer from 1 to \(EntryService.Filter.maxLimit)", field: "limit")
            }
            filter.limit = parsed
        }
        filter.cursor = query["cursor"].map(String.init)
        let format = try WireFormat.ofResponse(request, default: .json)
        switch format {
        case .json:
            let page = try await entries.listJSON(filter, for: caller)
            return Reply(status: .ok, contentType: WireFormat.json.contentType, body: EntryJSON.pageBody(page)).response
        case .blp:
            let page = try await entries.list(filter, for: caller)
            var text = ""
            for entry in page.items {
                text += try Self.blpText(entry)
            }
            if let next = page.nextCursor { text += "# next_cursor=\(next)\n" }
            return Reply.blp(text).response
        }
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireJSON(request, what: "a summary")
        let summary = try await entries.summary(unit: try context.parameters.require("unit"), year: try Self.year(context), for: caller)
        return try Reply.json(summary).response
    }

    @Sendable func departmentSummary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireJSON(request, what: "a summary")
        let summary = try await entries.summary(
            department: try context.parameters.require("department"), year: try Self.year(context), for: caller)
        return try Reply.json(summary).response
    }
}
