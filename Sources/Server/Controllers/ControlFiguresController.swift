import Foundation
import Hummingbird
import Persistence
import Workflow

/// Control-figure sheets (控制数): each cell's ceiling, allocated (a department's), used and
/// remaining; JSON, or BLP (a `control` record per cell) to `Accept: text/plain`. A PUT sets
/// cells — a department's by the finance bureau, a unit's allocation by its department's reviewer
/// (or the finance bureau), as `budgetctl control set-department` / `allocate` do — and answers the
/// sheet as it now stands. Cells not named keep their figure, so repeating a PUT changes nothing.
struct ControlFiguresController: Sendable {
    let admin: AdminService
    let limits: RequestLimits

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("departments/:department/years/:year/control-figures", use: department)
        group.get("units/:unit/years/:year/control-figures", use: unit)
        group.put("departments/:department/years/:year/control-figures", use: setDepartment)
        group.put("units/:unit/years/:year/control-figures", use: allocate)
    }

    /// `{"cells": {"kind:project": "1774200.00", …}, "reason": "…"}`; BLP: a `figure cell=… amount=…`
    /// record per cell and at most one `reason text="…"`.
    struct FiguresBody: Decodable {
        var cells: [String: String]
        var reason: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case cells, reason }

        init(cells: [String: String], reason: String?) {
            self.cells = cells
            self.reason = reason
        }

        /// Unknown keys are errors, as everywhere in the API.
        init(from decoder: any Decoder) throws {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let all = try? decoder.container(keyedBy: EntryJSON.StrictKeys.AnyKey.self) {
                let unknown = all.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
                guard unknown.isEmpty else { throw EntryJSON.UnknownKeys(fields: unknown) }
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cells = try container.decode([String: String].self, forKey: .cells)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
        }

        /// The cells as Workflow reads them (every bad cell or amount named at once).
        func parsed() throws -> [ControlCell: Money] {
            try ControlCell.parseAssignments(cells.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        }
    }

    static let figuresSchema = BLPSchema([
        BLPSchema.RecordType("figure", keys: ["cell", "amount"]),
        BLPSchema.RecordType("reason", keys: ["text"]),
    ])

    static func figuresBody(_ request: Request, limits: RequestLimits) async throws -> FiguresBody {
        let body = try await limits.body(of: request)
        switch try WireFormat.ofBody(request) {
        case .json:
            return try EntriesController.decodeJSON(FiguresBody.self, body)
        case .blp:
            let parsed = BLPParser.parse(body, schema: figuresSchema, limits: .standard)
            let reasons = parsed.records.filter { $0.type == "reason" }
            guard parsed.isValid, reasons.count <= 1 else {
                throw WorkflowError.invalidInput("bad control-figure body: `figure cell=CELL amount=AMOUNT` records and at most one `reason text=\"…\"`",
                    details: parsed.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
            }
            var cells: [String: String] = [:]
            for record in parsed.records where record.type == "figure" {
                let cell = record["cell"] ?? ""
                guard cells[cell] == nil else {
                    throw WorkflowError.invalidInput("cell \(JSONString.quoted(cell)) is given twice", details: [ErrorDetail(field: "cell", message: "given twice")])
                }
                cells[cell] = record["amount"] ?? ""
            }
            return FiguresBody(cells: cells, reason: reasons.first?["text"])
        }
    }

    /// The finance bureau sets cells of a department-year's figures.
    @Sendable func setDepartment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let department = try context.parameters.require("department")
        let year = try EntriesController.year(context)
        let sent = try await Self.figuresBody(request, limits: limits)
        try await admin.setDepartmentFigures(department: department, year: year, cells: try sent.parsed(), reason: sent.reason, by: caller)
        return try Self.reply(try await admin.departmentSheet(department, year: year, for: caller), format: format)
    }

    /// A department's reviewer (or the finance bureau) allocates cells to one of its units.
    @Sendable func allocate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let unit = try context.parameters.require("unit")
        let year = try EntriesController.year(context)
        let sent = try await Self.figuresBody(request, limits: limits)
        try await admin.allocateUnitFigures(unit: unit, year: year, cells: try sent.parsed(), reason: sent.reason, by: caller)
        return try Self.reply(try await admin.unitSheet(unit, year: year, for: caller), format: format)
    }

    /// The finance bureau and auditors any department, a department reviewer its own; others 404.
    @Sendable func department(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let sheet = try await admin.departmentSheet(
            try context.parameters.require("department"), year: try EntriesController.year(context), for: caller)
        return try Self.reply(sheet, format: format)
    }

    /// The unit's officer, its department's reviewer, the finance bureau and auditors; others 404.
    @Sendable func unit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let sheet = try await admin.unitSheet(try context.parameters.require("unit"), year: try EntriesController.year(context), for: caller)
        return try Self.reply(sheet, format: format)
    }

    static func reply(_ sheet: ControlSheet, format: WireFormat) throws -> Response {
        switch format {
        case .json: return try Reply.json(sheet).response
        case .blp: return Reply.blp(try BudgetYearBLP.sheet(sheet)).response
        }
    }
}
