import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl queue`: what awaits review, the longest-waiting first.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the entries awaiting review, oldest first, with unit, amount and age.",
        discussion: """
            By default the entries awaiting the finance bureau (state finance_review). The age is the \
            time since the entry entered its state. Only entries within the acting user's scope show.

            Example:
              budgetctl queue --as finance
              budgetctl queue --as finance --department 201 --year 2020 --format json
              budgetctl queue --as reviewer-201 --state department_review
            """
    )

    @Option(help: "The state to list: \(EntryState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: String = EntryState.financeReview.rawValue
    @Option(help: "Only this fiscal year.") var year: Int?
    @Option(help: "Only the units of this department.") var department: String?
    @Option(help: "At most this many entries (1–1000).") var limit: Int = 1000

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.table, .json])
        guard EntryState(rawValue: state) != nil else {
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
            let state = EntryState(rawValue: state)!
            let queued = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "queue")
                return try await session.entries.queue(state: state, year: year, department: department, limit: limit, for: caller)
            }
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
}
