import Foundation

/// What a command decided: the rows to write and the audit events to append, in order.
///
/// Workflow decides (a pure function of the caller and the snapshot the command declared);
/// Persistence applies a plan through one writer and one audit appender, in one transaction.
/// A plan says *what* changes, never *how* it is stored.
public struct Plan: Sendable, Hashable {
    public var writes: [PlannedWrite]
    public var events: [PlannedEvent]

    public init(writes: [PlannedWrite] = [], events: [PlannedEvent] = []) {
        self.writes = writes
        self.events = events
    }

    public static func + (a: Plan, b: Plan) -> Plan {
        Plan(writes: a.writes + b.writes, events: a.events + b.events)
    }
}

/// One row change of a plan. Each command adds the cases it needs; the writer in Persistence
/// has one exhaustive switch over them.
public enum PlannedWrite: Sendable, Hashable {
    /// An entry moves to `to` (its version increases; `approved_at`/`published_at` are stamped
    /// when it reaches approved/published).
    case setEntryState(id: UUID, to: EntryState)
    /// A new revision of an entry, stored as `entry` says (its id, revision, state, content and
    /// the revision it supersedes), with the reason it was opened.
    case insertRevision(BudgetEntry, reason: String?)

    // MARK: Drafts, waivers and control figures (SaveDraftsCommand, ReplaceDraftCommand,
    // WaiveCommand, SetControlFigureCommand)

    /// A new entry row with its children (a first revision, or a revision of a stored one).
    case insertEntry(NewEntry)
    /// A draft's content and children replaced; its version goes from `fromVersion` to the next
    /// (the row is locked, so nothing else moved it).
    case replaceDraftContent(id: UUID, content: EntryDraft, fromVersion: Int)
    /// A waiver of `rule` for one entry revision, granted by the caller, with its reason; the
    /// entry's version increases (a waiver changes what its next action decides).
    case grantWaiver(entryID: UUID, rule: RuleCode, reason: String)
    /// A unit-year's control figure set or changed by the caller.
    case setControlFigure(unit: String, year: Int, amount: Money)

    // MARK: The rounds calendar (OpenRoundCommand, ExtendRoundCommand, CloseRoundCommand)

    /// A round's window added to the year's calendar, opened by the caller.
    case openRound(year: Int, round: BudgetRound, opensOn: CalendarDate, closesOn: CalendarDate)
    /// A round's last day moved (its version increases).
    case extendRound(year: Int, round: BudgetRound, closesOn: CalendarDate)
    /// A round closed now (`closed_at`), whatever its dates say.
    case closeRound(year: Int, round: BudgetRound)
    /// The listed 一上 entry revisions' figures frozen as stage 一上 (round_figures), in SQL.
    case freezeFirstUpFigures(year: Int, entries: [UUID])
    /// Each listed 一上 revision superseded and copied, children too, into a new draft revision of
    /// round 二上, in SQL.
    case carryIntoSecondUp(year: Int, entries: [CarriedEntry])
    /// Control-figure cells of a department-year (`unit` nil) or of one of its units, set or
    /// changed by the caller (SetDepartmentFiguresCommand, AllocateUnitFiguresCommand).
    case setControlCells(year: Int, department: String, unit: String?, cells: [ControlCell: Money])
    // MARK: The 批复 and what follows it (ApproveBudgetCommand, ApproveUnitsCommand, revise)

    /// The finance bureau's 批复 of a department-year, by the caller.
    case recordBudgetApproval(department: String, year: Int, number: String, congressDate: CalendarDate)
    /// The figures of these entry revisions frozen as the year's 批复 figures (round_figures, stage 批复).
    case freezeApprovedFigures(year: Int, entryIDs: [UUID])
    /// The department's 批复 to its units, by the caller.
    case recordUnitsApproval(department: String, year: Int, number: String?)
    /// A new revision opened after the 批复 is a 调剂 or a 追加 (written once, with the revision).
    case recordAdjustmentKind(entryID: UUID, kind: AdjustmentKind)

    // MARK: Organizations and users (AddOrganizationCommand, AddUserCommand, RevokeUserCommand)

    /// A new department or unit.
    case insertOrganization(Organization)
    /// A new, active user.
    case insertUser(name: String, role: Role, org: String?)
    /// A bearer token of `user`, stored as its SHA-256 only; nil `expiresAt`: it never expires.
    case issueToken(user: String, sha256: [UInt8], expiresAt: Date?)
    /// A user and all its tokens revoked (already revoked ones keep their time).
    case revokeUser(name: String)

    // MARK: Disclosure inputs and publication (SaveDisclosureInputsCommand, PublishCommand)

    /// A baseline figure of a department-year's disclosure inputs set by the caller.
    case setDisclosureBaseline(department: String, year: Int, metric: String, amount: Money)
    /// A narrative section of a department-year's disclosure inputs set by the caller.
    case setDisclosureNarrative(department: String, year: Int, section: String, text: String)
    /// A publication of a department-year by the caller (its id the next of the sequence), with
    /// the disclosure inputs it freezes: the public disclosure shows them until the next one.
    case recordPublication(department: String, year: Int, entryCount: Int, overrideReason: String?, frozen: BLPEntryMapping.DisclosureInputs)
}

/// One audit event to append. Chain position, time, hashes and signature are the appender's.
public struct PlannedEvent: Sendable, Hashable {
    public var chain: String
    public var action: String
    public var entryID: UUID?
    public var revision: Int?
    public var fromState: String?
    public var toState: String?
    public var reason: String?
    public var changes: [String: String]

    public init(
        chain: String, action: String, entryID: UUID? = nil, revision: Int? = nil, fromState: String? = nil,
        toState: String? = nil, reason: String? = nil, changes: [String: String] = [:]
    ) {
        self.chain = chain
        self.action = action
        self.entryID = entryID
        self.revision = revision
        self.fromState = fromState
        self.toState = toState
        self.reason = reason
        self.changes = changes
    }

    /// The chain of an entry: all revisions of one code in one year.
    public static func entryChain(year: Int, code: String) -> String { "entry:\(year):\(code)" }
}
