import Foundation

/// A new entry row as a plan writes it: a first revision, or a revision of a stored entry.
public struct NewEntry: Sendable, Hashable {
    public var id: UUID
    public var year: Int
    public var unitCode: String
    /// The unit's department; nil lets the database fill it in from the unit.
    public var departmentCode: String?
    public var revision: Int
    public var supersedes: UUID?
    public var state: EntryState
    public var reviseReason: String?
    public var content: EntryDraft
    /// The round it is prepared in; nil in a year run without rounds.
    public var round: BudgetRound?

    public init(
        id: UUID, year: Int, unitCode: String, departmentCode: String?, revision: Int = 1, supersedes: UUID? = nil,
        state: EntryState = .draft, reviseReason: String? = nil, content: EntryDraft, round: BudgetRound? = nil
    ) {
        self.id = id
        self.year = year
        self.unitCode = unitCode
        self.departmentCode = departmentCode
        self.revision = revision
        self.supersedes = supersedes
        self.state = state
        self.reviseReason = reviseReason
        self.content = content
        self.round = round
    }
}
