import ArgumentParser
import Foundation
import Logging
import Persistence

/// Options every database command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "libpq connection string or URI (default: $DATABASE_URL).")
    var database: String?

    func connectionString() throws -> String {
        if let database, !database.isEmpty { return database }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return url }
        throw CLIError.usage("no database: set DATABASE_URL or pass --database")
    }

    func makePool() throws -> ConnectionPool {
        ConnectionPool(
            configuration: .init(connectionString: try connectionString(), size: 2, acquireTimeout: .seconds(30),
                                 applicationName: "budgetctl"),
            logger: CLI.logger)
    }
}

enum CLI {
    static let logger: Logger = {
        var logger = Logger(label: "budgetctl")
        logger.logLevel = .warning
        return logger
    }()
}
