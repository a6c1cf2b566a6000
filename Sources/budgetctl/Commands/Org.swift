import ArgumentParser
import Persistence
import Workflow

/// `budgetctl org add | list`: departments (主管部门) and budget units (预算单位).
struct Org: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage organizations: departments and their budget units.",
        discussion: """
            Example:
              budgetctl org add --as admin --code 201 --name 中共保定市徐水区委办公室 --kind department
              budgetctl org list --as admin
            """,
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a department or a unit (admin).",
            discussion: """
                A unit belongs to one existing department (--parent). Nature, level and funding are the \
                columns of the disclosure's organization table (单位性质, 单位规格, 经费保障形式).

                Example:
                  budgetctl org add --as admin --code 201 --kind department \\
                      --name 中共保定市徐水区委办公室 \\
                      --nature 行政 --level 正科 --funding 财政拨款
                  budgetctl org add --as admin --code 201002 --kind unit \\
                      --parent 201 --name 区委办（行政）
                """
        )

        @Option(help: "Organization code, e.g. 201 or 201002.") var code: String
        @Option(help: "Name, e.g. 中共保定市徐水区委办公室.") var name: String
        @Option(help: "department or unit.") var kind: String
        @Option(help: "The department a unit belongs to.") var parent: String?
        @Option(help: "单位性质, e.g. 行政 or 事业.") var nature: String?
        @Option(help: "单位规格, e.g. 正科.") var level: String?
        @Option(help: "经费保障形式, e.g. 财政拨款.") var funding: String?

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try output.require([.table, .json])
            guard OrgKind(rawValue: kind) != nil else { throw ValidationError("--kind must be department or unit, not \(kind)") }
            if OrgKind(rawValue: kind) == .unit, parent == nil { throw ValidationError("a unit needs --parent DEPARTMENT") }
        }

        func run() async throws {
            try await reportingFailures {
                let organization = Organization(
                    code: code, name: name, kind: OrgKind(rawValue: kind)!, parentCode: parent,
                    nature: nature, level: level, funding: funding)
                try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "org add")
                    try await session.admin.addOrganization(organization, by: caller)
                }
                switch output.format {
                case .json: try Output.printJSON(organization)
                case .table, .blp:
                    print("added \(organization.kind.rawValue) \(organization.code) \(organization.name)"
                          + (organization.parentCode.map { " (department \($0))" } ?? ""))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List organizations, each department followed by its units.",
            discussion: """
                Example:
                  budgetctl org list --as finance
                  budgetctl org list --as admin --format json
                """
        )

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try output.require([.table, .json]) }

        func run() async throws {
            try await reportingFailures {
                let organizations = try await db.withSession(identity) { session in
                    _ = try await session.caller(for: "org list")
                    return try await session.admin.organizations()
                }
                switch output.format {
                case .json: try Output.printJSON(organizations)
                case .table, .blp:
                    var table = TextTable([.init("code"), .init("name"), .init("kind"), .init("parent"),
                                           .init("nature"), .init("level"), .init("funding")])
                    for org in organizations {
                        table.add([org.code, org.name, org.kind.rawValue, org.parentCode ?? "",
                                   org.nature ?? "", org.level ?? "", org.funding ?? ""])
                    }
                    print(table.render())
                }
            }
        }
    }
}
