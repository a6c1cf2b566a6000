import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("the reference disclosure end to end: API officer, CLI finance bureau")
struct DisclosureCommandTests {
    @Test("the sample loaded with budgetctl publishes the reference's figures, in every format")
    func sample() async throws {
        let world = try await CLIWorld.bootstrapped()
        let sample = TestPostgres.repositoryRoot.appendingPathComponent("sql/sample").path
        try await world.ok(["import", sample + "/201002-2020.blp", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        // Not published yet: not found, exit 3.
        #expect(try await world.run(["disclosure", "--department", "201", "--year", "2020", "--format", "json"]).status == 3)
        let bad = try await world.run(["import", "-", "--department", "201", "--year", "2020"], as: "reviewer-201",
                                      stdin: "baseline metric=totl amount=1.00\nnarrative section=duties\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("line 1") && bad.stderr.contains("line 2"))
        try await world.ok(["import", sample + "/201-2020-disclosure.blp", "--department", "201", "--year", "2020"], as: "reviewer-201")
        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "reviewer-201")
        try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
        try await world.ok(["publish", "--department", "201", "--year", "2020"], as: "finance")

        let json = try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "json"])
        let d = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((d["income"] as? [String: Any])?["total"] as? String == "1012.49")
        #expect((d["expenditure"] as? [String: Any])?["basic"] as? String == "835.07")
        #expect((d["change"] as? [String: Any])?["total"] as? String == "139.20")
        #expect((d["procurement"] as? [String: Any])?["total"] as? String == "88.61")
        let html = try await world.ok(["disclosure", "--department", "201", "--year", "2020"])
        #expect(html.stdout.contains("<svg") && html.stdout.contains("中共保定市徐水区委办公室"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "csv", "-o", folder])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.contains("projects.csv") && files.contains("procurement.csv"))
        try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "datapackage", "-o", folder + "/fdp"])
        let descriptor = try String(contentsOfFile: folder + "/fdp/datapackage.json", encoding: .utf8)
        #expect(descriptor.contains("CNY") && descriptor.contains("approved"))
        // CSV files for scripts have no BOM; --bom writes one at the start of each, for Excel.
        let plain = try Data(contentsOf: URL(fileURLWithPath: folder + "/procurement.csv"))
        #expect(Array(plain.prefix(3)) != [0xEF, 0xBB, 0xBF])
        try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "csv", "-o", folder + "/excel", "--bom"])
        let marked = try Data(contentsOf: URL(fileURLWithPath: folder + "/excel/procurement.csv"))
        #expect(Array(marked.prefix(3)) == [0xEF, 0xBB, 0xBF] && marked.dropFirst(3) == plain)
        #expect(String(decoding: marked, as: UTF8.self).contains(",辆,8,0.50,4.00\r\n"))
        #expect(try await world.run(["disclosure", "--department", "201", "--year", "2020", "--bom"]).status == 2)

        // Published inputs are frozen: a new narrative is staged until the finance bureau publishes again.
        let staged = try await world.ok(["import", "-", "--department", "201", "--year", "2020"], as: "reviewer-201",
                                        stdin: "narrative section=duties text=\"新的职责说明\"\n")
        #expect(staged.stdout.contains("until the finance bureau publishes again"), "\(staged.stdout)")
        let unchanged = try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "json"])
        #expect(unchanged.stdout == json.stdout)
        let republished = try await world.ok(["publish", "--department", "201", "--year", "2020"], as: "finance")
        #expect(republished.stdout.contains("published 0 entries") && republished.stdout.contains("disclosure inputs published: narrative.duties"),
                "\(republished.stdout)")
        let changed = try await world.ok(["disclosure", "--department", "201", "--year", "2020", "--format", "json"])
        #expect(changed.stdout.contains("新的职责说明") && changed.stdout.contains("\"total\" : \"139.20\""))
        let again = try await world.run(["publish", "--department", "201", "--year", "2020"], as: "finance")
        #expect(again.status == 4 && again.stderr.contains("unchanged since publication"), "\(again.stderr)")
    }
}
