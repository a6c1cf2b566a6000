import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// `--format json` prints the API's documents (`EntryDocument`, `BudgetEntry`'s Codable), not
/// shapes of its own: each output is compared, as JSON, with the document built from the stored rows.
@Suite("budgetctl JSON is the API's entry documents")
struct EntryDocumentCommandTests {
    @Test("import, approve, publish and show print what the API answers for the same entries")
    func sameDocuments() async throws {
        let world = try await CLIWorld.bootstrapped()
        let service = EntryService(pool: world.db.pool)
        let finance = Caller(actor: Actor(name: "finance", role: .financeReviewer), channel: .cli)
        let stored = { try await service.list(.init(), for: finance).items.sorted { $0.content.code < $1.content.code } }

        let drafts = [Fixture.project("D-1"), Fixture.project("D-2", yuan: "2500.00")]
        let blp = try BLPEntryMapping.encode(drafts)
        let imported = try await world.ok(["import", "-", "--unit", "201002", "--year", "2020", "--format", "json"],
                                          as: "officer-201002", stdin: blp)
        let created = try await stored()
        // Each saved entry names the line of its `entry` record.
        let lines = blp.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.hasPrefix("entry ") }.map { $0.offset + 1 }
        try #require(lines.count == 2)
        #expect(try Self.json(imported.stdout) == (try Self.json(zip(created, lines).map { EntryDocument.Saved($0, line: $1, created: true) })))
        #expect(imported.stdout.contains(created[0].id.uuidString.lowercased()))

        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        let approved = try await world.ok(["approve", "D-1", "D-2", "--year", "2020", "--format", "json"], as: "reviewer-201")
        #expect(try Self.json(approved.stdout) == (try Self.json(try await stored().map { EntryDocument.Changed(entry: $0, newRevision: nil) })))
        try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")

        let published = try await world.ok(["publish", "--department", "201", "--year", "2020", "--format", "json"], as: "finance")
        let after = try await stored()
        #expect(after.allSatisfy { $0.state == .published })
        #expect(try Self.json(published.stdout) == (try Self.json(after.map { EntryDocument.Saved($0) })))

        let shown = try await world.ok(["show", "D-2", "--year", "2020", "--format", "json"], as: "auditor")
        #expect(try Self.json(shown.stdout) == (try Self.json(after[1])))
    }

    static func json(_ text: String) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
    }

    static func json(_ value: some Encodable) throws -> NSObject {
        try json(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }
}
