import Crypto
import Foundation

/// One schema migration: a plain SQL file `NNNN_name.sql` in `sql/migrations`.
public struct Migration: Sendable, Equatable {
    /// The numeric prefix, e.g. "0001"; migrations apply in this order.
    public let version: String
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex; an applied migration whose file changes is refused.
    public let checksum: String

    public init(version: String, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public var fileName: String { "\(version)_\(name).sql" }
}

/// Finds and reads the migration files.
public enum MigrationSource {
    /// Reads every `NNNN_name.sql` in `directory`, sorted by version.
    public static func load(directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var migrations: [Migration] = []
        for file in names.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), stem[..<underscore].allSatisfy(\.isNumber),
                  !stem[..<underscore].isEmpty
            else {
                throw MigrationError.badFileName(file)
            }
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(
                version: String(stem[..<underscore]), name: String(stem[stem.index(after: underscore)...]), sql: text))
        }
        let versions = migrations.map(\.version)
        if let duplicate = versions.first(where: { v in versions.filter { $0 == v }.count > 1 }) {
            throw MigrationError.duplicateVersion(duplicate)
        }
        return migrations
    }

    /// The `sql` folder: `$BUDGET_SQL_DIR`, else `sql/` in the working directory or above the
    /// executable (a checkout), else `/usr/share/budget/sql` (an installation).
    public static func sqlDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let configured = environment["BUDGET_SQL_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<6 {
            executable.deleteLastPathComponent()
            candidates.append(executable)
        }
        for base in candidates {
            let sql = base.appendingPathComponent("sql")
            if FileManager.default.fileExists(atPath: sql.appendingPathComponent("migrations").path) { return sql }
        }
        let installed = URL(fileURLWithPath: "/usr/share/budget/sql")
        if FileManager.default.fileExists(atPath: installed.path) { return installed }
        throw MigrationError.directoryNotFound
    }

    public static func migrationsDirectory() throws -> URL {
        try sqlDirectory().appendingPathComponent("migrations")
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case badFileName(String)
    case duplicateVersion(String)
    case directoryNotFound
    case checksumMismatch(file: String, applied: String, current: String)
    case unknownApplied(version: String, name: String)

    public var description: String {
        switch self {
        case .badFileName(let file):
            "migration file \(file) is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            "two migration files share version \(version)"
        case .directoryNotFound:
            "cannot find sql/migrations: run from the checkout or set BUDGET_SQL_DIR"
        case .checksumMismatch(let file, let applied, let current):
            "migration \(file) was changed after it was applied (applied checksum \(applied.prefix(12)), file now \(current.prefix(12))); never edit an applied migration, add a new one"
        case .unknownApplied(let version, let name):
            "the database has migration \(version)_\(name).sql, which this build does not know; use a newer build"
        }
    }
}
