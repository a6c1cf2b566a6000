import Foundation
import Logging
import Persistence

/// The PostgreSQL cluster that the test command (`scripts/test.sh`) started.
///
/// Tests never skip when it is missing: they fail, naming the variable to set.
public enum TestPostgres {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "BUDGET_TEST_PGHOST / BUDGET_TEST_PGPORT are not set: run the tests with scripts/test.sh, which starts PostgreSQL"
        }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// The repository root, for scripts and sql files.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func conninfo(database: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["BUDGET_TEST_PGHOST"], let port = env["BUDGET_TEST_PGPORT"] else { throw NotConfigured() }
        return "host=\(host) port=\(port) user=postgres dbname=\(database)"
    }

    /// A new, empty database with a unique name; migrated unless asked otherwise.
    public static func makeDatabase(
        migrated: Bool = true, poolSize: Int = 4, acquireTimeout: Duration = .seconds(2)
    ) async throws -> TestDatabase {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = ConnectionPool(
            configuration: .init(connectionString: try conninfo(database: "postgres"), size: 1), logger: logger)
        try await admin.withConnection { connection in
            try connection.query("CREATE DATABASE \(identifier: String(name)) ENCODING 'UTF8' TEMPLATE template0")
        }
        await admin.shutdown()
        let database = TestDatabase(
            name: String(name), conninfo: try conninfo(database: String(name)), poolSize: poolSize, acquireTimeout: acquireTimeout,
            auditKey: try TestAuditKey.run().key)
        if migrated { try await database.migrate() }
        return database
    }

    public static func migrations() throws -> [Migration] {
        try MigrationSource.load(directory: repositoryRoot.appendingPathComponent("sql/migrations"))
    }
}

/// One throwaway database and a pool on it, which signs audit events with the run's key.
public final class TestDatabase: Sendable {
    public let name: String
    public let conninfo: String
    package let pool: ConnectionPool

    init(name: String, conninfo: String, poolSize: Int, acquireTimeout: Duration, auditKey: AuditSigningKey) {
        self.name = name
        self.conninfo = conninfo
        pool = ConnectionPool(
            configuration: .init(connectionString: conninfo, size: poolSize, acquireTimeout: acquireTimeout, auditKey: auditKey),
            logger: TestPostgres.logger)
    }

    @discardableResult
    public func migrate() async throws -> Migrator.Report {
        try await Migrator(migrations: TestPostgres.migrations()).migrate(pool: pool, logger: TestPostgres.logger)
    }

    /// A separate superuser connection, for what the application must not do itself.
    package func superuser() throws -> PostgresConnection {
        try PostgresConnection(connectionString: conninfo, logger: TestPostgres.logger)
    }
}
