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
              DATABASE_URL=postgresql://budget_owner@127.0.0.1:54329/budget budgetctl migrate
              export DATABASE_URL=postgresql://budget_server@127.0.0.1:54329/budget
              budgetctl user add --name admin --role admin
              budgetctl queue --as finance
            """,
        subcommands: [
            Migrate.self, Org.self, User.self, Queue.self, Show.self, Submit.self, Approve.self, Reject.self,
            Publish.self, ApproveBudget.self, ApproveUnits.self, BudgetApprovalCommand.self, DeadlinesCommand.self, SummaryCommand.self,
            Control.self, Waive.self, Year.self, Import.self, Export.self, Audit.self, DisclosureCommand.self,
        ]
    )

    /// ArgumentParser's own entry point, except that usage errors exit 2 (its default is 64) with
    /// a `budgetctl:` reason line, like every other failure.
    static func main() async {
        if let unknown = unknownCommand(in: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data("budgetctl: \(unknown)\n".utf8))
            Foundation.exit(CLIError.Kind.usage.rawValue)
        }
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

    /// "unknown command aprove; did you mean approve?" for a word that names no subcommand where one
    /// is expected; ArgumentParser would complain about a later option instead (`Unknown option '--all'`).
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Budgetctl.self
        var path = ["budgetctl"]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
            let names = subcommands.map { $0._commandName }
            guard let index = names.firstIndex(of: argument) else {
                if argument == "help" { return nil }
                let close = names.filter { editDistance($0, argument) <= 2 || ($0.hasPrefix(argument) && argument.count >= 2) }
                let hint = close.isEmpty
                    ? "; the commands are \(names.joined(separator: ", "))"
                    : "; did you mean \(close.joined(separator: " or "))?"
                let place = path.count > 1 ? " of \(path.joined(separator: " "))" : ""
                return "unknown command \(argument)\(place)\(hint) (`\(path.joined(separator: " ")) --help` lists them)"
            }
            command = subcommands[index]
            path.append(argument)
        }
        return nil
    }

    /// Levenshtein distance, for the did-you-mean hint.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
