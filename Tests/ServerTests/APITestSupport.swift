import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

/// A migrated database with organizations, users and their bearer tokens, and the real router.
struct APIWorld {
    let fixture: Fixture
    var tokens: [String: String] = [:]

    static func make(environment: [String: String] = [:], poolSize: Int = 4) async throws -> APIWorld {
        let fixture = try await Fixture.make(poolSize: poolSize)
        var world = APIWorld(fixture: fixture)
        let users: [(String, Role, String?)] = [
            ("officer-201002", .officer, "201002"), ("officer-202001", .officer, "202001"),
            ("reviewer-201", .departmentReviewer, "201"), ("finance", .financeReviewer, nil), ("auditor", .auditor, nil),
            ("root", .admin, nil),
        ]
        for (name, role, org) in users {
            world.tokens[name] = try await fixture.admin.addUser(name: name, role: role, org: org, by: fixture.administrator)
        }
        return world
    }

    func app(
        environment: [String: String] = [:], tokens: TokenCache = TokenCache(), budget: BodyBudget? = nil
    ) async throws -> some ApplicationProtocol {
        var env = ["DATABASE_URL": fixture.db.conninfo, "PORT": "0", "LOG_LEVEL": "critical"]
        env.merge(try TestAuditKey.run().environment) { _, key in key }  // the server signs, as deployed
        env.merge(environment) { _, new in new }
        let configuration = try ServerConfiguration(environment: env)
        // The server owns its own pool, as in production; it closes it when the app stops.
        let pool = ConnectionPool(configuration: configuration.pool, logger: TestPostgres.logger)
        return try await buildApplication(
            configuration: configuration, pool: pool, logger: TestPostgres.logger, tokens: tokens,
            budget: budget ?? BodyBudget(capacity: configuration.limits.maxBufferedBodyBytes))
    }

    func headers(_ user: String?, contentType: String? = nil, accept: String? = nil, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        if let user { fields[.authorization] = "Bearer \(tokens[user] ?? user)" }
        if let contentType { fields[.contentType] = contentType }
        if let accept { fields[.accept] = accept }
        return fields
    }

    /// Entries stored for a unit-year, read directly (not through the API).
    func storedCount() async throws -> Int {
        try await fixture.db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM entries").first!.decode("n") }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
    /// The `error.code` of a JSON error body.
    var errorCode: String? { ((try? json())?["error"] as? [String: Any])?["code"] as? String }
}

extension ByteBuffer {
    init(text: String) { self.init(string: text) }
}

/// The reference's 督查调研所需经费 in BLP, as an officer would post it.
let supervisionBLP = """
    # 督查调研所需经费
    entry code=201-0502-JBN-E5EL name="督查调研所需经费" kind=project func=2013102 general=150000.00 plan=30,60,90,100 purpose="该项目用于2020年课题调研支出的公车运行维护费及差旅费" goals="1、提出意见建议\\n2、领导满意"
    item econ=30231 amount=100000.00
    item econ=30211 amount=50000.00
    indicator l1=产出指标 l2=时效指标 l3=完成率 desc="重大决策部署落实的调研工作完成率" value="≥95百分比" basis=依据部门职责
    indicator l1=满意度指标 l2=服务对象满意度指标 l3=领导对于调研结果满意度 desc="被采纳的意见建议数量占总数量的比率" value="≥80百分比" basis=依据部门职责

    """
