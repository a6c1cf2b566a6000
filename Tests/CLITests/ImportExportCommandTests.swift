import Foundation
import TestSupport
import Testing
import Workflow

@Suite("budgetctl import and export")
struct ImportExportCommandTests {
    @Test("a file with bad lines stores nothing and names every bad line (exit 1)")
    func badLines() async throws {
        let world = try await CLIWorld.bootstrapped()
        let file = """
            # two good entries around three bad lines
            entry code=OK-1 name=好的 kind=operation func=2013101 general=1000.00
            entry code=BAD-1 name=坏的 kind=operation func=2013101 general=12.345
            item econ=30201 amount=abc
            entry code=OK-2 name=好的 kind=operation func=2013101 general=2000.00 colour=red
            entry code=BAD-2 name=坏的 kind=sideline func=2013101 general=1.00
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).blp").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let result = try await world.run(["import", path, "--unit", "201002", "--year", "2020"], as: "officer-201002")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("budgetctl: \(path) has 4 bad lines; nothing was stored\n"), "\(result.stderr)")
        for expected in ["line 3 field general: ", "line 4 field amount: ", "line 5 field colour: ", "line 6 field kind: "] {
            #expect(result.stderr.contains(expected), "missing \(expected) in \(result.stderr)")
        }
        #expect(!result.stderr.contains("line 2"))
        #expect(try world.entryCount() == 0)
    }

    @Test("rules checked at storage (V6 duplicate code in the batch) are reported by line too; nothing is stored")
    func ruleViolationsByLine() async throws {
        let world = try await CLIWorld.bootstrapped()
        let blp = try BLPEntryMapping.encode([Fixture.project("DUP-1"), Fixture.project("DUP-1")])
        let result = try await world.run(["import", "-", "--unit", "201002", "--year", "2020"], as: "officer-201002", stdin: blp)
        #expect(result.status == 1)
        #expect(result.stderr.contains("field code: V6: "), "\(result.stderr)")
        #expect(try world.entryCount() == 0)
    }

    @Test("import replaces drafts; export prints BLP that imports back to the same entries")
    func roundTrip() async throws {
        let world = try await CLIWorld.bootstrapped()
        let drafts = [Fixture.project("X-2", yuan: "2500.50", name: "第二个"), Fixture.project("X-1")]
        let first = try await world.ok(["import", "-", "--unit", "201002", "--year", "2020", "--format", "blp"], as: "officer-201002",
                                 stdin: try BLPEntryMapping.encode(drafts))
        #expect(first.stdout.hasPrefix("ok line=1 code=X-2 id="))
        #expect(first.stdout.contains("state=draft version=1"))
        let again = try await world.ok(["import", "-", "--unit", "201002", "--year", "2020"], as: "officer-201002",
                                 stdin: try BLPEntryMapping.encode(drafts))
        #expect(again.stdout.contains("0 created, 2 drafts replaced"))

        let exported = try await world.ok(["export", "--unit", "201002", "--year", "2020"], as: "finance")
        let decoded = BLPEntryMapping.decodeEntries(Array(exported.stdout.utf8), unit: "201002", year: 2020)
        #expect(decoded.isValid, "\(decoded.errors)")
        #expect(decoded.entries.map(\.draft) == drafts.sorted { $0.code < $1.code })

        // To a file, then into another (fresh) database: the same entries again.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID()).blp").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let toFile = try await world.ok(["export", "--unit", "201002", "--year", "2020", "-o", path], as: "finance")
        #expect(toFile.stdout.isEmpty)
        #expect(toFile.stderr.contains("exported 2 entries"))
        let other = try await CLIWorld.bootstrapped()
        try await other.ok(["import", path, "--unit", "201002", "--year", "2020"], as: "officer-201002")
        let reexported = try await other.ok(["export", "--unit", "201002", "--year", "2020"], as: "finance")
        #expect(reexported.stdout == exported.stdout)

        let json = try await world.ok(["export", "--unit", "201002", "--year", "2020", "--format", "json"], as: "auditor")
        let entries = try JSONDecoder().decode([BudgetEntry].self, from: Data(json.stdout.utf8))
        #expect(entries.map(\.content) == drafts.sorted { $0.code < $1.code })
    }

    @Test("the reference sample imports, and only its officer may import it")
    func referenceSample() async throws {
        let world = try await CLIWorld.bootstrapped()
        let sample = TestPostgres.repositoryRoot.appendingPathComponent("sql/sample/201002-2020.blp").path
        let refused = try await world.run(["import", sample, "--unit", "201002", "--year", "2020"], as: "finance")
        #expect(refused.status == 1, "\(refused.stderr)")
        let imported = try await world.ok(["import", sample, "--unit", "201002", "--year", "2020"], as: "officer-201002")
        #expect(imported.stdout.contains("imported 15 entries"))
        #expect(imported.stdout.contains("5,107,600.00"))
        #expect(imported.stderr.isEmpty)
        let missing = try await world.run(["import", "/nonexistent.blp", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        #expect(missing.status == 2)
        let noUnit = try await world.run(["import", sample, "--year", "2020"], as: "officer-201002")
        #expect(noUnit.status == 2)
    }
}
