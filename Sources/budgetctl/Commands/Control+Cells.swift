import ArgumentParser
import Persistence
import Workflow

/// The cells of a control-figure sheet, as `--cell CELL=AMOUNT` options.
struct CellOptions: ParsableArguments {
    @Option(name: .customLong("cell"), help: ArgumentHelp(
        "A cell and its figure in yuan, e.g. kind:project=1774200.00; repeat for more cells.",
        discussion: "Cells: \(ControlCell.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "CELL=AMOUNT"))
    var texts: [String] = []

    @Option(help: "Why (optional, recorded in the audit log).") var reason: String?

    func cells() throws -> [ControlCell: Money] { try ControlCell.parseAssignments(texts) }
}

extension Control {
    struct SetDepartment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-department",
            abstract: "Set cells of a department's control figures for a year (finance bureau).",
            discussion: """
                Each --cell sets one cell; cells not named keep their figure. A figure below what the \
                department has already allocated to its units is refused (V7). Amounts in yuan, at \
                most two decimals, 0 to 10^12.

                Example:
                  budgetctl control set-department --as finance --department 201 --year 2021 \\
                      --cell kind:personnel=7231300.00 --cell kind:operation=1119400.00 \\
                      --cell kind:project=1774200.00 --cell sangong:reception=205000.00
                """
        )

        @Option(help: "The department.") var department: String
        @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @OptionGroup var cellOptions: CellOptions
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                let cells = try cellOptions.cells()
                try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "control set-department")
                    do {
                        try await session.admin.setDepartmentFigures(
                            department: department, year: year, cells: cells, reason: cellOptions.reason, by: caller)
                    } catch let error as WorkflowError where error.category == .notFound {
                        throw CLIError.notFound("department \(department) not found")
                    }
                }
                for (cell, amount) in cells.sorted(by: { $0.key < $1.key }) {
                    print("control figure of department \(department) for \(year): \(cell.rawValue) \(amount.groupedYuan) yuan")
                }
            }
        }
    }

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allocate cells of a department's control figures to one of its units (its reviewer or the finance bureau).",
            discussion: """
                The units' allocations of a cell never exceed the department's figure in it: an \
                allocation beyond it is refused (V7) naming each cell and the overshoot. A \
                department reviewer allocates only to its own department's units. The unit's \
                total cell is the figure `control set` sets.

                Example:
                  budgetctl control allocate --as reviewer-201 --unit 201002 --year 2021 \\
                      --cell kind:project=1774200.00 --reason "按部门预算一下控制数分配"
                """
        )

        @Option(help: "The unit.") var unit: String
        @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @OptionGroup var cellOptions: CellOptions
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                let cells = try cellOptions.cells()
                try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "control allocate")
                    do {
                        try await session.admin.allocateUnitFigures(
                            unit: unit, year: year, cells: cells, reason: cellOptions.reason, by: caller)
                    } catch let error as WorkflowError where error.category == .notFound {
                        throw CLIError.notFound("unit \(unit) not found")
                    }
                }
                for (cell, amount) in cells.sorted(by: { $0.key < $1.key }) {
                    print("control figure of unit \(unit) for \(year): \(cell.rawValue) \(amount.groupedYuan) yuan")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a department's or a unit's control figures: ceiling, allocated, used and remaining per cell.",
            discussion: """
                Used: the year's entries in department_review, finance_review, approved or \
                published, each code once at its latest such revision. Allocated (a department): \
                the sum of its units' figures.

                Example:
                  budgetctl control show --as finance --department 201 --year 2021
                  budgetctl control show --as officer-201002 --unit 201002 --year 2021 --format json
                """
        )

        @Option(help: "A department.") var department: String?
        @Option(help: "A unit.") var unit: String?
        @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (department == nil) != (unit == nil) else { throw ValidationError("give --department or --unit (one of them)") }
            try output.require([.table, .json])
        }

        func run() async throws {
            try await reportingFailures {
                let sheet = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "control show")
                    do {
                        if let department {
                            return try await session.admin.departmentSheet(department, year: year, for: caller)
                        }
                        return try await session.admin.unitSheet(unit!, year: year, for: caller)
                    } catch let error as WorkflowError where error.category == .notFound {
                        throw CLIError.notFound(department.map { "department \($0) not found" } ?? "unit \(unit!) not found")
                    }
                }
                switch output.format {
                case .json: try Output.printJSON(sheet)
                case .table, .blp: print(Self.table(sheet))
                }
            }
        }

        static func table(_ sheet: ControlSheet) -> String {
            let department = sheet.level == .department
            var columns = [TextTable.Column("cell"), TextTable.Column("ceiling (yuan)", .right)]
            if department { columns.append(TextTable.Column("allocated", .right)) }
            columns += [TextTable.Column("used", .right), TextTable.Column("remaining", .right)]
            var table = TextTable(columns)
            for row in sheet.cells {
                var values = [row.cell.rawValue, row.ceiling?.groupedYuan ?? "—"]
                if department { values.append(row.allocated?.groupedYuan ?? "") }
                values += [row.used.groupedYuan, row.remaining?.groupedYuan ?? "—"]
                table.add(values)
            }
            return "control figures of \(sheet.level.rawValue) \(sheet.holder) for \(sheet.year)\n" + table.render()
        }
    }
}
