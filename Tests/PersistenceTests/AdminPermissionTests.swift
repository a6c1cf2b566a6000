import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// AdminService decides no role itself: every operation is refused, with the table's message,
/// exactly to the roles `Permission.of` forbids, and never refused for a role it allows.
@Suite("AdminService asks the permission table", .serialized)
struct AdminPermissionTests {
    @Test("every role × operation: forbidden exactly as the table says")
    func everyCell() async throws {
        let f = try await Fixture.make()
        let callers = [f.officer, f.reviewer, f.finance, f.auditor, f.administrator]
        #expect(Set(callers.map(\.actor.role)) == Set(Role.allCases))
        let admin = f.admin
        // Allowed calls either succeed or fail for another reason (an unknown user or entry).
        let calls: [Permission.Operation: @Sendable (Caller) async throws -> Void] = [
            .manageOrganizations: { caller in
                let code = "9\(Role.allCases.firstIndex(of: caller.actor.role)!)"
                try await admin.addOrganization(Organization(code: code, name: "测试", kind: .department), by: caller)
            },
            .manageUsers: { caller in try await admin.revokeUser("nobody", by: caller) },
            .listUsers: { caller in _ = try await admin.users(by: caller) },
            .readAuditLog: { caller in _ = try await admin.auditLog(by: caller) },
            .setControlFigure: { caller in
                try await admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("1000.00"), by: caller)
            },
            .setDepartmentFigures: { caller in
                try await admin.setDepartmentFigures(department: "201", year: 2021, cells: [.total: Money(fen: 100)], by: caller)
            },
            .allocateUnitFigures: { caller in
                try await admin.allocateUnitFigures(unit: "201002", year: 2021, cells: [.total: .zero], by: caller)
            },
            .waive: { caller in try await admin.waive(.v1, for: UUID(), reason: "测试", by: caller) },
        ]
        for (operation, call) in calls.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for caller in callers {
                let role = caller.actor.role
                var refusal: WorkflowError?
                do {
                    try await call(caller)
                } catch let error as WorkflowError where error.category == .forbidden {
                    refusal = error
                } catch {}
                switch Permission.of(role, operation) {
                case .allowed:
                    #expect(refusal == nil, "\(role.rawValue) \(operation.rawValue)")
                case .forbidden(let message):
                    #expect(refusal == .forbidden(message), "\(role.rawValue) \(operation.rawValue)")
                }
            }
        }
        // verifyAudit reads the log too.
        for caller in callers where Permission.of(caller.actor.role, .readAuditLog) != .allowed {
            await expectError("forbidden") { try await admin.verifyAudit(by: caller) }
        }
    }
}
