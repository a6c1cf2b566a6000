import Foundation
import Hummingbird
import Persistence
import Workflow

/// Control-figure sheets (控制数): each cell's ceiling, allocated (a department's), used and
/// remaining; JSON, or BLP (a `control` record per cell) to `Accept: text/plain`. Setting and
/// allocating are `budgetctl control …`.
struct ControlFiguresController: Sendable {
    let admin: AdminService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("departments/:department/years/:year/control-figures", use: department)
        group.get("units/:unit/years/:year/control-figures", use: unit)
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
