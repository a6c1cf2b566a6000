import Foundation
import HTTPTypes
import Logging
import Persistence
import Workflow

/// Everything `budget-server` reads from its environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `DATABASE_URL` | (required) | libpq connection string or URI |
/// | `HOST` / `PORT` | 127.0.0.1 / 8080 | listening address |
/// | `DB_POOL_SIZE` | 8 | database connections (and their threads) |
/// | `DB_ACQUIRE_TIMEOUT_MS` | 2000 | wait for a free connection before answering 503 |
/// | `DB_MAX_WAITERS` | 256 | requests allowed to wait for a connection at once |
/// | `DB_STATEMENT_TIMEOUT_MS` | 30000 | the database cancels a statement running longer; 0 = none |
/// | `MIGRATE_ON_START` | false | apply pending migrations before serving |
/// | `LOG_LEVEL` / `LOG_FORMAT` | info / json | swift-log level; `json` or `text` lines on stderr |
/// | `AUDIT_CHECKPOINT_SECONDS` | 600 | how often to record every audit chain head; 0 turns it off |
/// | `BUDGET_AUDIT_KEY_FILE` | (none) | Ed25519 key that signs every audit event and checkpoint; unset: events are unsigned (verify fails) and no checkpoints are recorded |
/// | `MAX_BODY_BYTES` | 8388608 | larger request bodies get 413 |
/// | `MAX_LINE_BYTES` | 65536 | longer BLP lines get 413 |
/// | `MAX_BATCH_RECORDS` | 10000 | more records in one batch get 413 |
/// | `MAX_BUFFERED_BODY_BYTES` | 67108864 | request-body bytes buffered at once across all connections; beyond: 503 |
/// | `BODY_READ_TIMEOUT_SECONDS` | 60 | a request body must arrive within this; else 408 and the connection closes |
/// | `IDLE_TIMEOUT_SECONDS` | 60 | a connection that sends nothing this long (between requests or mid-request) is closed |
struct ServerConfiguration: Sendable {
    enum LogFormat: String, Sendable { case json, text }

    var host: String
    var port: Int
    var pool: ConnectionPool.Configuration
    var migrateOnStart: Bool
    var logLevel: Logger.Level
    var logFormat: LogFormat
    var limits: RequestLimits
    var auditCheckpointInterval: Duration?
    /// Signs every audit event and checkpoint; without it events are stored unsigned, which
    /// `audit verify` reports, and no checkpoints are recorded (the server says so at start).
    var auditKey: AuditSigningKey?
    var idleTimeout: Duration

    struct Invalid: Error, CustomStringConvertible {
        let variable: String
        let reason: String
        var description: String { "\(variable): \(reason)" }
    }

    init(environment: [String: String]) throws {
        func integer(_ name: String, _ fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw Invalid(variable: name, reason: "expected an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
            }
            return value
        }
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw Invalid(variable: "DATABASE_URL", reason: "is not set (a libpq connection string, e.g. postgresql://postgres@127.0.0.1:54329/budget)")
        }
        host = environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = try integer("PORT", 8080, range: 0...65535)
        pool = ConnectionPool.Configuration(
            connectionString: url,
            size: try integer("DB_POOL_SIZE", 8, range: 1...512),
            acquireTimeout: .milliseconds(try integer("DB_ACQUIRE_TIMEOUT_MS", 2000, range: 0...600_000)),
            maxWaiters: try integer("DB_MAX_WAITERS", 256, range: 0...100_000),
            applicationName: "budget-server",
            statementTimeout: try integer("DB_STATEMENT_TIMEOUT_MS", 30_000, range: 0...3_600_000).nonZeroMilliseconds)
        migrateOnStart = ["1", "true", "yes"].contains(environment["MIGRATE_ON_START"]?.lowercased() ?? "")
        let level = environment["LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
        guard let parsedLevel = Logger.Level(rawValue: level) else {
            throw Invalid(variable: "LOG_LEVEL", reason: "unknown level \"\(level)\"")
        }
        logLevel = parsedLevel
        let format = environment["LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "json"
        guard let parsedFormat = LogFormat(rawValue: format) else {
            throw Invalid(variable: "LOG_FORMAT", reason: "expected json or text, got \"\(format)\"")
        }
        logFormat = parsedFormat
        limits = RequestLimits(
            maxBodyBytes: try integer("MAX_BODY_BYTES", 8 * 1024 * 1024, range: 1024...1_073_741_824),
            maxLineBytes: try integer("MAX_LINE_BYTES", 65536, range: 256...16_777_216),
            maxBatchRecords: try integer("MAX_BATCH_RECORDS", 10_000, range: 1...10_000_000),
            maxBufferedBodyBytes: try integer("MAX_BUFFERED_BODY_BYTES", 64 * 1024 * 1024, range: 1024...68_719_476_736),
            bodyReadTimeout: .seconds(try integer("BODY_READ_TIMEOUT_SECONDS", 60, range: 1...3600)))
        guard limits.maxBufferedBodyBytes >= limits.maxBodyBytes else {
            throw Invalid(variable: "MAX_BUFFERED_BODY_BYTES",
                          reason: "must be at least MAX_BODY_BYTES (\(limits.maxBodyBytes)), or no full-size body could ever be accepted")
        }
        idleTimeout = .seconds(try integer("IDLE_TIMEOUT_SECONDS", 60, range: 1...86_400))
        let checkpointSeconds = try integer("AUDIT_CHECKPOINT_SECONDS", 600, range: 0...86_400)
        auditCheckpointInterval = checkpointSeconds == 0 ? nil : .seconds(checkpointSeconds)
        // A key file that is named but unusable stops the start: better than silently unsigned.
        if let path = environment["BUDGET_AUDIT_KEY_FILE"], !path.isEmpty {
            do throws(AuditKeyError) {
                auditKey = try AuditSigningKey(contentsOf: path)
            } catch {
                throw Invalid(variable: "BUDGET_AUDIT_KEY_FILE", reason: error.description)
            }
        } else {
            auditKey = nil
        }
        pool.auditKey = auditKey  // every audit event the server appends is signed with it
    }
}

extension Int {
    var nonZeroMilliseconds: Duration? { self == 0 ? nil : .milliseconds(self) }
}
