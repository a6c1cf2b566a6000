import Foundation
import TestSupport
import Testing

@Suite("budgetctl migrate")
struct MigrateCommandTests {
    @Test("migrate applies everything, then is a no-op; a bad database exits 5")
    func migrate() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let first = try await Budgetctl.run(["migrate", "--database", db.conninfo])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied 0001_"))
        let second = try await Budgetctl.run(["migrate"], environment: ["DATABASE_URL": db.conninfo])
        #expect(second.status == 0)
        #expect(second.stdout.contains("database is up to date"))
        let nowhere = try await Budgetctl.run(["migrate", "--database", "host=127.0.0.1 port=1 dbname=x connect_timeout=2"])
        #expect(nowhere.status == 5)
        #expect(nowhere.stderr.contains("database unavailable"))
        let missing = try await Budgetctl.run(["migrate"], environment: ["DATABASE_URL": ""])
        #expect(missing.status == 2)
    }
}
