import Disclosure
import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Disclosure inputs (authenticated) and the public disclosure (no token; published data only).
struct DisclosureController: Sendable {
    let disclosures: DisclosureService
    let limits: RequestLimits

    func addInputRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("departments/:department/years/:year/disclosure-inputs", use: saveInputs)
    }

    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.get("public/v1/disclosures/:year/:department", use: show)
    }

    struct InputsJSON: Decodable {
        var baseline: [String: Money]?
        var narrative: [String: String]?
    }

    struct Saved: Encodable {
        var baseline: Int
        var narrative: Int
        /// Present once the department-year is published: the publication whose frozen inputs the
        /// public disclosure keeps showing until the finance bureau publishes again.
        var publication: Int64?
    }

    @Sendable func saveInputs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let format = try WireFormat.ofBody(request)
        let replyFormat = try WireFormat.ofResponse(request, default: format)
        let body = try await limits.body(of: request)
        let inputs: BLPEntryMapping.DisclosureInputs
        switch format {
        case .blp:
            let parsed = BLPParser.parse(body, schema: .disclosureInputs, limits: limits.blp)
            let decoded = BLPEntryMapping.decodeDisclosureInputs(parsed, department: department, year: year)
            guard decoded.errors.isEmpty else {
                throw WorkflowError.invalidInput("\(decoded.errors.count) bad line(s); nothing was stored",
                    details: decoded.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
            }
            inputs = decoded.inputs
        case .json:
            // Same checks as entries: UTF-8, syntax, repeated keys, then the decoder.
            let decoded = try EntriesController.decodeJSON(InputsJSON.self, body)
            // Names and values are checked by the service, for every way in.
            inputs = .init(baseline: decoded.baseline ?? [:], narrative: decoded.narrative ?? [:])
        }
        let saved = try await disclosures.saveInputs(inputs, department: department, year: year, by: caller)
        switch replyFormat {
        case .json:
            return try Reply.json(Saved(baseline: saved.baseline, narrative: saved.narrative, publication: saved.publication)).response
        case .blp:
            // state=staged: stored, but not public before the next publication.
            return Reply.blp(BLPResponseLine.document([.ok(
                line: nil, code: "\(saved.baseline) baseline, \(saved.narrative) narrative",
                state: saved.publication == nil ? nil : "staged")])).response
        }
    }

    /// `?format=html|json|md|csv|zip|datapackage` (or Accept). `csv` is every budget line with its
    /// administrative, functional and economic classification in one table; `&table=NAME` gives one
    /// of the disclosure's tables instead, and `zip` all of them. CSV downloads (`csv`, and the
    /// tables in `zip`) start with UTF-8's byte-order mark for spreadsheets, unless `&bom=0`; the
    /// datapackage, a machine format, never has one.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let query = request.uri.queryParameters
        let format = try query["format"].map(String.init) ?? Self.format(fromAccept: request.headers[.accept])
        let bom = try Self.byteOrderMark(query["bom"].map(String.init))
        let published = try await disclosures.publicDisclosure(department: department, year: year)
        let mark = bom ? Disclosure.csvByteOrderMark : []
        let marked = bom ? ":bom" : ""
        let name = "\(department)-\(year)"
        // Each rendering is made once per computed disclosure (see PublicDisclosure).
        switch format {
        case "json":
            let body = try await published.rendering("json") { $0.renderJSONBytes() }
            return Reply(status: .ok, contentType: "application/json; charset=utf-8", body: body).response
        case "html":
            let body = try await published.rendering("html") { Array($0.renderHTML().utf8) }
            return Reply(status: .ok, contentType: "text/html; charset=utf-8", body: body).response
        case "md", "markdown":
            let body = try await published.rendering("md") { Array($0.renderMarkdown().utf8) }
            return Reply(status: .ok, contentType: "text/markdown; charset=utf-8", body: body).response
        case "csv":
            if let table = query["table"].map(String.init) {
                let file = table.hasSuffix(".csv") ? table : table + ".csv"
                let body = try await published.rendering("csv:" + file + marked) { disclosure in
                    let files = disclosure.renderCSV()
                    guard let text = files[file] else {
                        throw APIError.notFound("no table \(table): one of \(files.keys.sorted().joined(separator: ", "))")
                    }
                    return mark + Array(text.utf8)
                }
                return Reply(status: .ok, contentType: "text/csv; charset=utf-8", body: body,
                             headers: [.contentDisposition: "attachment; filename=\"\(name)-\(table).csv\""]).response
            }
            let body = try await published.rendering("csv" + marked) {
                mark + Array((try $0.renderFiscalDataPackage()["budget-lines.csv"] ?? "").utf8)
            }
            return Reply(status: .ok, contentType: "text/csv; charset=utf-8", body: body,
                         headers: [.contentDisposition: "attachment; filename=\"\(name)-budget-lines.csv\""]).response
        case "zip":
            let body = try await published.rendering("zip" + marked) { Self.zip($0.renderCSV(), prefix: mark) }
            return Self.attachment(body, name: "\(name)-csv.zip")
        case "datapackage":
            let body = try await published.rendering("datapackage") { Self.zip(try $0.renderFiscalDataPackage()) }
            return Self.attachment(body, name: "\(name)-datapackage.zip")
        default:
            throw APIError.badRequest("unknown format \(format): html, json, md, csv, zip or datapackage", field: "format")
        }
    }

    static func zip(_ files: [String: String], prefix: [UInt8] = []) -> [UInt8] {
        StoredZip.archive(files.sorted { $0.key < $1.key }.map { ($0.key, prefix + Array($0.value.utf8)) })
    }

    /// `bom=1` (the default) or `bom=0`.
    static func byteOrderMark(_ value: String?) throws -> Bool {
        switch value {
        case nil, "1": return true
        case "0": return false
        default: throw APIError.badRequest("bom must be 0 or 1", field: "bom")
        }
    }

    static func attachment(_ archive: [UInt8], name: String) -> Response {
        Reply(status: .ok, contentType: "application/zip", body: archive,
              headers: [.contentDisposition: "attachment; filename=\"\(name)\""]).response
    }

    static func format(fromAccept accept: String?) throws -> String {
        guard let accept, !accept.isEmpty else { return "html" }
        for part in accept.split(separator: ",") {
            switch part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? "" {
            case "text/html", "*/*", "text/*": return "html"
            case "application/json": return "json"
            case "text/csv": return "csv"
            case "text/markdown": return "md"
            case "application/zip": return "zip"
            default: continue
            }
        }
        throw APIError.notAcceptable("the disclosure is available as text/html, application/json, text/csv, text/markdown or application/zip")
    }
}
