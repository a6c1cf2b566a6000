import Foundation
import Testing
import Disclosure
import Workflow
import WorkflowFixtures

/// The compact JSON is written by hand for speed; it must stay byte for byte what the `Codable`
/// conformance gives through `JSONEncoder`, which the pretty form and any decoder rely on.
@Suite("Disclosure JSON written by hand")
struct DisclosureJSONTests {
    typealias F = DisclosureFixtures

    private func encoded(_ disclosure: Disclosure) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(disclosure), as: UTF8.self)
    }

    @Test("the sample: byte for byte what JSONEncoder writes")
    func sample() throws {
        let disclosure = try DisclosureSample.disclosure()
        #expect(try disclosure.renderJSON() == encoded(disclosure))
        #expect(disclosure.renderJSONBytes() == Array(try encoded(disclosure).utf8))
    }

    @Test("every control character, quotes, backslashes, slashes, non-ASCII; negative and unknown figures")
    func hostile() throws {
        var text = ""
        for value in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        text += "中\u{2028}\u{FEFF}😀"
        // Items exceeding the amount: a negative rest line and a negative 机关运行经费 other.
        let operation = F.draft("O-1", .operation, general: "0.49", name: text, items: [("30231", "51000.00"), ("30299", "0.50")])
        let project = F.draft("P/1", .project, general: "1000.00", special: "49.99", other: "0.01", name: "\"引号\" \\ /")
        let withBaseline = try F.disclosure(
            [operation, project], baseline: Baseline([.total: yuan("99999999.99"), .threePublicReception: yuan("50.00")]),
            narrative: Narrative([.duties: text, .threePublicReason: "\t"]))
        #expect(try withBaseline.renderJSON() == encoded(withBaseline))
        let withPrevious = try F.disclosure([project], previous: [F.draft("P-0", .project, general: "5000000.00")])
        #expect(try withPrevious.renderJSON() == encoded(withPrevious))
        let unknownPrevious = try F.disclosure([operation])
        #expect(try unknownPrevious.renderJSON() == encoded(unknownPrevious))
        #expect(try unknownPrevious.renderJSON().contains(#""previous":{"basic":null,"operation":null,"#))
    }

    @Test("the pretty form decodes to the same figures as the compact one")
    func pretty() throws {
        let disclosure = try DisclosureSample.disclosure()
        let compact = try JSONSerialization.jsonObject(with: Data(try disclosure.renderJSON().utf8)) as? NSDictionary
        let pretty = try JSONSerialization.jsonObject(with: Data(try disclosure.renderJSON(prettyPrinted: true).utf8)) as? NSDictionary
        #expect(compact != nil && compact == pretty)
    }
}
