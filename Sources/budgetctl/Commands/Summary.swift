import ArgumentParser
import Persistence
import Workflow

/// `budgetctl summary`: a unit-year's or a department-year's totals, with its figures side by side
/// by round (一上 / 二上 / 批复) in a year run in rounds — the same JSON as the API's summaries.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show the totals of a unit-year or a department-year, with 一上 / 二上 / 批复 side by side.",
        discussion: """
            A unit-year: totals by kind, funding source and state. A department-year: the same over \
            its units, and each unit's total. In a year run in rounds, the figures of 一上 (frozen \
            when 一下 opened), 二上 (the live revisions prepared in 二上) and 批复 (frozen at the \
            finance bureau's 批复) side by side, with the change (批复, else 二上, minus 一上).

            Example:
              budgetctl summary --as finance --department 201 --year 2020
              budgetctl summary --as reviewer-201 --unit 201002 --year 2020 --format json
            """
    )

    @Option(help: "The unit.") var unit: String?
    @Option(help: "The department.") var department: String?
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.table, .json])
        guard (unit == nil) != (department == nil) else {
            throw ValidationError("give exactly one of --unit and --department")
        }
    }

    func run() async throws {
        try await reportingFailures {
            try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "summary")
                if let unit {
                    let summary = try await session.entries.summary(unit: unit, year: year, for: caller)
                    switch output.format {
                    case .json: try Output.printJSON(summary)
                    case .table, .blp:
                        print(Self.totals(summary.total, summary.byKind, summary.bySource))
                        if let figures = summary.figures { print(Self.figures([(unit, figures)])) }
                    }
                } else if let department {
                    let summary = try await session.entries.summary(department: department, year: year, for: caller)
                    switch output.format {
                    case .json: try Output.printJSON(summary)
                    case .table, .blp:
                        print(Self.totals(summary.total, summary.byKind, summary.bySource))
                        var units = TextTable([.init("unit"), .init("name"), .init("total", .right)])
                        for line in summary.units {
                            units.add([line.unit, line.name, line.total.description])
                        }
                        print(units.render())
                        if let figures = summary.figures {
                            print(Self.figures([(department, figures)] + summary.units.compactMap { line in
                                line.figures.map { (line.unit, $0) }
                            }))
                        }
                    }
                }
            }
        }
    }

    static func totals(_ total: Money, _ byKind: [String: Money], _ bySource: [String: Money]) -> String {
        var table = TextTable([.init("total of"), .init("amount", .right)])
        table.add(["all", total.description])
        for (kind, amount) in byKind.sorted(by: { $0.key < $1.key }) { table.add(["kind \(kind)", amount.description]) }
        for (source, amount) in bySource.sorted(by: { $0.key < $1.key }) { table.add(["funding \(source)", amount.description]) }
        return table.render()
    }

    static func figures(_ rows: [(String, RoundFigures)]) -> String {
        var table = TextTable([.init(""), .init("一上", .right), .init("二上", .right), .init("批复", .right), .init("change", .right)])
        for (holder, f) in rows {
            table.add([holder, f.firstUp?.description ?? "-", f.secondUp?.description ?? "-",
                       f.approved?.description ?? "-", f.change?.description ?? "-"])
        }
        return table.render()
    }
}
