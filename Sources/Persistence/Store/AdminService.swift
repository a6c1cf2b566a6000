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
        try Permission.require(caller.actor.role, .manageOrganizations)
        let problems = organization.problems
        guard problems.isEmpty else {
            throw WorkflowError.invalidInput(problems[0].message, details: problems)
        }
        try await pool.transaction { connection in
            if organization.kind == .unit {
                guard let parent = organization.parentCode,
                      try connection.query("SELECT 1 AS x FROM organizations WHERE code = \(parent) AND kind = 'department'").count == 1
                else {
                    throw WorkflowError.invalidInput("a unit needs --parent naming an existing department",
                        details: [ErrorDetail(field: "parent", message: "unknown department \(organization.parentCode ?? "(none)")")])
                }
            } else if organization.parentCode != nil {
                throw WorkflowError.invalidInput("a department has no parent", details: [ErrorDetail(field: "parent", message: "not allowed")])
            }
            do {
                try connection.query("""
                    INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding)
                    VALUES (\(organization.code), \(organization.name), \(organization.kind.rawValue), \(organization.parentCode),
                            \(organization.nature), \(organization.level), \(organization.funding))
                    """)
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw WorkflowError.conflict("organization \(organization.code) already exists")
            } catch let error as PostgresError where error.sqlState == .checkViolation {
                // `problems` decides every value first; this is the last line of defence.
                throw WorkflowError.invalidInput("organization \(organization.code) is invalid")
            }
            var changes = ["name": organization.name, "kind": organization.kind.rawValue]
            changes["parent"] = organization.parentCode
            try AuditLog.append(.init(chain: "org:\(organization.code)", action: "org.add", changes: changes), by: caller, on: connection)
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
        guard TextLimits.isUserName(name) else {
            let message = "user name must be 1 to \(TextLimits.userNameLength) letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
            throw WorkflowError.invalidInput(message, details: [ErrorDetail(field: "name", message: message)])
        }
        if let org, !TextLimits.isOrganizationCode(org) {
            throw WorkflowError.invalidInput("org must be an organization code", details: [ErrorDetail(field: "org", message: "not an organization code")])
        }
        return try await pool.transaction { connection in
            let admins: Int = try connection.query("""
                SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND revoked_at IS NULL
                """).first!.decode("n")
            let actor: Caller
            if let caller {
                try Permission.require(caller.actor.role, .manageUsers)
                actor = caller
            } else if admins == 0 && role == .admin {
                actor = Caller(actor: Actor(name: name, role: .admin), channel: .cli)
            } else {
                throw WorkflowError.unauthorized("name the acting administrator with --as (only the first admin needs none)")
            }
            switch role {
            case .officer, .departmentReviewer:
                let kind = role == .officer ? "unit" : "department"
                guard let org, try connection.query("SELECT 1 AS x FROM organizations WHERE code = \(org) AND kind = \(kind)").count == 1 else {
                    throw WorkflowError.invalidInput("role \(role.rawValue) needs --org naming an existing \(kind)",
                        details: [ErrorDetail(field: "org", message: "unknown \(kind) \(org ?? "(none)")")])
                }
            case .financeReviewer, .auditor, .admin:
                break
            }
            let userID: Int64
            do {
                userID = try connection.query("""
                    INSERT INTO users (name, role, org_code) VALUES (\(name), \(role.rawValue), \(org)) RETURNING id
                    """).first!.decode("id")
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw WorkflowError.conflict("user \(name) already exists")
            } catch let error as PostgresError where error.sqlState == .checkViolation {
                throw WorkflowError.invalidInput("user name is invalid: letters, digits and . _ @ - only")
            }
            let token = Self.newToken()
            try connection.query("""
                INSERT INTO api_tokens (user_id, token_hash, expires_at) VALUES (\(userID), \(Self.hash(token)), \(expiresAt))
                """)
            var changes = ["role": role.rawValue]
            changes["org"] = org
            try AuditLog.append(.init(chain: "user:\(name)", action: "user.add", changes: changes), by: actor, on: connection)
            return token
        }
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
        try Permission.require(caller.actor.role, .manageUsers)
        try await pool.transaction { connection in
            guard let row = try connection.query("""
                UPDATE users SET revoked_at = coalesce(revoked_at, now()) WHERE name = \(name) RETURNING id
                """).first else { throw WorkflowError.notFound(resource: "user") }
            let id: Int64 = try row.decode("id")
            try connection.query("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = \(id)")
            try AuditLog.append(.init(chain: "user:\(name)", action: "user.revoke"), by: caller, on: connection)
        }
    }

    /// The active user a bearer token belongs to, or nil (unknown, revoked or expired token).
    public func authenticate(token: String, channel: Channel = .api) async throws -> Caller? {
        guard token.utf8.count <= 200 else { return nil }
        return try await pool.withConnection { connection in
            guard let row = try connection.query("""
                SELECT u.name, u.role, u.org_code FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(Self.hash(token)) AND t.revoked_at IS NULL AND u.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > now())
                """).first else { return nil }
            return try Self.caller(row, channel: channel)
        }
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
