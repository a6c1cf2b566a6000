import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl export --unit U --year Y`: the unit-year's entries as BLP/1 that `import` reads back.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a unit-year's entries as BLP/1 (or JSON), to stdout or -o FILE.",
        discussion: """
            Exports the current revision of every code (discarded and superseded revisions are left \
            out). Importing the output into a unit-year gives the same entries back.

            Example:
              budgetctl export --as finance --unit 201002 --year 2020 -o 201002-2020.blp
              budgetctl export --as finance --unit 201002 --year 2020 --format json |
                  jq '.[].amount'
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case blp, json
    }

    @Option(help: "The unit.") var unit: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "blp (default) or json.") var format: Format = .blp
    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of stdout.") var outputFile: String?

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions

    func run() async throws {
        try await reportingFailures {
            let entries = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "export")
                // Checks that the unit exists and is within the caller's scope (a list would just be empty).
                do {
                    _ = try await session.entries.summary(unit: unit, year: year, for: caller)
                } catch let error as WorkflowError where error.category == .notFound {
                    throw CLIError.notFound("unit \(unit) not found")
                }
                return Self.current(try await session.allEntries(.init(year: year, unit: unit), for: caller))
            }
            let text: String = switch format {
            case .json: try Output.json(entries) + "\n"
            case .blp:
                try EntryPresentation.blp(entries, header: """
                    BLP/1 export of unit \(unit), year \(year): \(entries.count) entries (budgetctl export)
                    # Import: budgetctl import FILE --unit \(unit) --year \(year)
                    """)
            }
            if let outputFile {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: outputFile), options: .atomic)
                } catch {
                    throw CLIError.usage("cannot write \(outputFile): \(error.localizedDescription)")
                }
                Output.note("exported \(entries.count) entries to \(outputFile)")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    /// The newest revision of each code that is not discarded or superseded, in code order.
    static func current(_ entries: [BudgetEntry]) -> [BudgetEntry] {
        var byCode: [String: BudgetEntry] = [:]
        for entry in entries where entry.state != .discarded && entry.state != .superseded {
            if let kept = byCode[entry.content.code], kept.revision > entry.revision { continue }
            byCode[entry.content.code] = entry
        }
        return byCode.values.sorted { $0.content.code < $1.content.code }
    }
}
