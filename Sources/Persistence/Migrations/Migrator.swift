import Logging

/// Applies migrations in order, each in its own transaction, recording version and checksum.
///
/// A session advisory lock serializes concurrent migrators (two servers starting at once).
public struct Migrator: Sendable {
    public struct Report: Sendable, Equatable {
        public var applied: [String]
        public var alreadyApplied: Int
    }

    /// Arbitrary constant naming this program's migration lock.
    static let lockKey: Int64 = 0x6275_6467_6574  // "budget"

    public let migrations: [Migration]
    public init(migrations: [Migration]) { self.migrations = migrations }

    package func migrate(pool: ConnectionPool, logger: Logger) async throws -> Report {
        let migrations = migrations
        return try await pool.withConnection { connection in
            // The server's pool cancels statements after DB_STATEMENT_TIMEOUT; a migration of a big
            // table, or waiting for another instance's migration, may rightly take longer.
            // RESET returns to the connection's own setting before it goes back to the pool.
            try connection.query("SET statement_timeout = 0")
            defer { _ = try? connection.query("RESET statement_timeout") }
            try connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))") }
            try connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let rows = try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            var recorded: [String: (name: String, checksum: String)] = [:]
            for row in rows {
                recorded[try row.decode("version")] = (try row.decode("name"), try row.decode("checksum"))
            }
            let known = Set(migrations.map(\.version))
            if let stray = recorded.keys.sorted().first(where: { !known.contains($0) }) {
                throw MigrationError.unknownApplied(version: stray, name: recorded[stray]!.name)
            }
            var report = Report(applied: [], alreadyApplied: 0)
            for migration in migrations {
                if let applied = recorded[migration.version] {
                    guard applied.checksum == migration.checksum else {
                        throw MigrationError.checksumMismatch(
                            file: migration.fileName, applied: applied.checksum, current: migration.checksum)
                    }
                    report.alreadyApplied += 1
                    continue
                }
                try connection.withTransaction { connection in
                    try connection.execute(unsafeSQL: migration.sql)
                    try connection.query("""
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """)
                }
                logger.info("applied migration", metadata: ["migration": "\(migration.fileName)"])
                report.applied.append(migration.fileName)
            }
            return report
        }
    }

    /// Versions recorded in the database that match the files, or a clear error when not migrated.
    package static func pendingCount(pool: ConnectionPool, migrations: [Migration]) async throws -> Int {
        try await pool.withConnection { connection in
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            guard try exists.first?.decode("present", as: Bool.self) == true else { return migrations.count }
            let rows = try connection.query("SELECT version FROM schema_migrations")
            let applied = Set(try rows.map { try $0.decode("version", as: String.self) })
            return migrations.filter { !applied.contains($0.version) }.count
        }
    }
}
