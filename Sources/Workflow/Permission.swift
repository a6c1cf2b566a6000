import Foundation

/// Who may do what outside an entry's own workflow: organizations, users, the audit log, control
/// figures, waivers, publication. Entry actions (submit, approve…) are ``Transition``'s table.
///
/// One exhaustive table of role × operation: the services and budgetctl ask it and decide nothing
/// themselves, so adding a role or an operation is an edit here that the compiler walks you through.
public enum Permission: Sendable, Hashable {
    case allowed
    /// Never for this role; the message says who may.
    case forbidden(String)

    /// An operation whose permission depends on the role alone (scope is checked afterwards).
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case manageOrganizations = "manage organizations"
        case manageUsers = "manage users"
        case listUsers = "list users"
        case readAuditLog = "read the audit log"
        case recordCheckpoint = "record an audit checkpoint"
        case setControlFigure = "set control figures"
        /// A department-year's control figures, cell by cell (下达部门控制数).
        case setDepartmentFigures = "set department control figures"
        /// A unit's share of its department's figures (a department reviewer only for its own
        /// department's units: scope is checked afterwards).
        case allocateUnitFigures = "allocate control figures to units"
        case waive = "waive rules"
        case publish
        /// Baseline figures and narrative of a department-year's disclosure (a department
        /// reviewer only for their own department: scope is checked afterwards).
        case setDisclosureInputs = "set disclosure inputs"
        /// Opening, extending and closing the rounds of a year (一上, 一下, 二上, 二下).
        case manageRounds = "manage the rounds calendar"
        /// The finance bureau's 批复 of a department-year (二下).
        case approveBudget = "approve budgets"
        /// The department's 批复 to its units (only its own department: scope is checked afterwards).
        case approveUnits = "approve units"
        /// The 批复 document of a department-year (officers and reviewers only in their department).
        case readBudgetApproval = "read budget approvals"
        /// The running clocks (批复, units' 批复, publication) within the caller's scope.
        case readDeadlines = "read deadlines"
    }

    /// The table. No `default:`: a new role or operation must be decided case by case.
    public static func of(_ role: Role, _ operation: Operation) -> Permission {
        switch operation {
        case .manageOrganizations:
            switch role {
            case .admin: .allowed
            case .officer, .departmentReviewer, .financeReviewer, .auditor:
                .forbidden("only an administrator manages organizations")
            }
        case .manageUsers:
            switch role {
            case .admin: .allowed
            case .officer, .departmentReviewer, .financeReviewer, .auditor:
                .forbidden("only an administrator manages users")
            }
        case .listUsers:
            switch role {
            case .admin, .auditor: .allowed
            case .officer, .departmentReviewer, .financeReviewer:
                .forbidden("role \(role.rawValue) may not list users")
            }
        case .readAuditLog:
            switch role {
            case .auditor, .financeReviewer, .admin: .allowed
            case .officer, .departmentReviewer:
                .forbidden("role \(role.rawValue) may not read the audit log")
            }
        case .recordCheckpoint:
            // Whoever may read the log may seal it: a checkpoint changes no event.
            switch role {
            case .auditor, .financeReviewer, .admin: .allowed
            case .officer, .departmentReviewer:
                .forbidden("role \(role.rawValue) may not record an audit checkpoint")
            }
        case .setControlFigure:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau sets control figures")
            }
        case .setDepartmentFigures:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau sets a department's control figures")
            }
        case .allocateUnitFigures:
            switch role {
            case .financeReviewer, .departmentReviewer: .allowed
            case .officer, .auditor, .admin:
                .forbidden("only the department's reviewer or the finance bureau allocates control figures to units")
            }
        case .waive:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau waives rules")
            }
        case .publish:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau publishes")
            }
        case .setDisclosureInputs:
            switch role {
            case .financeReviewer, .departmentReviewer: .allowed
            case .officer, .auditor, .admin:
                .forbidden("only the department's reviewer or the finance bureau sets disclosure inputs")
            }
        case .manageRounds:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau opens, extends and closes rounds")
            }
        case .approveBudget:
            switch role {
            case .financeReviewer: .allowed
            case .officer, .departmentReviewer, .auditor, .admin:
                .forbidden("only the finance bureau gives a department's 批复")
            }
        case .approveUnits:
            switch role {
            case .departmentReviewer: .allowed
            case .officer, .financeReviewer, .auditor, .admin:
                .forbidden("only the department's reviewer gives its units their 批复")
            }
        case .readBudgetApproval, .readDeadlines:
            switch role {
            case .officer, .departmentReviewer, .financeReviewer, .auditor: .allowed
            case .admin: .forbidden("role admin may not read budgets")
            }
        }
    }

    /// Throws ``WorkflowError/forbidden(_:)`` with the table's message unless `role` may do `operation`.
    public static func require(_ role: Role, _ operation: Operation) throws(WorkflowError) {
        if case .forbidden(let message) = of(role, operation) { throw .forbidden(message) }
    }

    /// The roles the table allows `operation`, in declaration order (for messages that name them).
    public static func roles(allowedTo operation: Operation) -> [Role] {
        Role.allCases.filter { of($0, operation) == .allowed }
    }
}
