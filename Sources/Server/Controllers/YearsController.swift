import Foundation
import Hummingbird
import Persistence
import Workflow

/// A fiscal year's calendar of rounds (二上二下): `GET /v1/years/{year}`, for anyone signed in.
/// The finance bureau opens, extends and closes rounds with `budgetctl year …`.
struct YearsController: Sendable {
    let years: YearService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("years/:year", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try EntriesController.requireJSON(request, what: "a year's calendar")
        let year = try EntriesController.year(context)
        return try Reply.json(try await years.calendar(year, for: caller)).response
    }
}
