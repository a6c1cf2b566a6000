/// SPEC §3 written as data: who may do what from where.
extension Transition {
    /// What an allowed action does.
    struct Step: Hashable {
        var to: EntryState
        var newRevision: EntryState? = nil
        var needsReason = false
        var needsRules = false
        /// Whether the rules include V7, the unit-year's control figure (控制数): only the
        /// finance bureau's approval.
        var checksControlFigure = false
        /// In a managed year (one with rounds), the control-figure sheets whose every cell the
        /// step checks (V7): the unit's at submit, the department's at its approval, both at the
        /// finance bureau's. An unmanaged year checks only `checksControlFigure`, as before rounds.
        var figures: Set<ControlLevel> = []
    }

    /// The verdict for one role × action × state.
    enum Rule: Hashable {
        /// The role may never do the action, whatever the state.
        case forbidden
        /// The role may do the action, but not from this state.
        case illegal
        case allowed(Step)
    }

    /// SPEC §3 as one exhaustive switch: adding a role, an action or a state does not compile
    /// until every combination has been decided here.
    static func rule(for role: Role, _ action: EntryAction, from state: EntryState) -> Rule {
        switch role {
        case .auditor, .admin:
            return .forbidden
        case .officer:
            switch action {
            case .approve, .reject, .publish:
                return .forbidden
            case .submit:
                switch state {
                case .draft: return .allowed(Step(to: .departmentReview, needsRules: true, figures: [.unit]))
                case .departmentReview, .financeReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .withdraw:
                switch state {
                case .departmentReview: return .allowed(Step(to: .draft))
                case .draft, .financeReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .discard:
                switch state {
                case .draft: return .allowed(Step(to: .discarded))
                case .departmentReview, .financeReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .revise:
                switch state {
                // The old revision stays in force until the new one is published.
                case .approved, .published: return .allowed(Step(to: state, newRevision: .draft, needsReason: true))
                case .draft, .departmentReview, .financeReview, .discarded, .superseded: return .illegal
                }
            }
        case .departmentReviewer:
            switch action {
            case .submit, .withdraw, .publish, .discard, .revise:
                return .forbidden
            case .approve:
                switch state {
                case .departmentReview: return .allowed(Step(to: .financeReview, needsRules: true, figures: [.department]))
                case .draft, .financeReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .reject:
                switch state {
                case .departmentReview: return .allowed(Step(to: .draft, needsReason: true))
                case .draft, .financeReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            }
        case .financeReviewer:
            switch action {
            case .submit, .withdraw, .discard, .revise:
                return .forbidden
            case .approve:
                switch state {
                case .financeReview:
                    return .allowed(Step(to: .approved, needsRules: true, checksControlFigure: true, figures: [.unit, .department]))
                case .draft, .departmentReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .reject:
                switch state {
                case .financeReview: return .allowed(Step(to: .draft, needsReason: true))
                case .draft, .departmentReview, .approved, .published, .discarded, .superseded: return .illegal
                }
            case .publish:
                switch state {
                case .approved: return .allowed(Step(to: .published))
                case .draft, .departmentReview, .financeReview, .published, .discarded, .superseded: return .illegal
                }
            }
        }
    }
}
