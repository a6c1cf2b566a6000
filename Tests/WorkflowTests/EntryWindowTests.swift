import Foundation
import Testing
import Workflow
import WorkflowFixtures

private func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
private let today = day("2020-10-10")

/// The year's situations on 2020-10-10, each a calendar of 2021.
private let situations: [String: YearCalendar] = {
    func window(_ round: BudgetRound, _ from: String, _ until: String, closed: Bool = false) -> RoundWindow {
        RoundWindow(round: round, opensOn: day(from), closesOn: day(until), closedEarly: closed)
    }
    let firstUpPast = window(.firstUp, "2020-09-01", "2020-09-30")
    let firstDownPast = window(.firstDown, "2020-10-01", "2020-10-05")
    return [
        "unmanaged": YearCalendar(year: 2021),
        "一上 upcoming": YearCalendar(year: 2021, windows: [window(.firstUp, "2020-10-20", "2020-10-30")]),
        "一上 open": YearCalendar(year: 2021, windows: [window(.firstUp, "2020-10-01", "2020-10-30")]),
        "一上 closed early": YearCalendar(year: 2021, windows: [window(.firstUp, "2020-10-01", "2020-10-30", closed: true)]),
        "一下 open": YearCalendar(year: 2021, windows: [firstUpPast, window(.firstDown, "2020-10-01", "2020-10-30")]),
        "二上 open": YearCalendar(year: 2021, windows: [firstUpPast, firstDownPast, window(.secondUp, "2020-10-06", "2020-10-30")]),
        "二上 past": YearCalendar(year: 2021, windows: [firstUpPast, firstDownPast, window(.secondUp, "2020-10-06", "2020-10-09")]),
        "二下 open": YearCalendar(year: 2021, windows: [firstUpPast, firstDownPast, window(.secondUp, "2020-10-06", "2020-10-08"),
                                                       window(.secondDown, "2020-10-09", "2020-12-31")]),
    ]
}()

/// Who may create a new entry and submit one (prepared in round 一上, 二上 or before the year was
/// managed, `none`), by situation: `ok`, `409` (the window), or `400` (after 二上: drafts of existing
/// entries only, a new code is a bad line of the batch). Only a unit's officer creates and
/// submits at all; the rest of the transition table is unchanged by the calendar.
private let windowTable = """
# situation          create  submit:一上  submit:二上  submit:none
unmanaged             ok      ok          ok          ok
一上 upcoming          409     409         409         409
一上 open              ok      ok          409         ok
一上 closed early      409     409         409         409
一下 open              409     409         409         409
二上 open              ok      409         ok          409
二上 past              409     409         409         409
二下 open              400     ok          ok          ok
"""

@Suite("Entry windows: rounds × entry states × roles")
struct EntryWindowTests {
    static let officer = Actor(name: "wang", role: .officer, orgCode: "201002")
    static let scope = EntryScope(unitCode: "201002", departmentCode: "201")
    static let id = UUID(uuidString: "00000000-0000-4000-8000-0000000000c1")!

    static func entry(_ state: EntryState, round: BudgetRound?) -> BudgetEntry {
        BudgetEntry(id: id, year: 2021, unitCode: "201002", departmentCode: "201", state: state,
                    content: ReferenceProjects.supervisionResearch, round: round)
    }

    static var rows: [(situation: String, cells: [String])] {
        windowTable.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let words = line.split(separator: " ").map(String.init)
            let cells = Array(words.suffix(4))
            return (words.dropLast(4).joined(separator: " "), cells)
        }
    }

    @Test("the table covers every situation")
    func complete() {
        #expect(Set(Self.rows.map(\.situation)) == Set(situations.keys))
    }

    @Test("creating drafts: the officer within an open 一上/二上 window, and the new entry carries the round")
    func create() throws {
        for (situation, cells) in Self.rows {
            let calendar = situations[situation]!
            let result = Result { () throws(WorkflowError) in
                try SaveDraftsCommand(actor: Self.officer, unit: "201002", scope: Self.scope, year: 2021, calendar: calendar, today: today)
                    .run([DraftLine(draft: ReferenceProjects.supervisionResearch)], current: [:])
            }
            switch (cells[0], result) {
            case ("ok", .success(let decision)):
                let expectedRound = calendar.openEntryRound(on: today)
                #expect(decision.saved.first?.entry.round == expectedRound, "\(situation)")
                guard case .insertEntry(let new) = decision.plan.writes.first else { Issue.record("\(situation): no insert"); continue }
                #expect(new.round == expectedRound, "\(situation)")
                #expect(decision.plan.events.first?.changes["round"] == expectedRound?.rawValue, "\(situation)")
                #expect((expectedRound == nil) == (situation == "unmanaged"), "\(situation)")
            case ("409", .failure(let error)): #expect(error.category == .conflict, "\(situation): \(error)")
            case ("400", .failure(let error)): #expect(error.category == .invalidInput, "\(situation): \(error)")
            default: Issue.record("\(situation): expected \(cells[0]), got \(result)")
            }
            // Every other role is refused as before, whatever the calendar says.
            for role in Role.allCases where role != .officer {
                let someone = Actor(name: "x", role: role, orgCode: role == .departmentReviewer ? "201" : nil)
                #expect(throws: WorkflowError.self) {
                    try SaveDraftsCommand(actor: someone, unit: "201002", scope: Self.scope, year: 2021, calendar: calendar, today: today)
                }
            }
        }
    }

    @Test("the closed window's message names the round and its dates")
    func messages() throws {
        #expect(throws: WorkflowError.conflict("round 一上 of 2021 is closed (2020-09-01 – 2020-09-30)")) {
            try SaveDraftsCommand(actor: Self.officer, unit: "201002", scope: Self.scope, year: 2021,
                                  calendar: situations["一下 open"]!, today: today)
        }
        #expect(throws: WorkflowError.conflict("round 二上 of 2021 is closed (2020-10-06 – 2020-10-09)")) {
            try EntryActionCommand(.submit, on: Self.id).decide(Self.officer, EntryActionSnapshot(
                entry: Self.entry(.draft, round: .secondUp), calendar: situations["二上 past"]!, today: today))
        }
        #expect(throws: WorkflowError.conflict("round 一上 of 2021 is not open yet (2020-10-20 – 2020-10-30)")) {
            try EntryActionCommand(.submit, on: Self.id).decide(Self.officer, EntryActionSnapshot(
                entry: Self.entry(.draft, round: .firstUp), calendar: situations["一上 upcoming"]!, today: today))
        }
    }

    @Test("submit by the officer from draft follows the table; every other role × state × action is as without a calendar")
    func entryActions() throws {
        let rounds: [BudgetRound?] = [.firstUp, .secondUp, nil]
        var checked = 0
        for (situation, cells) in Self.rows {
            let calendar = situations[situation]!
            for (index, round) in rounds.enumerated() {
                for state in EntryState.allCases {
                    for role in Role.allCases {
                        for action in EntryAction.allCases where action != .publish {
                            let someone = actor(role, inScope: true)
                            let entry = Self.entry(state, round: round)
                            let command = EntryActionCommand(action, on: Self.id, reason: "why", newRevisionID: Self.id)
                            let with = Result { () throws(WorkflowError) in
                                try command.decide(someone, EntryActionSnapshot(entry: entry, calendar: calendar, today: today))
                            }
                            let without = Result { () throws(WorkflowError) in
                                try command.decide(someone, EntryActionSnapshot(entry: entry))
                            }
                            let label = "\(situation) round \(round?.rawValue ?? "none") \(state.rawValue) \(role.rawValue) \(action.rawValue)"
                            if action == .submit, role == .officer, state == .draft {
                                switch (cells[1 + index], with) {
                                case ("ok", .success): break
                                case ("409", .failure(let error)): #expect(error.category == .conflict, "\(label)")
                                default: Issue.record("\(label): expected \(cells[1 + index]), got \(with)")
                                }
                            } else {
                                #expect(with == without, "\(label)")
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == situations.count * 3 * EntryState.allCases.count * Role.allCases.count * (EntryAction.allCases.count - 1))
    }

    @Test("replacing a draft (PUT) follows the create column for the entry's own round")
    func replace() throws {
        let draft = ReferenceProjects.supervisionResearch
        for (situation, cells) in Self.rows {
            let calendar = situations[situation]!
            let result = Result { () throws(WorkflowError) in
                try ReplaceDraftCommand.decide(actor: Self.officer, entry: Self.entry(.draft, round: .firstUp), with: draft,
                                               expectedVersion: 1, calendar: calendar, today: today)
            }
            // A 一上 draft: editable when submit:一上 is.
            switch (cells[1], result) {
            case ("ok", .success): break
            case ("409", .failure(let error)): #expect(error.category == .conflict, "\(situation)")
            default: Issue.record("\(situation): expected \(cells[1]), got \(result)")
            }
        }
    }
}
