import Foundation

/// Adding a department (主管部门) or a budget unit (预算单位): the administrator's decision.
///
/// Its snapshot: whether the code is taken and the kind of the organization the parent code
/// names (nil when none does).
public struct AddOrganizationCommand: Sendable {
    public let actor: Actor
    public let organization: Organization

    /// What can be decided before anything is read: the role and the organization's own values.
    public init(actor: Actor, organization: Organization) throws(WorkflowError) {
        try Permission.require(actor.role, .manageOrganizations)
        let problems = organization.problems
        guard problems.isEmpty else { throw .invalidInput(problems[0].message, details: problems) }
        self.actor = actor
        self.organization = organization
    }

    public struct Snapshot: Sendable, Hashable {
        public var codeTaken: Bool
        /// The kind of the organization named as parent; nil when there is none.
        public var parentKind: OrgKind?
        public init(codeTaken: Bool, parentKind: OrgKind?) {
            self.codeTaken = codeTaken
            self.parentKind = parentKind
        }
    }

    /// The organization and its audit event: a unit's parent must be an existing department, a
    /// code is used once.
    public func decide(_ snapshot: Snapshot) throws(WorkflowError) -> Plan {
        switch organization.kind {
        case .unit:
            guard organization.parentCode != nil, snapshot.parentKind == .department else {
                throw .invalidInput("a unit needs --parent naming an existing department",
                    details: [ErrorDetail(field: "parent", message: "unknown department \(organization.parentCode ?? "(none)")")])
            }
        case .department:
            // `problems` refused a department's parent already; kept so that decide stands alone.
            guard organization.parentCode == nil else {
                throw .invalidInput("a department has no parent", details: [ErrorDetail(field: "parent", message: "not allowed")])
            }
        }
        guard !snapshot.codeTaken else { throw .conflict("organization \(organization.code) already exists") }
        var changes = ["name": organization.name, "kind": organization.kind.rawValue]
        changes["parent"] = organization.parentCode
        return Plan(
            writes: [.insertOrganization(organization)],
            events: [PlannedEvent(chain: Self.chain(organization.code), action: "org.add", changes: changes)])
    }

    /// The audit chain of an organization.
    public static func chain(_ code: String) -> String { "org:\(code)" }
}

/// Adding a user with a first bearer token: the administrator's decision, or the bootstrap of
/// the very first administrator, who acts as itself.
///
/// The token is made outside (randomness is I/O); the command sees only its SHA-256.
/// Its snapshot: whether an active administrator exists, whether the name is taken, and the kind
/// of the organization the user is bound to (nil when `org` names none).
public struct AddUserCommand: Sendable {
    /// nil: no acting user (allowed only to create the first administrator).
    public let actor: Actor?
    public let name: String
    public let role: Role
    public let org: String?
    public let tokenDigest: [UInt8]
    public let expiresAt: Date?

    /// What can be decided before anything is read: the name's and the org code's form, then the
    /// acting user's role.
    public init(
        actor: Actor?, name: String, role: Role, org: String?, tokenDigest: [UInt8], expiresAt: Date? = nil
    ) throws(WorkflowError) {
        guard TextLimits.isUserName(name) else {
            let message = """
                user name must be 1 to \(TextLimits.userNameLength) letters, digits, '.', '_', '@' or '-', \
                starting with a letter or digit
                """
            throw .invalidInput(message, details: [ErrorDetail(field: "name", message: message)])
        }
        if let org, !TextLimits.isOrganizationCode(org) {
            throw .invalidInput("org must be an organization code", details: [ErrorDetail(field: "org", message: "not an organization code")])
        }
        if let actor { try Permission.require(actor.role, .manageUsers) }
        self.actor = actor
        self.name = name
        self.role = role
        self.org = org
        self.tokenDigest = tokenDigest
        self.expiresAt = expiresAt
    }

    public struct Snapshot: Sendable, Hashable {
        public var hasActiveAdmin: Bool
        public var nameTaken: Bool
        /// The kind of the organization `org` names; nil when it names none (or no org was given).
        public var orgKind: OrgKind?
        public init(hasActiveAdmin: Bool, nameTaken: Bool, orgKind: OrgKind?) {
            self.hasActiveAdmin = hasActiveAdmin
            self.nameTaken = nameTaken
            self.orgKind = orgKind
        }
    }

    /// The user, its token and the audit event, and who the event is by (the caller, or at the
    /// bootstrap the new administrator). An officer is bound to a unit, a department reviewer to a
    /// department; a name is used once.
    public func decide(_ snapshot: Snapshot) throws(WorkflowError) -> (plan: Plan, by: Actor) {
        let by: Actor
        if let actor {
            by = actor
        } else if !snapshot.hasActiveAdmin && role == .admin {
            by = Actor(name: name, role: .admin)
        } else {
            throw .unauthorized("name the acting administrator with --as (only the first admin needs none)")
        }
        switch role {
        case .officer, .departmentReviewer:
            let kind: OrgKind = role == .officer ? .unit : .department
            guard org != nil, snapshot.orgKind == kind else {
                throw .invalidInput("role \(role.rawValue) needs --org naming an existing \(kind.rawValue)",
                    details: [ErrorDetail(field: "org", message: "unknown \(kind.rawValue) \(org ?? "(none)")")])
            }
        case .financeReviewer, .auditor, .admin:
            break
        }
        guard !snapshot.nameTaken else { throw .conflict("user \(name) already exists") }
        var changes = ["role": role.rawValue]
        changes["org"] = org
        return (Plan(
            writes: [.insertUser(name: name, role: role, org: org), .issueToken(user: name, sha256: tokenDigest, expiresAt: expiresAt)],
            events: [PlannedEvent(chain: Self.chain(name), action: "user.add", changes: changes)]), by)
    }

    /// The audit chain of a user.
    public static func chain(_ name: String) -> String { "user:\(name)" }
}

/// Revoking a user and all its tokens: the administrator's decision. Revoking a revoked user
/// changes nothing but is recorded again.
///
/// Its snapshot: whether the user exists.
public struct RevokeUserCommand: Sendable {
    public let actor: Actor
    public let name: String

    /// What can be decided before anything is read: the role.
    public init(actor: Actor, name: String) throws(WorkflowError) {
        try Permission.require(actor.role, .manageUsers)
        self.actor = actor
        self.name = name
    }

    public func decide(userExists: Bool) throws(WorkflowError) -> Plan {
        guard userExists else { throw .notFound(resource: "user") }
        return Plan(writes: [.revokeUser(name: name)], events: [PlannedEvent(chain: AddUserCommand.chain(name), action: "user.revoke")])
    }
}
