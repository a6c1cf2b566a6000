import ArgumentParser
import Foundation
import Persistence
import Workflow

/// What went wrong, mapped in one place to an exit code, a one-line reason and detail lines on stderr.
struct CLIError: Error, CustomStringConvertible {
    /// 0 ok, 1 refused by a rule or validation, 2 usage, 3 not found, 4 conflict, 5 database unavailable.
    enum Kind: Int32, Sendable {
        case refused = 1
        case usage = 2
        case notFound = 3
        case conflict = 4
        case databaseUnavailable = 5
    }

    var kind: Kind
    var message: String
    /// One line each: a violated rule (`V3: …`), a bad input line (`line 4 field general: …`), a failed entry of a batch.
    var details: [String] = []

    var exitCode: Int32 { kind.rawValue }
    var description: String { message }

    static func usage(_ message: String) -> CLIError { CLIError(kind: .usage, message: message) }
    static func refused(_ message: String, details: [String] = []) -> CLIError { CLIError(kind: .refused, message: message, details: details) }
    static func notFound(_ message: String) -> CLIError { CLIError(kind: .notFound, message: message) }
    static func conflict(_ message: String, details: [String] = []) -> CLIError { CLIError(kind: .conflict, message: message, details: details) }
    static func databaseUnavailable(_ message: String) -> CLIError { CLIError(kind: .databaseUnavailable, message: message) }

    /// The exit code of every domain and database failure: the one table (the API's statuses are
    /// `APIError.status(of:)`; a value refused is exit 1 / 422, a conflict exit 4 / 409, an
    /// unavailable database exit 5 / 503).
    static func kind(of failure: FailureClass) -> Kind {
        switch failure {
        case .workflow(.notFound): .notFound
        case .workflow(.forbidden), .workflow(.unauthorized), .workflow(.validation), .workflow(.invalidInput): .refused
        case .workflow(.conflict), .workflow(.preconditionFailed): .conflict
        case .database(.unavailable), .database(.outcomeUnknown), .database(.busy), .database(.timedOut): .databaseUnavailable
        case .database(.transient), .database(.duplicate): .conflict
        case .database(.refusedValues): .refused
        // No CLI code says "internal": a not-migrated database cannot serve (5); a defect is refused (1).
        case .database(.notMigrated): .databaseUnavailable
        case .database(.internalFailure): .refused
        }
    }

    static func kind(of category: WorkflowError.Category) -> Kind { kind(of: .workflow(category)) }

    /// Classifies any error the commands may meet.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as WorkflowError:
            return CLIError(kind: kind(of: .workflow(error.category)), message: error.message, details: error.details.map(line(for:)))
        case let error as PostgresError:
            return from(error)
        case let error as MigrationError:
            return .conflict(error.description)
        case let error as BLPWriteError:
            return .refused("cannot write BLP: \(error.reason)")
        default:
            return .refused("\(error)")
        }
    }

    /// A database failure in the categories the API uses too (`PostgresError.Disposition`): a value
    /// the database refuses is invalid input (exit 1, like API 422), a duplicate is a conflict
    /// (exit 4, like 409), a lost or busy database is exit 5 (503). The database's own wording
    /// (constraint names, parameters) is shown only with BUDGETCTL_VERBOSE=1.
    static func from(_ error: PostgresError) -> CLIError {
        let kind = kind(of: .database(error.disposition))
        let message = switch error.disposition {
        case .unavailable, .busy, .timedOut: "database unavailable; nothing was changed, try again"
        case .outcomeUnknown: "the database connection was lost during COMMIT: the change may or may not have been applied; check before retrying"
        case .notMigrated: "the database is not migrated; run `budgetctl migrate`"
        case .transient, .duplicate: "conflict: a concurrent change got there first or the record already exists; nothing was changed"
        case .refusedValues: "the database refused the values; nothing was changed"
        case .internalFailure: "database error; nothing was changed"
        }
        var failure = CLIError(kind: kind, message: message)
        if verbose {
            failure.details.append("database: \(error)" + (error.detail.map { "; \($0)" } ?? ""))
        } else {
            failure.message += " (details: set BUDGETCTL_VERBOSE=1)"
        }
        return failure
    }

    /// Whether database details may be printed (BUDGETCTL_VERBOSE=1).
    static var verbose: Bool {
        ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["BUDGETCTL_VERBOSE"]?.lowercased() ?? "")
    }

    /// One detail as a line: `line 4 field general: V1: …` for input lines, `V3: … (plan[3])` for rules.
    static func line(for detail: ErrorDetail) -> String {
        let rule = detail.rule.map { "\($0.rawValue): " } ?? ""
        if let line = detail.line {
            return "line \(line)" + (detail.field.map { " field \($0)" } ?? "") + ": " + rule + detail.message
        }
        if detail.rule != nil {
            return rule + detail.message + (detail.field.map { " (\($0))" } ?? "")
        }
        return (detail.field.map { "\($0): " } ?? "") + detail.message
    }

    /// Writes the reason and its details to stderr.
    func report() {
        var text = "budgetctl: \(TerminalText.escape(message))\n"
        for detail in details { text += "  \(TerminalText.escape(detail))\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension AsyncParsableCommand {
    /// Runs a command body, turning failures into the documented exit codes.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let failure = CLIError.from(error)
            failure.report()
            throw ExitCode(failure.exitCode)
        }
    }
}
