import Foundation
import Persistence
import TestSupport
import Testing

@Suite("errors and transactions")
struct ErrorAndTransactionTests {
    func makeTable(_ db: TestDatabase) async throws {
        try await db.pool.withConnection { c in
            try c.query("""
                CREATE TABLE accounts (
                    code text CONSTRAINT accounts_code_key UNIQUE,
                    balance numeric(16,2) CONSTRAINT accounts_balance_non_negative CHECK (balance >= 0))
                """)
        }
    }

    @Test("unique and check violations carry SQLSTATE and constraint name as data")
    func sqlstate() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await makeTable(db)
        try await db.pool.withConnection { c in try c.query("INSERT INTO accounts VALUES ('a', 1)") }
        do {
            try await db.pool.withConnection { c in try c.query("INSERT INTO accounts VALUES (\("a"), 2)") }
            Issue.record("duplicate insert succeeded")
        } catch let error as PostgresError {
            #expect(error.kind == .server)
            #expect(error.sqlState == .uniqueViolation)
            #expect(error.constraint == "accounts_code_key")
            #expect(error.table == "accounts")
        }
        do {
            try await db.pool.withConnection { c in try c.query("INSERT INTO accounts VALUES ('b', -5)") }
            Issue.record("negative balance accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == .checkViolation)
            #expect(error.constraint == "accounts_balance_non_negative")
        }
    }

    @Test("a failed statement inside a transaction rolls everything back")
    func rollback() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await makeTable(db)
        await #expect(throws: PostgresError.self) {
            try await db.pool.transaction { c in
                try c.query("INSERT INTO accounts VALUES ('x', 1)")
                try c.query("INSERT INTO accounts VALUES ('y', 1)")
                try c.query("INSERT INTO accounts VALUES ('x', 1)")  // unique violation
            }
        }
        let count: Int = try await db.pool.withConnection { c in
            try c.query("SELECT count(*) AS n FROM accounts").first!.decode("n")
        }
        #expect(count == 0)
        // The connection is usable again afterwards (no dangling aborted transaction).
        try await db.pool.transaction { c in try c.query("INSERT INTO accounts VALUES ('z', 1)") }
    }

    @Test("a Swift error thrown in the body rolls back and surfaces unchanged")
    func swiftErrorRollsBack() async throws {
        struct Refused: Error, Equatable {}
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await makeTable(db)
        await #expect(throws: Refused.self) {
            try await db.pool.transaction { c in
                try c.query("INSERT INTO accounts VALUES ('x', 1)")
                throw Refused()
            }
        }
        let count: Int = try await db.pool.withConnection { c in
            try c.query("SELECT count(*) AS n FROM accounts").first!.decode("n")
        }
        #expect(count == 0)
    }

    @Test("a connection killed mid-transaction reports the original error, not the failed rollback")
    func originalErrorSurvives() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        do {
            try await db.pool.transaction { c in
                try c.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            Issue.record("terminated session did not fail")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure)
            #expect(!error.message.localizedCaseInsensitiveContains("rollback"))
        }
        // The pool replaced the dead connection.
        #expect(await db.pool.ping())
    }

    @Test("serialization failures are retried until both racing transactions commit")
    func serializationRetry() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false, poolSize: 8)
        try await makeTable(db)
        try await db.pool.withConnection { c in try c.query("INSERT INTO accounts VALUES ('total', 0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await db.pool.transaction(isolation: .serializable, retry: RetryPolicy(maxAttempts: 50)) { c in
                        let current: String = try c.query("SELECT balance::text AS b FROM accounts WHERE code = 'total'").first!.decode("b")
                        try c.query("SELECT pg_sleep(0.01)")
                        try c.query("UPDATE accounts SET balance = \(current)::numeric + 1 WHERE code = 'total'")
                    }
                }
            }
            try await group.waitForAll()
        }
        let total: String = try await db.pool.withConnection { c in
            try c.query("SELECT balance::text AS b FROM accounts WHERE code = 'total'").first!.decode("b")
        }
        #expect(total == "8.00")  // no lost update
    }

    @Test("identifiers are quoted by the escape hatch")
    func identifiers() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let weird = "tab\"le; DROP"
        try await db.pool.withConnection { c in
            try c.query("CREATE TABLE \(identifier: weird) (v int)")
            try c.query("INSERT INTO \(identifier: weird) VALUES (\(1))")
        }
        let n: Int = try await db.pool.withConnection { c in
            try c.query("SELECT count(*) AS n FROM \(identifier: weird)").first!.decode("n")
        }
        #expect(n == 1)
    }

    @Test("SQL fragments renumber their parameters")
    func fragments() {
        let a: SQL = "SELECT \(1) + \(2)"
        let b: SQL = " WHERE x = \(3) AND y = '$1'"
        let joined = a + b
        #expect(joined.text == "SELECT $1 + $2 WHERE x = $3 AND y = '$1'")
        #expect(joined.binds.map(\.text) == ["1", "2", "3"])
    }
}
