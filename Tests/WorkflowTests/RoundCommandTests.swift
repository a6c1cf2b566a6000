import Foundation
import Testing
import Workflow
import WorkflowFixtures

private func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
private let today = day("2020-10-10")
private let finance = Actor(name: "qian", role: .financeReviewer)

/// The previous round's window in each prior state, seen on 2020-10-10.
private func previousWindow(_ round: BudgetRound, _ prior: String) -> RoundWindow? {
    switch prior {
    case "absent": nil
    case "upcoming": RoundWindow(round: round, opensOn: day("2020-10-20"), closesOn: day("2020-10-30"))
    case "open": RoundWindow(round: round, opensOn: day("2020-10-01"), closesOn: day("2020-10-15"))
    case "past": RoundWindow(round: round, opensOn: day("2020-09-01"), closesOn: day("2020-09-30"))
    case "closed": RoundWindow(round: round, opensOn: day("2020-10-01"), closesOn: day("2020-10-15"), closedEarly: true)
    default: fatalError("unknown prior state \(prior)")
    }
}

/// Opening each round, with the previous round in each state, today or scheduled for 2020-10-20:
/// `ok` (the window only), `ok+close` (the previous round closed too), `409` conflict, `400` invalid input.
private let openTable = """
# round  prior     today     scheduled
一上      none      ok        ok
一下      absent    409       409
一下      upcoming  400       409
一下      open      ok+close  409
一下      past      ok        ok
一下      closed    ok        ok
二上      absent    409       409
二上      upcoming  400       409
二上      open      ok+close  ok
二上      past      ok        ok
二上      closed    ok        ok
二下      absent    409       409
二下      upcoming  400       409
二下      open      ok+close  ok
二下      past      ok        ok
二下      closed    ok        ok
"""

@Suite("Rounds calendar: open, extend, close × round × prior state")
struct RoundCommandTests {
    /// Earlier rounds than the previous one, all long past (so only the previous one matters).
    static func calendar(opening round: BudgetRound, prior: String) -> YearCalendar {
        var windows: [RoundWindow] = []
        for earlier in BudgetRound.allCases where earlier < round {
            if earlier == BudgetRound.allCases.last(where: { $0 < round }) {
                if let window = previousWindow(earlier, prior) { windows.append(window) }
            } else {
                windows.append(RoundWindow(round: earlier, opensOn: day("2020-08-01"), closesOn: day("2020-08-10")))
            }
        }
        return YearCalendar(year: 2021, windows: windows)
    }

    @Test("every round × the previous round's state × today or scheduled, against the table")
    func openTableCells() throws {
        var checked = 0
        for line in openTable.split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ").map(String.init)
            let round = try #require(BudgetRound(parsing: words[0]))
            for (opens, expected) in [(today, words[2]), (day("2020-10-20"), words[3])] {
                let command = try OpenRoundCommand(actor: finance, year: 2021, round: round, opensOn: opens, until: day("2020-10-31"))
                let snapshot = YearSnapshot(calendar: Self.calendar(opening: round, prior: words[1]), today: today)
                let result = Result { () throws(WorkflowError) in try command.decide(snapshot) }
                let label = "\(line) from \(opens)"
                switch (expected, result) {
                case ("ok", .success(let plan)), ("ok+close", .success(let plan)):
                    let previous = BudgetRound.allCases.last(where: { $0 < round })
                    let closes = expected == "ok+close"
                    let first: PlannedWrite = closes ? .closeRound(year: 2021, round: previous!)
                        : .openRound(year: 2021, round: round, opensOn: opens, closesOn: day("2020-10-31"))
                    #expect(plan.writes.first == first, "\(label)")
                    #expect(plan.writes.contains(.openRound(year: 2021, round: round, opensOn: opens, closesOn: day("2020-10-31"))), "\(label)")
                    #expect(plan.events.allSatisfy { $0.chain == "year:2021" }, "\(label)")
                    #expect(plan.events.contains { $0.action == "round.open" && $0.changes["round"] == round.rawValue }, "\(label)")
                    #expect(plan.events.contains { $0.action == "round.close" } == closes, "\(label)")
                case ("409", .failure(let error)): #expect(error.category == .conflict, "\(label): \(error)")
                case ("400", .failure(let error)): #expect(error.category == .invalidInput, "\(label): \(error)")
                default: Issue.record("\(label): expected \(expected), got \(result)")
                }
                checked += 1
            }
        }
        #expect(checked == 32)
    }

    @Test("a round opened twice is a conflict naming its dates, for every round")
    func openedTwice() throws {
        for round in BudgetRound.allCases {
            var calendar = Self.calendar(opening: round, prior: "past")
            calendar.windows[round] = RoundWindow(round: round, opensOn: day("2020-10-01"), closesOn: day("2020-10-05"))
            let command = try OpenRoundCommand(actor: finance, year: 2021, round: round, opensOn: today, until: day("2020-10-31"))
            #expect(throws: WorkflowError.conflict("round \(round.rawValue) of 2021 was already opened (2020-10-01 – 2020-10-05)")) {
                try command.decide(YearSnapshot(calendar: calendar, today: today))
            }
        }
    }

    @Test("the round before 一上 opened is named; dates out of order and other roles are refused before any read")
    func badInput() throws {
        #expect(throws: WorkflowError.conflict("round 二上 of 2021 cannot open before round 一下")) {
            try OpenRoundCommand(actor: finance, year: 2021, round: .secondUp, opensOn: today, until: today)
                .decide(YearSnapshot(calendar: YearCalendar(year: 2021, windows: [
                    RoundWindow(round: .firstUp, opensOn: day("2020-09-01"), closesOn: day("2020-09-30"))]), today: today))
        }
        #expect(throws: WorkflowError.self) {
            try OpenRoundCommand(actor: finance, year: 2021, round: .firstUp, opensOn: day("2020-10-10"), until: day("2020-10-09"))
        }
        do {
            _ = try OpenRoundCommand(actor: finance, year: 2021, round: .firstUp, opensOn: day("2020-10-10"), until: day("2020-10-09"))
            Issue.record("until before the first day was accepted")
        } catch {
            #expect(error.category == .invalidInput)
            #expect(error.details.first?.field == "until")
        }
        for role in Role.allCases where role != .financeReviewer {
            let someone = Actor(name: "x", role: role, orgCode: role == .officer ? "201002" : role == .departmentReviewer ? "201" : nil)
            #expect(throws: WorkflowError.forbidden("only the finance bureau opens, extends and closes rounds")) {
                try OpenRoundCommand(actor: someone, year: 2021, round: .firstUp, opensOn: today, until: today)
            }
            #expect(throws: WorkflowError.self) { try ExtendRoundCommand(actor: someone, year: 2021, round: .firstUp, until: today) }
            #expect(throws: WorkflowError.self) { try CloseRoundCommand(actor: someone, year: 2021, round: .firstUp) }
        }
        #expect(throws: WorkflowError.self) { try BudgetRound.parse("三上") }
        #expect(try BudgetRound.parse("two-up") == .secondUp)
        #expect(throws: WorkflowError.self) { try CalendarDate.parse("2020-02-30", field: "until") }
        #expect(try CalendarDate.parse("2020-02-29", field: "until").description == "2020-02-29")
    }

    static let entries = [
        FirstUpEntry(id: UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!, code: "201-A", unitCode: "201002",
                     revision: 1, state: .approved, kind: .operation, amount: Money(fen: 150_000)),
        FirstUpEntry(id: UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!, code: "201-B", unitCode: "201002",
                     revision: 2, state: .draft, kind: .project, amount: Money(fen: 25_050)),
    ]

    @Test("opening 一下 freezes the listed 一上 revisions, with one event of counts and totals")
    func freeze() throws {
        let command = try OpenRoundCommand(actor: finance, year: 2021, round: .firstDown, opensOn: today, until: day("2020-10-31"))
        #expect(command.readsFirstUpEntries)
        let plan = try command.decide(YearSnapshot(calendar: Self.calendar(opening: .firstDown, prior: "past"), today: today,
                                                   firstUpEntries: Self.entries))
        #expect(plan.writes.last == .freezeFirstUpFigures(year: 2021, entries: Self.entries.map(\.id)))
        let freeze = try #require(plan.events.last)
        #expect(freeze.action == "round.freeze")
        #expect(freeze.changes == ["stage": "一上", "entries": "2", "amount": "1750.50", "amount.operation": "1500.00",
                                   "amount.project": "250.50"])
    }

    @Test("opening 二上 carries each 一上 entry into a new draft revision: a supersede and a carry event in its chain")
    func carry() throws {
        let newIDs = [UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!, UUID(uuidString: "00000000-0000-4000-8000-0000000000b2")!]
        var ids = newIDs.makeIterator()
        let command = try OpenRoundCommand(actor: finance, year: 2021, round: .secondUp, opensOn: today, until: day("2020-10-31"))
        let plan = try command.decide(
            YearSnapshot(calendar: Self.calendar(opening: .secondUp, prior: "open"), today: today, firstUpEntries: Self.entries),
            newID: { ids.next()! })
        #expect(plan.writes == [
            .closeRound(year: 2021, round: .firstDown),
            .openRound(year: 2021, round: .secondUp, opensOn: today, closesOn: day("2020-10-31")),
            .carryIntoSecondUp(year: 2021, entries: [
                CarriedEntry(from: Self.entries[0].id, to: newIDs[0], revision: 2),
                CarriedEntry(from: Self.entries[1].id, to: newIDs[1], revision: 3)]),
        ])
        let chainB = plan.events.filter { $0.chain == "entry:2021:201-B" }
        #expect(chainB.map(\.action) == ["supersede", "carry"])
        #expect(chainB[0].entryID == Self.entries[1].id && chainB[0].fromState == "draft" && chainB[0].toState == "superseded")
        #expect(chainB[1].entryID == newIDs[1] && chainB[1].revision == 3 && chainB[1].toState == "draft")
        #expect(chainB[1].changes["carried_from"] == Self.entries[1].id.uuidString.lowercased())
        #expect(plan.events.last?.action == "round.carry" && plan.events.last?.changes["entries"] == "2")
    }

    @Test("extend: later than the last day, before the next round; not after the bureau closed it")
    func extend() throws {
        let calendar = YearCalendar(year: 2021, windows: [
            RoundWindow(round: .firstUp, opensOn: day("2020-09-01"), closesOn: day("2020-09-30")),
            RoundWindow(round: .firstDown, opensOn: day("2020-10-20"), closesOn: day("2020-10-30")),
            RoundWindow(round: .secondUp, opensOn: day("2020-11-01"), closesOn: day("2020-11-05"), closedEarly: true)])
        let snapshot = YearSnapshot(calendar: calendar, today: today)
        func extend(_ round: BudgetRound, _ until: String) -> Result<Plan, WorkflowError> {
            Result { () throws(WorkflowError) in
                try ExtendRoundCommand(actor: finance, year: 2021, round: round, until: day(until)).decide(snapshot)
            }
        }
        #expect(try extend(.firstUp, "2020-10-19").get().writes == [.extendRound(year: 2021, round: .firstUp, closesOn: day("2020-10-19"))])
        #expect(try extend(.firstUp, "2020-10-19").get().events.first?.changes["previous"] == "2020-09-30")
        #expect(extend(.firstUp, "2020-10-20").failureCategory == .invalidInput)  // into 一下
        #expect(extend(.firstUp, "2020-09-30").failureCategory == .invalidInput)  // not later
        #expect(extend(.secondUp, "2020-11-30").failureCategory == .conflict)     // closed by the bureau
        #expect(extend(.secondDown, "2020-12-30").failureCategory == .notFound)   // not in the calendar
    }

    @Test("close: an open or upcoming round; a closed one, or one not in the calendar, is refused")
    func close() throws {
        let calendar = YearCalendar(year: 2021, windows: [
            RoundWindow(round: .firstUp, opensOn: day("2020-09-01"), closesOn: day("2020-09-30")),
            RoundWindow(round: .firstDown, opensOn: day("2020-10-01"), closesOn: day("2020-10-30")),
            RoundWindow(round: .secondUp, opensOn: day("2020-11-01"), closesOn: day("2020-11-05"))])
        let snapshot = YearSnapshot(calendar: calendar, today: today)
        func close(_ round: BudgetRound) -> Result<Plan, WorkflowError> {
            Result { () throws(WorkflowError) in try CloseRoundCommand(actor: finance, year: 2021, round: round).decide(snapshot) }
        }
        #expect(try close(.firstDown).get().writes == [.closeRound(year: 2021, round: .firstDown)])
        #expect(try close(.secondUp).get().writes == [.closeRound(year: 2021, round: .secondUp)])
        #expect(close(.firstUp).failureCategory == .conflict)
        #expect(close(.secondDown).failureCategory == .notFound)
    }
}

extension Result where Failure == WorkflowError {
    var failureCategory: WorkflowError.Category? {
        if case .failure(let error) = self { return error.category }
        return nil
    }
}
