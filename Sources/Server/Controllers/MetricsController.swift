import Hummingbird
import Persistence
import Prometheus

/// `GET /metrics`: Prometheus text of the request, pool and workflow metrics.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let pool: ConnectionPool

    func addRoutes(to router: Router<AppRequestContext>) {
        let connections = MetricNameDescriptor(
            namespace: "budget", subsystem: "db_pool", metricName: "connections", unitName: "",
            helpText: "Database connections by state")
        let inUse = registry.makeGauge(descriptor: connections, labels: [("state", "in_use")])
        let idle = registry.makeGauge(descriptor: connections, labels: [("state", "idle")])
        let waiting = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "budget", subsystem: "db_pool", metricName: "waiting", unitName: "",
            helpText: "Requests waiting for a database connection"))
        let size = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "budget", subsystem: "db_pool", metricName: "size", unitName: "",
            helpText: "Configured database connections"))
        router.get("metrics") { _, _ in
            let usage = pool.usage
            inUse.set(Double(usage.inUse))
            idle.set(Double(usage.idle))
            waiting.set(Double(usage.waiting))
            size.set(Double(usage.size))
            return Reply(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: registry.emitToBuffer()).response
        }
    }
}
