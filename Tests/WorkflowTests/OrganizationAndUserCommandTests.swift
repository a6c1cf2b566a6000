import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// Organization and user administration, decided in Workflow: the role, the values' form, the
/// parent or bound organization, a code or name used once, and the bootstrap of the first admin.
@Suite("organization and user commands")
struct OrganizationAndUserCommandTests {
    static let admin = Actor(name: "admin", role: .admin)
    static let digest = [UInt8](repeating: 7, count: 32)

    @Test("only an administrator adds organizations and adds or revokes users", arguments: Role.allCases)
    func roles(_ role: Role) {
        let actor = Actor(name: "x", role: role, orgCode: "201")
        let department = Organization(code: "301", name: "部门", kind: .department)
        let results: [Result<Void, WorkflowError>] = [
            Result { () throws(WorkflowError) in _ = try AddOrganizationCommand(actor: actor, organization: department) },
            Result { () throws(WorkflowError) in
                _ = try AddUserCommand(actor: actor, name: "u", role: .auditor, org: nil, tokenDigest: Self.digest)
            },
            Result { () throws(WorkflowError) in _ = try RevokeUserCommand(actor: actor, name: "u") },
        ]
        for result in results {
            switch result {
            case .success: #expect(role == .admin)
            case .failure(let error): #expect(role != .admin && error.category == .forbidden)
            }
        }
    }

    /// One organization case: the organization, the snapshot, and the expected outcome.
    struct OrgCase: Sendable, CustomTestStringConvertible {
        var label: String
        var organization: Organization
        var snapshot = AddOrganizationCommand.Snapshot(codeTaken: false, parentKind: nil)
        /// nil: a plan; else the refusal's category and message.
        var refused: (WorkflowError.Category, String)?
        var testDescription: String { label }
    }

    static let orgCases: [OrgCase] = [
        OrgCase(label: "a department", organization: Organization(code: "301", name: "部门", kind: .department)),
        OrgCase(label: "a unit of a department", organization: Organization(code: "301001", name: "单位", kind: .unit, parentCode: "301"),
                snapshot: .init(codeTaken: false, parentKind: .department)),
        OrgCase(label: "a unit whose parent is a unit", organization: Organization(code: "301002", name: "单位", kind: .unit, parentCode: "301001"),
                snapshot: .init(codeTaken: false, parentKind: .unit),
                refused: (.invalidInput, "a unit needs --parent naming an existing department")),
        OrgCase(label: "a unit whose parent does not exist", organization: Organization(code: "301002", name: "单位", kind: .unit, parentCode: "399"),
                refused: (.invalidInput, "a unit needs --parent naming an existing department")),
        OrgCase(label: "a taken code", organization: Organization(code: "301", name: "部门", kind: .department),
                snapshot: .init(codeTaken: true, parentKind: nil), refused: (.conflict, "organization 301 already exists")),
    ]

    @Test("adding an organization", arguments: orgCases)
    func addOrganization(_ c: OrgCase) throws {
        let command = try AddOrganizationCommand(actor: Self.admin, organization: c.organization)
        do {
            let plan = try command.decide(c.snapshot)
            #expect(c.refused == nil)
            var changes = ["name": c.organization.name, "kind": c.organization.kind.rawValue]
            changes["parent"] = c.organization.parentCode
            #expect(plan == Plan(writes: [.insertOrganization(c.organization)],
                                 events: [PlannedEvent(chain: "org:\(c.organization.code)", action: "org.add", changes: changes)]))
        } catch {
            #expect(error.category == c.refused?.0)
            #expect(error.message == c.refused?.1)
        }
    }

    @Test("an organization's own values are refused before anything is read", arguments: [
        Organization(code: "-1", name: "部门", kind: .department),
        Organization(code: "301", name: "  ", kind: .department),
        Organization(code: "301", name: "部门", kind: .department, parentCode: "201"),
        Organization(code: "301001", name: "单位", kind: .unit),
        Organization(code: "301", name: "部门", kind: .department, nature: String(repeating: "长", count: 1_000)),
    ])
    func organizationValues(_ organization: Organization) {
        #expect { try AddOrganizationCommand(actor: Self.admin, organization: organization) } throws: {
            ($0 as? WorkflowError)?.category == .invalidInput
        }
    }

    /// One user case: who acts, the user's role and org, the snapshot, and the expected outcome.
    struct UserCase: Sendable, CustomTestStringConvertible {
        var label: String
        var actor: Actor? = OrganizationAndUserCommandTests.admin
        var role: Role
        var org: String? = nil
        var snapshot = AddUserCommand.Snapshot(hasActiveAdmin: true, nameTaken: false, orgKind: nil)
        /// nil: a plan by `by`; else the refusal's category.
        var refused: WorkflowError.Category?
        var by = "admin"
        var testDescription: String { label }
    }

    static let userCases: [UserCase] = [
        UserCase(label: "the first admin, with no acting user", actor: nil, role: .admin,
                 snapshot: .init(hasActiveAdmin: false, nameTaken: false, orgKind: nil), by: "u"),
        UserCase(label: "a second admin with no acting user", actor: nil, role: .admin, refused: .unauthorized),
        UserCase(label: "a first user who is not an admin, with no acting user", actor: nil, role: .auditor,
                 snapshot: .init(hasActiveAdmin: false, nameTaken: false, orgKind: nil), refused: .unauthorized),
        UserCase(label: "an auditor", role: .auditor),
        UserCase(label: "a finance reviewer", role: .financeReviewer),
        UserCase(label: "an officer of a unit", role: .officer, org: "201002",
                 snapshot: .init(hasActiveAdmin: true, nameTaken: false, orgKind: .unit)),
        UserCase(label: "an officer of a department", role: .officer, org: "201",
                 snapshot: .init(hasActiveAdmin: true, nameTaken: false, orgKind: .department), refused: .invalidInput),
        UserCase(label: "an officer with no org", role: .officer, refused: .invalidInput),
        UserCase(label: "a department reviewer of a department", role: .departmentReviewer, org: "201",
                 snapshot: .init(hasActiveAdmin: true, nameTaken: false, orgKind: .department)),
        UserCase(label: "a department reviewer of an unknown org", role: .departmentReviewer, org: "299", refused: .invalidInput),
        UserCase(label: "a taken name", role: .auditor, snapshot: .init(hasActiveAdmin: true, nameTaken: true, orgKind: nil),
                 refused: .conflict),
    ]

    @Test("adding a user", arguments: userCases)
    func addUser(_ c: UserCase) throws {
        let expires = Date(timeIntervalSince1970: 2_000_000_000)
        let command = try AddUserCommand(actor: c.actor, name: "u", role: c.role, org: c.org, tokenDigest: Self.digest, expiresAt: expires)
        do {
            let (plan, by) = try command.decide(c.snapshot)
            #expect(c.refused == nil)
            #expect(by.name == c.by && by.role == .admin)
            var changes = ["role": c.role.rawValue]
            changes["org"] = c.org
            #expect(plan == Plan(
                writes: [.insertUser(name: "u", role: c.role, org: c.org), .issueToken(user: "u", sha256: Self.digest, expiresAt: expires)],
                events: [PlannedEvent(chain: "user:u", action: "user.add", changes: changes)]))
        } catch {
            #expect(error.category == c.refused)
        }
    }

    @Test("a user's name and org code are refused before anything is read, even for a forbidden caller",
          arguments: [("", nil), ("-x", nil), ("a b", nil), (String(repeating: "a", count: 200), nil), ("u", "20 1")] as [(String, String?)])
    func userValues(_ name: String, _ org: String?) {
        #expect { try AddUserCommand(actor: Actor(name: "o", role: .officer, orgCode: "201002"), name: name, role: .auditor, org: org,
                                     tokenDigest: Self.digest) } throws: {
            ($0 as? WorkflowError)?.category == .invalidInput
        }
    }

    @Test("revoking a user: an unknown one is not found; a known one, revoked or not, is revoked and recorded")
    func revoke() throws {
        let command = try RevokeUserCommand(actor: Self.admin, name: "u")
        #expect(throws: WorkflowError.notFound(resource: "user")) { try command.decide(userExists: false) }
        #expect(try command.decide(userExists: true) == Plan(
            writes: [.revokeUser(name: "u")], events: [PlannedEvent(chain: "user:u", action: "user.revoke")]))
    }
}
