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

    /// Ends the session serving `connection` from another one, and waits until it is gone.
    static func terminate(_ connection: PostgresConnection, db: TestDatabase) throws {
        let pid = connection.backendPID
        try db.superuser().query("SELECT pg_terminate_backend(\(pid), 5000)")
    }

    @Test("a session terminated mid-transaction (57P01) is a connection failure, not a statement error")
    func terminatedMidTransaction() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        do {
            try await db.pool.transaction { connection in
                try Self.terminate(connection, db: db)
                try connection.query("SELECT 1")
            }
            Issue.record("the transaction went on after its session was terminated")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure, "\(error)")
            #expect(error.disposition == .unavailable, "\(error)")
        }
        // The pool recovers with a fresh connection.
        #expect(try await db.pool.withConnection { try $0.query("SELECT 1 AS one").count } == 1)
    }

    @Test("a session terminated just before COMMIT leaves the outcome unknown")
    func terminatedBeforeCommit() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        do {
            try await db.pool.transaction { connection in
                try connection.query("SELECT 1")
                try Self.terminate(connection, db: db)
            }
            Issue.record("COMMIT succeeded on a terminated session")
        } catch let error as PostgresError {
            #expect(error.kind == .commitOutcomeUnknown, "\(error)")
            #expect(error.disposition == .outcomeUnknown)
        }
    }
}
