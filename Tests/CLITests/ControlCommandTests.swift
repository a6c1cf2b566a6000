import Foundation
import TestSupport
import Testing
import Workflow

@Suite("budgetctl control: set-department, allocate, show")
struct ControlCommandTests {
    @Test("the finance bureau sets a department's cells, the reviewer allocates, show prints ceiling, allocated, used, remaining")
    func setAllocateShow() async throws {
        let world = try await CLIWorld.bootstrapped()
        let set = try await world.ok(["control", "set-department", "--department", "201", "--year", "2021",
                                      "--cell", "kind:project=1774200.00", "--cell", "sangong:reception=205000.00",
                                      "--reason", "一下控制数"], as: "finance")
        #expect(set.stdout.contains("kind:project 1,774,200.00 yuan"), "\(set.stdout)")
        try await world.ok(["control", "allocate", "--unit", "201002", "--year", "2021", "--cell", "kind:project=1000000.00"], as: "reviewer-201")
        try await world.ok(["control", "allocate", "--unit", "201003", "--year", "2021", "--cell", "kind:project=774200.00"], as: "finance")

        let before = try world.auditEventCount()
        let over = try await world.run(["control", "allocate", "--unit", "201003", "--year", "2021",
                                        "--cell", "kind:project=774200.01", "--cell", "sangong:reception=205000.01"], as: "reviewer-201")
        #expect(over.status == 1, "\(over.stderr)")
        #expect(over.stderr.contains("kind:project") && over.stderr.contains("sangong:reception") && over.stderr.contains("by 0.01"), "\(over.stderr)")
        let foreign = try await world.run(["control", "allocate", "--unit", "202001", "--year", "2021", "--cell", "total=1"], as: "reviewer-201")
        #expect(foreign.status == 3, "\(foreign.stderr)")
        let officer = try await world.run(["control", "set-department", "--department", "201", "--year", "2021", "--cell", "total=1"],
                                          as: "officer-201002")
        #expect(officer.status == 1 && officer.stderr.contains("only the finance bureau"), "\(officer.stderr)")
        for bad in ["kind:project=-1.00", "kind:project=1.005", "kind:project=abc", "nonsense=1", "kind:project=1000000000000.01"] {
            let refused = try await world.run(["control", "set-department", "--department", "201", "--year", "2021", "--cell", bad], as: "finance")
            #expect(refused.status != 0 && refused.stderr.contains(bad.hasPrefix("nonsense") ? "unknown cell" : "kind:project"), "\(bad): \(refused.stderr)")
        }
        #expect(try world.auditEventCount() == before)

        let table = try await world.ok(["control", "show", "--department", "201", "--year", "2021"], as: "reviewer-201").stdout
        let project = try #require(table.split(separator: "\n").first { $0.hasPrefix("kind:project") })
        #expect(project.split(separator: " ", omittingEmptySubsequences: true) == ["kind:project", "1,774,200.00", "1,774,200.00", "0.00", "1,774,200.00"])
        let json = try await world.ok(["control", "show", "--unit", "201002", "--year", "2021", "--format", "json"], as: "officer-201002").stdout
        let sheet = try JSONDecoder().decode(ControlSheet.self, from: Data(json.utf8))
        #expect(sheet.cells.first { $0.cell == .project }?.ceiling == (try Money.parse("1000000.00")))
        let hidden = try await world.run(["control", "show", "--department", "201", "--year", "2021"], as: "officer-201002")
        #expect(hidden.status == 3, "\(hidden.stderr)")
        // `control set` still sets the unit's total.
        try await world.ok(["control", "set", "--unit", "201002", "--year", "2021", "--amount", "1.00"], as: "finance")
        let unit = try await world.ok(["control", "show", "--unit", "201002", "--year", "2021", "--format", "json"], as: "finance").stdout
        #expect(try JSONDecoder().decode(ControlSheet.self, from: Data(unit.utf8)).cells.last?.ceiling == Money(fen: 100))
    }
}
