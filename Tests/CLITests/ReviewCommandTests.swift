import Foundation
import TestSupport
import Testing
import Workflow

@Suite("budgetctl review: import, submit, approve, reject, publish")
struct ReviewCommandTests {
    @Test("officer imports and submits, the department approves, the finance bureau approves and publishes")
    func walkToPublished() async throws {
        let world = try await CLIWorld.bootstrapped()
        let drafts = [Fixture.project("201-0502-JBN-E5EL"), Fixture.project("201-0403-JBN-TH71", yuan: "1500000.00", name: "公务接待费")]
        try await world.importDrafts(drafts)
        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        // The department reviewer approves by code, both at once.
        let department = try await world.ok(["approve", "201-0502-JBN-E5EL", "201-0403-JBN-TH71", "--year", "2020"], as: "reviewer-201")
        #expect(department.stdout.contains("approved 2 entries"))
        #expect(try world.state("201-0502-JBN-E5EL") == "finance_review")

        let queue = try await world.ok(["queue"], as: "finance")
        #expect(queue.stdout.contains("201-0403-JBN-TH71"))
        #expect(queue.stdout.contains("1,500,000.00"))
        #expect(queue.stdout.contains("1,650,000.00"), "the total: \(queue.stdout)")
        #expect(queue.stdout.contains("201002 区委办（行政）"))
        let json = try await world.ok(["queue", "--format", "json"], as: "finance")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["state"] as? String == "finance_review" && $0["age_seconds"] is Int })

        let finance = try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
        #expect(finance.stdout.contains("approved 2 entries"))
        #expect(finance.stderr.isEmpty, "no progress line when stderr is not a terminal: \(finance.stderr)")
        let afterApproval = try await world.ok(["queue"], as: "finance").stdout
        #expect(afterApproval.contains("no entries in finance_review"))
        #expect(afterApproval.contains("awaiting publication"))
        #expect(afterApproval.contains("20 days left"))
        let pending = try await world.ok(["queue", "--publications", "--format", "json"], as: "finance")
        let clock = try #require(try JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [[String: Any]])
        #expect(clock.first?["department"] as? String == "201" && clock.first?["days_left"] as? Int == 20)

        try await world.ok(["publish", "--department", "201", "--year", "2020"], as: "finance")
        #expect(try world.state("201-0502-JBN-E5EL") == "published")
        #expect(try await world.ok(["queue", "--publications"], as: "finance").stdout.contains("no department-year awaits publication"))
        #expect(try world.state("201-0403-JBN-TH71") == "published")

        let show = try await world.ok(["show", "201-0502-JBN-E5EL", "--year", "2020"], as: "auditor")
        #expect(show.stdout.contains("state     published") || show.stdout.contains("published"))
        #expect(show.stdout.contains("150,000.00"))
        for action in ["create", "submit", "approve", "publish"] { #expect(show.stdout.contains(action)) }
        let log = try await world.ok(["audit", "log", "--entry", "201-0502-JBN-E5EL", "--year", "2020", "--format", "json"], as: "auditor")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let records = events.compactMap { $0["record"] as? [String: Any] }
        #expect(records.map { $0["action"] as? String } == ["publish", "approve", "approve", "submit", "create"])
        #expect(records.allSatisfy { $0["channel"] as? String == "cli" })
    }

    @Test("an officer using --as to approve is refused (exit 1) and nothing changes")
    func officerMayNotApprove() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("P-1")])
        let before = try world.auditEventCount()
        let refused = try await world.run(["approve", "P-1", "--year", "2020"], as: "officer-201002")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("budgetctl: "))
        #expect(refused.stderr.contains("may not approve"))
        let all = try await world.run(["approve", "--department", "201", "--year", "2020", "--all"], as: "officer-201002")
        #expect(all.status == 1, "\(all.stderr)")
        #expect(try world.state("P-1") == "finance_review")
        #expect(try world.auditEventCount() == before)
    }

    @Test("approve --all with one entry over the control figure approves none and names it (V7)")
    func approveAllIsAllOrNothing() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("A-SMALL", yuan: "100000.00"), Fixture.project("B-LARGE", yuan: "900000.00")])
        try await world.ok(["control", "set", "--unit", "201002", "--year", "2020", "--amount", "500000.00"], as: "finance")
        let before = try world.auditEventCount()
        let result = try await world.run(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("none was changed"))
        #expect(result.stderr.contains("B-LARGE: V7: "), "\(result.stderr)")
        #expect(!result.stderr.contains("A-SMALL"))
        #expect(try world.state("A-SMALL") == "finance_review")
        #expect(try world.state("B-LARGE") == "finance_review")
        #expect(try world.auditEventCount() == before)

        // Waiving V7 for the large one lets the whole batch through.
        try await world.ok(["waive", "B-LARGE", "--year", "2020", "--rule", "V7", "--reason", "经局务会同意超控制数"], as: "finance")
        try await world.ok(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
        #expect(try world.state("B-LARGE") == "approved")
    }

    @Test("queue lists the longest-waiting entry first; show prints JSON and BLP too")
    func queueOrderAndShowFormats() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("Z-EARLY")])
        try await world.importDrafts([Fixture.project("A-LATE")])
        try await world.ok(["submit", "--unit", "201002", "--year", "2020"], as: "officer-201002")
        try await world.ok(["approve", "A-LATE"], as: "reviewer-201")
        let queue = try await world.ok(["queue", "--year", "2020", "--department", "201"], as: "finance").stdout
        let early = try #require(queue.range(of: "Z-EARLY")), late = try #require(queue.range(of: "A-LATE"))
        #expect(early.lowerBound < late.lowerBound, "\(queue)")
        let reviewerQueue = try await world.ok(["queue", "--state", "department_review"], as: "reviewer-201")
        #expect(reviewerQueue.stdout.contains("no entries in department_review"))

        let blp = try await world.ok(["show", "Z-EARLY", "--format", "blp"], as: "finance").stdout
        let decoded = BLPEntryMapping.decodeEntries(Array(blp.utf8), unit: "201002", year: 2020)
        #expect(decoded.entries.map(\.draft) == [Fixture.project("Z-EARLY")])
        let json = try await world.ok(["show", "Z-EARLY", "--format", "json"], as: "finance").stdout
        let entry = try JSONDecoder().decode(BudgetEntry.self, from: Data(json.utf8))
        #expect(entry.state == .financeReview && entry.content == Fixture.project("Z-EARLY"))
    }

    @Test("reject needs a reason and sends the entry back to draft")
    func reject() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("R-1")])
        let missing = try await world.run(["reject", "R-1", "--year", "2020"], as: "finance")
        #expect(missing.status == 2)
        let blank = try await world.run(["reject", "R-1", "--year", "2020", "--reason", "  "], as: "finance")
        #expect(blank.status == 1, "\(blank.stderr)")
        try await world.ok(["reject", "R-1", "--year", "2020", "--reason", "测算依据不足"], as: "finance")
        #expect(try world.state("R-1") == "draft")
    }

    @Test("exit codes: 2 usage, 3 unknown code, 4 illegal transition, 1 unknown user")
    func exitCodes() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.importDrafts([Fixture.project("D-1")])

        for usage in [["approve"], ["approve", "D-1", "--all"], ["queue", "--state", "pending"], ["waive", "D-1", "--rule", "V9", "--reason", "x"],
                      ["org", "list", "--format", "blp"], ["frobnicate"]] {
            let result = try await world.run(usage, as: "finance")
            #expect(result.status == 2, "\(usage): \(result.status) \(result.stderr)")
        }
        let unknown = try await world.run(["show", "NO-SUCH-CODE", "--year", "2020"], as: "finance")
        #expect(unknown.status == 3)
        #expect(unknown.stderr == "budgetctl: entry NO-SUCH-CODE in 2020 not found\n")
        // Outside the officer's unit looks exactly like not existing.
        try await world.ok(["user", "add", "--name", "officer-201003", "--role", "officer", "--org", "201003"], as: "root")
        #expect(try await world.run(["show", "D-1", "--year", "2020"], as: "officer-201003").status == 3)

        let illegal = try await world.run(["approve", "D-1", "--year", "2020"], as: "finance")
        #expect(illegal.status == 4)
        #expect(illegal.stderr.contains("illegal transition: cannot approve an entry in state draft"))
        #expect(try world.state("D-1") == "draft")

        let stranger = try await world.run(["queue"], as: "mallory")
        #expect(stranger.status == 3)
        #expect(stranger.stderr.contains("no active user named mallory"))
        let nobody = try await world.run(["queue"])
        #expect(nobody.status == 2)
        #expect(nobody.stderr.contains("--as"))
        let viaEnvironment = try await Budgetctl.run(["queue"], environment: ["DATABASE_URL": world.db.conninfo, "BUDGETCTL_USER": "finance"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
    }

    @Test("exit 5 when the database is unreachable or not migrated")
    func databaseUnavailable() async throws {
        let nowhere = try await Budgetctl.run(["queue", "--as", "finance"],
                                        environment: ["DATABASE_URL": "host=127.0.0.1 port=1 dbname=x connect_timeout=2"])
        #expect(nowhere.status == 5)
        #expect(nowhere.stderr.hasPrefix("budgetctl: database unavailable"))
        let fresh = try await TestPostgres.makeDatabase(migrated: false, poolSize: 1)
        for arguments in [["queue", "--as", "finance"], ["user", "add", "--name", "root", "--role", "admin"]] {
            let result = try await Budgetctl.run(arguments, environment: ["DATABASE_URL": fresh.conninfo])
            #expect(result.status == 5, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("budgetctl migrate"))
        }
    }
}
