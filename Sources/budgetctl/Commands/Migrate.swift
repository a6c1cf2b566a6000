import ArgumentParser
import Foundation
import Persistence

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations from sql/migrations, in order.",
        discussion: """
            Each migration runs in its own transaction and is recorded with its checksum; an applied \
            migration whose file has changed is refused. Running it again is a no-op. Connect as the \
            schema owner (budget_owner of deploy/roles.sql), not as the server's role.

            Example:
              DATABASE_URL=postgresql://budget_owner@127.0.0.1:54329/budget budgetctl migrate
            """
    )

    @Option(help: "Folder holding the migration files (default: sql/migrations of the checkout or $BUDGET_SQL_DIR).")
    var migrations: String?

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingFailures {
            let directory = try migrations.map { URL(fileURLWithPath: $0) } ?? MigrationSource.migrationsDirectory()
            let files = try MigrationSource.load(directory: directory)
            let report = try await db.withPool { pool in
                try await Migrator(migrations: files).migrate(pool: pool, logger: CLI.logger)
            }
            for file in report.applied { print("applied \(file)") }
            print(report.applied.isEmpty
                  ? "database is up to date (\(report.alreadyApplied) migrations)"
                  : "applied \(report.applied.count), \(report.alreadyApplied) already applied")
        }
    }
}
