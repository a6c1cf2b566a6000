import Foundation
import TestSupport
import Testing

@Suite("budgetctl org and user; output formats")
struct AdminCommandTests {
    @Test("the first admin needs no --as; its token is alone on the last line; later users need an admin")
    func bootstrap() async throws {
        let world = try await CLIWorld.empty()
        let first = try await world.ok(["user", "add", "--name", "root", "--role", "admin"])
        let token = try #require(first.stdout.split(separator: "\n").last)
        #expect(token.hasPrefix("bgt_") && !token.contains(" "))
        let second = try await world.run(["user", "add", "--name", "root2", "--role", "admin"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("--as"))
        let json = try await world.ok(["user", "add", "--name", "finance", "--role", "finance_reviewer", "--format", "json"], as: "root")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["token"] as? String)?.hasPrefix("bgt_") == true)
        #expect(object["role"] as? String == "finance_reviewer")
        #expect(try await world.run(["user", "add", "--name", "finance", "--role", "auditor"], as: "root").status == 4)
        #expect(try await world.run(["user", "add", "--name", "x", "--role", "officer", "--org", "999"], as: "root").status == 1)
        #expect(try await world.run(["user", "add", "--name", "x", "--role", "chief"], as: "root").status == 2)
        #expect(try await world.run(["user", "add", "--name", "x", "--role", "auditor"], as: "finance").status == 1)
    }

    @Test("revoked users can no longer act; user list shows them as revoked")
    func revoke() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.ok(["user", "revoke", "finance"], as: "root")
        #expect(try await world.run(["queue"], as: "finance").status == 1)
        let list = try await world.ok(["user", "list"], as: "root")
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("finance ") && $0.contains("revoked") })
        #expect(try await world.run(["user", "revoke", "nobody"], as: "root").status == 3)
        #expect(try await world.run(["user", "list"], as: "finance").status == 1)
        #expect(try await world.run(["user", "list"], as: "officer-201002").status == 1)
    }

    @Test("org list aligns Chinese names by display width")
    func alignedTable() async throws {
        let world = try await CLIWorld.bootstrapped()
        let list = try await world.ok(["org", "list"], as: "root")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 5)
        // Every row's kind column (and the header's) starts at the same display column.
        var starts: Set<Int> = []
        for line in lines where !line.hasPrefix("---") {
            let range = try #require(line.range(of: "  department") ?? line.range(of: "  unit ") ?? line.range(of: "  kind"), "\(line)")
            starts.insert(displayWidth(line[..<range.lowerBound]))
        }
        #expect(starts.count == 1, "\(list.stdout)")
        #expect(lines.contains { $0.contains("中共保定市徐水区委办公室") && $0.contains("行政") && $0.hasSuffix("财政拨款") })
        // No trailing blanks.
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        let json = try await world.ok(["org", "list", "--format", "json"], as: "root")
        let orgs = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(orgs.first?["code"] as? String == "201")
        #expect(orgs.contains { $0["code"] as? String == "201002" && $0["parent"] as? String == "201" })
        #expect(json.stdout.contains("\"code\" : \"201\"") || json.stdout.contains("\"code\":\"201\""))
    }

    @Test("every command has --help with an example")
    func help() async throws {
        let commands = [
            [], ["migrate"], ["org"], ["org", "add"], ["org", "list"], ["user"], ["user", "add"], ["user", "list"],
            ["user", "revoke"], ["queue"], ["show"], ["submit"], ["approve"], ["reject"], ["publish"], ["control"],
            ["control", "set"], ["control", "set-department"], ["control", "allocate"], ["control", "show"], ["waive"], ["import"], ["export"], ["audit"], ["audit", "log"], ["audit", "verify"],
            ["audit", "checkpoint"], ["audit", "key"], ["disclosure"],
        ]
        for command in commands {
            let result = try await Budgetctl.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("Example:"), "\(command) has no example")
        }
    }
}
