import ArgumentParser
import Foundation
import Persistence
import Workflow

/// What went wrong, mapped in one place to an exit code and a one-line reason on stderr.
enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case refused(String)
    case notFound(String)
    case conflict(String)
    case databaseUnavailable(String)

    /// 0 ok, 1 refused by a rule or validation, 2 usage, 3 not found, 4 conflict, 5 database unavailable.
    var exitCode: Int32 {
        switch self {
        case .refused: 1
        case .usage: 2
        case .notFound: 3
        case .conflict: 4
        case .databaseUnavailable: 5
        }
    }

    var description: String {
        switch self {
        case .usage(let m), .refused(let m), .notFound(let m), .conflict(let m), .databaseUnavailable(let m): m
        }
    }

    /// Classifies any error the commands may meet.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as PostgresError:
            switch error.kind {
            case .connection, .poolExhausted, .poolClosed:
                return .databaseUnavailable("database unavailable: \(error.message)")
            case .server where error.sqlState == .undefinedTable:
                return .databaseUnavailable("the database is not migrated (\(error.message)); run `budgetctl migrate`")
            case .server where error.sqlState?.errorClass == "23" || error.sqlState?.isTransient == true:
                return .conflict("conflict: \(error.message)")
            case .server, .decoding, .client:
                return .refused("database error: \(error)")
            }
        case let error as MigrationError:
            return .conflict(error.description)
        default:
            return .refused("\(error)")
        }
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
            FileHandle.standardError.write(Data("budgetctl: \(failure.description)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
