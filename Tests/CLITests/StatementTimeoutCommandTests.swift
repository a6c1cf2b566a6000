import Foundation
import Persistence
import TestSupport
import Testing

@Suite("budgetctl: statement timeout")
struct StatementTimeoutCommandTests {
    @Test("a statement stuck behind a lock ends at BUDGETCTL_STATEMENT_TIMEOUT_MS with exit 5, not when the lock goes")
    func stuckStatementTimesOut() async throws {
        let world = try await CLIWorld.bootstrapped()
        // Another session holds every row of users: resolving --as waits behind it.
        let holder = try world.db.superuser()
        try holder.execute(unsafeSQL: "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        // Let go eventually, so a CLI without a timeout finishes (and fails this test) instead of hanging it.
        let release = Task {
            try? await Task.sleep(for: .seconds(20))
            try? holder.execute(unsafeSQL: "ROLLBACK")
        }
        let started = ContinuousClock.now
        let result = try await world.run(
            ["user", "list"], as: "root", environment: ["BUDGETCTL_STATEMENT_TIMEOUT_MS": "500"])
        let elapsed = ContinuousClock.now - started
        release.cancel()
        _ = await release.result
        #expect(elapsed < .seconds(15), "took \(elapsed)")
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("database unavailable"), "\(result.stderr)")
    }

    @Test("an unusable BUDGETCTL_STATEMENT_TIMEOUT_MS is a usage error")
    func badValue() async throws {
        let world = try await CLIWorld.bootstrapped()
        let result = try await world.run(["user", "list"], as: "root", environment: ["BUDGETCTL_STATEMENT_TIMEOUT_MS": "soon"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("BUDGETCTL_STATEMENT_TIMEOUT_MS"), "\(result.stderr)")
    }
}
