import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// budgetctl applies the same text rules as the API, bounds its years, and never prints what a
/// terminal would act on.
@Suite("budgetctl input rules and output escaping")
struct InputRulesCommandTests {
    /// Whether `text` holds a character a terminal acts on: C0 but line feed, DEL, C1, bidi controls.
    static func hasTerminalControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
        }
    }

    @Test("show, queue, export and audit log print stored control characters escaped; no fake line starts")
    func escapedOutput() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("E-1")])
        let su = try world.db.superuser()
        // Rows stored before the text rule, written behind the CLI's back.
        try su.query("""
            UPDATE entries SET purpose = \("p\u{1B}[31mRED\r\nFAKE-LINE approved by finance"), name = \("名\u{202E}txt.exe\u{1B}[2J")
            WHERE code = 'E-1'
            """)
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        try su.query("UPDATE audit_events SET reason = \("ok\u{1B}[2J\u{85}gone") WHERE chain = 'entry:2020:E-1' AND action = 'submit'")
        try su.execute(unsafeSQL: "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")

        let show = try await world.ok(["show", "E-1", "--year", "2020"], as: "finance")
        #expect(!Self.hasTerminalControl(show.stdout), "\(show.stdout.debugDescription)")
        #expect(show.stdout.contains("p<U+001B>[31mRED<U+000D>"))
        #expect(show.stdout.contains("名<U+202E>txt.exe<U+001B>[2J"))
        #expect(show.stdout.contains("ok<U+001B>[2J<U+0085>gone"))
        // The second line of the purpose stays indented under it: it cannot pose as a line of its own.
        #expect(!show.stdout.split(separator: "\n").contains { $0.hasPrefix("FAKE-LINE") })

        let queue = try await world.ok(["queue"], as: "finance")
        #expect(!Self.hasTerminalControl(queue.stdout) && queue.stdout.contains("<U+202E>"), "\(queue.stdout.debugDescription)")
        let log = try await world.ok(["audit", "log", "--entry", "E-1"], as: "auditor")
        #expect(!Self.hasTerminalControl(log.stdout) && log.stdout.contains("ok<U+001B>[2J"), "\(log.stdout.debugDescription)")
        // The export never fails on such a row: it carries the character escaped, and import names the field.
        let export = try await world.ok(["export", "--unit", "201002", "--year", "2020"], as: "finance")
        #expect(export.stdout.contains(#"purpose="p\u001B[31mRED\u000D\nFAKE-LINE approved by finance""#), "\(export.stdout)")
    }

    @Test("reasons and organization fields are checked before anything is stored: exit 1 naming the field")
    func refusedText() async throws {
        let world = try await CLIWorld.bootstrapped()
        try await world.toFinanceReview([Fixture.project("W-1")])
        let events = try world.auditEventCount()
        let long = String(repeating: "长", count: TextLimits.reason.maxLength + 1)
        for reason in [long, "ok\u{1B}[2J"] {
            for command in [["waive", "W-1", "--rule", "V4", "--reason", reason], ["reject", "W-1", "--reason", reason]] {
                let refused = try await world.run(command, as: "finance")
                #expect(refused.status == 1, "\(command[0]): \(refused.stderr)")
                #expect(refused.stderr.contains("reason"), "\(refused.stderr)")
                #expect(!Self.hasTerminalControl(refused.stderr))
            }
        }
        #expect(try world.auditEventCount() == events)
        #expect(try world.state("W-1") == "finance_review")

        let badCode = try await world.run(["org", "add", "--code", "bad code!", "--name", "x", "--kind", "department"], as: "root")
        #expect(badCode.status == 1)
        #expect(badCode.stderr.contains("code") && !badCode.stderr.contains("organizations_code_check"), "\(badCode.stderr)")
        let badName = try await world.run(["org", "add", "--code", "203", "--name", "x\u{1B}[31m", "--kind", "department"], as: "root")
        #expect(badName.status == 1 && badName.stderr.contains("name") && !Self.hasTerminalControl(badName.stderr), "\(badName.stderr)")
        let longNature = try await world.run(
            ["org", "add", "--code", "204", "--name", "x", "--kind", "department", "--nature", String(repeating: "行", count: 51)], as: "root")
        #expect(longNature.status == 1 && longNature.stderr.contains("nature"), "\(longNature.stderr)")
        let badUser = try await world.run(["user", "add", "--name", "bad name", "--role", "auditor"], as: "root")
        #expect(badUser.status == 1 && badUser.stderr.contains("name"), "\(badUser.stderr)")
        #expect(try world.auditEventCount() == events)
    }

    @Test("every --year is bounded as the API bounds it")
    func years() async throws {
        let world = try await CLIWorld.bootstrapped()
        let control = try await world.run(["control", "set", "--unit", "201002", "--year", "99999", "--amount", "1.00"], as: "finance")
        #expect(control.status == 2, "\(control.stderr)")
        #expect(control.stderr.contains("1990") && control.stderr.contains("2200"), "\(control.stderr)")
        for command in [
            ["export", "--unit", "201002", "--year", "1700"], ["queue", "--year", "99999"], ["show", "X-1", "--year", "3000"],
            ["publish", "--department", "201", "--year", "99999"], ["disclosure", "--department", "201", "--year", "0"],
        ] {
            let refused = try await world.run(command, as: "finance")
            #expect(refused.status == 2, "\(command): \(refused.stderr)")
        }
        let rows: Int = try world.db.superuser().query("SELECT count(*)::int AS n FROM control_figures").first!.decode("n")
        #expect(rows == 0)
        try await world.ok(["control", "set", "--unit", "201002", "--year", "2020", "--amount", "1.00"], as: "finance")
    }
}
