import Foundation

/// One draft of a batch, with where it came from (a BLP line or a JSON index) for error reports.
public struct DraftLine: Sendable, Hashable {
    public var draft: EntryDraft
    public var line: Int?

    public init(draft: EntryDraft, line: Int? = nil) {
        self.draft = draft
        self.line = line
    }
}

/// The current revision of a code in a year: what creating or replacing a draft of that code
/// must know of it.
public struct CurrentRevision: Sendable, Hashable {
    public var id: UUID
    public var unitCode: String
    public var state: EntryState
    public var revision: Int
    public var version: Int
    /// The stored content: needed (and loaded) only for the saving unit's drafts, which a batch replaces.
    public var content: EntryDraft?
    /// The round it was prepared in (nil in a year run without rounds).
    public var round: BudgetRound?

    public init(
        id: UUID, unitCode: String, state: EntryState, revision: Int, version: Int, content: EntryDraft? = nil,
        round: BudgetRound? = nil
    ) {
        self.round = round
        self.id = id
        self.unitCode = unitCode
        self.state = state
        self.revision = revision
        self.version = version
        self.content = content
    }
}

/// What saving one draft did.
public struct SavedDraft: Sendable, Hashable {
    public var line: Int?
    public var entry: BudgetEntry
    public var created: Bool
    /// In a managed year, the unit's control-figure cells the draft would push past: saved all
    /// the same, but its submit will be refused (V7) unless something changes.
    public var warnings: [ControlOvershoot]

    public init(line: Int?, entry: BudgetEntry, created: Bool, warnings: [ControlOvershoot] = []) {
        self.line = line
        self.entry = entry
        self.created = created
        self.warnings = warnings
    }
}

/// Creating drafts of a unit-year, or replacing the unit's drafts of the same codes, all or
/// nothing (新建/替换草稿).
///
/// Its snapshot: the unit's scope, then the current revision of each code of the batch in the
/// year. Codes are unique per year across all units; a code whose current revision is not a
/// draft is refused (revise it first); another unit's code is reported as taken, unnamed.
///
/// In a year run in rounds (``YearCalendar/isManaged``) drafts are saved only while 一上 or 二上
/// is open (else a conflict naming the round and its dates), and new entries carry that round.
/// Once 二下 has started, existing drafts (revisions: 调剂, 追加) may still be saved, new codes not.
public struct SaveDraftsCommand: Sendable {
    public let actor: Actor
    public let scope: EntryScope
    public let year: Int
    /// The round new entries are prepared in; nil in an unmanaged year (and after 二上).
    public let newEntryRound: BudgetRound?
    /// False once the year's entry rounds are over (二下 started): only existing drafts are saved.
    public let acceptsNewCodes: Bool

    /// Who may save drafts where: `year` is a fiscal year; the unit exists (`scope` is nil when
    /// it does not) and is the actor's to see, or it is `notFound`; only its officer writes; in
    /// a managed year, `calendar` has an entry round open `today` (or 二下 has started).
    public init(
        actor: Actor, unit: String, scope: EntryScope?, year: Int, calendar: YearCalendar? = nil, today: CalendarDate? = nil
    ) throws(WorkflowError) {
        try Validator.checkYear(year)
        guard let scope, scope.unitCode == unit, Transition.canRead(actor, scope) else {
            throw .notFound(resource: "unit")
        }
        guard actor.role == .officer else { throw .forbidden("only a unit's officer creates or edits entries") }
        self.actor = actor
        self.scope = scope
        self.year = year
        if let calendar, let today, calendar.isManaged {
            if let open = calendar.openEntryRound(on: today) {
                newEntryRound = open
                acceptsNewCodes = true
            } else if calendar.inYearChanges(on: today) {
                newEntryRound = nil
                acceptsNewCodes = false
            } else {
                throw .conflict(calendar.closedMessage(on: today))
            }
        } else {
            newEntryRound = nil
            acceptsNewCodes = true
        }
    }

    /// The drafts' own problems, found as a batch arrives piece by piece: the storage rule
    /// (``Validator/storageViolations(_:)``) and codes repeated in the batch. Needs no snapshot.
    public struct Checker: Sendable {
        /// Every problem so far, in batch order.
        public private(set) var problems: [ErrorDetail] = []
        private var seenCodes: [String: Int] = [:]
        private var count = 0

        public init() {}

        /// `lines` with their line numbers filled in (the position in the batch when a draft has
        /// none), after recording their problems.
        public mutating func check(_ lines: [DraftLine]) -> [DraftLine] {
            var checked = lines
            for index in checked.indices {
                count += 1
                let line = checked[index].line ?? count
                checked[index].line = line
                let draft = checked[index].draft
                if let previous = seenCodes[draft.code] {
                    problems.append(ErrorDetail(line: line, field: "code", rule: .v6,
                        message: "code \(draft.code) appears twice in this batch (first at \(previous))"))
                } else {
                    seenCodes[draft.code] = line
                }
                for violation in Validator.storageViolations(draft) {
                    problems.append(ErrorDetail(line: line, field: violation.field, rule: violation.rule, message: violation.message))
                }
            }
            return checked
        }
    }

    /// What saving checked `lines` does, given the current revisions of their codes in the year
    /// (a code absent from `current` is new): inserts with `create` events, replacements with
    /// `edit` events, and the codes that cannot be saved.
    public struct Decision: Sendable {
        public var plan = Plan()
        public var saved: [SavedDraft] = []
        /// Codes taken by another unit or past the draft state, by line.
        public var problems: [ErrorDetail] = []
    }

    public func decide(_ lines: [DraftLine], current: [String: CurrentRevision], newID: () -> UUID = UUID.init) -> Decision {
        var decision = Decision()
        decision.plan.writes.reserveCapacity(lines.count)
        decision.plan.events.reserveCapacity(lines.count)
        decision.saved.reserveCapacity(lines.count)
        for input in lines {
            let draft = input.draft
            let chain = PlannedEvent.entryChain(year: year, code: draft.code)
            guard let existing = current[draft.code] else {
                guard acceptsNewCodes else {
                    decision.problems.append(ErrorDetail(line: input.line, field: "code",
                        message: "no round of \(year) is open for new entries; only drafts of existing entries can be saved"))
                    continue
                }
                let id = newID()
                decision.plan.writes.append(.insertEntry(NewEntry(
                    id: id, year: year, unitCode: scope.unitCode, departmentCode: scope.departmentCode, content: draft,
                    round: newEntryRound)))
                var changes = draft.auditSummary
                changes["round"] = newEntryRound?.rawValue
                decision.plan.events.append(PlannedEvent(
                    chain: chain, action: "create", entryID: id, revision: 1, toState: EntryState.draft.rawValue,
                    changes: changes))
                decision.saved.append(SavedDraft(line: input.line, entry: BudgetEntry(
                    id: id, year: year, unitCode: scope.unitCode, departmentCode: scope.departmentCode, content: draft,
                    round: newEntryRound), created: true))
                continue
            }
            guard existing.unitCode == scope.unitCode else {
                // Another unit's entry is out of scope: answered as any taken code, nothing more.
                decision.problems.append(ErrorDetail(line: input.line, field: "code", rule: .v6, message: Validator.codeTakenMessage))
                continue
            }
            guard existing.state == .draft, let before = existing.content else {
                decision.problems.append(ErrorDetail(line: input.line, field: "code",
                    message: "entry \(draft.code) is \(existing.state.rawValue); only a draft can be replaced (revise it to change it)"))
                continue
            }
            if acceptsNewCodes, let open = newEntryRound, (existing.round ?? .firstUp) != open {
                decision.problems.append(ErrorDetail(line: input.line, field: "code",
                    message: "entry \(draft.code) was prepared in round \((existing.round ?? .firstUp).rawValue); round \(open.rawValue) is open"))
                continue
            }
            decision.plan.writes.append(.replaceDraftContent(id: existing.id, content: draft, fromVersion: existing.version))
            decision.plan.events.append(PlannedEvent(
                chain: chain, action: "edit", entryID: existing.id, revision: existing.revision,
                fromState: existing.state.rawValue, toState: existing.state.rawValue, changes: before.auditChanges(to: draft)))
            decision.saved.append(SavedDraft(line: input.line, entry: BudgetEntry(
                id: existing.id, year: year, unitCode: scope.unitCode, departmentCode: scope.departmentCode,
                revision: existing.revision, version: existing.version + 1, state: existing.state, content: draft,
                round: existing.round), created: false))
        }
        return decision
    }

    /// A batch's verdict once every piece was checked and decided: nothing is stored unless
    /// there is no problem; the drafts' own problems are reported before the codes'.
    public static func verdict(checked: [ErrorDetail], decided: [ErrorDetail]) throws(WorkflowError) {
        if !checked.isEmpty {
            throw .invalidInput("the batch has \(checked.count) error(s); nothing was stored", details: checked)
        }
        if !decided.isEmpty {
            throw .invalidInput("the batch has \(decided.count) error(s); nothing was stored", details: decided)
        }
    }

    /// The whole command at once (a batch already decoded): check, decide, verdict.
    public func run(_ lines: [DraftLine], current: [String: CurrentRevision], newID: () -> UUID = UUID.init) throws(WorkflowError) -> Decision {
        var checker = Checker()
        let checked = checker.check(lines)
        let decision = decide(checked, current: current, newID: newID)
        try Self.verdict(checked: checker.problems, decided: decision.problems)
        return decision
    }
}

/// Replacing one draft by id (PUT with If-Match): the entry as stored (nil when it does not
/// exist) is its snapshot.
public enum ReplaceDraftCommand {
    /// `claimed` is what the request says about where the entry is (a `unit=` or `year=` sent
    /// along): any disagreement with the stored entry refuses the change.
    public static func decide(
        actor: Actor, entry: BudgetEntry?, with draft: EntryDraft, expectedVersion: Int, claimed: ClaimedPlace = .init(),
        calendar: YearCalendar? = nil, today: CalendarDate? = nil
    ) throws(WorkflowError) -> (plan: Plan, entry: BudgetEntry) {
        guard let entry, Transition.canRead(actor, entry.scope) else { throw .notFound(resource: "entry") }
        guard actor.role == .officer else { throw .forbidden("only a unit's officer edits entries") }
        let disagreements = claimed.disagreements(unit: entry.unitCode, year: entry.year, what: "the entry's")
        if let first = disagreements.first { throw .invalidInput(first.message, details: disagreements) }
        guard entry.version == expectedVersion else { throw .staleVersion(expected: expectedVersion, actual: entry.version) }
        guard entry.state == .draft else {
            throw .conflict("entry \(entry.content.code) is \(entry.state.rawValue); only a draft can be edited")
        }
        if let calendar, let today { try calendar.checkEntryChange(round: entry.round, on: today) }
        guard draft.code == entry.content.code else {
            throw .invalidInput("the code of an entry cannot change (\(entry.content.code) → \(draft.code))",
                details: [ErrorDetail(field: "code", message: "must stay \(entry.content.code)")])
        }
        let violations = Validator.storageViolations(draft)
        if !violations.isEmpty {
            throw .invalidInput("the entry is invalid; nothing was stored",
                details: violations.map { ErrorDetail(field: $0.field, rule: $0.rule, message: $0.message) })
        }
        let plan = Plan(
            writes: [.replaceDraftContent(id: entry.id, content: draft, fromVersion: entry.version)],
            events: [PlannedEvent(
                chain: PlannedEvent.entryChain(year: entry.year, code: entry.content.code), action: "edit", entryID: entry.id,
                revision: entry.revision, fromState: entry.state.rawValue, toState: entry.state.rawValue,
                changes: entry.content.auditChanges(to: draft))])
        var after = entry
        after.content = draft
        after.version = entry.version + 1
        return (plan, after)
    }
}
