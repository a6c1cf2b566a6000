import Foundation

/// Storing baseline figures and narrative sections of a department-year's disclosure (the
/// working copy a publication freezes): the department's reviewer or the finance bureau.
///
/// Its snapshot: whether the department exists.
public struct SaveDisclosureInputsCommand: Sendable {
    public let actor: Actor
    public let department: String
    public let year: Int
    public let inputs: BLPEntryMapping.DisclosureInputs

    /// What can be decided before anything is read: the role, the caller's scope (a department's
    /// reviewer sees no other department: not found, as for entries), and the values.
    public init(actor: Actor, department: String, year: Int, inputs: BLPEntryMapping.DisclosureInputs) throws(WorkflowError) {
        try Permission.require(actor.role, .setDisclosureInputs)
        guard actor.readScope.contains(EntryScope(unitCode: "", departmentCode: department)) else {
            throw .notFound(resource: "department")
        }
        guard !inputs.baseline.isEmpty || !inputs.narrative.isEmpty else {
            throw .invalidInput("no baseline or narrative records given")
        }
        let problems = inputs.problems
        guard problems.isEmpty else {
            throw .invalidInput("\(problems.count) bad baseline or narrative value(s); nothing was stored", details: problems)
        }
        self.actor = actor
        self.department = department
        self.year = year
        self.inputs = inputs
    }

    /// Each value replaces the previous one of its metric or section; one audit event lists them.
    public func decide(departmentExists: Bool) throws(WorkflowError) -> Plan {
        guard departmentExists else { throw .notFound(resource: "department") }
        var plan = Plan()
        var changes: [String: String] = [:]
        for (metric, amount) in inputs.baseline.sorted(by: { $0.key < $1.key }) {
            plan.writes.append(.setDisclosureBaseline(department: department, year: year, metric: metric, amount: amount))
            changes["baseline." + metric] = amount.description
        }
        for (section, text) in inputs.narrative.sorted(by: { $0.key < $1.key }) {
            plan.writes.append(.setDisclosureNarrative(department: department, year: year, section: section, text: text))
            changes["narrative." + section] = text
        }
        plan.events.append(PlannedEvent(chain: Self.chain(department: department, year: year), action: "disclosure.inputs", changes: changes))
        return plan
    }

    /// The audit chain of a department-year's disclosure inputs.
    public static func chain(department: String, year: Int) -> String { "disclosure:\(department):\(year)" }
}
