import ArgumentParser
import Persistence
import Workflow

/// `budgetctl user add | list | revoke`: users and their bearer tokens.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users and their API tokens.",
        discussion: """
            Example:
              budgetctl user add --name admin --role admin
              budgetctl user add --as admin --name finance --role finance_reviewer
              budgetctl user list --as admin
              budgetctl user revoke --as admin finance
            """,
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print its API token, once.",
            discussion: """
                Roles: officer (needs --org UNIT), department_reviewer (needs --org DEPARTMENT), \
                finance_reviewer, auditor, admin. The token is printed only now, alone on the last line \
                (or as "token" with --format json); only its hash is stored. While no admin exists, the \
                first admin is created without --as.

                Example:
                  budgetctl user add --name admin --role admin
                  budgetctl user add --as admin --name officer-201002 \\
                      --role officer --org 201002
                  TOKEN=$(budgetctl user add --as admin --name finance \\
                      --role finance_reviewer | tail -n 1)
                """
        )

        @Option(help: "User name: letters, digits and . _ @ -") var name: String
        @Option(help: "officer, department_reviewer, finance_reviewer, auditor or admin.") var role: String
        @Option(help: "The unit (officer) or department (department_reviewer) the user is bound to.") var org: String?

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try output.require([.table, .json])
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        struct Created: Encodable {
            var name: String
            var role: Role
            var org: String?
            var token: String
        }

        func run() async throws {
            try await reportingFailures {
                let role = Role(rawValue: role)!
                let token = try await db.withSession(identity) { session in
                    // No --as: the bootstrap of the first admin, which AdminService allows only then.
                    let caller = session.actingName == nil ? nil : try await session.caller(for: "user add")
                    return try await session.admin.addUser(name: name, role: role, org: org, by: caller)
                }
                switch output.format {
                case .json: try Output.printJSON(Created(name: name, role: role, org: org, token: token))
                case .table, .blp:
                    print("added user \(name) (\(role.rawValue)\(org.map { ", \($0)" } ?? "")); its API token, shown only now:")
                    print(token)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List users, their roles and whether they are revoked (admin, auditor).",
            discussion: """
                Example:
                  budgetctl user list --as admin
                """
        )

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try output.require([.table, .json]) }

        /// A user in JSON; the creation time as ISO 8601 text (Timestamp's own Codable form is an object).
        struct Listed: Encodable {
            var name: String
            var role: Role
            var org: String?
            var revoked: Bool
            var createdAt: String

            init(_ user: AdminService.User) {
                name = user.name
                role = user.role
                org = user.org
                revoked = user.revoked
                createdAt = user.createdAt.description
            }

            enum CodingKeys: String, CodingKey {
                case name, role, org, revoked
                case createdAt = "created_at"
            }
        }

        func run() async throws {
            try await reportingFailures {
                let users = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "user list", may: .listUsers)
                    return try await session.admin.users(by: caller)
                }
                switch output.format {
                case .json: try Output.printJSON(users.map(Listed.init))
                case .table, .blp:
                    var table = TextTable([.init("name"), .init("role"), .init("org"), .init("status"), .init("created")])
                    for user in users {
                        table.add([user.name, user.role.rawValue, user.org ?? "", user.revoked ? "revoked" : "active",
                                   Output.time(user.createdAt)])
                    }
                    print(table.render())
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a user and all its tokens (admin).",
            discussion: """
                The user stays in the audit log; it can no longer sign in or act with --as.

                Example:
                  budgetctl user revoke --as admin officer-201002
                """
        )

        @Argument(help: "The user to revoke.") var name: String

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "user revoke")
                    do {
                        try await session.admin.revokeUser(name, by: caller)
                    } catch let error as WorkflowError where error.category == .notFound {
                        throw CLIError.notFound("user \(name) not found")
                    }
                }
                print("revoked user \(name) and its tokens")
            }
        }
    }
}
