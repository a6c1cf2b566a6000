import Foundation
import TestSupport
import Testing
import Workflow

@testable import Persistence

@Suite("a waiver granted while an action waits for the entry's lock")
struct WaiverRaceTests {
    /// Sessions of this database waiting for a lock: `advisory` for the gate, else a row lock.
    static func waiting(_ watcher: PostgresConnection, advisory: Bool) throws -> Bool {
        try watcher.query("""
            SELECT 1 AS x FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND (wait_event = 'advisory') = \(advisory)
            """).count > 0
    }

    static func await(_ condition: () throws -> Bool) async throws -> Bool {
        // Polls for up to 60 s: the bound is generous for a loaded machine, and the test asserts
        // the order of events, never their speed.
        for _ in 0..<6_000 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("the submit that waited behind the waive sees the waiver (the waive bumps the entry's version)")
    func submitSeesWaiver() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("WR-1")]).first)
        // The items no longer add up to the amount: V2 refuses the submit unless waived.
        let watcher = try f.db.superuser()
        try watcher.query("UPDATE entry_items SET amount = 1 WHERE entry_id = \(entry.id)")
        await expectError("validation_failed") { _ = try await f.entries.act(.submit, on: entry.id, by: f.officer) }

        let gate = try LockGate(conninfo: f.db.conninfo)
        let command = try WaiveCommand(actor: f.finance.actor, rule: .v2, reason: "经局务会同意")
        let finance = f.finance
        let pool = f.db.pool
        // The waive's transaction holds the entry's lock until the gate opens.
        let waive = Task {
            try await pool.withConnection { connection in
                try connection.withTransaction { connection in
                    try AdminService.waive(command, for: entry.id, by: finance, on: connection)
                    try connection.query(gate.waitStatement)
                }
            }
        }
        #expect(try await Self.await { try Self.waiting(watcher, advisory: true) })
        let submit = Task { try await f.entries.act(.submit, on: entry.id, by: f.officer) }
        #expect(try await Self.await { try Self.waiting(watcher, advisory: false) })
        try gate.open()
        try await waive.value
        let submitted = try await submit.value
        #expect(submitted.entry.state == .departmentReview)
        // Created (1), waived (2), submitted (3).
        #expect(submitted.entry.version == entry.version + 2)
        let history = try await f.entries.history(entry.id, for: f.auditor).map(\.record.action)
        #expect(history == ["create", "waive", "submit"])
    }

    @Test("a waiver moves the entry's version, so an If-Match taken before it is stale")
    func waiveMovesVersion() async throws {
        let f = try await Fixture.make()
        let entry = try #require(try await f.create([Fixture.project("WR-2")]).first)
        try await f.admin.waive(.v4, for: entry.id, reason: "报财政局同意", by: f.finance)
        #expect(try await f.entries.entry(entry.id, for: f.finance).version == entry.version + 1)
        await expectError("stale_version") {
            _ = try await f.entries.act(.submit, on: entry.id, expectedVersion: entry.version, by: f.officer)
        }
        let submitted = try await f.entries.act(.submit, on: entry.id, expectedVersion: entry.version + 1, by: f.officer)
        #expect(submitted.entry.state == .departmentReview)
    }
}
