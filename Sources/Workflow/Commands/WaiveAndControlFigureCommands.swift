import Foundation

/// Waiving one rule for one entry revision, with a reason (豁免): the finance bureau's decision.
///
/// Its snapshot: the entry (nil when it does not exist) and the rules already waived for it.
public struct WaiveCommand: Sendable {
    public let actor: Actor
    public let rule: RuleCode
    /// The reason, trimmed.
    public let reason: String

    /// What can be decided before anything is read: the role and the reason.
    public init(actor: Actor, rule: RuleCode, reason: String) throws(WorkflowError) {
        try Permission.require(actor.role, .waive)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .reasonRequired(action: "waive") }
        try TextLimits.check(reason, field: "reason", TextLimits.reason)
        self.actor = actor
        self.rule = rule
        self.reason = reason
    }

    /// The waiver and its audit event; a finished entry (superseded, discarded) takes
    /// no waiver, and a rule is waived once.
    public func decide(entry: BudgetEntry?, waived: Set<RuleCode>) throws(WorkflowError) -> Plan {
        guard let entry, Transition.canRead(actor, entry.scope) else { throw .notFound(resource: "entry") }
        guard !entry.state.isTerminal else {
            throw .conflict("entry \(entry.content.code) is \(entry.state.rawValue); waivers apply to entries still in review")
        }
        guard !waived.contains(rule) else {
            throw .conflict("rule \(rule.rawValue) is already waived for entry \(entry.content.code)")
        }
        return Plan(
            writes: [.grantWaiver(entryID: entry.id, rule: rule, reason: reason)],
            events: [PlannedEvent(
                chain: PlannedEvent.entryChain(year: entry.year, code: entry.content.code), action: "waive", entryID: entry.id,
                revision: entry.revision, fromState: entry.state.rawValue, toState: entry.state.rawValue, reason: reason,
                changes: ["rule": rule.rawValue])])
    }
}

/// Setting (or changing) the ceiling of a unit-year (控制数): the finance bureau's decision.
///
/// Its snapshot: the unit's scope (nil when the unit does not exist) and the current figure.
public struct SetControlFigureCommand: Sendable {
    public let actor: Actor
    public let unit: String
    public let year: Int
    public let amount: Money

    /// What can be decided before anything is read: the role, the amount and the year.
    public init(actor: Actor, unit: String, year: Int, amount: Money) throws(WorkflowError) {
        try Permission.require(actor.role, .setControlFigure)
        guard amount >= .zero else {
            throw .invalidInput("a control figure cannot be negative", details: [ErrorDetail(field: "amount", message: amount.description)])
        }
        guard amount <= Validator.maxAmount else {
            throw .invalidInput("a control figure cannot exceed \(Validator.maxAmount) yuan",
                                details: [ErrorDetail(field: "amount", message: amount.description)])
        }
        try Validator.checkYear(year)
        self.actor = actor
        self.unit = unit
        self.year = year
        self.amount = amount
    }

    /// The figure and its audit event (with the figure it replaces, if any).
    public func decide(scope: EntryScope?, previous: Money?) throws(WorkflowError) -> Plan {
        guard let scope, scope.unitCode == unit, Transition.canRead(actor, scope) else { throw .notFound(resource: "unit") }
        var changes = ["amount": amount.description]
        changes["previous"] = previous?.description
        return Plan(
            writes: [.setControlFigure(unit: unit, year: year, amount: amount)],
            events: [PlannedEvent(chain: "control:\(unit):\(year)", action: "control.set", changes: changes)])
    }
}
