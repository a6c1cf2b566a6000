import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import Prometheus
import TestSupport
import Testing

@testable import Server

@Suite("openapi.yaml")
struct OpenAPITests {
    /// `METHOD /path/{param}` for every operation of the document (paths at two spaces, methods at four).
    static func documented() throws -> Set<String> {
        let text = try String(contentsOf: TestPostgres.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.isEmpty, !line.hasPrefix(" ") { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "delete", "patch"].contains(method) { operations.insert("\(method.uppercased()) \(path)") }
            }
        }
        return operations
    }

    /// `METHOD /path/{param}` for every route the server registers.
    static func served() -> Set<String> {
        let pool = ConnectionPool(configuration: .init(connectionString: "dbname=unused"), logger: Logger(label: "test"))
        let router = buildRouter(pool: pool, metrics: PrometheusCollectorRegistry())
        return Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
    }

    @Test("the document describes exactly the routes the server serves")
    func agree() throws {
        let documented = try Self.documented()
        let served = Self.served()
        #expect(served.count >= 13)
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }
}
