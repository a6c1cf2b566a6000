import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("BLP ⇄ entries")
struct BLPEntryMappingTests {
    static let sampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql/sample")

    @Test("the reference sample decodes to fifteen valid entries totalling 1012.49万元")
    func sample() throws {
        let bytes = try Data(contentsOf: Self.sampleDirectory.appendingPathComponent("201002-2020.blp"))
        let decoded = BLPEntryMapping.decodeEntries(bytes, unit: "201002", year: 2020)
        #expect(decoded.errors.isEmpty, "\(decoded.errors)")
        #expect(decoded.entries.count == 15)
        let total = try Money.sum(decoded.entries.map(\.draft.amount))
        #expect(total.wanYuanString() == "1012.49")
        for entry in decoded.entries {
            #expect(Validator.validate(entry.draft, context: ValidationContext()).isEmpty, "\(entry.draft.code)")
        }
        let first = try #require(decoded.entries.first { $0.draft.code == ReferenceProjects.supervisionResearch.code })
        #expect(first.draft == ReferenceProjects.supervisionResearch)
    }

    @Test("export then import is the identity for every reference project")
    func roundTrip() throws {
        let drafts = ReferenceProjects.all
        let text = try BLPEntryMapping.encode(drafts, unit: "201002", year: 2020)
        let decoded = BLPEntryMapping.decodeEntries(Array(text.utf8), unit: "201002", year: 2020)
        #expect(decoded.errors.isEmpty)
        #expect(decoded.entries.map(\.draft) == drafts)
    }

    @Test("every bad line is reported with its line and field; bad entries are left out")
    func badLines() {
        let text = """
            entry code=A-1 name=好 kind=project func=2013102 general=1e309
            item econ=30201 amount=1.001
            entry code=A-2 name=好 kind=projekt func=2013102 general=10.00 unit=999
            procurement item=电脑 catalog=A02010104 unit=台 qty=-1 price=5000.00
            entry code=A-3 name=好 kind=operation func=2013101 general=10.00
            """
        let decoded = BLPEntryMapping.decodeEntries(Array(text.utf8), unit: "201002", year: 2020)
        #expect(decoded.entries.map(\.draft.code) == ["A-3"])
        let found = decoded.errors.map { "\($0.line):\($0.field ?? "")" }
        #expect(found == ["1:general", "2:amount", "3:kind", "3:unit"])
        #expect(decoded.errors.first?.reason.contains("exponent") == true || decoded.errors.first?.reason.contains("1e309") == true)
    }
}
