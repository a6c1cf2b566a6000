/// The authenticated user performing a request (操作人).
///
/// Note: this type shadows the standard library's `Actor` protocol inside modules that import
/// `Workflow`; write `_Concurrency.Actor` there for the protocol.
public struct Actor: Sendable, Hashable, Codable {
    /// The user name recorded in the audit log.
    public var name: String
    public var role: Role
    /// The organization the user is bound to: an officer's unit, a department reviewer's
    /// department; `nil` for roles that are not bound to one.
    public var orgCode: String?

    /// An actor named `name` with `role`, bound to `orgCode` where the role needs one.
    public init(name: String, role: Role, orgCode: String? = nil) {
        self.name = name
        self.role = role
        self.orgCode = orgCode
    }

    enum CodingKeys: String, CodingKey {
        case name, role
        case orgCode = "org"
    }

    /// Which entries this actor may see; the same answer as ``Transition/canRead(_:_:)``, in a
    /// form a query can filter by.
    public var readScope: ReadScope {
        switch role {
        case .officer:
            return orgCode.map(ReadScope.unit) ?? .nothing
        case .departmentReviewer:
            return orgCode.map(ReadScope.department) ?? .nothing
        case .financeReviewer, .auditor:
            return .everything
        case .admin:
            return .nothing
        }
    }
}

/// The organizations an entry belongs to, which decide who may see it.
public struct EntryScope: Sendable, Hashable, Codable {
    /// The budget unit the entry belongs to.
    public var unitCode: String
    /// The unit's supervising department.
    public var departmentCode: String

    /// The scope of an entry of `unitCode`, a unit of `departmentCode`.
    public init(unitCode: String, departmentCode: String) {
        self.unitCode = unitCode
        self.departmentCode = departmentCode
    }

    enum CodingKeys: String, CodingKey {
        case unitCode = "unit"
        case departmentCode = "department"
    }
}

/// The set of entries an actor may see, for filtering lists (e.g. a SQL `WHERE`).
public enum ReadScope: Sendable, Hashable {
    /// Every entry (finance reviewer, auditor).
    case everything
    /// The entries of one unit (officer).
    case unit(String)
    /// The entries of every unit of one department (department reviewer).
    case department(String)
    /// No entry at all (admin, or a bound role without an organization).
    case nothing

    /// Whether an entry with `scope` is visible.
    public func contains(_ scope: EntryScope) -> Bool {
        switch self {
        case .everything: return true
        case .unit(let code): return scope.unitCode == code
        case .department(let code): return scope.departmentCode == code
        case .nothing: return false
        }
    }
}
