import Disclosure
import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// The 批复 (二下): the finance bureau's approval of a department-year, the department's approval
/// of its units, the 批复 document, and the running clocks.
struct BudgetApprovalController: Sendable {
    let entries: EntryService
    let idempotency: IdempotentRequest
    let limits: RequestLimits

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("departments/:department/years/:year/actions/approve-budget", use: approveBudget)
        group.post("departments/:department/years/:year/actions/approve-units", use: approveUnits)
        group.get("departments/:department/years/:year/budget-approval", use: document)
        group.get("deadlines", use: deadlines)
    }

    /// `{"number": "徐财预〔2020〕1号", "congress_date": "2020-01-10"}` (approve-budget) or
    /// `{"number": "…"}` (approve-units, optional); BLP `approval number="…" congress_date=2020-01-10`.
    struct ApprovalBody: Decodable {
        var number: String?
        var congressDate: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case number
            case congressDate = "congress_date"
        }

        init(number: String? = nil, congressDate: String? = nil) {
            self.number = number
            self.congressDate = congressDate
        }

        /// Unknown keys are errors, as everywhere in the API.
        init(from decoder: any Decoder) throws {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let all = try? decoder.container(keyedBy: EntryJSON.StrictKeys.AnyKey.self) {
                let unknown = all.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
                guard unknown.isEmpty else { throw EntryJSON.UnknownKeys(fields: unknown) }
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            number = try container.decodeIfPresent(String.self, forKey: .number)
            congressDate = try container.decodeIfPresent(String.self, forKey: .congressDate)
        }
    }

    static let approvalSchema = BLPSchema([BLPSchema.RecordType("approval", keys: ["number", "congress_date"])])

    static func approvalBody(_ body: [UInt8], request: Request) throws -> ApprovalBody {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return ApprovalBody() }
        switch try WireFormat.ofBody(request) {
        case .json:
            return try EntriesController.decodeJSON(ApprovalBody.self, body)
        case .blp:
            let parsed = BLPParser.parse(body, schema: approvalSchema, limits: .standard)
            guard parsed.isValid, parsed.records.count <= 1 else {
                throw WorkflowError.invalidInput("bad approval body: one record `approval number=… congress_date=YYYY-MM-DD`",
                    details: parsed.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
            }
            return ApprovalBody(number: parsed.records.first?["number"], congressDate: parsed.records.first?["congress_date"])
        }
    }

    /// The answer to either act: the department-year's 批复 as it now stands.
    struct Approved: Encodable {
        var department: String
        var year: Int
        var number: String
        var congressDate: CalendarDate
        var entries: Int?
        var total: Money?
        var unitsApproved: Bool
        enum CodingKeys: String, CodingKey {
            case department, year, number, entries, total
            case congressDate = "congress_date"
            case unitsApproved = "units_approved"
        }
    }

    static func reply(_ approved: Approved, format: WireFormat) throws -> Reply {
        switch format {
        case .json: return try .json(approved)
        case .blp:
            return .blp(BLPResponseLine.document([.ok(
                line: nil, code: "\(approved.department)/\(approved.year)", state: approved.unitsApproved ? "units_approved" : "approved")]))
        }
    }

    @Sendable func approveBudget(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let body = try await limits.body(of: request)
        let reply = try WireFormat.ofResponse(request)
        return try await idempotency.run(request, context: context, caller: caller, body: body) { entries in
            let sent = try Self.approvalBody(body, request: request)
            let result = try await entries.approveBudget(
                department: department, year: year, number: sent.number, congressDate: sent.congressDate, by: caller)
            return try Self.reply(Approved(
                department: department, year: year, number: result.number, congressDate: result.congressDate,
                entries: result.entries, total: result.total, unitsApproved: false), format: reply)
        }.response
    }

    @Sendable func approveUnits(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let body = try await limits.body(of: request)
        let reply = try WireFormat.ofResponse(request)
        return try await idempotency.run(request, context: context, caller: caller, body: body) { entries in
            let sent = try Self.approvalBody(body, request: request)
            if sent.congressDate != nil {
                throw WorkflowError.invalidInput("the units' 批复 takes no congress_date",
                                                 details: [ErrorDetail(field: "congress_date", message: "not for approve-units")])
            }
            let record = try await entries.approveUnits(department: department, year: year, number: sent.number, by: caller)
            return try Self.reply(Approved(
                department: department, year: year, number: record.number, congressDate: record.congressDate,
                unitsApproved: true), format: reply)
        }.response
    }

    /// JSON by default; `?format=html` or `Accept: text/html` for the printable page, `?format=blp`
    /// or `Accept: text/plain` for BLP (`approval` and `approval_total` records). Another Accept is 406.
    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let format: String
        if let asked = request.uri.queryParameters["format"].map(String.init) {
            format = asked
        } else if (request.headers[.accept] ?? "").lowercased().contains("text/html") {
            format = "html"
        } else {
            format = try WireFormat.ofResponse(request, default: .json) == .blp ? "blp" : "json"
        }
        guard format == "json" || format == "html" || format == "blp" else {
            throw APIError.badRequest("unknown format \(format.prefix(20)): json, html or blp", field: "format")
        }
        let document = try await entries.budgetApprovalDocument(department: department, year: year, for: caller)
        switch format {
        case "html":
            return Reply(status: .ok, contentType: "text/html; charset=utf-8", body: Array(BudgetApprovalHTML.render(document).utf8)).response
        case "blp":
            return Reply.blp(try BudgetYearBLP.approval(document)).response
        default:
            return try Reply.json(document).response
        }
    }

    struct Deadlines: Encodable {
        var items: [BudgetClocks.Deadline]
    }

    /// `?year=&department=`: every running clock in the caller's scope, overdue first; JSON, or
    /// BLP (a `deadline` record per clock) to `Accept: text/plain`.
    @Sendable func deadlines(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let query = request.uri.queryParameters
        let year = try query["year"].map { try EntriesController.parseYear(String($0)) }
        // The same rule as the entry lists: a department code, never blank or malformed (400 naming it).
        let department = try EntriesController.organizationFilter(query["department"], field: "department")
        let found = try await entries.deadlines(year: year, department: department, for: caller)
        switch format {
        case .json: return try Reply.json(Deadlines(items: found)).response
        case .blp: return Reply.blp(try BudgetYearBLP.deadlines(found)).response
        }
    }
}
