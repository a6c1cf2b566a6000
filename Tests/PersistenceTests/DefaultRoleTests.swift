import Foundation
import Persistence
import TestSupport
import Testing

/// The private cluster of deploy/pg-start.sh (what scripts/serve.sh runs) gives the server the
/// least-privilege role of deploy/roles.sql by default, and migrations the owner.
@Suite("the default set-up's database roles")
struct DefaultRoleTests {
    @Test("pg-start.sh: migrations as budget_owner; the server's default role cannot switch the audit triggers off")
    func serverRoleCannotDisableAuditTriggers() async throws {
        let data = "/tmp/budget-roles-\(UUID().uuidString.prefix(8))"
        var env = ProcessInfo.processInfo.environment
        env["BUDGET_PG_DATA"] = data
        env["BUDGET_PG_PORT"] = String(Int.random(in: 59000...59999))
        let script = TestPostgres.repositoryRoot.appendingPathComponent("deploy/pg-start.sh").path
        let stop = TestPostgres.repositoryRoot.appendingPathComponent("deploy/pg-stop.sh").path
        do {
            try await check(script: script, env: env)
        } catch {
            Issue.record(error)
        }
        _ = try? await Subprocess.run("/bin/bash", [stop], environment: env)
        try? FileManager.default.removeItem(atPath: data)
    }

    func check(script: String, env: [String: String]) async throws {
        func url(_ role: [String]) async throws -> String {
            let result = try await Subprocess.run("/bin/bash", [script] + role, environment: env)
            try #require(result.status == 0, "pg-start.sh \(role): \(result.stderr)")
            return String(result.stdout.split(separator: "\n").last ?? "")
        }
        let server = try await url([])
        let owner = try await url(["owner"])
        #expect(server.hasPrefix("postgresql://budget_server@"))
        #expect(owner.hasPrefix("postgresql://budget_owner@"))

        let pool = ConnectionPool(configuration: .init(connectionString: owner, size: 1), logger: TestPostgres.logger)
        try await Migrator(migrations: TestPostgres.migrations()).migrate(pool: pool, logger: TestPostgres.logger)
        await pool.shutdown()

        let connection = try PostgresConnection(connectionString: server, logger: TestPostgres.logger)
        let row = try #require(try connection.query("""
            SELECT current_user::text AS who, r.rolsuper AS super FROM pg_roles r WHERE r.rolname = current_user
            """).first)
        #expect(try row.decode("who", as: String.self) == "budget_server")
        #expect(try row.decode("super", as: Bool.self) == false)
        _ = try connection.query("SELECT count(*) FROM audit_events")
        for statement in ["ALTER TABLE audit_events DISABLE TRIGGER ALL", "ALTER TABLE audit_events DISABLE TRIGGER USER",
                          "UPDATE audit_events SET reason = 'x'", "TRUNCATE audit_events"] {
            do {
                try connection.execute(unsafeSQL: statement)
                Issue.record("budget_server could run \(statement)")
            } catch {
                #expect(error.sqlState == SQLState("42501"), "\(statement): \(error)")
            }
        }
    }
}
