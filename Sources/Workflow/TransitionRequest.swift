/// Everything ``Transition/decide(_:)`` needs: the entry's position and scope, who asks, and
/// what still stands in the way.
public struct TransitionRequest: Sendable, Hashable {
    /// The current state of the revision acted on.
    public var state: EntryState
    /// What the actor asks for.
    public var action: EntryAction
    /// Who asks.
    public var actor: Actor
    /// The unit and department the entry belongs to.
    public var scope: EntryScope
    /// The reason given by the actor, if any; trimmed before use.
    public var reason: String?
    /// The violations that still apply: computed by ``Validator`` with waived rules already
    /// removed (and V7 checked only at the finance bureau's approval).
    public var violations: [Violation]

    /// A request; no reason and no violations by default.
    public init(
        state: EntryState, action: EntryAction, actor: Actor, scope: EntryScope,
        reason: String? = nil, violations: [Violation] = []
    ) {
        self.state = state
        self.action = action
        self.actor = actor
        self.scope = scope
        self.reason = reason
        self.violations = violations
    }
}

/// What the caller must do after an allowed transition: the caller (persistence) performs it,
/// with the audit record, in one database transaction.
public struct TransitionOutcome: Sendable, Hashable {
    /// The state before.
    public var from: EntryState
    /// The next state of the revision acted on (for `revise`, unchanged).
    public var to: EntryState
    /// For `revise`: the state of the new revision to create (`.draft`); otherwise `nil`.
    public var newRevision: EntryState?
    /// For `publish`: the revision named by ``BudgetEntry/supersedes``, if any, must become
    /// `.superseded` in the same transaction.
    public var supersedesPrevious: Bool
    /// Whether the validation rules had to pass (and did).
    public var rulesRequired: Bool
    /// The reason, trimmed; `nil` when none or blank.
    public var reason: String?
    /// The audit action, e.g. `"submit"`.
    public var auditAction: String
    /// A human description for the audit log, e.g. `"submit: draft → department_review"`.
    public var auditDescription: String
}
