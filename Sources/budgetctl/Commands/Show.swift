import ArgumentParser
import Persistence
import Workflow

/// `budgetctl show <id|code>`: one entry in full, with its history.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one entry: its fields, items, indicators, procurement and history.",
        discussion: """
            The entry is named by its id or by its code (项目编码); a code used in several years needs \
            --year. --format json prints the entry as the API does; --format blp as `import` reads it. \
            In a year run in rounds it shows the round and the figures 一上 / 二上 / 批复 side by side, \
            with the change.

            Example:
              budgetctl show --as finance 201-0502-JBN-E5EL --year 2020
              budgetctl show --as finance 201-0502-JBN-E5EL --year 2020 --format blp
            """
    )

    @Argument(help: "The entry's id or code.") var entry: String
    @Option(help: "The fiscal year of the code.", transform: FiscalYearArgument.parse) var year: Int?

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingFailures {
            let (found, history, figures) = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "show")
                let found = try await session.entry(entry, year: year, for: caller)
                let history = try await session.entries.history(found.id, for: caller)
                return (found, history, try await session.entries.figures(of: found))
            }
            switch output.format {
            case .json: try Output.printJSON(EntryDocument.Read(entry: found, figures: figures))
            case .blp: print(try EntryPresentation.blp([found]), terminator: "")
            case .table: print(EntryPresentation.detail(found, history: history, figures: figures))
            }
        }
    }
}
