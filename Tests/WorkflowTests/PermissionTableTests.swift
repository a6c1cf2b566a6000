import Testing
import Workflow
import WorkflowFixtures

/// The permission table written out cell by cell (`ok` allowed, `403` forbidden) and checked
/// against `Permission.of` for every role × operation; the operations and roles of the table
/// must be exactly the enums' cases, so a new one cannot go unlisted here.
private let table = """
# operation                   officer  department_reviewer  finance_reviewer  auditor  admin
manage organizations          403      403                  403               403      ok
manage users                  403      403                  403               403      ok
list users                    403      403                  403               ok       ok
read the audit log            403      403                  ok                ok       ok
record an audit checkpoint    403      403                  ok                ok       ok
set control figures           403      403                  ok                403      403
set department control figures  403    403                  ok                403      403
allocate control figures to units  403  ok                  ok                403      403
waive rules                   403      403                  ok                403      403
publish                       403      403                  ok                403      403
set disclosure inputs         403      ok                   ok                403      403
manage the rounds calendar    403      403                  ok                403      403
approve budgets               403      403                  ok                403      403
approve units                 403      ok                   403               403      403
read budget approvals         ok       ok                   ok                ok       403
read deadlines                ok       ok                   ok                ok       403
"""

/// What each forbidden answer says (the services and the API show it as is).
private let messages: [Permission.Operation: @Sendable (Role) -> String] = [
    .manageOrganizations: { _ in "only an administrator manages organizations" },
    .manageUsers: { _ in "only an administrator manages users" },
    .listUsers: { "role \($0.rawValue) may not list users" },
    .readAuditLog: { "role \($0.rawValue) may not read the audit log" },
    .recordCheckpoint: { "role \($0.rawValue) may not record an audit checkpoint" },
    .setControlFigure: { _ in "only the finance bureau sets control figures" },
    .setDepartmentFigures: { _ in "only the finance bureau sets a department's control figures" },
    .allocateUnitFigures: { _ in "only the department's reviewer or the finance bureau allocates control figures to units" },
    .waive: { _ in "only the finance bureau waives rules" },
    .publish: { _ in "only the finance bureau publishes" },
    .setDisclosureInputs: { _ in "only the department's reviewer or the finance bureau sets disclosure inputs" },
    .manageRounds: { _ in "only the finance bureau opens, extends and closes rounds" },
    .approveBudget: { _ in "only the finance bureau gives a department's 批复" },
    .approveUnits: { _ in "only the department's reviewer gives its units their 批复" },
    .readBudgetApproval: { _ in "role admin may not read budgets" },
    .readDeadlines: { _ in "role admin may not read budgets" },
]

private struct Cell: CustomTestStringConvertible, Sendable {
    var operation: Permission.Operation
    var role: Role
    var allowed: Bool
    var testDescription: String { "\(role.rawValue) \(operation.rawValue): \(allowed ? "ok" : "403")" }
}

private let header: [Role] = {
    let line = table.split(separator: "\n").first { $0.hasPrefix("#") }!
    return line.split(separator: " ").dropFirst(2).map { Role(rawValue: String($0))! }
}()

private let cells: [Cell] = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { line -> [Cell] in
    // The operation's name has spaces; the last five words are the cells.
    let words = line.split(separator: " ")
    let name = words.dropLast(header.count).joined(separator: " ")
    guard let operation = Permission.Operation(rawValue: name) else { fatalError("unknown operation \(name) in the table") }
    return zip(header, words.suffix(header.count)).map { role, cell in
        Cell(operation: operation, role: role, allowed: cell == "ok")
    }
}

@Suite("Permission table")
struct PermissionTableTests {
    @Test("the table names every operation and every role exactly once")
    func complete() {
        #expect(Set(header) == Set(Role.allCases) && header.count == Role.allCases.count)
        let operations = cells.map(\.operation)
        #expect(Set(operations) == Set(Permission.Operation.allCases))
        #expect(cells.count == Role.allCases.count * Permission.Operation.allCases.count)
        #expect(Set(messages.keys) == Set(Permission.Operation.allCases))
    }

    @Test("each role × operation is decided as the table says, with the message", arguments: cells)
    fileprivate func cell(_ cell: Cell) throws {
        let decided = Permission.of(cell.role, cell.operation)
        if cell.allowed {
            #expect(decided == .allowed)
            #expect(throws: Never.self) { try Permission.require(cell.role, cell.operation) }
        } else {
            let wording = try #require(messages[cell.operation])
            let message = wording(cell.role)
            #expect(decided == .forbidden(message))
            #expect(throws: WorkflowError.forbidden(message)) { try Permission.require(cell.role, cell.operation) }
        }
    }

    @Test("the roles allowed to an operation are the table's row")
    func rolesAllowed() {
        for operation in Permission.Operation.allCases {
            let row = cells.filter { $0.operation == operation && $0.allowed }.map(\.role)
            #expect(Permission.roles(allowedTo: operation) == Role.allCases.filter(row.contains), "\(operation.rawValue)")
        }
    }
}
