import Foundation

/// The budget entry state machine (SPEC §3): one pure, exhaustive decision per request.
public enum Transition {
    /// Decides whether `request` may happen and what follows, or throws why not.
    ///
    /// The checks run in this order, and the first failing one is thrown:
    /// 1. scope — an actor that may not read the entry gets ``WorkflowError/notFound(resource:)``,
    ///    exactly as if it did not exist (so no later check can reveal it);
    /// 2. role — a role that may never do the action gets ``WorkflowError/forbidden(_:)``;
    /// 3. state — an action not possible from the current state for this role gets
    ///    ``WorkflowError/illegalTransition(state:action:)``;
    /// 4. reason — `reject` and `revise` without a non-blank reason get ``WorkflowError/reasonRequired(action:)``,
    ///    a reason breaking ``TextLimits/reason`` (too long, control characters) ``WorkflowError/invalidInput(_:details:)``;
    /// 5. rules — `submit` and `approve` with any violation get ``WorkflowError/validationFailed(_:)``.
    public static func decide(_ request: TransitionRequest) throws(WorkflowError) -> TransitionOutcome {
        let (step, givenReason) = try allowedStep(
            request.actor, request.scope, request.action, from: request.state, reason: request.reason)
        if step.needsRules, !request.violations.isEmpty {
            throw .validationFailed(request.violations)
        }
        return TransitionOutcome(
            from: request.state,
            to: step.to,
            newRevision: step.newRevision,
            supersedesPrevious: request.action == .publish,
            rulesRequired: step.needsRules,
            reason: givenReason,
            auditAction: request.action.rawValue,
            auditDescription: step.newRevision == nil
                ? "\(request.action.rawValue): \(request.state.rawValue) → \(step.to.rawValue)"
                : "\(request.action.rawValue): new draft revision of a \(request.state.rawValue) entry"
        )
    }

    /// Checks 1–4 (scope, role, state, reason), shared by every decision about one entry:
    /// the allowed step and the reason, trimmed (nil when blank).
    static func allowedStep(
        _ actor: Actor, _ scope: EntryScope, _ action: EntryAction, from state: EntryState, reason: String?
    ) throws(WorkflowError) -> (Step, reason: String?) {
        guard canRead(actor, scope) else { throw .notFound(resource: "entry") }
        let step: Step
        switch rule(for: actor.role, action, from: state) {
        case .forbidden: throw .forbidden("role \(actor.role.rawValue) may not \(action.rawValue) entries")
        case .illegal: throw .illegalTransition(state: state, action: action)
        case .allowed(let allowed): step = allowed
        }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = (trimmed?.isEmpty ?? true) ? nil : trimmed
        if step.needsReason, reason == nil { throw .reasonRequired(action: action.rawValue) }
        if let reason { try TextLimits.check(reason, field: "reason", TextLimits.reason) }
        return (step, reason)
    }

    /// Whether `actor` may see an entry with `scope`: officers their unit's, department reviewers
    /// their department's units', finance reviewers and auditors all, admins none.
    public static func canRead(_ actor: Actor, _ scope: EntryScope) -> Bool {
        actor.readScope.contains(scope)
    }
}
