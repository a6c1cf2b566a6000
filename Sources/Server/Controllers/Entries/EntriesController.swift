import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// The entries API of SPEC §6, in JSON and BLP.
struct EntriesController: Sendable {
    let entries: EntryService
    let idempotency: IdempotentRequest
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
        group.get("departments/:department/years/:year/summary", use: departmentSummary)
    }
}
