import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// Days around the database's today (Asia/Shanghai), as the windows are judged.
struct YearDays {
    let today: CalendarDate
    func plus(_ days: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: today.year, month: today.month, day: today.day))!
        let moved = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: days, to: start)!)
        return CalendarDate(year: moved.year!, month: moved.month!, day: moved.day!)!
    }
}

@Suite("the budget year's rounds on PostgreSQL")
struct YearRoundTests {
    static func setUp() async throws -> (Fixture, YearService, YearDays) {
        let f = try await Fixture.make()
        let years = YearService(pool: f.db.pool)
        let days = YearDays(today: try await years.calendar(2021, for: f.auditor).today)
        return (f, years, days)
    }

    /// The year's calendar chain, oldest first.
    static func yearEvents(_ f: Fixture) async throws -> [AuditLog.StoredEvent] {
        Array(try await f.admin.auditLog(limit: 1000, by: f.auditor).filter { $0.record.chain == "year:2021" }.reversed())
    }

    static func conflict(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as WorkflowError {
            return error.category == .conflict ? error.message : "not a conflict: \(error)"
        } catch {
            return "\(error)"
        }
    }

    @Test("open, create in the window, extend, close; outside the window drafts and submit are refused; all audited")
    func openExtendClose() async throws {
        let (f, years, days) = try await Self.setUp()
        let before = try await years.calendar(2021, for: f.officer)
        #expect(!before.managed && before.rounds.isEmpty)

        let opened = try await years.open(year: 2021, round: .firstUp, from: nil, until: days.plus(5), by: f.finance)
        #expect(opened.managed && opened.entryRound == .firstUp)
        #expect(opened.rounds.map(\.state) == [.open])
        #expect(opened.rounds.first?.opensOn == days.today)

        let entry = try #require(try await f.create([Fixture.project("Y-1")], year: 2021).first)
        #expect(entry.round == .firstUp)
        #expect(try await f.entries.entry(entry.id, for: f.officer).round == .firstUp)

        let extended = try await years.extend(year: 2021, round: .firstUp, until: days.plus(9), by: f.finance)
        #expect(extended.rounds.first?.closesOn == days.plus(9))
        #expect(extended.rounds.first?.version == 2)

        let closed = try await years.close(year: 2021, round: .firstUp, by: f.finance)
        #expect(closed.rounds.first?.state == .closed && closed.entryRound == nil)

        let message = "round 一上 of 2021 is closed (\(days.today) – \(days.plus(9)))"
        #expect(await Self.conflict { _ = try await f.create([Fixture.project("Y-2")], year: 2021) } == message)
        #expect(await Self.conflict { _ = try await f.entries.act(.submit, on: entry.id, by: f.officer) } == message)
        #expect(await Self.conflict {
            _ = try await f.entries.replaceDraft(entry.id, with: Fixture.project("Y-1", yuan: "1.00"), expectedVersion: 1, by: f.officer)
        } == message)
        let after = try await f.entries.entry(entry.id, for: f.officer)
        #expect(after.state == .draft && after.version == 1)

        // Refusals: a second opening, a round out of order, another role.
        #expect(await Self.conflict { _ = try await years.open(year: 2021, round: .firstUp, from: nil, until: days.plus(3), by: f.finance) } != nil)
        #expect(await Self.conflict { _ = try await years.open(year: 2021, round: .secondUp, from: nil, until: days.plus(3), by: f.finance) } != nil)
        await #expect(throws: WorkflowError.forbidden("only the finance bureau opens, extends and closes rounds")) {
            _ = try await years.open(year: 2022, round: .firstUp, from: nil, until: days.plus(3), by: f.officer)
        }
        #expect(try await years.calendar(2022, for: f.auditor).managed == false)

        let events = try await Self.yearEvents(f)
        #expect(events.map(\.record.action) == ["round.open", "round.extend", "round.close"])
        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("一下 freezes the 一上 figures; 二上 carries each 一上 entry into a new draft with its children; figures side by side")
    func freezeAndCarry() async throws {
        let (f, years, days) = try await Self.setUp()
        _ = try await years.open(year: 2021, round: .firstUp, from: nil, until: days.plus(5), by: f.finance)
        let made = try await f.create([Fixture.project("Y-A"), Fixture.project("Y-B", yuan: "2000.50"), Fixture.project("Y-C")], year: 2021)
        try await f.approve(made[0].id)
        _ = try await f.entries.act(.discard, on: made[2].id, by: f.officer)

        // 一下 today: 一上 (still open) is closed, and its figures frozen.
        let down = try await years.open(year: 2021, round: .firstDown, from: nil, until: days.plus(1), by: f.finance)
        #expect(down.rounds.map(\.state) == [.closed, .open])
        #expect(down.rounds.first?.closedAt != nil)
        let connection = try f.db.superuser()
        let frozen = try connection.query("SELECT code, revision, amount::text AS amount FROM round_figures WHERE year = 2021 AND stage = '一上' ORDER BY code")
            .map { "\(try $0.decode("code", as: String.self)) \(try $0.decode("revision", as: Int.self)) \(try $0.decode("amount", as: String.self))" }
        #expect(frozen == ["Y-A 1 150000.00", "Y-B 1 2000.50"])
        let yearEvents = try await Self.yearEvents(f)
        #expect(yearEvents.map(\.record.action) == ["round.open", "round.close", "round.open", "round.freeze"])
        #expect(yearEvents.last?.record.changes["entries"] == "2")
        #expect(yearEvents.last?.record.changes["amount"] == "152000.50")

        // 二上 today: every 一上 entry carried, the 一上 revision superseded.
        _ = try await years.open(year: 2021, round: .secondUp, from: nil, until: days.plus(3), by: f.finance)
        let carried = try await f.entries.resolve("Y-A", year: 2021, for: f.officer)
        #expect(carried.revision == 2 && carried.state == .draft && carried.round == .secondUp && carried.supersedes == made[0].id)
        #expect(carried.content == Fixture.project("Y-A"))  // items, indicators copied
        #expect(try await f.entries.entry(made[0].id, for: f.officer).state == .superseded)
        #expect(try await f.entries.entry(made[2].id, for: f.officer).state == .discarded)  // not carried
        let history = try await f.entries.history(carried.id, for: f.officer)
        #expect(history.suffix(2).map(\.record.action) == ["supersede", "carry"])
        #expect(history.last?.record.entryID == carried.id)

        // The carried draft is edited and submitted in 二上; figures side by side.
        let edited = try await f.entries.replaceDraft(carried.id, with: Fixture.project("Y-A", yuan: "180000.00"),
                                                      expectedVersion: 1, by: f.officer)
        _ = try await f.entries.act(.submit, on: edited.id, by: f.officer)
        var figures = try #require(try await f.entries.figures(of: edited))
        #expect(figures == RoundFigures(firstUp: Money(fen: 15_000_000), secondUp: Money(fen: 18_000_000)))
        #expect(figures.change == Money(fen: 3_000_000))
        try connection.query("""
            INSERT INTO round_figures (year, stage, code, unit_code, entry_id, revision, kind, amount)
            VALUES (2021, '批复', 'Y-A', '201002', \(edited.id), 2, 'project', 170000.00)
            """)
        figures = try #require(try await f.entries.figures(of: edited))
        #expect(figures.approved == Money(fen: 17_000_000) && figures.change == Money(fen: 2_000_000))
        let summary = try await f.entries.summary(unit: "201002", year: 2021, for: f.officer)
        #expect(summary.figures == RoundFigures(firstUp: Money(fen: 15_200_050), secondUp: Money(fen: 18_200_050),
                                                approved: Money(fen: 17_000_000)))

        let verification = try await f.verifyAudit()
        #expect(verification.ok, "\(String(describing: verification.problem))")
    }

    @Test("a round not yet open: no entries; an unmanaged year is unchanged (no round, no figures)")
    func upcomingAndUnmanaged() async throws {
        let (f, years, days) = try await Self.setUp()
        _ = try await years.open(year: 2021, round: .firstUp, from: days.plus(2), until: days.plus(5), by: f.finance)
        #expect(await Self.conflict { _ = try await f.create([Fixture.project("Y-U")], year: 2021) }
                == "round 一上 of 2021 is not open yet (\(days.plus(2)) – \(days.plus(5)))")

        let entry = try #require(try await f.create([Fixture.project("U-1")], year: 2020).first)
        #expect(entry.round == nil)
        _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
        #expect(try await f.entries.figures(of: entry) == nil)
        #expect(try await f.entries.summary(unit: "201002", year: 2020, for: f.officer).figures == nil)
        let connection = try f.db.superuser()
        #expect(try connection.query("SELECT round FROM entries WHERE id = \(entry.id)").first?.decode("round", as: String?.self) == nil)
    }
}
