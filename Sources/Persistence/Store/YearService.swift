import Foundation
import Workflow

/// A year's calendar of rounds as the API and budgetctl show it (`GET /v1/years/{year}`).
public struct YearDocument: Encodable, Sendable, Hashable {
    public var year: Int
    /// Whether the year runs in rounds (any round opened); false: as before rounds existed.
    public var managed: Bool
    /// Today in Asia/Shanghai, the day the states are judged on.
    public var today: CalendarDate
    /// The round open for entries today (一上 or 二上), if any.
    public var entryRound: BudgetRound?
    public var rounds: [Round]

    public struct Round: Encodable, Sendable, Hashable {
        public var round: BudgetRound
        public var opensOn: CalendarDate
        public var closesOn: CalendarDate
        /// When the finance bureau closed it; nil while open or merely past its last day.
        package var closedAt: Timestamp?
        public var state: RoundState
        public var openedBy: String
        package var openedAt: Timestamp
        public var version: Int

        enum CodingKeys: String, CodingKey {
            case round, state, version
            case opensOn = "opens_on"
            case closesOn = "closes_on"
            case closedAt = "closed_at"
            case openedBy = "opened_by"
            case openedAt = "opened_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(round, forKey: .round)
            try container.encode(opensOn, forKey: .opensOn)
            try container.encode(closesOn, forKey: .closesOn)
            try container.encode(closedAt, forKey: .closedAt)  // null while not closed by the bureau
            try container.encode(state, forKey: .state)
            try container.encode(openedBy, forKey: .openedBy)
            try container.encode(openedAt, forKey: .openedAt)
            try container.encode(version, forKey: .version)
        }
    }

    enum CodingKeys: String, CodingKey {
        case year, managed, today, rounds
        case entryRound = "entry_round"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(year, forKey: .year)
        try container.encode(managed, forKey: .managed)
        try container.encode(today, forKey: .today)
        try container.encode(entryRound, forKey: .entryRound)
        try container.encode(rounds, forKey: .rounds)
    }
}

/// The rounds calendar of a year (二上二下): read by anyone signed in; opened, extended and closed
/// by the finance bureau through ``OpenRoundCommand``, ``ExtendRoundCommand`` and
/// ``CloseRoundCommand``, each one transaction that locks the year's windows first.
public struct YearService: Sendable {
    package let pool: ConnectionPool

    package init(pool: ConnectionPool) { self.pool = pool }

    /// The year's calendar, with each round's state today.
    public func calendar(_ year: Int, for caller: Caller) async throws -> YearDocument {
        try Validator.checkYear(year)
        return try await pool.withConnection { connection in try Self.document(year, on: connection) }
    }

    /// Opens `round` of `year` from `opensOn` (nil: today) until `until`.
    public func open(
        year: Int, round: BudgetRound, from opensOn: CalendarDate?, until: CalendarDate, by caller: Caller
    ) async throws -> YearDocument {
        try Permission.require(caller.actor.role, .manageRounds)
        return try await change(year, by: caller) { snapshot, connection in
            let command = try OpenRoundCommand(actor: caller.actor, year: year, round: round, opensOn: opensOn ?? snapshot.today, until: until)
            var loaded = snapshot
            if command.readsFirstUpEntries { loaded.firstUpEntries = try YearRows.firstUpEntries(year, on: connection) }
            return try command.decide(loaded, newID: EntryService.randomUUID)
        }
    }

    /// Moves the last day of `round` of `year` to `until`.
    public func extend(year: Int, round: BudgetRound, until: CalendarDate, by caller: Caller) async throws -> YearDocument {
        let command = try ExtendRoundCommand(actor: caller.actor, year: year, round: round, until: until)
        return try await change(year, by: caller) { snapshot, _ in try command.decide(snapshot) }
    }

    /// Closes `round` of `year` now.
    public func close(year: Int, round: BudgetRound, by caller: Caller) async throws -> YearDocument {
        let command = try CloseRoundCommand(actor: caller.actor, year: year, round: round)
        return try await change(year, by: caller) { snapshot, _ in try command.decide(snapshot) }
    }

    /// One calendar change: the year's windows locked (FOR UPDATE: draft saves, which hold them
    /// FOR SHARE, finish first), the decision, the plan applied, the calendar as it now stands.
    private func change(
        _ year: Int, by caller: Caller,
        _ decide: @escaping @Sendable (YearSnapshot, PostgresConnection) throws -> Plan
    ) async throws -> YearDocument {
        try Validator.checkYear(year)
        return try await pool.transaction { connection in
            try connection.query("SELECT 1 AS x FROM budget_rounds WHERE year = \(year) FOR UPDATE")
            let (calendar, today) = try YearRows.load(year, lock: false, on: connection)
            let plan = try decide(YearSnapshot(calendar: calendar, today: today), connection)
            do {
                // A carry has two events per entry: appended in pieces, each one INSERT within
                // PostgreSQL's 65,535 parameters a statement.
                let piece = 1_000
                try PlanWriter.apply(Plan(writes: plan.writes, events: Array(plan.events.prefix(piece))), by: caller, on: connection)
                for start in stride(from: piece, to: plan.events.count, by: piece) {
                    let events = Array(plan.events[start..<min(start + piece, plan.events.count)])
                    try PlanWriter.apply(Plan(events: events), by: caller, on: connection)
                }
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                // Another opening of the same round committed while this one decided.
                throw WorkflowError.conflict("the calendar of \(year) changed at the same moment; nothing was changed, retry")
            }
            return try Self.document(year, on: connection)
        }
    }

    static func document(_ year: Int, on connection: PostgresConnection) throws -> YearDocument {
        let today = try YearRows.date(try connection.query("SELECT \(YearRows.today) AS today").first!.decode("today"))
        var rounds: [YearDocument.Round] = []
        var windows: [RoundWindow] = []
        for row in try connection.query("""
            SELECT round, to_char(opens_on, 'YYYY-MM-DD') AS opens_on, to_char(closes_on, 'YYYY-MM-DD') AS closes_on,
                   closed_at, opened_by, opened_at, version
            FROM budget_rounds WHERE year = \(year)
            """) {
            guard let round = BudgetRound(rawValue: try row.decode("round")) else {
                throw PostgresError(kind: .decoding, message: "unknown round in budget_rounds")
            }
            let closedAt = try row.decode("closed_at", as: Timestamp?.self)
            let window = RoundWindow(
                round: round, opensOn: try YearRows.date(try row.decode("opens_on")),
                closesOn: try YearRows.date(try row.decode("closes_on")), closedEarly: closedAt != nil)
            windows.append(window)
            rounds.append(YearDocument.Round(
                round: round, opensOn: window.opensOn, closesOn: window.closesOn, closedAt: closedAt,
                state: window.state(on: today), openedBy: try row.decode("opened_by"), openedAt: try row.decode("opened_at"),
                version: try row.decode("version")))
        }
        rounds.sort { $0.round < $1.round }
        let calendar = YearCalendar(year: year, windows: windows)
        return YearDocument(
            year: year, managed: calendar.isManaged, today: today, entryRound: calendar.openEntryRound(on: today), rounds: rounds)
    }
}
