import Foundation

/// The finance bureau's 批复 of a department's budget for a year (二下), after the people's congress
/// approved the year's budget: it fixes the 年初预算 by freezing the approved figures (round_figures
/// stage 批复) and starts the clocks that follow it (the units' 批复, publication).
public struct ApproveBudgetCommand: Sendable {
    public let actor: Actor
    public let department: String
    public let year: Int
    /// The 批复's number (文号), trimmed.
    public let number: String
    /// When the people's congress approved the budget.
    public let congressDate: CalendarDate

    /// The finance 批复 is due this many days after the congress date.
    public static let dueDays = 20

    /// What can be decided before anything is read: the role, the number and the date's shape.
    public init(actor: Actor, department: String, year: Int, number: String?, congressDate: String?) throws(WorkflowError) {
        try Permission.require(actor.role, .approveBudget)
        try Validator.checkYear(year)
        let number = (number ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !number.isEmpty else {
            throw .invalidInput("the 批复 needs its number (文号)", details: [ErrorDetail(field: "number", message: "required")])
        }
        try TextLimits.check(number, field: "number", TextLimits.approvalNumber)
        guard let text = congressDate?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw .invalidInput("the 批复 needs the congress date", details: [ErrorDetail(field: "congress_date", message: "required")])
        }
        guard let date = CalendarDate(text) else {
            throw .invalidInput("congress_date must be a date YYYY-MM-DD",
                                details: [ErrorDetail(field: "congress_date", message: "got \(text.prefix(40))")])
        }
        self.actor = actor
        self.department = department
        self.year = year
        self.number = number
        self.congressDate = date
    }

    /// The latest revision of one code of the department-year (discarded codes left out).
    public struct Standing: Sendable, Hashable {
        public var id: UUID
        public var code: String
        public var revision: Int
        public var state: EntryState
        public var amount: Money
        public init(id: UUID, code: String, revision: Int, state: EntryState, amount: Money) {
            self.id = id
            self.code = code
            self.revision = revision
            self.state = state
            self.amount = amount
        }
    }

    public struct Snapshot: Sendable, Hashable {
        public var departmentExists: Bool
        /// The department-year's 批复, when it already has one.
        public var existing: BudgetApprovalRecord?
        /// The congress date of another department's 批复 of the same year: the congress sits once.
        public var yearCongressDate: CalendarDate?
        /// Each code's latest revision (locked), in code order.
        public var entries: [Standing]
        /// Today in Asia/Shanghai, by the database's clock.
        public var today: CalendarDate

        public init(departmentExists: Bool, existing: BudgetApprovalRecord? = nil, yearCongressDate: CalendarDate? = nil,
                    entries: [Standing] = [], today: CalendarDate) {
            self.departmentExists = departmentExists
            self.existing = existing
            self.yearCongressDate = yearCongressDate
            self.entries = entries
            self.today = today
        }
    }

    /// The states in which an entry counts as approved for the 批复.
    public static let approvedStates: Set<EntryState> = [.approved, .published]

    /// The 批复, the frozen figures and the audit event; or why not.
    public func decide(_ snapshot: Snapshot) throws(WorkflowError) -> Plan {
        guard snapshot.departmentExists, actor.readScope.contains(EntryScope(unitCode: "", departmentCode: department)) else {
            throw .notFound(resource: "department")
        }
        if let existing = snapshot.existing {
            throw .conflict("department \(department) already has its 批复 for \(year) (\(existing.number), congress date \(existing.congressDate)); a 批复 is given once")
        }
        guard congressDate <= snapshot.today else {
            throw .invalidInput("the congress date \(congressDate) is in the future (today is \(snapshot.today))",
                                details: [ErrorDetail(field: "congress_date", message: "after today")])
        }
        guard (year - 1...year).contains(congressDate.year) else {
            throw .invalidInput("the congress approving the \(year) budget sits in \(year - 1) or \(year), not on \(congressDate)",
                                details: [ErrorDetail(field: "congress_date", message: "not in \(year - 1) or \(year)")])
        }
        if let sitting = snapshot.yearCongressDate, sitting != congressDate {
            throw .invalidInput("the congress approved the \(year) budget on \(sitting) (an earlier 批复 says so), not on \(congressDate)",
                                details: [ErrorDetail(field: "congress_date", message: "expected \(sitting)")])
        }
        guard !snapshot.entries.isEmpty else {
            throw .conflict("department \(department) has no entries in \(year) to approve")
        }
        let pending = snapshot.entries.filter { !Self.approvedStates.contains($0.state) }
        guard pending.isEmpty else {
            throw .batchFailed(
                "the 批复 needs every entry approved: \(pending.count) of \(snapshot.entries.count) in department \(department) for \(year) are not",
                details: pending.map { ErrorDetail(field: $0.code, message: "\($0.code) revision \($0.revision) is \($0.state.rawValue)") },
                category: .conflict)
        }
        let total: Money
        do {
            total = try Money.sum(snapshot.entries.map(\.amount))
        } catch {
            throw .conflict("the approved entries' amounts add up beyond range")
        }
        return Plan(
            writes: [
                .recordBudgetApproval(department: department, year: year, number: number, congressDate: congressDate),
                .freezeApprovedFigures(year: year, entryIDs: snapshot.entries.map(\.id)),
            ],
            events: [PlannedEvent(
                chain: BudgetApprovalRecord.chain(department: department, year: year), action: "approve-budget",
                changes: [
                    "number": number, "congress_date": congressDate.description, "entries": String(snapshot.entries.count),
                    "amount": total.description,
                ])])
    }
}

/// The department's 批复 to its units (one act covering every unit), after the finance bureau's.
public struct ApproveUnitsCommand: Sendable {
    public let actor: Actor
    public let department: String
    public let year: Int
    /// The department's own number (文号), when it gives one.
    public let number: String?

    /// The department's 批复 to its units is due this many days after the finance 批复.
    public static let dueDays = 15

    public init(actor: Actor, department: String, year: Int, number: String?) throws(WorkflowError) {
        try Permission.require(actor.role, .approveUnits)
        try Validator.checkYear(year)
        let number = number?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let number, !number.isEmpty { try TextLimits.check(number, field: "number", TextLimits.approvalNumber) }
        self.actor = actor
        self.department = department
        self.year = year
        self.number = (number?.isEmpty ?? true) ? nil : number
    }

    public struct Snapshot: Sendable, Hashable {
        public var departmentExists: Bool
        /// The finance bureau's 批复 of the department-year (locked), if given.
        public var approval: BudgetApprovalRecord?
        public init(departmentExists: Bool, approval: BudgetApprovalRecord? = nil) {
            self.departmentExists = departmentExists
            self.approval = approval
        }
    }

    public func decide(_ snapshot: Snapshot) throws(WorkflowError) -> Plan {
        // A reviewer of another department learns nothing: not found, as for entries.
        guard snapshot.departmentExists, actor.readScope.contains(EntryScope(unitCode: "", departmentCode: department)) else {
            throw .notFound(resource: "department")
        }
        guard let approval = snapshot.approval else {
            throw .conflict("department \(department) has no 批复 from the finance bureau for \(year) yet; the units' 批复 follows it")
        }
        guard !approval.unitsApproved else {
            throw .conflict("department \(department) already gave its units their 批复 for \(year)")
        }
        var changes = ["finance_number": approval.number]
        changes["number"] = number
        return Plan(
            writes: [.recordUnitsApproval(department: department, year: year, number: number)],
            events: [PlannedEvent(
                chain: BudgetApprovalRecord.chain(department: department, year: year), action: "approve-units", changes: changes)])
    }
}

/// A department-year's 批复 as stored.
public struct BudgetApprovalRecord: Sendable, Hashable, Codable {
    public var department: String
    public var year: Int
    public var number: String
    public var congressDate: CalendarDate
    /// The day of the finance 批复 in Asia/Shanghai.
    public var approvedOn: CalendarDate
    public var unitsApproved: Bool

    public init(department: String, year: Int, number: String, congressDate: CalendarDate, approvedOn: CalendarDate, unitsApproved: Bool = false) {
        self.department = department
        self.year = year
        self.number = number
        self.congressDate = congressDate
        self.approvedOn = approvedOn
        self.unitsApproved = unitsApproved
    }

    /// The audit chain of a department-year's 批复 (both acts).
    public static func chain(department: String, year: Int) -> String { "approval:\(department):\(year)" }
}
