import Foundation

/// A budget entry (预算项目) in the workflow: one revision of one code in one year.
///
/// A revision is immutable once it leaves `draft`; changing an approved or published entry
/// creates a new revision (``EntryAction/revise``) that ``supersedes`` it when published.
public struct BudgetEntry: Sendable, Hashable, Identifiable {
    /// Identity of this revision (each revision has its own).
    public var id: UUID
    /// Fiscal year, e.g. 2020.
    public var year: Int
    /// The budget unit's code, e.g. `"201002"`.
    public var unitCode: String
    /// The unit's supervising department, e.g. `"201"`; copied so scope checks need no lookup.
    public var departmentCode: String
    /// 1 for the first revision, +1 for each ``EntryAction/revise``.
    public var revision: Int
    /// Optimistic-concurrency version of this revision (the HTTP ETag); +1 on every change.
    public var version: Int
    /// Workflow state of this revision.
    public var state: EntryState
    /// What the officer wrote.
    public var content: EntryDraft
    /// The earlier revision this one replaces when published (it then becomes `superseded`).
    public var supersedes: UUID?
    /// The round it was prepared in (一上 or 二上); nil in a year run without rounds.
    public var round: BudgetRound?

    /// An entry revision; a new one is revision 1, version 1, in `draft`.
    public init(
        id: UUID, year: Int, unitCode: String, departmentCode: String, revision: Int = 1, version: Int = 1,
        state: EntryState = .draft, content: EntryDraft, supersedes: UUID? = nil, round: BudgetRound? = nil
    ) {
        self.id = id
        self.year = year
        self.unitCode = unitCode
        self.departmentCode = departmentCode
        self.revision = revision
        self.version = version
        self.state = state
        self.content = content
        self.supersedes = supersedes
        self.round = round
    }

    /// Who may see and act on this entry (see ``Transition/canRead(_:_:)``).
    public var scope: EntryScope {
        EntryScope(unitCode: unitCode, departmentCode: departmentCode)
    }
}

extension BudgetEntry: Codable {
    /// The API's flat entry object: identity and workflow fields beside the draft's fields.
    enum CodingKeys: String, CodingKey {
        case id, year, revision, version, state, supersedes, round
        case unitCode = "unit"
        case departmentCode = "department"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        year = try container.decode(Int.self, forKey: .year)
        unitCode = try container.decode(String.self, forKey: .unitCode)
        departmentCode = try container.decode(String.self, forKey: .departmentCode)
        revision = try container.decode(Int.self, forKey: .revision)
        version = try container.decode(Int.self, forKey: .version)
        state = try container.decode(EntryState.self, forKey: .state)
        supersedes = try container.decodeIfPresent(UUID.self, forKey: .supersedes)
        round = try container.decodeIfPresent(BudgetRound.self, forKey: .round)
        content = try EntryDraft(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)  // lowercase, as PostgreSQL prints it
        try container.encode(year, forKey: .year)
        try container.encode(unitCode, forKey: .unitCode)
        try container.encode(departmentCode, forKey: .departmentCode)
        try container.encode(revision, forKey: .revision)
        try container.encode(version, forKey: .version)
        try container.encode(state, forKey: .state)
        try container.encode(supersedes?.uuidString.lowercased(), forKey: .supersedes)
        try container.encode(round, forKey: .round)
        try content.encode(to: encoder)
    }
}
