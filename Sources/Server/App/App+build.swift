import Hummingbird
import Logging
import Persistence

/// Wires the router, middleware and services. Every dependency comes in as a parameter.
func buildApplication(
    configuration: ServerConfiguration, pool: ConnectionPool, logger: Logger
) async throws -> some ApplicationProtocol {
    let router = buildRouter(pool: pool)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "budget-server"),
        logger: logger)
    app.addServices(pool)
    return app
}

func buildRouter(pool: ConnectionPool) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: LogRequestsMiddleware(.info))
    HealthController(pool: pool).addRoutes(to: router)
    return router
}
