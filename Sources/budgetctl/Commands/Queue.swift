import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl queue`: what awaits review, the longest-waiting first.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the entries awaiting review, oldest first, with unit, amount and age.",
        discussion: """
            By default the entries awaiting the acting user's role: department_review for a \
            department reviewer (its department's units), finance_review for the finance bureau and \
            the auditor, draft for an officer (its unit's drafts, rejected ones included, to complete \
            and submit). --state lists another state. The age is the time since the entry entered \
            its state. Only entries within the acting user's scope show. \
            Below them, the department-years approved but not yet published, with the days left of \
            the 20-day publication deadline (or how long overdue); --publications lists only those. \
            Then the running clocks of the 批复 (as `budgetctl deadlines`), overdue first.

            Example:
              budgetctl queue --as finance
              budgetctl queue --as finance --department 201 --year 2020 --format json
              budgetctl queue --as reviewer-201
              budgetctl queue --as finance --state department_review
              budgetctl queue --as finance --publications --format json
            """
    )

    @Option(help: "The state to list: \(EntryState.allCases.map(\.rawValue).joined(separator: ", ")) (default: what the acting user's role acts on).")
    var state: String?
    @Option(help: "Only this fiscal year.", transform: FiscalYearArgument.parse) var year: Int?
    @Option(help: "Only the units of this department.") var department: String?
    @Option(help: "At most this many entries (1–1000).") var limit: Int = 1000
    @Flag(help: "List only the department-years awaiting publication (20-day clock).") var publications = false

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.table, .json])
        if let state, EntryState(rawValue: state) == nil {
            throw ValidationError("--state must be one of \(EntryState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...EntryService.Filter.maxLimit).contains(limit) else { throw ValidationError("--limit must be 1–1000") }
    }

    /// One queued entry in JSON: the entry's fields plus where and how long it waits.
    struct Row: Encodable {
        var queued: EntryService.QueuedEntry
        enum CodingKeys: String, CodingKey {
            case unitName = "unit_name"
            case since
            case ageSeconds = "age_seconds"
        }
        func encode(to encoder: any Encoder) throws {
            try queued.entry.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(queued.unitName, forKey: .unitName)
            try container.encode(queued.since.description, forKey: .since)
            try container.encode(queued.ageSeconds, forKey: .ageSeconds)
        }
    }

    func run() async throws {
        try await reportingFailures {
            typealias Found = ([EntryService.QueuedEntry], [DisclosureService.PendingPublication], EntryState, [BudgetClocks.Deadline])
            let (queued, pending, listed, clocks): Found = try await db.withSession(identity) { session -> Found in
                let caller = try await session.caller(for: "queue")
                let listed = self.state.flatMap(EntryState.init(rawValue:)) ?? Self.defaultState(for: caller.actor.role)
                let queued = publications ? [] : try await session.entries.queue(
                    state: listed, year: year, department: department, limit: limit, for: caller)
                // The 20-day clock, for those who may see the department-years concerned.
                let scope: String?? = switch caller.actor.role {
                case .financeReviewer, .auditor: .some(department)
                case .departmentReviewer: .some(caller.actor.orgCode)
                case .officer, .admin: .none
                }
                guard case .some(let departmentFilter) = scope else { return (queued, [], listed, []) }
                let pending = try await DisclosureService(pool: session.pool).pendingPublications(department: departmentFilter, year: year)
                // The clocks of 二下; the unmanaged publication clock is the section above already.
                let clocks = try await session.entries.deadlines(year: year, department: department, for: caller)
                    .filter { clock in
                        clock.clock != .publication || pending.allSatisfy { ($0.department, $0.year) != (clock.department, clock.year) }
                    }
                return (queued, pending, listed, clocks)
            }
            if publications {
                switch output.format {
                case .json: try Output.printJSON(pending)
                case .table, .blp: printPending(pending, emptyMessage: "no department-year awaits publication")
                }
                return
            }
            try printEntries(queued, state: listed)
            if output.format == .table {
                printPending(pending, emptyMessage: nil)
                if !clocks.isEmpty { print("\nrunning clocks (批复 and publication):\n" + DeadlinesCommand.table(clocks)) }
            }
        }
    }

    /// The state a role acts on: what `queue` lists without --state.
    static func defaultState(for role: Role) -> EntryState {
        switch role {
        case .departmentReviewer: .departmentReview
        case .officer: .draft
        case .financeReviewer, .auditor, .admin: .financeReview
        }
    }

    func printPending(_ pending: [DisclosureService.PendingPublication], emptyMessage: String?) {
        guard !pending.isEmpty else {
            if let emptyMessage { print(emptyMessage) }
            return
        }
        print("\nawaiting publication (the law allows \(DisclosureService.publicationDeadlineDays) days from approval):")
        var table = TextTable([.init("department"), .init("year", .right), .init("approved entries", .right), .init("approved since"),
                               .init("deadline", .right)])
        for p in pending {
            let deadline = p.daysLeft >= 0 ? "\(p.daysLeft) days left" : "overdue by \(-p.daysLeft) days"
            table.add([p.department, String(p.year), String(p.approvedEntries), Output.time(p.approvedSince), deadline])
        }
        print(table.render())
    }

    func printEntries(_ queued: [EntryService.QueuedEntry], state: EntryState) throws {
        switch output.format {
        case .json: try Output.printJSON(queued.map(Row.init))
        case .table, .blp:
            guard !queued.isEmpty else {
                print("no entries in \(state.rawValue)")
                return
            }
            var table = TextTable([.init("age", .right), .init("since"), .init("code"), .init("year", .right),
                                   .init("unit"), .init("name"), .init("kind"), .init("amount (yuan)", .right)])
            for q in queued {
                let e = q.entry
                table.add([Output.age(seconds: q.ageSeconds), Output.time(q.since), e.content.code, String(e.year),
                           "\(e.unitCode) \(q.unitName)", e.content.name, e.content.kind.rawValue,
                           e.content.amount.groupedYuan])
            }
            let total = EntryPresentation.sum(queued.map(\.entry))
            table.add(["", "", "total", "", "", "\(queued.count) entries", "", total.groupedYuan])
            print(table.render())
        }
    }
}
