import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import TestSupport
import Testing

@testable import Server

@Suite("health endpoints")
struct HealthTests {
    @Test("/healthz answers while the process is up")
    func healthz() async throws {
        let db = try await TestPostgres.makeDatabase()
        let app = try await buildApplication(configuration: try .testing(db.conninfo), pool: db.pool, logger: TestPostgres.logger)
        defer { _ = db }
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test("/readyz goes 200 → 503 → 200 as the database stops and starts again")
    func readyz() async throws {
        let cluster = try await PrivateCluster.start()
        let pool = ConnectionPool(
            configuration: .init(connectionString: cluster.url, size: 2, acquireTimeout: .seconds(1)), logger: TestPostgres.logger)
        let app = try await buildApplication(configuration: try .testing(cluster.url), pool: pool, logger: TestPostgres.logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await cluster.run("pg-stop.sh")
            let started = ContinuousClock.now
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil)
            }
            // Answers instead of hanging; generous, since CPU-heavy suites run beside this one.
            #expect(ContinuousClock.now - started < .seconds(60))
            try await cluster.run("pg-start.sh")
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
        await pool.shutdown()
        await cluster.remove()
    }
}

extension ServerConfiguration {
    static func testing(_ url: String) throws -> ServerConfiguration {
        try ServerConfiguration(environment: ["DATABASE_URL": url, "PORT": "0", "LOG_LEVEL": "warning"])
    }
}

/// A second, private cluster that a test may stop and start, made by the deploy scripts.
struct PrivateCluster {
    let data: String
    let port: Int
    var url: String { "host=127.0.0.1 port=\(port) user=postgres dbname=budget" }

    static func start() async throws -> PrivateCluster {
        let data = "/tmp/budget-readyz-\(UUID().uuidString.prefix(8))"
        let cluster = PrivateCluster(data: data, port: Int.random(in: 56000...58999))
        try await cluster.run("pg-start.sh")
        return cluster
    }

    func run(_ script: String) async throws {
        var env = ProcessInfo.processInfo.environment
        env["BUDGET_PG_DATA"] = data
        env["BUDGET_PG_PORT"] = String(port)
        let result = try await Subprocess.run(
            "/bin/bash", [TestPostgres.repositoryRoot.appendingPathComponent("deploy/\(script)").path], environment: env)
        guard result.status == 0 else {
            throw PostgresError(kind: .client, message: "\(script) exited with \(result.status): \(result.stderr)")
        }
    }

    func remove() async {
        try? await run("pg-stop.sh")
        try? FileManager.default.removeItem(atPath: data)
    }
}
