import Foundation
import Persistence
import TestSupport
import Testing

@Suite("connection loss: one classification for the API and the CLI")
struct ConnectionLossTests {
    @Test("every way of losing the database is `unavailable`; refusals and duplicates are told apart", arguments: [
        (PostgresError(kind: .server, message: "terminating connection due to administrator command", sqlState: .adminShutdown), PostgresError.Disposition.unavailable),
        (PostgresError(kind: .server, message: "terminating connection because of crash of another server process", sqlState: SQLState("57P02")), .unavailable),
        (PostgresError(kind: .server, message: "the database system is shutting down", sqlState: .cannotConnectNow), .unavailable),
        (PostgresError(kind: .server, message: "connection failure", sqlState: SQLState("08006")), .unavailable),
        (PostgresError(kind: .connection, message: "server closed the connection unexpectedly"), .unavailable),
        (PostgresError(kind: .poolClosed, message: "closing"), .unavailable),
        (PostgresError(kind: .commitOutcomeUnknown, message: "lost during COMMIT"), .outcomeUnknown),
        (PostgresError(kind: .poolExhausted, message: "busy"), .busy),
        (PostgresError(kind: .server, message: "canceling statement due to statement timeout", sqlState: .queryCanceled), .timedOut),
        (PostgresError(kind: .server, message: "could not serialize access", sqlState: .serializationFailure), .transient),
        (PostgresError(kind: .server, message: "duplicate key", sqlState: .uniqueViolation), .duplicate),
        (PostgresError(kind: .server, message: "violates check constraint", sqlState: .checkViolation), .refusedValues),
        (PostgresError(kind: .server, message: "violates foreign key constraint", sqlState: .foreignKeyViolation), .refusedValues),
        (PostgresError(kind: .server, message: "invalid input syntax", sqlState: .invalidTextRepresentation), .refusedValues),
        (PostgresError(kind: .server, message: "relation does not exist", sqlState: .undefinedTable), .notMigrated),
        (PostgresError(kind: .server, message: "permission denied", sqlState: .insufficientPrivilege), .internalFailure),
    ])
    func dispositions(error: PostgresError, expected: PostgresError.Disposition) {
        #expect(error.disposition == expected, "\(error)")
    }

    /// Ends the session serving `connection` from another one after `delay`, while it is busy
    /// (as `pg_ctl stop -m fast` does to running statements): the statement then fails with 57P01.
    static func terminate(_ connection: PostgresConnection, db: TestDatabase, after delay: TimeInterval = 0.3) {
        let pid = connection.backendPID
        Thread {
            Thread.sleep(forTimeInterval: delay)
            _ = try? db.superuser().query("SELECT pg_terminate_backend(\(pid), 5000)")
        }.start()
    }

    @Test("a statement whose session is terminated (57P01) is a connection failure, not a statement error")
    func terminatedMidTransaction() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        do {
            try await db.pool.transaction { connection in
                Self.terminate(connection, db: db)
                try connection.query("SELECT pg_sleep(10)")
            }
            Issue.record("the statement went on after its session was terminated")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure, "\(error)")
            #expect(error.disposition == .unavailable, "\(error)")
        }
        // The pool recovers with a fresh connection.
        #expect(try await db.pool.withConnection { try $0.query("SELECT 1 AS one").count } == 1)
    }

    @Test("a session terminated while COMMIT runs (57P01) leaves the outcome unknown")
    func terminatedDuringCommit() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await db.pool.withConnection { connection in
            try connection.execute(unsafeSQL: """
                CREATE TABLE slow_commit (x int);
                CREATE FUNCTION sleep_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(10); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER sleep_at_commit AFTER INSERT ON slow_commit
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sleep_at_commit();
                """)
        }
        do {
            try await db.pool.transaction { connection in
                try connection.query("INSERT INTO slow_commit VALUES (1)")
                Self.terminate(connection, db: db)  // COMMIT runs the deferred trigger, and sleeps
            }
            Issue.record("COMMIT succeeded on a terminated session")
        } catch let error as PostgresError {
            #expect(error.kind == .commitOutcomeUnknown, "\(error)")
            #expect(error.disposition == .outcomeUnknown)
        }
    }

    @Test("57P01 reported as a statement's error (libpq does so when the message arrives before the close) is a connection loss; at COMMIT, outcome unknown")
    func adminShutdownAsStatementError() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await db.pool.withConnection { connection in
            try connection.execute(unsafeSQL: """
                CREATE FUNCTION shut_down() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = 'admin_shutdown'; END $$;
                CREATE FUNCTION shut_down_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM shut_down(); RETURN NULL; END $$;
                CREATE TABLE at_commit (x int);
                CREATE CONSTRAINT TRIGGER shut_down AFTER INSERT ON at_commit
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION shut_down_trigger();
                """)
        }
        do {
            try await db.pool.transaction { try $0.query("SELECT shut_down()") }
            Issue.record("no error")
        } catch let error as PostgresError {
            #expect(error.kind == .server && error.sqlState == .adminShutdown, "\(error)")
            #expect(error.disposition == .unavailable)
        }
        do {
            try await db.pool.transaction { try $0.query("INSERT INTO at_commit VALUES (1)") }
            Issue.record("no error")
        } catch let error as PostgresError {
            #expect(error.kind == .commitOutcomeUnknown, "\(error)")
        }
    }
}
