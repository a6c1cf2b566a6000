import ArgumentParser

/// `budgetctl`: the finance bureau's admin CLI.
@main
struct Budgetctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budgetctl",
        abstract: "Administer budget preparation: migrations, organizations, users, review and publication.",
        discussion: """
            Connects with DATABASE_URL (a libpq connection string) or --database.
            Exit codes: 0 ok, 1 refused by a rule, 2 usage, 3 not found, 4 conflict, 5 database unavailable.
            """,
        subcommands: [Migrate.self]
    )
}
