import ArgumentParser
import Disclosure
import Foundation
import Persistence
import Workflow

/// `budgetctl approve-budget`: the finance bureau's 批复 of a department-year (二下).
struct ApproveBudget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve-budget",
        abstract: "Give a department-year its 批复 (finance bureau): freezes the approved figures, starts the clocks.",
        discussion: """
            Allowed only when every entry of the department-year (each code's latest revision, \
            discarded ones aside) is approved or published; otherwise refused (exit 4) with each \
            code that is not and its state. A department-year gets one 批复. The congress date is \
            the day the people's congress approved the year's budget: not after today, in the year \
            or the one before, and the same for every department of the year. The approved figures \
            are frozen as the 批复 figures (年初预算): `budgetctl budget-approval` prints the document. \
            Then the department's reviewer gives its units their 批复 (`budgetctl approve-units`, \
            within 15 days), and publication is due within 20 days.

            Example:
              budgetctl approve-budget --as finance --department 201 --year 2020 --congress-date 2020-01-10 --number "徐财预〔2020〕1号"
            """
    )

    @Option(help: "The department.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "The day the people's congress approved the budget, YYYY-MM-DD.") var congressDate: String
    @Option(help: "The 批复's number (文号), at most 100 characters.") var number: String

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.table, .json]) }

    struct Approved: Encodable {
        var department: String
        var year: Int
        var number: String
        var congressDate: CalendarDate
        var entries: Int
        var total: Money
        enum CodingKeys: String, CodingKey {
            case department, year, number, entries, total
            case congressDate = "congress_date"
        }
    }

    func run() async throws {
        try await reportingFailures {
            let result = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "approve-budget")
                do {
                    return try await session.entries.approveBudget(
                        department: department, year: year, number: number, congressDate: congressDate, by: caller)
                } catch let error as WorkflowError where error.category == .notFound {
                    throw CLIError.notFound("department \(department) not found")
                }
            }
            switch output.format {
            case .json:
                try Output.printJSON(Approved(department: result.department, year: result.year, number: result.number,
                                              congressDate: result.congressDate, entries: result.entries, total: result.total))
            case .table, .blp:
                print("批复 \(result.number) of department \(department) for \(year): \(result.entries) entries, \(result.total.groupedYuan) yuan frozen")
            }
        }
    }
}

/// `budgetctl approve-units`: the department's 批复 to its units, after the finance bureau's.
struct ApproveUnits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve-units",
        abstract: "Give a department's units their 批复 (the department's reviewer), after the finance bureau's 批复.",
        discussion: """
            One act covers every unit of the department; it is given once, and only after the \
            finance bureau's 批复 (exit 4 before it). Due within 15 days of the finance 批复.

            Example:
              budgetctl approve-units --as reviewer-201 --department 201 --year 2020 --number "徐委办〔2020〕3号"
            """
    )

    @Option(help: "The department.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "The department's own number (文号), if any.") var number: String?

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions

    func run() async throws {
        try await reportingFailures {
            _ = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "approve-units")
                do {
                    return try await session.entries.approveUnits(department: department, year: year, number: number, by: caller)
                } catch let error as WorkflowError where error.category == .notFound {
                    throw CLIError.notFound("department \(department) not found")
                }
            }
            print("units of department \(department) have their 批复 for \(year)")
        }
    }
}

/// `budgetctl budget-approval`: the 批复 document of a department-year.
struct BudgetApprovalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget-approval",
        abstract: "Print a department-year's 批复: totals by unit, kind, funding source and project.",
        discussion: """
            The same document as GET /v1/departments/DEPT/years/YEAR/budget-approval, from the \
            figures frozen by the 批复. html is a printable page.

            Example:
              budgetctl budget-approval --as finance --department 201 --year 2020
              budgetctl budget-approval --as finance --department 201 --year 2020 --format html > pifu.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, html
    }

    @Option(help: "The department.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "table, json or html.") var format: Format = .table

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions

    func run() async throws {
        try await reportingFailures {
            let document = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "budget-approval")
                do {
                    return try await session.entries.budgetApprovalDocument(department: department, year: year, for: caller)
                } catch let error as WorkflowError where error.category == .notFound {
                    throw CLIError.notFound("department \(department) has no 批复 for \(year)")
                }
            }
            switch format {
            case .json: try Output.printJSON(document)
            case .html: print(BudgetApprovalHTML.render(document), terminator: "")
            case .table:
                print("\(document.department.code) \(document.department.name) \(document.year) 批复 \(document.number)")
                print("congress date \(document.congressDate), approved \(document.approvedAt) by \(document.approvedBy)")
                if let units = document.unitsApproval {
                    print("units' 批复 \(units.number ?? "(no number)") \(units.approvedAt) by \(units.approvedBy)")
                }
                var table = TextTable([.init("unit"), .init("name"), .init("total", .right), .init("personnel", .right),
                                       .init("operation", .right), .init("project", .right)])
                for unit in document.byUnit {
                    table.add([unit.code, unit.name, unit.total.groupedYuan, unit.personnel.groupedYuan,
                               unit.operation.groupedYuan, unit.project.groupedYuan])
                }
                table.add(["total", "", document.total.groupedYuan, (document.byKind["personnel"] ?? .zero).groupedYuan,
                           (document.byKind["operation"] ?? .zero).groupedYuan, (document.byKind["project"] ?? .zero).groupedYuan])
                print(table.render())
                let sources = ["general", "fund", "state_capital", "special", "other"]
                print("by source: " + sources.map { "\($0) \((document.bySource[$0] ?? .zero).groupedYuan)" }.joined(separator: ", "))
            }
        }
    }
}

/// `budgetctl deadlines`: the running clocks of 二下, overdue first.
struct DeadlinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "List the running clocks (批复, units' 批复, publication) with due date and days left, overdue first.",
        discussion: """
            The finance 批复 is due 20 days after the congress date, the department's 批复 to its \
            units 15 days after the finance 批复, publication 20 days after the finance 批复 (in a \
            year run without rounds, 20 days after the first approval). Days in Asia/Shanghai. \
            Within the acting user's scope.

            Example:
              budgetctl deadlines --as finance
              budgetctl deadlines --as reviewer-201 --year 2020 --format json
            """
    )

    @Option(help: "Only this fiscal year.", transform: FiscalYearArgument.parse) var year: Int?
    @Option(help: "Only this department.") var department: String?

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.table, .json]) }

    func run() async throws {
        try await reportingFailures {
            let found = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "deadlines", may: .readDeadlines)
                return try await session.entries.deadlines(year: year, department: department, for: caller)
            }
            switch output.format {
            case .json: try Output.printJSON(found)
            case .table, .blp:
                guard !found.isEmpty else {
                    print("no clock is running")
                    return
                }
                print(Self.table(found))
            }
        }
    }

    static func table(_ deadlines: [BudgetClocks.Deadline]) -> String {
        var table = TextTable([.init("clock"), .init("department"), .init("year", .right), .init("since"), .init("due"),
                               .init("days left", .right)])
        for d in deadlines {
            table.add([d.clock.rawValue, d.department, String(d.year), d.startedOn.description, d.dueOn.description, d.standing])
        }
        return table.render()
    }
}
