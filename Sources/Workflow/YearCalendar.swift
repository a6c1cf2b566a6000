/// Where a round's window stands on a given day.
public enum RoundState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its first day is still ahead.
    case upcoming
    /// Today is within its window and the finance bureau has not closed it.
    case open
    /// Its last day is past, or the finance bureau closed it early.
    case closed
}

/// One round's window as the finance bureau set it: dates in Asia/Shanghai, `closesOn` inclusive.
public struct RoundWindow: Sendable, Hashable {
    public var round: BudgetRound
    public var opensOn: CalendarDate
    public var closesOn: CalendarDate
    /// The finance bureau closed it (before or after its last day); it stays closed.
    public var closedEarly: Bool

    public init(round: BudgetRound, opensOn: CalendarDate, closesOn: CalendarDate, closedEarly: Bool = false) {
        self.round = round
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.closedEarly = closedEarly
    }

    public func state(on today: CalendarDate) -> RoundState {
        if closedEarly { return .closed }
        if today < opensOn { return .upcoming }
        return today > closesOn ? .closed : .open
    }

    /// `2020-09-01 – 2020-09-30`, as messages name a window.
    public var dates: String { "\(opensOn) – \(closesOn)" }
}

/// A fiscal year's calendar of rounds (二上二下): the windows the finance bureau opened.
///
/// A year without any window is **unmanaged**: it runs as before rounds existed (no windows, no
/// round on entries). Once the finance bureau opens 一上, the year is managed: units create and
/// submit entries only while 一上 or 二上 is open, and each new entry carries that round.
public struct YearCalendar: Sendable, Hashable {
    public var year: Int
    public var windows: [BudgetRound: RoundWindow]

    public init(year: Int, windows: [RoundWindow] = []) {
        self.year = year
        self.windows = Dictionary(windows.map { ($0.round, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Whether the finance bureau runs this year in rounds (any window exists).
    public var isManaged: Bool { !windows.isEmpty }

    /// The windows in round order.
    public var ordered: [RoundWindow] { BudgetRound.allCases.compactMap { windows[$0] } }

    /// The round that prepares entries and is open `today`, if any.
    public func openEntryRound(on today: CalendarDate) -> BudgetRound? {
        ordered.first { $0.round.preparesEntries && $0.state(on: today) == .open }?.round
    }

    /// Whether 二下 (the 批复 and in-year changes) has started: after it, revisions of existing
    /// entries (调剂, 追加) follow their own rules, not the preparation windows.
    public func inYearChanges(on today: CalendarDate) -> Bool {
        guard let window = windows[.secondDown] else { return false }
        return window.state(on: today) != .upcoming
    }

    /// The round a new entry of the year is created in: nil in an unmanaged year; otherwise the
    /// open 一上 or 二上, or a conflict naming why none is open.
    public func roundForNewEntry(on today: CalendarDate) throws(WorkflowError) -> BudgetRound? {
        guard isManaged else { return nil }
        if let round = openEntryRound(on: today) { return round }
        throw .conflict(closedMessage(on: today))
    }

    /// Checks that an existing entry prepared in `round` (nil: before the year was managed, which
    /// counts as 一上) may be edited or submitted `today`: in an unmanaged year always; otherwise
    /// while its round is open, or once 二下 has started (in-year changes).
    public func checkEntryChange(round: BudgetRound?, on today: CalendarDate) throws(WorkflowError) {
        guard isManaged, !inYearChanges(on: today) else { return }
        let round = round ?? .firstUp
        guard let open = openEntryRound(on: today) else { throw .conflict(closedMessage(on: today)) }
        guard open == round else {
            let window = windows[round].map { " (\($0.dates))" } ?? ""
            throw .conflict("round \(round.rawValue) of \(year)\(window) is closed; round \(open.rawValue) is open for entries")
        }
    }

    /// Why no entry round is open: the latest entry round that has started (closed), else the
    /// next one (upcoming), else none at all.
    func closedMessage(on today: CalendarDate) -> String {
        let entryWindows = ordered.filter(\.round.preparesEntries)
        if let last = entryWindows.last(where: { $0.state(on: today) == .closed }) {
            return "round \(last.round.rawValue) of \(year) is closed (\(last.dates))"
        }
        if let next = entryWindows.first(where: { $0.state(on: today) == .upcoming }) {
            return "round \(next.round.rawValue) of \(year) is not open yet (\(next.dates))"
        }
        return "no round of \(year) is open for entries"
    }
}
