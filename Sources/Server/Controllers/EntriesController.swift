import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// The entries API of SPEC §6, in JSON and BLP.
struct EntriesController: Sendable {
    let entries: EntryService
    let idempotency: IdempotencyStore
    let limits: RequestLimits

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("units/:unit/years/:year/entries", use: createEntries)
        group.get("entries", use: list)
        group.get("entries/:id", use: get)
        group.put("entries/:id", use: replace)
        group.get("entries/:id/history", use: history)
        group.post("entries/:id/actions/:action", use: act)
        group.post("units/:unit/years/:year/actions/submit", use: submitAll)
        group.post("departments/:department/years/:year/actions/publish", use: publish)
        group.get("units/:unit/years/:year/summary", use: summary)
    }

    // MARK: - Batches

    @Sendable func createEntries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let unit = try context.parameters.require("unit")
        let year = try Self.year(context)
        let format = try WireFormat.ofBody(request)
        let reply = try WireFormat.ofResponse(request, default: format)
        let body = try await limits.body(of: request)
        return try await idempotent(request, context: context, caller: caller, body: body) {
            let saved: [EntryService.Saved]
            switch format {
            case .blp:
                // Decoded by Persistence's worker while earlier drafts are stored.
                do {
                    saved = try await entries.saveDrafts(
                        from: .blp(body, unit: unit, year: year, limits: limits.blp), unit: unit, year: year, by: caller)
                } catch let refusal as BLPBatchTooLarge {
                    throw Self.tooLarge(refusal)
                }
            case .json:
                let inputs = try decodeDrafts(body, format: format, unit: unit, year: year)
                saved = try await entries.saveDrafts(inputs, unit: unit, year: year, by: caller)
            }
            let status: HTTPResponse.Status = saved.contains(where: \.created) ? .created : .ok
            switch reply {
            case .json:
                return try .json(EntryJSON.Items(items: saved.map(Self.savedItem)), status: status)
            case .blp:
                return .blp(BLPResponseLine.document(saved.map {
                    .ok(line: $0.line, code: $0.entry.content.code, id: $0.entry.id.uuidString.lowercased(),
                        state: $0.entry.state.rawValue, version: $0.entry.version, revision: $0.entry.revision)
                }), status: status)
            }
        }.response
    }

    func decodeDrafts(_ body: [UInt8], format: WireFormat, unit: String?, year: Int?) throws -> [EntryService.DraftInput] {
        switch format {
        case .blp:
            let decoded = BLPEntryMapping.decodeEntries(BLPParser.parse(body, schema: .entries, limits: limits.blp), unit: unit, year: year)
            try Self.check(decoded, entries: decoded.entries.count)
            return decoded.entries.map { .init(draft: $0.draft, line: $0.line) }
        case .json:
            let batch = try Self.decodeJSON(EntryJSON.Batch.self, body)
            guard batch.entries.count <= limits.maxBatchRecords else {
                throw APIError.tooLarge("the batch has \(batch.entries.count) entries; at most \(limits.maxBatchRecords) per request")
            }
            var inputs: [EntryService.DraftInput] = []
            var details: [ErrorDetail] = []
            for (index, attempt) in batch.entries.enumerated() {
                switch attempt.result {
                case .success(let sent):
                    let disagreements = Self.disagreements(sent, unit: unit, year: year, what: "the request's")
                    if disagreements.isEmpty {
                        inputs.append(.init(draft: sent.draft, line: index + 1))
                    } else {
                        details += disagreements.map { ErrorDetail(line: index + 1, field: $0.field, message: $0.message) }
                    }
                case .failure(let error as EntryJSON.UnknownKeys):
                    details += error.fields.map { ErrorDetail(line: index + 1, field: $0, message: "unknown field \($0)") }
                case .failure(let error as DecodingError):
                    details.append(ErrorDetail(line: index + 1, message: APIError.describe(error)))
                case .failure(let error):
                    details.append(ErrorDetail(line: index + 1, message: "\(error)"))
                }
            }
            guard details.isEmpty else {
                throw WorkflowError.invalidInput("the batch has \(details.count) bad entr(ies); nothing was stored", details: details)
            }
            guard !inputs.isEmpty else { throw WorkflowError.invalidInput("the batch has no entries") }
            return inputs
        }
    }

    /// 413 when a BLP batch broke a limit, 422 when a line is bad or there is no entry at all.
    static func check(_ decoded: BLPEntryMapping.Decoded, entries: Int) throws {
        do {
            try BLPEntryMapping.checkBatch(decoded, entries: entries)
        } catch let refusal as BLPBatchTooLarge {
            throw tooLarge(refusal)
        }
    }

    static func tooLarge(_ refusal: BLPBatchTooLarge) -> APIError {
        let limit = refusal.error
        return APIError(status: .contentTooLarge, code: "too_large", message: limit.reason,
                        details: [ErrorDetail(line: limit.line, field: limit.field, message: limit.reason)])
    }

    // MARK: - One entry

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let entry = try await entries.entry(try Self.id(context), for: caller)
        return try Self.entryReply(entry, request: request).response
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try Self.id(context)
        let format = try WireFormat.ofBody(request)
        let replyFormat = try WireFormat.ofResponse(request, default: format)
        guard let version = try Self.ifMatch(request) else {
            throw APIError.preconditionRequired("PUT needs If-Match with the entry's ETag (its version)")
        }
        let body = try await limits.body(of: request)
        let sent: EntryJSON.SentDraft
        switch format {
        case .blp:
            // unit= and year= of an exported entry may come along; they must name the entry's own.
            let parsed = BLPParser.parse(body, schema: .entries, limits: limits.blp)
            let decoded = BLPEntryMapping.decodeEntries(parsed, unit: nil, year: nil)
            try Self.check(decoded, entries: decoded.entries.count)
            guard decoded.entries.count == 1,
                  let record = parsed.groups.first(where: { $0.record.type == "entry" })?.record
            else { throw WorkflowError.invalidInput("PUT takes exactly one entry record") }
            var year: Int?
            if let text = record["year"], !text.isEmpty {
                guard let number = Int(text) else {
                    throw WorkflowError.invalidInput("year \(text.prefix(20)) is not a year", details: [ErrorDetail(field: "year", message: "not a year")])
                }
                year = number
            }
            sent = EntryJSON.SentDraft(draft: decoded.entries[0].draft, unit: record["unit"], year: year)
        case .json:
            sent = try Self.decodeJSON(EntryJSON.StrictDraft.self, body).sent
        }
        let entry = try await entries.replaceDraft(
            id, with: sent.draft, expectedVersion: version, by: caller,
            mustMatch: { stored in Self.disagreements(sent, unit: stored.unitCode, year: stored.year, what: "the entry's") })
        return try Self.entryReply(entry, format: replyFormat).response
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireJSON(request, what: "an entry's history")
        let events = try await entries.history(try Self.id(context), for: caller)
        return try Reply.json(EntryJSON.Items(items: events.map { EntryJSON.Event(id: $0.id, hash: $0.hash, record: $0.record) })).response
    }

    // MARK: - Actions

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
        return try await idempotent(request, context: context, caller: caller, body: body) {
            let reason = try Self.reason(body, request: request)
            let result = try await entries.act(action, on: id, reason: reason, expectedVersion: version, by: caller)
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
        return try await bulkAction(request, context: context) { year, caller in
            try await entries.submitAll(unit: unit, year: year, by: caller).map(\.entry)
        }
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let department = try context.parameters.require("department")
        return try await bulkAction(request, context: context) { year, caller in
            try await entries.publish(department: department, year: year, by: caller).published
        }
    }

    /// An action on a whole unit-year or department-year, idempotent, answering one line per entry.
    func bulkAction(
        _ request: Request, context: AppRequestContext, _ work: (Int, Caller) async throws -> [BudgetEntry]
    ) async throws -> Response {
        let caller = try context.requireCaller()
        let year = try Self.year(context)
        let body = try await limits.body(of: request)
        let reply = try WireFormat.ofResponse(request)
        return try await idempotent(request, context: context, caller: caller, body: body) {
            try Self.actionsReply(try await work(year, caller), format: reply)
        }.response
    }

    // MARK: - Lists

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
                text += "# id=\(entry.id.uuidString.lowercased()) state=\(entry.state.rawValue) version=\(entry.version) revision=\(entry.revision)\n"
                text += try BLPWriter.document(BLPEntryMapping.records(for: entry.content, unit: entry.unitCode, year: entry.year))
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

    // MARK: - Helpers

    /// Runs `work` once per Idempotency-Key: a retry gets the first response back.
    ///
    /// Answers are stored except 5xx and 409: both mean nothing was applied and a retry may
    /// succeed (the database was back, the concurrent change was over), so the key is released.
    func idempotent(
        _ request: Request, context: AppRequestContext, caller: Caller, body: [UInt8], _ work: () async throws -> Reply
    ) async throws -> Reply {
        guard let key = request.headers[.idempotencyKey] else { return try await work() }
        // Counted as PostgreSQL counts (code points), so the column's CHECK never refuses it.
        guard (1...200).contains(key.unicodeScalars.count) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 200 characters")
        }
        switch try await idempotency.begin(
            actor: caller.actor.name, key: key, method: request.method.rawValue, path: request.uri.path, body: body)
        {
        case .replay(let stored):
            var headers: HTTPFields = [:]
            for header in stored.headers {
                if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
            }
            headers[.init("Idempotent-Replayed")!] = "true"
            return Reply(status: .init(code: stored.status), contentType: stored.contentType, body: stored.body, headers: headers)
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
                reply = try await idempotency.applying(claim, work)
            } catch {
                let apiError = APIError(error)
                guard apiError.status.code < 500, apiError.status != .conflict else {
                    await idempotency.abandon(claim)
                    throw error
                }
                reply = Reply.error(apiError, for: request)
            }
            do {
                try await idempotency.finish(claim, response: .init(
                    status: Int(reply.status.code), contentType: reply.contentType, body: reply.body,
                    headers: reply.headers.map { .init(name: $0.name.rawName, value: $0.value) }))
            } catch {
                // The change stands; a retry will hear `already_applied` instead of this answer.
                context.logger.error("could not store the answer of an Idempotency-Key", metadata: ["error": "\(error)"])
            }
            return reply
        }
    }

    static func savedItem(_ saved: EntryService.Saved) -> EntryJSON.SavedItem {
        EntryJSON.SavedItem(
            line: saved.line, id: .init(uuid: saved.entry.id), code: saved.entry.content.code, state: saved.entry.state,
            version: saved.entry.version, revision: saved.entry.revision, created: saved.created)
    }

    static func actionsReply(_ entries: [BudgetEntry], format: WireFormat) throws -> Reply {
        switch format {
        case .json:
            return try .json(EntryJSON.Items(items: entries.map {
                EntryJSON.SavedItem(line: nil, id: .init(uuid: $0.id), code: $0.content.code, state: $0.state, version: $0.version,
                                    revision: $0.revision, created: false)
            }))
        case .blp:
            return .blp(BLPResponseLine.document(entries.map {
                .ok(line: nil, code: $0.content.code, id: $0.id.uuidString.lowercased(), state: $0.state.rawValue,
                    version: $0.version, revision: $0.revision)
            }))
        }
    }

    static func entryReply(_ entry: BudgetEntry, request: Request) throws -> Reply {
        try entryReply(entry, format: WireFormat.ofResponse(request, default: .json))
    }

    static func entryReply(_ entry: BudgetEntry, format: WireFormat) throws -> Reply {
        let headers: HTTPFields = [.eTag: etag(entry.version)]
        switch format {
        case .json:
            return try .json(entry, headers: headers)
        case .blp:
            let text = "# id=\(entry.id.uuidString.lowercased()) state=\(entry.state.rawValue) version=\(entry.version) revision=\(entry.revision)\n"
                + (try BLPWriter.document(BLPEntryMapping.records(for: entry.content, unit: entry.unitCode, year: entry.year)))
            return .blp(text, headers: headers)
        }
    }

    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    /// Representations BLP has no records for are JSON only: an Accept that excludes JSON is 406.
    static func requireJSON(_ request: Request, what: String) throws {
        guard try WireFormat.ofResponse(request, default: .json) == .json else {
            throw APIError.notAcceptable("\(what) is available as application/json only")
        }
    }

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

    /// The reason of an action: JSON `{"reason": "…"}`, BLP `action reason="…"`, or none.
    static func reason(_ body: [UInt8], request: Request) throws -> String? {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return nil }
        switch try WireFormat.ofBody(request) {
        case .json:
            return try decodeJSON(EntryJSON.ActionBody.self, body).reason
        case .blp:
            let parsed = BLPParser.parse(body, schema: actionSchema, limits: .standard)
            guard parsed.isValid else {
                throw WorkflowError.invalidInput("bad action body",
                    details: parsed.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
            }
            return parsed.records.first?["reason"]
        }
    }

    /// A JSON body decoded after ``JSONShapeCheck`` (UTF-8, syntax with line and column, repeated
    /// keys), so no decoder internals reach the answer.
    static func decodeJSON<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        if let problem = JSONShapeCheck.problem(in: body) {
            throw WorkflowError.invalidInput(problem.message, details: problem.field.map { [ErrorDetail(field: $0, message: problem.message)] } ?? [])
        }
        do {
            return try JSON.decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw WorkflowError.invalidInput(APIError.describe(error))
        } catch let error as EntryJSON.UnknownKeys {
            throw WorkflowError.invalidInput(error.message, details: error.fields.map { ErrorDetail(field: $0, message: "unknown field \($0)") })
        }
    }

    /// `unit`/`year` of a sent entry that disagree with the path's or the stored entry's.
    static func disagreements(_ sent: EntryJSON.SentDraft, unit: String?, year: Int?, what: String) -> [ErrorDetail] {
        var details: [ErrorDetail] = []
        if let given = sent.unit, !given.isEmpty, let unit, given != unit {
            details.append(ErrorDetail(field: "unit", message: "unit \(given.prefix(40)) disagrees with \(what) unit \(unit)"))
        }
        if let given = sent.year, let year, given != year {
            details.append(ErrorDetail(field: "year", message: "year \(given) disagrees with \(what) year \(year)"))
        }
        return details
    }

    static let actionSchema = BLPSchema([BLPSchema.RecordType("action", keys: ["reason"])])

    /// An organization code filter: refused by name when it cannot be a code (NUL, spaces,
    /// too long), rather than handed to PostgreSQL.
    static func organizationFilter(_ value: Substring?, field: String) throws -> String? {
        guard let value else { return nil }
        let text = String(value)
        guard TextLimits.isOrganizationCode(text) else {
            let message = "\(field) must be an organization code: 1 to \(TextLimits.organizationCodeLength) letters, digits, '.', '_' or '-'"
            throw WorkflowError.invalidInput(message, details: [ErrorDetail(field: field, message: message)])
        }
        return text
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else {
            throw WorkflowError.notFound(resource: "entry")
        }
        return id
    }

    static func year(_ context: AppRequestContext) throws -> Int {
        try parseYear(try context.parameters.require("year"))
    }

    static func parseYear(_ text: String) throws -> Int {
        guard let year = Int(text), (1990...2200).contains(year) else {
            throw APIError.badRequest("year must be a fiscal year such as 2020, got \(text.prefix(20))", field: "year")
        }
        return year
    }
}
