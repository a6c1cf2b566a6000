import Foundation
import Persistence
import TestSupport
import Testing

@Suite("migrations")
struct MigrationTests {
    @Test("migrate applies every file once; running it again is a no-op")
    func idempotent() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let migrations = try TestPostgres.migrations()
        #expect(!migrations.isEmpty)
        let first = try await db.migrate()
        #expect(first.applied.count == migrations.count)
        let second = try await db.migrate()
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == migrations.count)
        let recorded: Int = try await db.pool.withConnection { c in
            try c.query("SELECT count(*) AS n FROM schema_migrations").first!.decode("n")
        }
        #expect(recorded == migrations.count)
    }

    @Test("an edited, already-applied migration is refused with a clear error")
    func editedMigration() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let original = [Migration(version: "0001", name: "things", sql: "CREATE TABLE things (id int);")]
        _ = try await Migrator(migrations: original).migrate(pool: db.pool, logger: TestPostgres.logger)
        let edited = [Migration(version: "0001", name: "things", sql: "CREATE TABLE things (id bigint);")]
        do {
            _ = try await Migrator(migrations: edited).migrate(pool: db.pool, logger: TestPostgres.logger)
            Issue.record("edited migration accepted")
        } catch let error as MigrationError {
            guard case .checksumMismatch(let file, _, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == "0001_things.sql")
            #expect(error.description.contains("changed after it was applied"))
        }
    }

    @Test("a failing migration leaves nothing behind and is not recorded")
    func failingMigration() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let broken = [
            Migration(version: "0001", name: "ok", sql: "CREATE TABLE a (id int);"),
            Migration(version: "0002", name: "bad", sql: "CREATE TABLE b (id int); SELECT * FROM missing_table;"),
        ]
        await #expect(throws: PostgresError.self) {
            _ = try await Migrator(migrations: broken).migrate(pool: db.pool, logger: TestPostgres.logger)
        }
        let state = try await db.pool.withConnection { c in
            try c.query("""
                SELECT to_regclass('b') IS NULL AS no_b, (SELECT count(*) FROM schema_migrations)::int AS n
                """).first!
        }
        #expect(try state.decode("no_b", as: Bool.self))
        #expect(try state.decode("n", as: Int.self) == 1)
    }

    @Test("a migration may outlast the pool's statement timeout, which the connection gets back afterwards")
    func outlastsStatementTimeout() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let pool = ConnectionPool(
            configuration: .init(connectionString: db.conninfo, size: 1, statementTimeout: .milliseconds(200)), logger: TestPostgres.logger)
        let slow = [Migration(version: "0001", name: "slow", sql: "SELECT pg_sleep(0.5); CREATE TABLE done (id int);")]
        let report = try await Migrator(migrations: slow).migrate(pool: pool, logger: TestPostgres.logger)
        #expect(report.applied == ["0001_slow.sql"])
        // The same (only) connection cancels long statements again.
        do {
            try await pool.withConnection { c in _ = try c.query("SELECT pg_sleep(0.5)") }
            Issue.record("the statement timeout was not restored")
        } catch let error as PostgresError {
            #expect(error.sqlState == .queryCanceled)
        }
        await pool.shutdown()
    }

    @Test("migration files are read in order and badly named files are refused")
    func fileNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "B".write(to: dir.appendingPathComponent("0002_b.sql"), atomically: true, encoding: .utf8)
        try "A".write(to: dir.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
        #expect(try MigrationSource.load(directory: dir).map(\.version) == ["0001", "0002"])
        try "X".write(to: dir.appendingPathComponent("latest.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badFileName("latest.sql")) { try MigrationSource.load(directory: dir) }
    }
}
