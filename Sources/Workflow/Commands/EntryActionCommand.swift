import Foundation

/// An action on one entry (submit, withdraw, approve, reject, discard, revise) as a command:
/// a pure decision over the caller and an ``EntryActionSnapshot``, returning a ``Plan``.
///
/// The checks run in this order, and the first failing one is thrown (`publish` is refused
/// before all: it applies to a department-year):
/// 1. scope — an actor that may not read the entry gets ``WorkflowError/notFound(resource:)``,
///    exactly as if it did not exist (so no later check can reveal it);
/// 2. role — a role that may never do the action gets ``WorkflowError/forbidden(_:)``;
/// 3. state — an action not possible from the current state gets ``WorkflowError/illegalTransition(state:action:)``;
/// 4. reason — `reject` and `revise` need a non-blank reason within ``TextLimits/reason``;
/// 5. version — a stale `expectedVersion` (If-Match) gets ``WorkflowError/staleVersion(expected:actual:)``;
///    then, for `submit` in a year run in rounds, the window: outside an open 一上/二上 (or the
///    entry's own round) gets ``WorkflowError/conflict(_:)`` naming the round and its dates;
/// 6. kind — after the department-year's 批复 a `revise` needs ``adjustment`` (调剂 or 追加), and
///    before it takes none (``WorkflowError/invalidInput(_:details:)`` naming `kind`);
/// 7. rules — `submit` and `approve` with any violation (waivers removed; V7: in a year with
///    rounds every control-figure cell the step checks, see ``ControlFigureStanding``; otherwise the
///    unit's total at the finance bureau's approval) get ``WorkflowError/validationFailed(_:)``; a
///    `revise` while another revision is being worked on gets ``WorkflowError/conflict(_:)``; the
///    finance bureau's approval of a 调剂 revision that would take the unit past its 批复 total is refused.
public struct EntryActionCommand: Sendable, Hashable {
    public var action: EntryAction
    public var entryID: UUID
    public var reason: String?
    /// The version the caller saw (If-Match); nil: any.
    public var expectedVersion: Int?
    /// The id a `revise` gives the new revision (chosen by the caller, so the decision stays pure).
    public var newRevisionID: UUID
    /// For a `revise` after the 批复: 调剂 or 追加.
    public var adjustment: AdjustmentKind?

    public init(
        _ action: EntryAction, on entryID: UUID, reason: String? = nil, expectedVersion: Int? = nil,
        newRevisionID: UUID = UUID(), adjustment: AdjustmentKind? = nil
    ) {
        self.action = action
        self.entryID = entryID
        self.reason = reason
        self.expectedVersion = expectedVersion
        self.newRevisionID = newRevisionID
        self.adjustment = adjustment
    }

    /// The parts of the snapshot beyond the entry that a step reads.
    public struct Needs: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// In an unmanaged year, the unit-year's control figure and the amount already
        /// committed against it (V7).
        public static let controlFigure = Needs(rawValue: 1 << 0)
        /// The other approved revision of the code, which this step supersedes.
        public static let approvedRevision = Needs(rawValue: 1 << 1)
        /// In a managed year, the unit's control-figure cells and their usage (V7).
        public static let unitFigures = Needs(rawValue: 1 << 2)
        /// In a managed year, the department's control-figure cells and their usage (V7).
        public static let departmentFigures = Needs(rawValue: 1 << 3)
    }

    /// What the step from `state` reads, for `actor`; nothing when the step is refused.
    public func needs(by actor: Actor, from state: EntryState) -> Needs {
        guard case .allowed(let step) = Transition.rule(for: actor.role, action, from: state) else { return [] }
        var needs: Needs = []
        if step.needsRules, step.checksControlFigure { needs.insert(.controlFigure) }
        if step.needsRules, step.figures.contains(.unit) { needs.insert(.unitFigures) }
        if step.needsRules, step.figures.contains(.department) { needs.insert(.departmentFigures) }
        if step.newRevision == nil, step.to == .approved { needs.insert(.approvedRevision) }
        return needs
    }

    /// The states from which the step reads `need`: a loader that reads the state in the same
    /// statement filters by these.
    public func states(needing need: Needs, by actor: Actor) -> [EntryState] {
        EntryState.allCases.filter { needs(by: actor, from: $0).contains(need) }
    }

    /// Decides the action, or throws why not.
    public func decide(_ actor: Actor, _ snapshot: EntryActionSnapshot) throws(WorkflowError) -> EntryActionDecision {
        guard action != .publish else {
            throw .invalidInput("publish applies to a department-year, not to one entry")
        }
        let entry = snapshot.entry
        let (step, reason) = try Transition.allowedStep(actor, entry.scope, action, from: entry.state, reason: reason)
        if let expectedVersion, expectedVersion != entry.version {
            throw .staleVersion(expected: expectedVersion, actual: entry.version)
        }
        if action == .submit, let calendar = snapshot.calendar, let today = snapshot.today {
            try calendar.checkEntryChange(round: entry.round, on: today)
        }
        try checkAdjustment(snapshot)
        if step.needsRules {
            var context = ValidationContext(waived: snapshot.waived)
            var overshoots: [Violation] = []
            switch snapshot.controlFigure {
            case .unmanaged(let ceiling, let committed)? where step.checksControlFigure:
                context.controlFigure = ceiling
                context.committed = committed
                context.checkControlFigure = true
            case .managed(var check)? where !snapshot.waived.contains(.v7):
                if !step.figures.contains(.unit) { check.unit = nil }
                if !step.figures.contains(.department) { check.department = nil }
                overshoots = check.overshoots(adding: entry.content).map(\.violation)
            case .unmanaged?, .managed?, nil:
                break
            }
            let violations = Validator.validate(entry.content, context: context) + overshoots
            if !violations.isEmpty { throw .validationFailed(violations) }
        }
        if step.to == .approved, snapshot.entryAdjustment == .transfer, let standing = snapshot.approvedTotal {
            try standing.check(entry)
        }
        let chain = PlannedEvent.entryChain(year: entry.year, code: entry.content.code)

        if let newState = step.newRevision {
            guard !snapshot.otherOpenRevision else {
                throw .conflict("entry \(entry.content.code) already has a revision being worked on")
            }
            let revision = snapshot.latestRevision + 1
            var created = entry
            created.id = newRevisionID
            created.revision = revision
            created.version = 1
            created.state = newState
            created.supersedes = entry.id
            var changes = ["revises": entry.id.uuidString.lowercased(), "revision": String(revision)]
            var writes: [PlannedWrite] = [.insertRevision(created, reason: reason)]
            if let adjustment {
                changes["kind"] = adjustment.rawValue
                writes.append(.recordAdjustmentKind(entryID: created.id, kind: adjustment))
            }
            let event = PlannedEvent(
                chain: chain, action: action.rawValue, entryID: created.id, revision: revision,
                fromState: entry.state.rawValue, toState: newState.rawValue, reason: reason, changes: changes)
            return EntryActionDecision(plan: Plan(writes: writes, events: [event]), entry: entry, newRevision: created)
        }

        var plan = Plan()
        // An older revision approved but never published is replaced by this approval.
        if step.to == .approved, let older = snapshot.approvedRevision {
            plan.writes.append(.setEntryState(id: older.id, to: .superseded))
            plan.events.append(PlannedEvent(
                chain: chain, action: "supersede", entryID: older.id, revision: older.revision,
                fromState: EntryState.approved.rawValue, toState: EntryState.superseded.rawValue,
                changes: ["superseded_by": entry.id.uuidString.lowercased()]))
        }
        plan.writes.append(.setEntryState(id: entry.id, to: step.to))
        plan.events.append(PlannedEvent(
            chain: chain, action: action.rawValue, entryID: entry.id, revision: entry.revision,
            fromState: entry.state.rawValue, toState: step.to.rawValue, reason: reason))
        var after = entry
        after.state = step.to
        after.version = entry.version + 1  // the row is locked: its next version is this one
        return EntryActionDecision(plan: plan, entry: after, newRevision: nil)
    }
}

extension EntryActionCommand {
    /// After the 批复 a new revision is a 调剂 or a 追加 and must say which; before it, neither.
    func checkAdjustment(_ snapshot: EntryActionSnapshot) throws(WorkflowError) {
        guard action == .revise else {
            if adjustment != nil {
                throw .invalidInput("kind (调剂 or 追加) goes with revise only", details: [ErrorDetail(field: "kind", message: "not for \(action.rawValue)")])
            }
            return
        }
        let code = snapshot.entry.content.code
        if snapshot.budgetApproved, adjustment == nil {
            throw .invalidInput(
                "entry \(code) is part of its department's 批复 for \(snapshot.entry.year): a revision is a 调剂 (within the unit's total) or a 追加; give kind",
                details: [ErrorDetail(field: "kind", message: "required after the 批复: 调剂 or 追加")])
        }
        if !snapshot.budgetApproved, let adjustment {
            throw .invalidInput(
                "kind \(adjustment.rawValue) applies after the department's 批复, which \(code)'s department-year has not had",
                details: [ErrorDetail(field: "kind", message: "no 批复 yet")])
        }
    }
}

/// A unit's 批复 total and what its other codes hold in force (approved or published, each code
/// once at its latest such revision): a 调剂 moves money within the total, so their sum with the
/// approved revision may not exceed it.
public struct ApprovedTotalStanding: Sendable, Hashable {
    public var approvedTotal: Money
    public var othersInForce: Money
    public init(approvedTotal: Money, othersInForce: Money) {
        self.approvedTotal = approvedTotal
        self.othersInForce = othersInForce
    }

    func check(_ entry: BudgetEntry) throws(WorkflowError) {
        guard let after = try? othersInForce.adding(entry.content.amount) else {
            throw .conflict("the unit's amounts add up beyond range")
        }
        guard after > approvedTotal else { return }
        let over = (try? after.subtracting(approvedTotal))?.description ?? "?"
        throw .batchFailed(
            "a 调剂 keeps unit \(entry.unitCode) within its 批复 total \(approvedTotal): with \(entry.content.code) at \(entry.content.amount) it would be \(after), \(over) over; a raise is a 追加",
            details: [ErrorDetail(field: "amount", message: "exceeds the unit's 批复 total \(approvedTotal) by \(over)")],
            category: .validation)
    }
}

/// What ``EntryActionCommand/decide(_:_:)`` reads, loaded (and locked) by the caller in one go.
public struct EntryActionSnapshot: Sendable, Hashable {
    /// The entry with its children, as it stands (locked).
    public var entry: BudgetEntry
    /// Rules the finance bureau waived for this entry (豁免).
    public var waived: Set<RuleCode>
    /// The control figures the step checks and what is used against them; nil when none is set
    /// (or the step reads none, see ``EntryActionCommand/Needs``).
    public var controlFigure: ControlFigureStanding?
    /// The highest revision number of the entry's code in its year.
    public var latestRevision: Int
    /// Whether another revision of the code is in draft or review.
    public var otherOpenRevision: Bool
    /// Another revision of the code that is approved (read when the step approves).
    public var approvedRevision: RevisionReference?
    /// The year's calendar of rounds and today (Asia/Shanghai), read for `submit`: in a managed
    /// year an entry is submitted only within its round's window. Nil: not read (no check).
    public var calendar: YearCalendar?
    public var today: CalendarDate?
    /// Whether the entry's department-year has its 批复.
    public var budgetApproved: Bool = false
    /// What this revision is, when it was opened after the 批复.
    public var entryAdjustment: AdjustmentKind?
    /// For the finance approval of a 调剂: the unit's 批复 total and its other codes in force.
    public var approvedTotal: ApprovedTotalStanding?

    /// The states of a revision being worked on: at most one per code (a `revise` needs none).
    public static let openStates: [EntryState] = [.draft, .departmentReview, .financeReview]

    public init(
        entry: BudgetEntry, waived: Set<RuleCode> = [], controlFigure: ControlFigureStanding? = nil,
        latestRevision: Int? = nil, otherOpenRevision: Bool = false, approvedRevision: RevisionReference? = nil,
        calendar: YearCalendar? = nil, today: CalendarDate? = nil
    ) {
        self.entry = entry
        self.waived = waived
        self.controlFigure = controlFigure
        self.latestRevision = latestRevision ?? entry.revision
        self.otherOpenRevision = otherOpenRevision
        self.approvedRevision = approvedRevision
        self.calendar = calendar
        self.today = today
    }
}

/// The control figures (控制数) an entry action checks, and what is used against them.
public enum ControlFigureStanding: Sendable, Hashable {
    /// A year without rounds, as before rounds existed: the unit-year's total ceiling, and the
    /// amount of its other codes' approved or published entries (each code once, at its latest
    /// such revision); checked at the finance bureau's approval only.
    case unmanaged(ceiling: Money, committed: Money)
    /// A year with rounds: the unit's and the department's cells, with the usage of the other
    /// codes in review, approved or published; checked at submit (the unit's), the department's
    /// approval (the department's) and the finance bureau's (both).
    case managed(ControlCheck)
}

/// One revision of an entry, by id.
public struct RevisionReference: Sendable, Hashable {
    public var id: UUID
    public var revision: Int
    public init(id: UUID, revision: Int) {
        self.id = id
        self.revision = revision
    }
}

/// What an entry action decided: the plan, and what the caller replies once it is applied.
public struct EntryActionDecision: Sendable, Hashable {
    public var plan: Plan
    /// The entry after the plan is applied (for `revise`, unchanged).
    public var entry: BudgetEntry
    /// For `revise`: the new draft revision.
    public var newRevision: BudgetEntry?
}
