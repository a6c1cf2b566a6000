import ArgumentParser
import Foundation
import Logging
import Persistence
import Workflow

/// Options every database command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "libpq connection string or URI (default: $DATABASE_URL).")
    var database: String?

    func connectionString() throws -> String {
        if let database, !database.isEmpty { return database }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return url }
        throw CLIError.usage("no database: set DATABASE_URL or pass --database")
    }

    /// A small pool: one command needs one connection, two leaves room for a nested read.
    /// Audit events it appends are signed with $BUDGET_AUDIT_KEY_FILE, as the server's are.
    func makePool() throws -> ConnectionPool {
        ConnectionPool(
            configuration: .init(connectionString: try connectionString(), size: 2, acquireTimeout: .seconds(30),
                                 applicationName: "budgetctl", statementTimeout: try Self.statementTimeout(),
                                 auditKey: try Self.auditKey()),
            logger: CLI.logger)
    }

    /// $BUDGETCTL_STATEMENT_TIMEOUT_MS (default 300000, 0: none): a statement stuck behind a lock
    /// fails instead of holding the command forever. Migrations lift it for themselves.
    static func statementTimeout() throws -> Duration? {
        guard let text = ProcessInfo.processInfo.environment["BUDGETCTL_STATEMENT_TIMEOUT_MS"], !text.isEmpty else {
            return .seconds(300)
        }
        guard let ms = Int(text), (0...86_400_000).contains(ms) else {
            throw CLIError.usage("BUDGETCTL_STATEMENT_TIMEOUT_MS must be milliseconds between 0 and 86400000")
        }
        return ms == 0 ? nil : .milliseconds(ms)
    }

    /// The key named by $BUDGET_AUDIT_KEY_FILE; nil when unset (events are then stored unsigned,
    /// and `audit verify` reports them). A named but unusable file stops the command.
    static func auditKey() throws -> AuditSigningKey? {
        guard let path = ProcessInfo.processInfo.environment["BUDGET_AUDIT_KEY_FILE"], !path.isEmpty else { return nil }
        do throws(AuditKeyError) {
            return try AuditSigningKey(contentsOf: path)
        } catch {
            throw CLIError.refused("BUDGET_AUDIT_KEY_FILE: \(error.description)")
        }
    }

    /// Opens the pool, runs `body`, and shuts the pool down whether or not `body` succeeded.
    func withPool<T>(_ body: (ConnectionPool) async throws -> T) async throws -> T {
        let pool = try makePool()
        do {
            let result = try await body(pool)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}

/// `--as USER`: the registered user a command acts as (SPEC §7), recorded in the audit log with channel `cli`.
struct IdentityOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The registered user to act as (default: $BUDGETCTL_USER).", valueName: "user"))
    var user: String?

    /// The name given with --as or BUDGETCTL_USER, if any.
    var name: String? {
        if let user, !user.isEmpty { return user }
        if let env = ProcessInfo.processInfo.environment["BUDGETCTL_USER"], !env.isEmpty { return env }
        return nil
    }
}

/// `--format`: tables for people, JSON or BLP for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, blp
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for people), json or blp (for scripts), as the command supports.")
    var format: OutputFormat = .table

    /// Usage error (exit 2) when the command cannot print `format`.
    func require(_ supported: [OutputFormat]) throws {
        guard supported.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use \(supported.map(\.rawValue).joined(separator: " or "))")
        }
    }
}

/// The database, the domain services and the acting user of one command run.
struct Session: Sendable {
    let pool: ConnectionPool
    let entries: EntryService
    let admin: AdminService
    /// The `--as` name, not yet looked up.
    let actingName: String?

    /// The acting user: registered, active, and (when `operation` is given) allowed it by
    /// Workflow's ``Permission`` table.
    ///
    /// Most commands leave the role to the domain services (the same code path as the server);
    /// `operation` is for commands whose service has no caller of its own (checkpoints), or that
    /// should be refused before any work.
    func caller(for command: String, may operation: Permission.Operation? = nil) async throws -> Caller {
        guard let name = actingName else {
            throw CLIError.usage("\(command) needs the acting user: pass --as USER or set BUDGETCTL_USER")
        }
        let caller: Caller
        do {
            caller = try await admin.user(named: name, channel: .cli)
        } catch let error as WorkflowError where error.category == .notFound {
            // A misspelt --as is a name that does not exist: exit 3, like any other lookup.
            throw CLIError.notFound("no active user named \(name) (--as or BUDGETCTL_USER); `budgetctl user list --as ADMIN` lists them")
        }
        if let operation, Permission.of(caller.actor.role, operation) != .allowed {
            let roles = Permission.roles(allowedTo: operation).map(\.rawValue).sorted()
            throw WorkflowError.forbidden("\(name) is \(caller.actor.role.rawValue); \(command) needs \(roles.joined(separator: " or "))")
        }
        return caller
    }

    /// An entry by id or code, with a not-found message that names what was asked for.
    func entry(_ reference: String, year: Int?, for caller: Caller) async throws -> BudgetEntry {
        do {
            return try await entries.resolve(reference, year: year, for: caller)
        } catch let error as WorkflowError where error.category == .notFound {
            throw CLIError.notFound("entry \(reference)\(year.map { " in \($0)" } ?? "") not found")
        }
    }

    /// Every entry matching `filter` within the caller's scope, page after page.
    func allEntries(_ filter: EntryService.Filter, for caller: Caller) async throws -> [BudgetEntry] {
        var filter = filter
        filter.limit = EntryService.Filter.maxLimit
        var found: [BudgetEntry] = []
        repeat {
            let page = try await entries.list(filter, for: caller)
            found += page.items
            filter.cursor = page.nextCursor
        } while filter.cursor != nil
        return found
    }
}

extension DatabaseOptions {
    /// Runs `body` with the services on a fresh pool, which is always shut down afterwards.
    func withSession<T>(_ identity: IdentityOptions? = nil, _ body: (Session) async throws -> T) async throws -> T {
        try await withPool { pool in
            try await body(Session(pool: pool, entries: EntryService(pool: pool), admin: AdminService(pool: pool),
                                   actingName: identity?.name))
        }
    }
}

enum CLI {
    static let logger: Logger = {
        var logger = Logger(label: "budgetctl")
        logger.logLevel = .warning
        return logger
    }()
}
