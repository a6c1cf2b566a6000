import Foundation

/// A department's or a unit's control figures for a year, cell by cell, with what is allocated
/// (a department's: the sum of its units' figures), used and remaining (控制数执行情况).
public struct ControlSheet: Sendable, Hashable, Codable {
    public var level: ControlLevel
    /// The department's or the unit's code.
    public var holder: String
    public var year: Int
    /// Every cell, in ``ControlCell`` order.
    public var cells: [Row]

    public struct Row: Sendable, Hashable, Codable {
        public var cell: ControlCell
        /// Nil when no figure is set in the cell.
        public var ceiling: Money?
        /// A department's cell only: the sum of its units' figures.
        public var allocated: Money?
        public var used: Money
        /// ceiling − used (negative once exceeded); nil without a ceiling.
        public var remaining: Money?

        public init(cell: ControlCell, ceiling: Money?, allocated: Money?, used: Money) {
            self.cell = cell
            self.ceiling = ceiling
            self.allocated = allocated
            self.used = used
            remaining = ceiling.map { Money(fen: $0.fen &- used.fen) }
        }

        enum CodingKeys: String, CodingKey { case cell, ceiling, allocated, used, remaining }

        /// Every key always present: a cell without a figure says `"ceiling": null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cell, forKey: .cell)
            try container.encode(ceiling, forKey: .ceiling)
            if let allocated { try container.encode(allocated, forKey: .allocated) }
            try container.encode(used, forKey: .used)
            try container.encode(remaining, forKey: .remaining)
        }
    }

    /// A sheet of every cell from the figures set, the units' allocations (a department's sheet)
    /// and the usage.
    public init(
        level: ControlLevel, holder: String, year: Int, ceilings: [ControlCell: Money],
        allocated: [ControlCell: Money]? = nil, used: [ControlCell: Money]
    ) {
        self.level = level
        self.holder = holder
        self.year = year
        cells = ControlCell.allCases.map { cell in
            Row(cell: cell, ceiling: ceilings[cell], allocated: allocated.map { $0[cell] ?? .zero }, used: used[cell] ?? .zero)
        }
    }

    /// Who may read a sheet: a unit's by whoever may read the unit's entries (its officer, its
    /// department's reviewer, the finance bureau, auditors); a department's by its reviewer,
    /// the finance bureau and auditors. Anyone else is answered as if it did not exist.
    public static func checkRead(_ actor: Actor, level: ControlLevel, scope: EntryScope?) throws(WorkflowError) {
        let resource = level == .unit ? "unit" : "department"
        guard let scope else { throw .notFound(resource: resource) }
        switch level {
        case .unit:
            guard Transition.canRead(actor, scope) else { throw .notFound(resource: resource) }
        case .department:
            guard actor.role != .officer, Transition.canRead(actor, scope) else { throw .notFound(resource: resource) }
        }
    }
}

extension ControlSheet {
    /// The states whose entries use control figures: in review, approved or published (each
    /// code once, at its latest revision in one of them).
    public static let usedStates: [EntryState] = [.departmentReview, .financeReview, .approved, .published]
}
