import Crypto
import Foundation
import Workflow

/// Organizations, users and tokens, control figures, waivers and the audit log: the finance
/// bureau's and the administrator's side. Every change is audited.
public struct AdminService: Sendable {
    package let pool: ConnectionPool

    package init(pool: ConnectionPool) { self.pool = pool }

    // MARK: - Organizations

    public func addOrganization(_ organization: Organization, by caller: Caller) async throws {
        let command = try AddOrganizationCommand(actor: caller.actor, organization: organization)
        try await pool.transaction { connection in
            let row = try connection.query("""
                SELECT EXISTS (SELECT 1 FROM organizations WHERE code = \(organization.code)) AS taken,
                       (SELECT kind FROM organizations WHERE code = \(organization.parentCode)) AS parent_kind
                """).first!
            let taken: Bool = try row.decode("taken")
            let parentKind: String? = try row.decode("parent_kind", as: String?.self)
            let snapshot = AddOrganizationCommand.Snapshot(codeTaken: taken, parentKind: parentKind.flatMap { OrgKind(rawValue: $0) })
            try PlanWriter.apply(try command.decide(snapshot), by: caller, on: connection)
        }
    }

    public func organizations() async throws -> [Organization] {
        try await pool.withConnection { connection in
            try connection.query("SELECT * FROM organizations ORDER BY coalesce(parent_code, code), parent_code NULLS FIRST, code").map { row in
                Organization(
                    code: try row.decode("code"), name: try row.decode("name"),
                    kind: OrgKind(rawValue: try row.decode("kind")) ?? .unit,
                    parentCode: try row.decode("parent_code", as: String?.self), nature: try row.decode("nature", as: String?.self),
                    level: try row.decode("level", as: String?.self), funding: try row.decode("funding", as: String?.self))
            }
        }
    }

    // MARK: - Users and tokens

    public struct User: Sendable, Hashable, Codable {
        public var name: String
        public var role: Role
        public var org: String?
        public var revoked: Bool
        package var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case name, role, org, revoked
            case createdAt = "created_at"
        }
    }

    /// A new user and its bearer token, shown only now; only its SHA-256 is stored.
    ///
    /// The very first admin may be created with no caller (bootstrap); afterwards an admin must act.
    package func addUser(name: String, role: Role, org: String?, expiresAt: Timestamp? = nil, by caller: Caller?) async throws -> String {
        let token = Self.newToken()
        let command = try AddUserCommand(
            actor: caller?.actor, name: name, role: role, org: org, tokenDigest: Self.hash(token).bytes, expiresAt: expiresAt?.date)
        try await pool.transaction { connection in
            let row = try connection.query("""
                SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND revoked_at IS NULL) AS has_admin,
                       EXISTS (SELECT 1 FROM users WHERE name = \(name)) AS taken,
                       (SELECT kind FROM organizations WHERE code = \(org)) AS org_kind
                """).first!
            let hasAdmin: Bool = try row.decode("has_admin")
            let taken: Bool = try row.decode("taken")
            let orgKind: String? = try row.decode("org_kind", as: String?.self)
            let snapshot = AddUserCommand.Snapshot(
                hasActiveAdmin: hasAdmin, nameTaken: taken, orgKind: orgKind.flatMap { OrgKind(rawValue: $0) })
            let (plan, by) = try command.decide(snapshot)
            try PlanWriter.apply(plan, by: caller ?? Caller(actor: by, channel: .cli), on: connection)
        }
        return token
    }

    /// Every user, for the roles the permission table lets list them.
    public func users(by caller: Caller) async throws -> [User] {
        try Permission.require(caller.actor.role, .listUsers)
        return try await pool.withConnection { connection in
            try connection.query("SELECT name, role, org_code, revoked_at IS NOT NULL AS revoked, created_at FROM users ORDER BY name").map { row in
                User(name: try row.decode("name"), role: Role(rawValue: try row.decode("role")) ?? .auditor,
                     org: try row.decode("org_code", as: String?.self), revoked: try row.decode("revoked"),
                     createdAt: try row.decode("created_at"))
            }
        }
    }

    /// Revokes a user and all its tokens.
    public func revokeUser(_ name: String, by caller: Caller) async throws {
        let command = try RevokeUserCommand(actor: caller.actor, name: name)
        try await pool.transaction { connection in
            let exists = try connection.query("SELECT 1 AS x FROM users WHERE name = \(name) FOR UPDATE").count == 1
            try PlanWriter.apply(try command.decide(userExists: exists), by: caller, on: connection)
        }
    }

    /// The active user a bearer token belongs to, or nil (unknown, revoked or expired token).
    public func authenticate(token: String, channel: Channel = .api) async throws -> Caller? {
        try await authentication(token: token, channel: channel)?.caller
    }

    /// A registered, active user by name (`budgetctl --as`).
    public func user(named name: String, channel: Channel = .cli) async throws -> Caller {
        try await pool.withConnection { connection in
            // A name never registered is not found; a revoked user is refused.
            guard let row = try connection.query("""
                SELECT name, role, org_code, revoked_at IS NOT NULL AS revoked FROM users WHERE name = \(name)
                """).first else { throw WorkflowError.notFound(resource: "user \(name)") }
            if try row.decode("revoked", as: Bool.self) { throw WorkflowError.unauthorized("no active user named \(name) (revoked)") }
            return try Self.caller(row, channel: channel)
        }
    }

    static func caller(_ row: PostgresRow, channel: Channel) throws -> Caller {
        guard let role = Role(rawValue: try row.decode("role")) else {
            throw PostgresError(kind: .decoding, message: "unknown role")
        }
        return Caller(actor: Actor(name: try row.decode("name"), role: role, orgCode: try row.decode("org_code", as: String?.self)),
                      channel: channel)
    }

    /// 32 random bytes (256 bits) from the system's CSPRNG, base64url, with a recognisable prefix.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "bgt_" + base64
    }

    static func hash(_ token: String) -> ByteA { ByteA(Array(SHA256.hash(data: Data(token.utf8)))) }

    // MARK: - Control figures and waivers: AdminService+Controls.swift

    // MARK: - Audit log

    /// Recomputes every chain and checks every checkpoint; readable by the finance bureau and auditors.
    ///
    /// Throws `AuditKeyError` (`.missing`) when a checkpoint is signed and `options` holds no key.
    public func verifyAudit(
        by caller: Caller, options: AuditVerification.Options = .init(), progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> AuditVerification {
        try Permission.require(caller.actor.role, .readAuditLog)
        return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            try AuditLog.verify(on: connection, options: options, progress: progress)
        }
    }

    /// Signs and records every chain head, so that a later change below them is detected.
    @discardableResult
    public func checkpointAudit(signedWith key: AuditSigningKey) async throws -> Int64 {
        try await pool.transaction(isolation: .repeatableRead) { connection in
            try AuditLog.checkpoint(signedWith: key, on: connection)!
        }
    }

    /// The same, unless no event was appended since the newest signed checkpoint (then nil).
    public func checkpointAuditIfChanged(signedWith key: AuditSigningKey) async throws -> Int64? {
        try await pool.transaction(isolation: .repeatableRead) { connection in
            try AuditLog.checkpoint(signedWith: key, skipUnchanged: true, on: connection)
        }
    }

    /// Audit events, newest first, optionally of one entry code.
    public func auditLog(entry code: String? = nil, year: Int? = nil, limit: Int = 100, by caller: Caller) async throws -> [AuditLog.StoredEvent] {
        try Permission.require(caller.actor.role, .readAuditLog)
        return try await pool.withConnection { connection in
            var condition: SQL = "TRUE"
            if let code {
                condition = year.map { "chain = \(AuditLog.entryChain(year: $0, code: code))" }
                    ?? "chain LIKE 'entry:%' AND split_part(chain, ':', 3) = \(code)"
            }
            return try connection.query("""
                SELECT \(AuditLog.eventColumns) FROM audit_events WHERE \(condition) ORDER BY id DESC LIMIT \(limit)
                """).map { try AuditLog.decodeEvent($0).0 }
        }
    }
}
