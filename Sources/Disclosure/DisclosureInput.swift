import Workflow

/// Everything a department-year's disclosure (部门预算公开) is built from (SPEC §8).
///
/// Only published entries are ever disclosed: the caller passes those, and ``Disclosure/init(_:)``
/// drops anything else (another state, year or department) rather than trusting it.
public struct DisclosureInput: Sendable, Hashable {
    /// The supervising department (主管部门), e.g. 201 中共保定市徐水区委办公室.
    public var department: Organization
    /// The department's budget units (预算单位), e.g. 201002 区委办（行政）.
    public var units: [Organization]
    /// The fiscal year, e.g. 2020.
    public var year: Int
    /// The department-year's published entries, in the order the disclosure lists them.
    public var entries: [BudgetEntry]
    /// The previous year's figures, used where ``previousEntries`` is `nil`.
    public var baseline: Baseline
    /// The previous year's published entries, when that year is in the system; they take
    /// precedence over ``previousLedger`` and ``baseline`` for the change figures and the 三公
    /// previous-year column.
    public var previousEntries: [BudgetEntry]?
    /// The previous year's published entries already summed (as PostgreSQL sums them), when that
    /// year is in the system and ``previousEntries`` is `nil`; it takes precedence over ``baseline``.
    public var previousLedger: DisclosureLedger?
    /// The written sections.
    public var narrative: Narrative

    /// The inputs of one department-year's disclosure.
    public init(
        department: Organization, units: [Organization], year: Int, entries: [BudgetEntry],
        baseline: Baseline = .empty, previousEntries: [BudgetEntry]? = nil, previousLedger: DisclosureLedger? = nil,
        narrative: Narrative = Narrative()
    ) {
        self.department = department
        self.units = units
        self.year = year
        self.entries = entries
        self.baseline = baseline
        self.previousEntries = previousEntries
        self.previousLedger = previousLedger
        self.narrative = narrative
    }
}
