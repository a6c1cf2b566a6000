import Metrics

/// Counters of what the workflow did, exported by the server's /metrics.
enum WorkflowMetrics {
    /// Committed transitions by action (submit, approve, publish …).
    static func transitioned(_ action: String, count: Int = 1) {
        Counter(label: "budget_transitions_total", dimensions: [("action", action)]).increment(by: count)
    }
}

/// How often a public disclosure was computed rather than served from the cache.
enum DisclosureMetrics {
    static func computed() {
        Counter(label: "budget_disclosure_computations_total").increment()
    }
}
