import Foundation
import Hummingbird
import Persistence
import Workflow

/// A fiscal year's calendar of rounds (二上二下): `GET /v1/years/{year}`, for anyone signed in;
/// JSON, or BLP (`year` and `round` records) to `Accept: text/plain`.
/// The finance bureau opens, extends and closes rounds with `budgetctl year …`.
struct YearsController: Sendable {
    let years: YearService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("years/:year", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let format = try WireFormat.ofResponse(request, default: .json)
        let year = try EntriesController.year(context)
        let calendar = try await years.calendar(year, for: caller)
        switch format {
        case .json: return try Reply.json(calendar).response
        case .blp: return Reply.blp(try BudgetYearBLP.calendar(calendar)).response
        }
    }
}
