import Foundation
import Testing
import Disclosure
import Workflow

/// The Swift transcription of the sample is the BLP files, line for line: decoded with
/// ``BLPEntryMapping``, `sql/sample` gives the same drafts, baseline and narratives, and so the
/// same disclosure.
@Suite("Disclosure sample against sql/sample")
struct DisclosureSampleTests {
    static let sampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql/sample")

    @Test("the entries file decodes to exactly the transcribed drafts, in order")
    func entries() throws {
        let bytes = try Data(contentsOf: Self.sampleDirectory.appendingPathComponent("201002-2020.blp"))
        let decoded = BLPEntryMapping.decodeEntries(bytes, unit: "201002", year: 2020)
        #expect(decoded.errors.isEmpty)
        #expect(decoded.entries.map(\.draft) == DisclosureSample.drafts)
    }

    @Test("the disclosure-inputs file decodes to exactly the transcribed baseline and narratives")
    func disclosureInputs() throws {
        let bytes = try Data(contentsOf: Self.sampleDirectory.appendingPathComponent("201-2020-disclosure.blp"))
        let parsed = BLPParser.parse(bytes, schema: .disclosureInputs)
        let (inputs, errors) = BLPEntryMapping.decodeDisclosureInputs(parsed, department: "201", year: 2020)
        #expect(errors.isEmpty)
        var baseline = Baseline()
        for (metric, amount) in inputs.baseline {
            baseline[try #require(BaselineMetric(rawValue: metric))] = amount
        }
        var narrative = Narrative()
        for (section, text) in inputs.narrative {
            narrative[try #require(NarrativeSection(rawValue: section))] = text
        }
        #expect(baseline == DisclosureSample.baseline)
        #expect(narrative == DisclosureSample.narrative)
    }
}
