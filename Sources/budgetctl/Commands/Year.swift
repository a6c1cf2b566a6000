import ArgumentParser
import Persistence
import Workflow

/// `budgetctl year …`: the finance bureau's calendar of rounds (二上二下) of a fiscal year.
struct Year: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open, extend, close and show the rounds (一上, 一下, 二上, 二下) of a fiscal year.",
        discussion: """
            A year with no round opened is unmanaged: entries are created and submitted at any time, \
            as before rounds existed. Once 一上 is opened, units create and submit entries only while \
            一上 or 二上 is open. Rounds open in order; opening a round closes the previous one if it \
            is still open. Opening 一下 freezes the 一上 figures; opening 二上 carries every 一上 entry \
            into 二上 as a new draft. Dates are days in Asia/Shanghai, the last day included. Rounds \
            may be named in Chinese or as one-up, one-down, two-up, two-down.

            Examples:
              budgetctl year open 2021 --as finance --round 一上 --until 2020-09-30
              budgetctl year open 2021 --as finance --round 一下 --from 2020-10-08 --until 2020-10-31
              budgetctl year extend 2021 --as finance --round 一上 --until 2020-10-15
              budgetctl year close 2021 --as finance --round 一上
              budgetctl year show 2021 --as finance
            """,
        subcommands: [Open.self, Extend.self, Close.self, ShowYear.self]
    )

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a round of a year (finance bureau).",
            discussion: """
                --from defaults to today. A round opens only after the previous one has started; \
                if the previous one is still open and the new one opens today, the previous one is \
                closed. Opening 一下 freezes the 一上 figures (round_figures); opening 二上 carries \
                every 一上 entry into 二上 as a new draft revision, superseding its 一上 revision.

                Example:
                  budgetctl year open 2021 --as finance --round 一上 --until 2020-09-30
                """
        )

        @Argument(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @Option(help: "The round: 一上, 一下, 二上, 二下 (or one-up, one-down, two-up, two-down).") var round: String
        @Option(help: "The first day, YYYY-MM-DD (default: today in Asia/Shanghai).") var from: String?
        @Option(help: "The last day, YYYY-MM-DD (included).") var until: String

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try output.require([.table, .json])
                let round = try BudgetRound.parse(self.round)
                let opensOn = try from.map { try CalendarDate.parse($0, field: "from") }
                let closesOn = try CalendarDate.parse(until, field: "until")
                let document = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "year open")
                    return try await YearService(pool: session.pool).open(
                        year: year, round: round, from: opensOn, until: closesOn, by: caller)
                }
                try YearPresentation.print(document, format: output.format, headline: "opened round \(round.rawValue) of \(year)")
            }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the last day of a round later (finance bureau).",
            discussion: """
                The new last day must be after the current one and before the next round opens.

                Example:
                  budgetctl year extend 2021 --as finance --round 一上 --until 2020-10-15
                """
        )

        @Argument(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @Option(help: "The round: 一上, 一下, 二上, 二下 (or one-up, one-down, two-up, two-down).") var round: String
        @Option(help: "The new last day, YYYY-MM-DD (included).") var until: String

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try output.require([.table, .json])
                let round = try BudgetRound.parse(self.round)
                let closesOn = try CalendarDate.parse(until, field: "until")
                let document = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "year extend")
                    return try await YearService(pool: session.pool).extend(year: year, round: round, until: closesOn, by: caller)
                }
                try YearPresentation.print(document, format: output.format, headline: "round \(round.rawValue) of \(year) now ends on \(closesOn)")
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a round now, whatever its dates say (finance bureau).",
            discussion: """
                Example:
                  budgetctl year close 2021 --as finance --round 一上
                """
        )

        @Argument(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @Option(help: "The round: 一上, 一下, 二上, 二下 (or one-up, one-down, two-up, two-down).") var round: String

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try output.require([.table, .json])
                let round = try BudgetRound.parse(self.round)
                let document = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "year close")
                    return try await YearService(pool: session.pool).close(year: year, round: round, by: caller)
                }
                try YearPresentation.print(document, format: output.format, headline: "closed round \(round.rawValue) of \(year)")
            }
        }
    }

    struct ShowYear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the calendar of a year: each round's dates and state today.",
            discussion: """
                Example:
                  budgetctl year show 2021 --as finance --format json
                """
        )

        @Argument(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await reportingFailures {
                try output.require([.table, .json])
                let document = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "year show")
                    return try await YearService(pool: session.pool).calendar(year, for: caller)
                }
                try YearPresentation.print(document, format: output.format, headline: nil)
            }
        }
    }
}

/// A year's calendar for people (a table) or scripts (JSON, as `GET /v1/years/{year}`).
enum YearPresentation {
    static func print(_ document: YearDocument, format: OutputFormat, headline: String?) throws {
        if format == .json {
            try Output.printJSON(document)
            return
        }
        if let headline { Swift.print(headline) }
        guard document.managed else {
            Swift.print("year \(document.year) is unmanaged: no round opened; entries are created and submitted at any time")
            return
        }
        let open = document.entryRound.map { "round \($0.rawValue) is open for entries" } ?? "no round is open for entries"
        Swift.print("year \(document.year), today \(document.today): \(open)")
        var table = TextTable([.init("round"), .init("opens_on"), .init("closes_on"), .init("state"), .init("closed_at"), .init("opened_by")])
        for round in document.rounds {
            table.add([round.round.rawValue, round.opensOn.description, round.closesOn.description, round.state.rawValue,
                       round.closedAt.map(Output.time) ?? "", round.openedBy])
        }
        Swift.print(table.render())
    }
}
