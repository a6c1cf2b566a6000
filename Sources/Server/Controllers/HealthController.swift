import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Workflow

/// `/healthz`: the process is up. `/readyz`: the database answers, else 503.
struct HealthController {
    let pool: ConnectionPool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "ok\n")))
        }
        router.get("readyz") { _, _ in
            let ready = await pool.ping()
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                headers: ready ? [.contentType: "text/plain; charset=utf-8"] : [.contentType: "text/plain; charset=utf-8", .retryAfter: "1"],
                body: .init(byteBuffer: .init(string: ready ? "ready\n" : "database unavailable\n")))
        }
    }
}
