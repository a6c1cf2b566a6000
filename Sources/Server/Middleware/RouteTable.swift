import Hummingbird
import HTTPTypes
import Synchronization

/// The routes the router serves, so an unknown method on a known path gets 405 with `Allow`
/// rather than 404. Filled once the routes are added (middleware must be added before them).
final class RouteTable: Sendable {
    private let patterns = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    func load(_ routes: [Router<AppRequestContext>.RouteDescription]) {
        patterns.withLock { table in
            table = routes.map { ($0.path.description.split(separator: "/"), $0.method) }
        }
    }

    /// The methods served at `path` (a request path, without query).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return patterns.withLock { table in
            table.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == $1 }
            }.map(\.method)
        }
    }
}
