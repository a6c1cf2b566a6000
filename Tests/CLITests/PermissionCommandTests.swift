import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// The commands whose role check budgetctl makes before any work ask Workflow's permission table,
/// and word the refusal as they always have: who the user is, and which roles the command needs.
@Suite("budgetctl refusals come from the permission table")
struct PermissionCommandTests {
    @Test("user list and audit checkpoint: refused (exit 1) to the roles the table forbids, naming the allowed ones")
    func refusals() async throws {
        let world = try await CLIWorld.bootstrapped()
        let users = try await world.run(["user", "list"], as: "officer-201002")
        #expect(users.status == 1)
        #expect(users.stderr.contains("officer-201002 is officer; user list needs admin or auditor"), "\(users.stderr)")
        #expect(try await world.run(["user", "list"], as: "finance").status == 1)
        #expect(try await world.ok(["user", "list"], as: "auditor").stdout.contains("officer-201002"))

        let before = try world.db.superuser().query("SELECT count(*)::int AS n FROM audit_checkpoints").first!.decode("n", as: Int.self)
        let checkpoint = try await world.run(["audit", "checkpoint"], as: "reviewer-201")
        #expect(checkpoint.status == 1)
        #expect(checkpoint.stderr.contains("reviewer-201 is department_reviewer; audit checkpoint needs admin or auditor or finance_reviewer"),
                "\(checkpoint.stderr)")
        #expect(try world.db.superuser().query("SELECT count(*)::int AS n FROM audit_checkpoints").first!.decode("n", as: Int.self) == before)
        try await world.ok(["audit", "checkpoint"], as: "auditor")
    }
}
