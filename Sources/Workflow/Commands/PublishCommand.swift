import Foundation

/// Publishing every approved entry of a department-year at once (公开): the finance bureau's
/// decision, in two steps around the disclosure's cross-checks, which are computed from the
/// entries as published.
public struct PublishCommand: Sendable {
    public let actor: Actor
    public let department: String
    public let year: Int
    /// The override reason as given (stored with the publication); blank is none.
    public let overrideReason: String?

    /// What can be decided before anything is read: the reason's length and the role.
    public init(actor: Actor, department: String, year: Int, overrideReason: String?) throws(WorkflowError) {
        if let overrideReason { try TextLimits.check(overrideReason, field: "reason", TextLimits.reason) }
        try Permission.require(actor.role, .publish)
        self.actor = actor
        self.department = department
        self.year = year
        self.overrideReason = overrideReason
    }

    /// The first step's snapshot.
    public struct Snapshot: Sendable {
        public var departmentExists: Bool
        /// The department-year's approved entries (locked), in code order.
        public var approved: [BudgetEntry] = []
        /// The published revisions of the approved entries' codes, by code.
        public var published: [String: [RevisionReference]] = [:]
        /// The publication the disclosure inputs were last frozen with, if any.
        public var previousPublication: Int64?
        /// The disclosure inputs that differ from those frozen with it (all at the first).
        public var inputsChanged: [String] = []
        /// Whether the year runs in rounds (any row in budget_rounds): then publication follows the 批复.
        public var managedYear = false
        /// Whether the department-year has its 批复 from the finance bureau.
        public var budgetApproved = false

        public init(departmentExists: Bool) { self.departmentExists = departmentExists }
    }

    /// Step one: every approved entry becomes published, superseding the published revision of
    /// its code; with none approved, only changed disclosure inputs are worth a publication.
    public func decide(_ snapshot: Snapshot) throws(WorkflowError) -> (plan: Plan, published: [BudgetEntry]) {
        guard snapshot.departmentExists else { throw .notFound(resource: "department") }
        if snapshot.managedYear, !snapshot.budgetApproved {
            throw .conflict("""
                department \(department) has no 批复 for \(year) yet: in a year run in rounds, publication follows the finance \
                bureau's 批复 (budgetctl approve-budget --department \(department) --year \(year) …)
                """)
        }
        if snapshot.approved.isEmpty {
            guard let previous = snapshot.previousPublication else {
                throw .conflict("department \(department) has no approved entries in \(year) to publish")
            }
            guard !snapshot.inputsChanged.isEmpty else {
                throw .conflict("""
                    department \(department) has no approved entries in \(year) to publish, and its disclosure inputs \
                    are unchanged since publication \(previous)
                    """)
            }
        }
        var plan = Plan()
        var published: [BudgetEntry] = []
        for var entry in snapshot.approved {
            let outcome = try Transition.decide(TransitionRequest(
                state: entry.state, action: .publish, actor: actor, scope: entry.scope))
            let chain = PlannedEvent.entryChain(year: year, code: entry.content.code)
            if outcome.supersedesPrevious {
                for old in snapshot.published[entry.content.code] ?? [] where old.id != entry.id {
                    plan.writes.append(.setEntryState(id: old.id, to: .superseded))
                    plan.events.append(PlannedEvent(
                        chain: chain, action: "supersede", entryID: old.id, revision: old.revision,
                        fromState: EntryState.published.rawValue, toState: EntryState.superseded.rawValue,
                        changes: ["superseded_by": entry.id.uuidString.lowercased()]))
                }
            }
            plan.writes.append(.setEntryState(id: entry.id, to: outcome.to))
            plan.events.append(PlannedEvent(
                chain: chain, action: outcome.auditAction, entryID: entry.id, revision: entry.revision,
                fromState: outcome.from.rawValue, toState: outcome.to.rawValue))
            entry.state = outcome.to
            entry.version += 1
            published.append(entry)
        }
        return (plan, published)
    }

    /// A failed cross-check of the disclosure as it stands once the entries are published.
    public struct FailedCheck: Sendable, Hashable {
        public var code: String
        public var subject: String
        public var message: String
        public init(code: String, subject: String, message: String) {
            self.code = code
            self.subject = subject
            self.message = message
        }
    }

    /// Step two: a failed cross-check blocks the publication unless overridden with a reason;
    /// otherwise the publication itself, freezing the disclosure inputs as they stand
    /// (`frozen`), and its audit event.
    public func finish(
        published: [BudgetEntry], inputsChanged: [String], failedChecks: [FailedCheck], frozen: BLPEntryMapping.DisclosureInputs
    ) throws(WorkflowError) -> Plan {
        let override = overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !failedChecks.isEmpty, override?.isEmpty ?? true {
            throw .batchFailed(
                "publication blocked by \(failedChecks.count) failed cross-check(s); fix the entries or publish with an override reason",
                details: failedChecks.map { ErrorDetail(field: $0.subject, message: "\($0.message) (check \($0.code))") },
                category: .validation)
        }
        let amount: Money
        do {
            amount = try Money.sum(published.map(\.content.amount))
        } catch {
            throw .conflict("the published entries' amounts add up beyond range")
        }
        var changes = ["entries": String(published.count), "amount": amount.description]
        if !inputsChanged.isEmpty { changes["inputs_changed"] = inputsChanged.joined(separator: ", ") }
        if !failedChecks.isEmpty { changes["overridden_checks"] = failedChecks.map { "\($0.code) \($0.subject)" }.joined(separator: "; ") }
        return Plan(
            writes: [.recordPublication(
                department: department, year: year, entryCount: published.count, overrideReason: overrideReason, frozen: frozen)],
            events: [PlannedEvent(
            chain: "publication:\(department):\(year)", action: "publish", reason: failedChecks.isEmpty ? nil : override,
            changes: changes)])
    }
}
