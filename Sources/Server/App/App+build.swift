import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// Wires the router, middleware and services. Every dependency comes in as a parameter.
func buildApplication(
    configuration: ServerConfiguration, pool: ConnectionPool, logger: Logger
) async throws -> some ApplicationProtocol {
    let router = buildRouter(pool: pool, limits: configuration.limits)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "budget-server"),
        logger: logger)
    app.addServices(pool)
    return app
}

func buildRouter(pool: ConnectionPool, limits: RequestLimits = RequestLimits()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    HealthController(pool: pool).addRoutes(to: router)
    let admin = AdminService(pool: pool)
    let v1 = router.group("v1").add(middleware: AuthMiddleware(admin: admin))
    EntriesController(entries: EntryService(pool: pool), idempotency: IdempotencyStore(pool: pool), limits: limits)
        .addRoutes(to: v1)
    return router
}
