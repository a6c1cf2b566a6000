import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence
import Prometheus
import Workflow

/// Wires the router, middleware and services. Every dependency comes in as a parameter.
func buildApplication(
    configuration: ServerConfiguration, pool: ConnectionPool, logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), tokens: TokenCache = TokenCache(),
    budget: BodyBudget? = nil
) async throws -> some ApplicationProtocol {
    // `budget`: a test passes its own, to see when a request holds its bytes.
    let budget = budget ?? BodyBudget(capacity: configuration.limits.maxBufferedBodyBytes)
    let router = buildRouter(pool: pool, limits: configuration.limits, budget: budget, metrics: metrics, tokens: tokens)
    let limits = configuration.limits
    var app = Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [UploadGateHandler(limits: limits, budget: budget), ExpectContinueHandler(limits: limits, budget: budget)],
            idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "budget-server"),
        logger: logger)
    app.addServices(pool, TokenCacheService(cache: tokens, feed: AuthChangeFeed(configuration: pool.configuration, logger: logger), logger: logger))
    if configuration.auditKey == nil {
        logger.warning("""
            audit events are written unsigned: BUDGET_AUDIT_KEY_FILE is not set, and `budgetctl audit verify` reports \
            every unsigned event as a failure (create a key with `budgetctl audit key --generate FILE`)
            """)
    }
    if let interval = configuration.auditCheckpointInterval {
        if let key = configuration.auditKey {
            app.addServices(AuditCheckpointService(admin: AdminService(pool: pool), key: key, interval: interval, logger: logger))
        } else {
            logger.warning("""
                audit checkpoints are off: BUDGET_AUDIT_KEY_FILE is not set, and checkpoints are only recorded signed \
                (create a key with `budgetctl audit key --generate FILE`, or set AUDIT_CHECKPOINT_SECONDS=0 to silence this)
                """)
        }
    }
    return app
}

func buildRouter(
    pool: ConnectionPool, limits: RequestLimits = RequestLimits(), budget: BodyBudget? = nil,
    metrics: PrometheusCollectorRegistry, tokens: TokenCache = TokenCache()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routes = RouteTable()
    router.add(middleware: MetricsMiddleware())  // outermost: sees the final status of every request
    router.add(middleware: ErrorMiddleware(routes: routes))
    router.add(middleware: LogRequestsMiddleware(.info))
    HealthController(pool: pool).addRoutes(to: router)
    MetricsController(registry: metrics, pool: pool).addRoutes(to: router)
    let admin = AdminService(pool: pool)
    let v1 = router.group("v1")
        .add(middleware: AuthMiddleware(admin: admin, tokens: tokens))
        .add(middleware: BodyLimitMiddleware(limits: limits, budget: budget ?? BodyBudget(capacity: limits.maxBufferedBodyBytes)))
    let entries = EntryService(pool: pool)
    let idempotency = IdempotentRequest(store: IdempotencyStore(pool: pool), entries: entries)
    EntriesController(entries: entries, idempotency: idempotency, limits: limits).addRoutes(to: v1)
    BudgetApprovalController(entries: entries, idempotency: idempotency, limits: limits).addRoutes(to: v1)
    YearsController(years: YearService(pool: pool)).addRoutes(to: v1)
    let disclosures = DisclosureController(disclosures: DisclosureService(pool: pool), limits: limits)
    disclosures.addInputRoutes(to: v1)
    ControlFiguresController(admin: admin, limits: limits).addRoutes(to: v1)
    disclosures.addPublicRoutes(to: router)
    routes.load(router.routes)
    return router
}
