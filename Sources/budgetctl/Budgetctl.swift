import ArgumentParser
import Foundation

/// `budgetctl`: the finance bureau's admin CLI.
@main
struct Budgetctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budgetctl",
        abstract: "Administer budget preparation: migrations, organizations, users, review and publication.",
        discussion: """
            Connects with DATABASE_URL (a libpq connection string) or --database. Acts as the registered \
            user named by --as USER (or BUDGETCTL_USER), recorded in the audit log with channel cli; \
            `migrate` and the first `user add --role admin` need none.

            Output: tables for people; --format json (or blp, where entries are printed) for scripts. \
            Progress of long operations shows on stderr only when it is a terminal.

            Exit codes: 0 ok, 1 refused by a rule or validation, 2 usage, 3 not found, 4 conflict \
            (illegal transition, stale, duplicate), 5 database unavailable or not migrated.

            Example:
              export DATABASE_URL=postgresql://postgres@127.0.0.1:54329/budget
              budgetctl migrate
              budgetctl user add --name admin --role admin
              budgetctl queue --as finance
            """,
        subcommands: [
            Migrate.self, Org.self, User.self, Queue.self, Show.self, Submit.self, Approve.self, Reject.self,
            Publish.self, Control.self, Waive.self, Import.self, Export.self, Audit.self, DisclosureCommand.self,
        ]
    )

    /// ArgumentParser's own entry point, except that usage errors exit 2 (its default is 64) with
    /// a `budgetctl:` reason line, like every other failure.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let details = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: true)
                .filter { !$0.hasPrefix("Error:") }
            var text = "budgetctl: \(TerminalText.escape(message(for: error)))\n"
            for line in details { text += "  \(TerminalText.escape(String(line)))\n" }
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(CLIError.Kind.usage.rawValue)
        }
    }
}
