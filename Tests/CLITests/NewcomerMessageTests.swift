import Foundation
import TestSupport
import Testing

/// The messages a newcomer met that pointed the wrong way (issue 12.4), one row each: what was
/// typed, the exit code and words the answer must (and must not) hold.
@Suite("budgetctl: messages that say what to do")
struct NewcomerMessageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var what: String
        var arguments: [String]
        var user: String?
        var stdin: String?
        var status: Int32
        var says: [String]
        var saysNot: [String] = []
        var testDescription: String { what }
    }

    static let cases: [Case] = [
        Case(what: "no funding source given",
             arguments: ["import", "-", "--unit", "201002", "--year", "2021"], user: "officer-201002",
             stdin: "entry code=M-1 name=办公经费 kind=operation func=2013101\n",
             status: 1,
             says: ["field amount", "no funding source amount given", "general, fund, state_capital, special, other"],
             saysNot: ["amount must be greater than zero"]),
        Case(what: "a value with a space, unquoted",
             arguments: ["import", "-", "--unit", "201002", "--year", "2021"], user: "officer-201002",
             stdin: "entry code=M-2 name=督查 调研 kind=operation func=2013101 general=10.00\n",
             status: 1,
             says: ["bad key \"调研\"", "quote it: name=\"督查 调研\""]),
        Case(what: "a misspelt command",
             arguments: ["aprove", "--all"], status: 2,
             says: ["unknown command aprove; did you mean approve?"], saysNot: ["Unknown option"]),
        Case(what: "a misspelt subcommand",
             arguments: ["user", "ad", "--name", "x"], status: 2,
             says: ["unknown command ad of budgetctl user; did you mean add?"]),
        Case(what: "a misspelt user",
             arguments: ["queue"], user: "financ", status: 3,
             says: ["no active user named financ"]),
    ]

    @Test("each message names the fix", arguments: cases)
    func message(_ row: Case) async throws {
        let world = try await CLIWorld.bootstrapped()
        let events = try world.auditEventCount()
        let result = try await world.run(row.arguments, as: row.user, stdin: row.stdin)
        #expect(result.status == row.status, "\(row.what): \(result.stderr)")
        for words in row.says { #expect(result.stderr.contains(words), "\(row.what): \(result.stderr)") }
        for words in row.saysNot { #expect(!result.stderr.contains(words), "\(row.what): \(result.stderr)") }
        #expect(try world.auditEventCount() == events, "nothing stored")
    }

    @Test("without --state, queue lists what the caller's role acts on")
    func queueByRole() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.importDrafts([Fixture.project("Q-1"), Fixture.project("Q-2")])
        let drafts = try await world.ok(["queue"], as: "officer-201002")
        #expect(drafts.stdout.contains("Q-1") && drafts.stdout.contains("Q-2"), "\(drafts.stdout)")
        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        let department = try await world.ok(["queue"], as: "reviewer-201")
        #expect(department.stdout.contains("Q-1") && department.stdout.contains("Q-2"), "\(department.stdout)")
        #expect(try await world.ok(["queue"], as: "finance").stdout.contains("no entries in finance_review"))
        try await world.ok(["approve", "Q-1", "--year", "2020"], as: "reviewer-201")
        let finance = try await world.ok(["queue"], as: "finance").stdout
        #expect(finance.contains("Q-1") && !finance.contains("Q-2"), "\(finance)")
        let reviewer = try await world.ok(["queue"], as: "reviewer-201").stdout
        #expect(reviewer.contains("Q-2") && !reviewer.contains("Q-1"), "\(reviewer)")
        // --state still picks any state.
        #expect(try await world.ok(["queue", "--state", "finance_review"], as: "reviewer-201").stdout.contains("Q-1"))
    }
}
