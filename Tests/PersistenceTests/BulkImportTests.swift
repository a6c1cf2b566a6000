import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("batches stored while they are decoded")
struct BulkImportTests {
    static func drafts(_ prefix: String, _ count: Int) -> [EntryService.DraftInput] {
        (0..<count).map { i in .init(draft: Fixture.project("\(prefix)-\(i)", yuan: "\(100 + i).00"), line: 10 * i + 1) }
    }

    /// A source that hands over `inputs` in pieces of `size`.
    static func source(_ inputs: [EntryService.DraftInput], pieces size: Int, failing error: (any Error)? = nil) -> DraftSource {
        DraftSource { send in
            var start = 0
            while start < inputs.count {
                let end = min(start + size, inputs.count)
                guard send(Array(inputs[start..<end])) else { return }
                start = end
            }
            if let error { throw error }
        }
    }

    @Test("pieces of new codes are stored in batch order, with one verified create event each")
    func newCodes() async throws {
        let f = try await Fixture.make()
        let inputs = Self.drafts("N", 1_234)
        let saved = try await f.entries.saveDrafts(from: Self.source(inputs, pieces: 97), unit: "201002", year: 2020, by: f.officer)
        #expect(saved.map(\.line) == inputs.map(\.line))
        let allCreated = saved.allSatisfy { $0.created }
        #expect(allCreated)
        let stored = try await f.entries.entry(saved[1_000].entry.id, for: f.officer)
        #expect(stored.content == inputs[1_000].draft)
        let history = try await f.entries.history(saved[7].entry.id, for: f.officer)
        #expect(history.map(\.record.action) == ["create"])
        #expect(history.first?.record.changes["amount"] == "107.00")
        #expect(history.first?.record.changes["items"] == "1")
        let page = try await f.entries.list(.init(limit: 5), for: f.officer)
        #expect(page.items.map(\.content.code) == ["N-0", "N-1", "N-10", "N-100", "N-1000"])
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
        #expect(verification.events == 1_234 + 5)
    }

    @Test("a piece with a code already in the year replaces that draft; the others are created")
    func mixed() async throws {
        let f = try await Fixture.make()
        let existing = try #require(try await f.create([Fixture.project("M-150")]).first)
        var inputs = Self.drafts("M", 300)
        inputs[150].draft.name = "改过的名称"
        let saved = try await f.entries.saveDrafts(from: Self.source(inputs, pieces: 100), unit: "201002", year: 2020, by: f.officer)
        #expect(saved.count == 300)
        #expect(saved.filter { !$0.created }.map(\.entry.id) == [existing.id])
        let replaced = try await f.entries.entry(existing.id, for: f.officer)
        #expect(replaced.content.name == "改过的名称")
        #expect(replaced.version == 2)
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("errors in a late piece and across pieces are all reported, and nothing is stored")
    func allOrNothing() async throws {
        let f = try await Fixture.make()
        var inputs = Self.drafts("E", 400)
        inputs[399].draft.sources = FundingSources(general: Money(fen: -1))
        inputs[250].draft.code = "E-3"  // repeats line 31's code
        await expectError("invalid_input") {
            try await f.entries.saveDrafts(from: Self.source(inputs, pieces: 50), unit: "201002", year: 2020, by: f.officer)
        }
        do {
            _ = try await f.entries.saveDrafts(from: Self.source(inputs, pieces: 50), unit: "201002", year: 2020, by: f.officer)
        } catch let error as WorkflowError {
            #expect(Set(error.details.compactMap(\.line)) == [2_501, 3_991])
            #expect(error.details.contains { $0.line == 2_501 && $0.message.contains("first at 31") })
        }
        #expect(try await f.entries.list(.init(), for: f.officer).items.isEmpty)
    }

    @Test("a decoding error of the source wins, even after pieces were stored")
    func sourceFailure() async throws {
        let f = try await Fixture.make()
        await expectError("conflict") {
            try await f.entries.saveDrafts(from: Self.source(Self.drafts("S", 120), pieces: 40, failing: WorkflowError.conflict("bad body")),
                                           unit: "201002", year: 2020, by: f.officer)
        }
        #expect(try await f.entries.list(.init(), for: f.officer).items.isEmpty)
        // The connection is usable afterwards, and the same batch goes in.
        let saved = try await f.entries.saveDrafts(Self.drafts("S", 120), unit: "201002", year: 2020, by: f.officer)
        #expect(saved.count == 120)
    }
}
