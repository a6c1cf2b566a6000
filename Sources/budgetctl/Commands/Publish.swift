import ArgumentParser
import Persistence
import Workflow

/// `budgetctl publish`: a department-year's approved entries become public, all at once.
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish every approved entry of a department-year, atomically (finance bureau).",
        discussion: """
            A published revision supersedes the one it revises. Nothing is published unless every \
            approved entry is. When the department-year's disclosure fails a cross-check, publication \
            is refused (exit 1, each failed check listed) unless --override gives a reason, which is audited.

            The disclosure inputs (baseline, narrative) are cross-checked and frozen with each \
            publication: the public disclosure shows what was published. Inputs changed since then \
            go public only by publishing again — with no approved entries, a publication of the \
            changed inputs alone (exit 4 when nothing changed).

            Example:
              budgetctl publish --as finance --department 201 --year 2020
            """
    )

    @Option(help: "The department.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(name: .customLong("override"), help: ArgumentHelp(
        "Publish despite failed disclosure cross-checks, for this reason (audited).", valueName: "reason"))
    var overrideReason: String?

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.table, .json]) }

    func run() async throws {
        try await reportingFailures {
            let publication = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "publish")
                do {
                    return try await session.entries.publish(department: department, year: year, by: caller,
                                                              overrideReason: overrideReason)
                } catch let error as WorkflowError where error.category == .notFound {
                    throw CLIError.notFound("department \(department) not found")
                }
            }
            switch output.format {
            case .json: try Output.printJSON(publication.published.map { EntryDocument.Saved($0) })
            case .table, .blp:
                print("published \(publication.published.count) entries of department \(department) for \(year)")
                if !publication.inputsChanged.isEmpty {
                    print("disclosure inputs published: \(publication.inputsChanged.joined(separator: ", "))")
                }
                if !publication.published.isEmpty { print(EntryPresentation.table(publication.published)) }
            }
        }
    }
}
