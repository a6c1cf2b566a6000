import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import NIOCore
import Persistence
import Prometheus
import TestSupport
import Testing
import Workflow

@testable import Server

/// The process-wide metrics backend of the test run (swift-metrics allows one bootstrap).
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

@Suite("metrics")
struct MetricsTests {
    @Test("/metrics shows requests by route and status, pool usage and transitions")
    func prometheus() async throws {
        let registry = TestMetrics.registry
        let world = try await APIWorld.make()
        let entry = try #require(try await world.fixture.create([Fixture.project("M-1")]).first)
        let configuration = try ServerConfiguration(environment: ["DATABASE_URL": world.fixture.db.conninfo, "LOG_LEVEL": "critical"])
        let pool = ConnectionPool(configuration: configuration.pool, logger: TestPostgres.logger)
        let app = try await buildApplication(configuration: configuration, pool: pool, logger: TestPostgres.logger, metrics: registry)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/entries/\(entry.id)/actions/submit", method: .post, headers: world.headers("officer-201002"))
            _ = try await client.execute(uri: "/v1/entries/\(entry.id)", method: .get, headers: world.headers("officer-202001"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"budget_db_pool_connections{state="in_use"}"#))
            #expect(text.contains("budget_db_pool_size 8"))
            #expect(text.contains(#"budget_transitions_total{action="submit"}"#))
            #expect(text.contains("/v1/entries/{id}") || text.contains("/v1/entries/:id"))
            #expect(text.contains(#"http_response_status_code="404""#))
            #expect(metrics.headers[.init("X-Request-ID")!] != nil)
        }
    }
}
