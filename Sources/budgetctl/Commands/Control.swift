import ArgumentParser
import Persistence
import Workflow

/// `budgetctl control set`: the finance bureau's ceiling (控制数) for a unit-year.
struct Control: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage control figures (控制数): departments' figures, units' allocations, and their use.",
        discussion: """
            Example:
              budgetctl control set --as finance --unit 201002 --year 2020 --amount 1000000
              budgetctl control set-department --as finance --department 201 --year 2021 --cell kind:project=1774200.00
              budgetctl control allocate --as reviewer-201 --unit 201002 --year 2021 --cell kind:project=1774200.00
              budgetctl control show --as finance --department 201 --year 2021
            """,
        subcommands: [SetFigure.self, SetDepartment.self, Allocate.self, Show.self]
    )

    struct SetFigure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set or change the control figure of a unit-year (finance bureau).",
            discussion: """
                This is the unit's total cell. In a year without rounds, at finance approval, the \
                unit-year's approved and published entries plus the one being approved must not exceed \
                it (rule V7); in a year with rounds it is checked at every step like every other cell. \
                The amount is in yuan, at most two decimals.

                Example:
                  budgetctl control set --as finance --unit 201002 --year 2020 \\
                      --amount 10124900.00
                """
        )

        @Option(help: "The unit.") var unit: String
        @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @Option(help: "The ceiling in yuan, e.g. 10124900.00.") var amount: String

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                let ceiling: Money
                do throws(MoneyError) {
                    ceiling = try Money.parse(amount)
                } catch {
                    throw WorkflowError.invalidInput("bad amount \(amount): \(error.message)",
                        details: [ErrorDetail(field: "amount", message: error.message)])
                }
                try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "control set")
                    do {
                        try await session.admin.setControlFigure(unit: unit, year: year, amount: ceiling, by: caller)
                    } catch let error as WorkflowError where error.category == .notFound {
                        throw CLIError.notFound("unit \(unit) not found")
                    }
                }
                print("control figure of unit \(unit) for \(year): \(ceiling.groupedYuan) yuan")
            }
        }
    }
}

/// `budgetctl waive`: the finance bureau waives one rule for one entry, with a reason.
struct Waive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Waive one validation rule for one entry, with a reason (finance bureau).",
        discussion: """
            The waiver applies to the entry's current revision and is recorded in the audit log.

            Example:
              budgetctl waive --as finance 201-0603-JBN-DZGW --year 2020 --rule V4 \\
                  --reason "指标待补充，经局务会同意"
            """
    )

    @Argument(help: "The entry's id or code.") var entry: String
    @Option(help: "The fiscal year of the code.", transform: FiscalYearArgument.parse) var year: Int?
    @Option(help: "The rule to waive: V1 … V7.") var rule: String
    @Option(help: "Why (required, recorded in the audit log).") var reason: String

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions

    var ruleCode: RuleCode? { RuleCode(rawValue: rule.uppercased()) }

    func validate() throws {
        guard ruleCode != nil else {
            throw ValidationError("--rule must be one of \(RuleCode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let code = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "waive")
                let target = try await session.entry(entry, year: year, for: caller)
                try await session.admin.waive(ruleCode!, for: target.id, reason: reason, by: caller)
                return target.content.code
            }
            print("waived \(ruleCode!.rawValue) (\(ruleCode!.title)) for entry \(code)")
        }
    }
}
