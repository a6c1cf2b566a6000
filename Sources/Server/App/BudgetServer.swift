import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Persistence
import Prometheus
import Workflow

/// `budget-server`: reads its configuration from the environment and serves until SIGTERM/SIGINT.
@main
struct BudgetServer {
    static func main() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("budget-server: \(error)\n".utf8))
            exit(2)
        }
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                configuration.logFormat == .json
                ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "budget-server")
        let pool = ConnectionPool(configuration: configuration.pool, logger: logger)
        if configuration.migrateOnStart {
            let migrations = try MigrationSource.load(directory: MigrationSource.migrationsDirectory())
            let report = try await Migrator(migrations: migrations).migrate(pool: pool, logger: logger)
            logger.info("migrations checked", metadata: ["applied": "\(report.applied.count)"])
        }
        do {
            let app = try await buildApplication(configuration: configuration, pool: pool, logger: logger, metrics: registry)
            try await app.runService()
        } catch {
            // e.g. the port is taken: one clear line and a non-zero exit, not a crash.
            logger.critical("budget-server stopped", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("budget-server: \(error)\n".utf8))
            exit(1)
        }
    }
}
