import Foundation

/// One entry of a year prepared in 一上 (or before the year was managed, which counts as 一上), at
/// its latest revision: what opening 一下 freezes and opening 二上 carries.
public struct FirstUpEntry: Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var unitCode: String
    public var revision: Int
    public var state: EntryState
    public var kind: EntryKind
    public var amount: Money

    public init(id: UUID, code: String, unitCode: String, revision: Int, state: EntryState, kind: EntryKind, amount: Money) {
        self.id = id
        self.code = code
        self.unitCode = unitCode
        self.revision = revision
        self.state = state
        self.kind = kind
        self.amount = amount
    }
}

/// An entry carried from 一上 into 二上: its 一上 revision `from` is superseded by the new draft
/// revision `to` (number `revision`), a copy of it with its children.
public struct CarriedEntry: Sendable, Hashable {
    public var from: UUID
    public var to: UUID
    public var revision: Int

    public init(from: UUID, to: UUID, revision: Int) {
        self.from = from
        self.to = to
        self.revision = revision
    }
}

/// What the calendar commands read: the year's calendar (locked), today in Asia/Shanghai, and,
/// when opening 一下 or 二上, the year's 一上 entries (``FirstUpEntry``: not discarded, not
/// superseded, the latest revision of each code).
public struct YearSnapshot: Sendable, Hashable {
    public var calendar: YearCalendar
    public var today: CalendarDate
    public var firstUpEntries: [FirstUpEntry]

    public init(calendar: YearCalendar, today: CalendarDate, firstUpEntries: [FirstUpEntry] = []) {
        self.calendar = calendar
        self.today = today
        self.firstUpEntries = firstUpEntries
    }
}

extension BudgetRound {
    /// The round named `text` (Chinese or ASCII name), or an invalid-input error naming `field`.
    public static func parse(_ text: String, field: String = "round") throws(WorkflowError) -> BudgetRound {
        guard let round = BudgetRound(parsing: text) else {
            let names = allCases.map { "\($0.rawValue) (\($0.asciiName))" }.joined(separator: ", ")
            throw .invalidInput("unknown round \"\(text.prefix(32))\"; the rounds are \(names)",
                details: [ErrorDetail(field: field, message: "one of \(names)")])
        }
        return round
    }
}

extension CalendarDate {
    /// The date `text` (YYYY-MM-DD), or an invalid-input error naming `field`.
    public static func parse(_ text: String, field: String) throws(WorkflowError) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else {
            throw .invalidInput("\(field) must be a date YYYY-MM-DD, not \"\(text.prefix(32))\"",
                details: [ErrorDetail(field: field, message: "a date YYYY-MM-DD")])
        }
        return date
    }
}

extension PlannedEvent {
    /// The chain of a year's calendar: every open, extend, close, freeze and carry.
    public static func yearChain(_ year: Int) -> String { "year:\(year)" }
}

/// Opening a round of a year (开启轮次): the finance bureau's decision.
///
/// Rules, in order: the round is not in the calendar yet (a round opens once); the round before
/// it was opened and has started (一上 → 一下 → 二上 → 二下); `opensOn` is not before the
/// previous round's first day. **Opening a round ends the previous one**: when the new round
/// opens today (or earlier) and the previous one is still open, the previous one is closed now;
/// a round scheduled to open later needs the previous one to end before `opensOn`. Opening 一下
/// freezes the 一上 figures (round_figures, stage 一上); opening 二上 carries every 一上 entry into
/// 二上 as a new draft revision, superseding its 一上 revision. Both happen when the command runs,
/// whatever `opensOn` says — so 一下 cannot be scheduled while 一上 is still open (entries made
/// after the freeze would be missing from it); a carried draft waits for 二上's window to be edited.
public struct OpenRoundCommand: Sendable, Hashable {
    public let year: Int
    public let round: BudgetRound
    public let opensOn: CalendarDate
    public let closesOn: CalendarDate

    /// What can be decided before anything is read: the role, the year, the dates' order.
    public init(actor: Actor, year: Int, round: BudgetRound, opensOn: CalendarDate, until closesOn: CalendarDate) throws(WorkflowError) {
        try Permission.require(actor.role, .manageRounds)
        try Validator.checkYear(year)
        guard closesOn >= opensOn else {
            throw .invalidInput("dates out of order: round \(round.rawValue) cannot end on \(closesOn), before it opens on \(opensOn)",
                details: [ErrorDetail(field: "until", message: "must be on or after \(opensOn)")])
        }
        self.year = year
        self.round = round
        self.opensOn = opensOn
        self.closesOn = closesOn
    }

    /// Whether the command needs the year's 一上 entries in its snapshot.
    public var readsFirstUpEntries: Bool { round == .firstDown || round == .secondUp }

    /// The plan: the window, the previous round closed if it is still open, the freeze or the carry,
    /// and their events. `newID` names each carried draft revision (the caller's, so this stays pure).
    public func decide(_ snapshot: YearSnapshot, newID: () -> UUID = UUID.init) throws(WorkflowError) -> Plan {
        let calendar = snapshot.calendar
        let today = snapshot.today
        if let existing = calendar.windows[round] {
            throw .conflict("round \(round.rawValue) of \(year) was already opened (\(existing.dates))")
        }
        let chain = PlannedEvent.yearChain(year)
        var plan = Plan()
        var closedPrevious: BudgetRound?
        if let previousRound = BudgetRound.allCases.last(where: { $0 < round }) {
            guard let previous = calendar.windows[previousRound] else {
                throw .conflict("round \(round.rawValue) of \(year) cannot open before round \(previousRound.rawValue)")
            }
            guard opensOn >= previous.opensOn else {
                throw .invalidInput(
                    "dates out of order: round \(round.rawValue) cannot open on \(opensOn), before round \(previousRound.rawValue) (\(previous.dates))",
                    details: [ErrorDetail(field: "from", message: "must be on or after \(previous.opensOn)")])
            }
            switch previous.state(on: today) {
            case .upcoming:
                throw .conflict("round \(round.rawValue) of \(year) cannot open before round \(previousRound.rawValue) has started (\(previous.dates))")
            case .open where opensOn <= today:
                closedPrevious = previousRound
            case .open where round != .firstDown && opensOn > previous.closesOn:
                break  // scheduled after the previous window ends; nothing of it is frozen
            case .open where round == .firstDown:
                throw .conflict(
                    "round 一上 of \(year) is open until \(previous.closesOn); opening 一下 freezes the 一上 figures at once, so open it today (closing 一上) or once 一上 has ended")
            case .open:
                throw .conflict(
                    "round \(previousRound.rawValue) of \(year) is open until \(previous.closesOn); round \(round.rawValue) can open today (closing it) or be scheduled after it ends")
            case .closed where !previous.closedEarly && previous.closesOn >= opensOn:
                // A backdated `opensOn` within a window that has since ended.
                throw .invalidInput(
                    "dates out of order: round \(round.rawValue) cannot open on \(opensOn), within round \(previousRound.rawValue) (\(previous.dates))",
                    details: [ErrorDetail(field: "from", message: "must be after \(previous.closesOn)")])
            case .closed:
                break
            }
        }
        if let closedPrevious {
            plan.writes.append(.closeRound(year: year, round: closedPrevious))
            plan.events.append(PlannedEvent(chain: chain, action: "round.close",
                reason: "round \(round.rawValue) opened", changes: ["round": closedPrevious.rawValue]))
        }
        plan.writes.append(.openRound(year: year, round: round, opensOn: opensOn, closesOn: closesOn))
        var changes = ["round": round.rawValue, "opens_on": opensOn.description, "closes_on": closesOn.description]
        changes["closed_previous"] = closedPrevious?.rawValue
        plan.events.append(PlannedEvent(chain: chain, action: "round.open", changes: changes))

        let entries = snapshot.firstUpEntries
        switch round {
        case .firstDown:
            plan.writes.append(.freezeFirstUpFigures(year: year, entries: entries.map(\.id)))
            plan.events.append(PlannedEvent(chain: chain, action: "round.freeze", changes: Self.tally(entries, stage: .firstUp)))
        case .secondUp:
            var carried: [CarriedEntry] = []
            for entry in entries {
                let next = CarriedEntry(from: entry.id, to: newID(), revision: entry.revision + 1)
                carried.append(next)
                let entryChain = PlannedEvent.entryChain(year: year, code: entry.code)
                plan.events.append(PlannedEvent(
                    chain: entryChain, action: "supersede", entryID: entry.id, revision: entry.revision,
                    fromState: entry.state.rawValue, toState: EntryState.superseded.rawValue,
                    reason: "carried into round 二上", changes: ["superseded_by": next.to.uuidString.lowercased()]))
                plan.events.append(PlannedEvent(
                    chain: entryChain, action: "carry", entryID: next.to, revision: next.revision,
                    fromState: entry.state.rawValue, toState: EntryState.draft.rawValue,
                    reason: "carried into round 二上",
                    changes: ["carried_from": entry.id.uuidString.lowercased(), "revision": String(next.revision),
                              "round": BudgetRound.secondUp.rawValue]))
            }
            plan.writes.append(.carryIntoSecondUp(year: year, entries: carried))
            var summary = Self.tally(entries, stage: .firstUp)
            summary["round"] = BudgetRound.secondUp.rawValue
            plan.events.append(PlannedEvent(chain: chain, action: "round.carry", changes: summary))
        case .firstUp, .secondDown:
            break
        }
        return plan
    }

    /// Counts and totals of `entries`, for the summarising event.
    static func tally(_ entries: [FirstUpEntry], stage: BudgetRound) -> [String: String] {
        var total = Money.zero
        var byKind: [EntryKind: Money] = [:]
        for entry in entries {
            total = (try? total.adding(entry.amount)) ?? total
            byKind[entry.kind] = (try? (byKind[entry.kind] ?? .zero).adding(entry.amount)) ?? byKind[entry.kind]
        }
        var changes = ["stage": stage.rawValue, "entries": String(entries.count), "amount": total.description]
        for (kind, amount) in byKind { changes["amount.\(kind.rawValue)"] = amount.description }
        return changes
    }
}

/// Moving a round's last day later (延长轮次): the finance bureau's decision. The round must be in
/// the calendar and not closed by the bureau; the new last day is after the current one and
/// before the next round's first day.
public struct ExtendRoundCommand: Sendable, Hashable {
    public let year: Int
    public let round: BudgetRound
    public let closesOn: CalendarDate

    public init(actor: Actor, year: Int, round: BudgetRound, until closesOn: CalendarDate) throws(WorkflowError) {
        try Permission.require(actor.role, .manageRounds)
        try Validator.checkYear(year)
        self.year = year
        self.round = round
        self.closesOn = closesOn
    }

    public func decide(_ snapshot: YearSnapshot) throws(WorkflowError) -> Plan {
        guard let window = snapshot.calendar.windows[round] else {
            throw .notFound(resource: "round \(round.rawValue) of \(year)")
        }
        guard !window.closedEarly else {
            throw .conflict("round \(round.rawValue) of \(year) was closed by the finance bureau; it cannot be extended")
        }
        guard closesOn > window.closesOn else {
            throw .invalidInput("dates out of order: \(closesOn) is not after round \(round.rawValue)'s last day \(window.closesOn)",
                details: [ErrorDetail(field: "until", message: "must be after \(window.closesOn)")])
        }
        if let next = BudgetRound.allCases.first(where: { $0 > round }), let following = snapshot.calendar.windows[next],
           closesOn >= following.opensOn {
            throw .invalidInput(
                "dates out of order: round \(round.rawValue) cannot run until \(closesOn), into round \(next.rawValue) (\(following.dates))",
                details: [ErrorDetail(field: "until", message: "must be before \(following.opensOn)")])
        }
        return Plan(
            writes: [.extendRound(year: year, round: round, closesOn: closesOn)],
            events: [PlannedEvent(chain: PlannedEvent.yearChain(year), action: "round.extend",
                changes: ["round": round.rawValue, "closes_on": closesOn.description, "previous": window.closesOn.description])])
    }
}

/// Closing a round now (关闭轮次), before or after its last day: the finance bureau's decision.
/// A round already closed (by the bureau or by its dates) is refused.
public struct CloseRoundCommand: Sendable, Hashable {
    public let year: Int
    public let round: BudgetRound

    public init(actor: Actor, year: Int, round: BudgetRound) throws(WorkflowError) {
        try Permission.require(actor.role, .manageRounds)
        try Validator.checkYear(year)
        self.year = year
        self.round = round
    }

    public func decide(_ snapshot: YearSnapshot) throws(WorkflowError) -> Plan {
        guard let window = snapshot.calendar.windows[round] else {
            throw .notFound(resource: "round \(round.rawValue) of \(year)")
        }
        guard window.state(on: snapshot.today) != .closed else {
            throw .conflict("round \(round.rawValue) of \(year) is already closed (\(window.dates))")
        }
        return Plan(
            writes: [.closeRound(year: year, round: round)],
            events: [PlannedEvent(chain: PlannedEvent.yearChain(year), action: "round.close", changes: ["round": round.rawValue])])
    }
}
