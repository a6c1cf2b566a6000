import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// A fresh, migrated database driven only through the built `budgetctl` binary.
///
/// `bootstrapped()` adds, through the CLI, admin `root`, department 201 (units 201002, 201003),
/// department 202 (unit 202001) and users finance, auditor, officer-201002, reviewer-201.
struct CLIWorld {
    let db: TestDatabase

    static func empty() async throws -> CLIWorld {
        CLIWorld(db: try await TestPostgres.makeDatabase(poolSize: 1))
    }

    static func bootstrapped() async throws -> CLIWorld {
        let world = try await empty()
        try await world.ok(["user", "add", "--name", "root", "--role", "admin"])
        for org in [
            ["--code", "201", "--name", "中共保定市徐水区委办公室", "--kind", "department", "--nature", "行政", "--level", "正科", "--funding", "财政拨款"],
            ["--code", "201002", "--name", "区委办（行政）", "--kind", "unit", "--parent", "201"],
            ["--code", "201003", "--name", "区档案馆", "--kind", "unit", "--parent", "201"],
            ["--code", "202", "--name", "Finance Bureau", "--kind", "department"],
            ["--code", "202001", "--name", "Bureau office", "--kind", "unit", "--parent", "202"],
        ] {
            try await world.ok(["org", "add"] + org, as: "root")
        }
        for user in [
            ["--name", "finance", "--role", "finance_reviewer"],
            ["--name", "auditor", "--role", "auditor"],
            ["--name", "officer-201002", "--role", "officer", "--org", "201002"],
            ["--name", "reviewer-201", "--role", "department_reviewer", "--org", "201"],
        ] {
            try await world.ok(["user", "add"] + user, as: "root")
        }
        return world
    }

    /// Runs budgetctl with DATABASE_URL set to this database, acting `as` a user when given.
    func run(_ arguments: [String], as user: String? = nil, stdin: String? = nil,
             environment: [String: String] = [:]) async throws -> Budgetctl.Result {
        try await Budgetctl.run(arguments + (user.map { ["--as", $0] } ?? []),
                                environment: environment.merging(["DATABASE_URL": db.conninfo]) { _, url in url }, stdin: stdin)
    }

    /// Runs budgetctl and requires exit 0.
    @discardableResult
    func ok(_ arguments: [String], as user: String? = nil, stdin: String? = nil, environment: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation) async throws -> Budgetctl.Result {
        let result = try await run(arguments, as: user, stdin: stdin, environment: environment)
        try #require(result.status == 0, "budgetctl \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)",
                     sourceLocation: sourceLocation)
        return result
    }

    /// Imports drafts for unit 201002 / 2020 as its officer, through stdin.
    func importDrafts(_ drafts: [EntryDraft], unit: String = "201002", year: Int = 2020) async throws {
        try await ok(["import", "-", "--unit", unit, "--year", String(year)], as: "officer-201002",
               stdin: try BLPEntryMapping.encode(drafts))
    }

    /// Imports, submits and approves at department level: the entries then await the finance bureau.
    func toFinanceReview(_ drafts: [EntryDraft]) async throws {
        try await importDrafts(drafts)
        try await ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        try await ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "reviewer-201")
    }

    // MARK: - Looking behind the CLI's back (superuser connection)

    func auditEventCount() throws -> Int {
        try db.superuser().query("SELECT count(*)::int AS n FROM audit_events").first!.decode("n")
    }

    func entryCount() throws -> Int {
        try db.superuser().query("SELECT count(*)::int AS n FROM entries").first!.decode("n")
    }

    /// The state of the newest revision of `code` in 2020.
    func state(_ code: String) throws -> String? {
        try db.superuser().query("""
            SELECT state FROM entries WHERE year = 2020 AND code = \(code) ORDER BY revision DESC LIMIT 1
            """).first?.decode("state")
    }
}

/// Terminal columns of text, independently of budgetctl's own implementation: CJK ideographs and
/// full-width forms count two.
func displayWidth(_ text: some StringProtocol) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return width + 2
        default:
            return width + 1
        }
    }
}
