import Foundation

/// Whose control figures: a department's (set by the finance bureau) or a unit's (allocated to
/// it by its department, or set by the finance bureau).
public enum ControlLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case unit
    case department
}

/// One sheet's ceilings and what is used against them, as an entry action or a draft sees it:
/// `used` leaves out the entry's own code (its contribution is added by the check).
public struct ControlStanding: Sendable, Hashable {
    public var level: ControlLevel
    /// The unit's or the department's code.
    public var holder: String
    /// The cells that have a figure; a cell without one is not checked.
    public var ceilings: [ControlCell: Money]
    /// The year's entries in review, approved or published (each code once, at its latest such
    /// revision), summed per cell; a missing cell is zero.
    public var used: [ControlCell: Money]

    public init(level: ControlLevel, holder: String, ceilings: [ControlCell: Money], used: [ControlCell: Money] = [:]) {
        self.level = level
        self.holder = holder
        self.ceilings = ceilings
        self.used = used
    }

    /// Every cell the entry would push past its ceiling: a cell the entry adds nothing to is
    /// never its overshoot, even when others already exceed it (a lowered figure).
    public func overshoots(adding draft: EntryDraft) -> [ControlOvershoot] {
        let contribution = ControlCell.contribution(of: draft)
        var result: [ControlOvershoot] = []
        for cell in ControlCell.allCases {
            guard let ceiling = ceilings[cell], let amount = contribution[cell], amount > .zero else { continue }
            let used = used[cell] ?? .zero
            let after = used.saturatingAdding(amount)
            guard after > ceiling else { continue }
            result.append(ControlOvershoot(
                level: level, holder: holder, cell: cell, ceiling: ceiling, used: used, amount: amount,
                excess: Money(fen: after.fen &- ceiling.fen)))
        }
        return result
    }
}

/// One cell an entry would push past its ceiling.
public struct ControlOvershoot: Sendable, Hashable, Codable {
    public var level: ControlLevel
    public var holder: String
    public var cell: ControlCell
    public var ceiling: Money
    /// Used by the other codes.
    public var used: Money
    /// What this entry adds to the cell.
    public var amount: Money
    /// used + amount − ceiling.
    public var excess: Money

    public init(level: ControlLevel, holder: String, cell: ControlCell, ceiling: Money, used: Money, amount: Money, excess: Money) {
        self.level = level
        self.holder = holder
        self.cell = cell
        self.ceiling = ceiling
        self.used = used
        self.amount = amount
        self.excess = excess
    }

    /// `unit.kind:project`, `department.total`: the cell, and whose.
    public var field: String { "\(level.rawValue).\(cell.rawValue)" }

    public var message: String {
        "\(level.rawValue) \(holder) \(cell.rawValue): used \(used) plus this entry \(amount) "
            + "exceed the control figure \(ceiling) by \(excess)"
    }

    /// As a V7 violation (refusing submit or an approval).
    public var violation: Violation { Violation(rule: .v7, field: field, message: message) }
}

/// What an entry action checks against control figures in a managed year (a year with rounds):
/// the unit's sheet, the department's, or both, by the transition table's step. Nil sheets are
/// not checked (none set, or the step does not read it).
public struct ControlCheck: Sendable, Hashable {
    public var unit: ControlStanding?
    public var department: ControlStanding?

    public init(unit: ControlStanding? = nil, department: ControlStanding? = nil) {
        self.unit = unit
        self.department = department
    }

    /// Every overshoot, the unit's cells first.
    public func overshoots(adding draft: EntryDraft) -> [ControlOvershoot] {
        (unit?.overshoots(adding: draft) ?? []) + (department?.overshoots(adding: draft) ?? [])
    }
}

extension ControlStanding {
    /// The unit's standing as a saved draft sees it: `usedByCode` is the unit's usage per code,
    /// and the draft's own code is left out (a revision replaces what its code used).
    public static func forDraft(
        _ draft: EntryDraft, unit: String, ceilings: [ControlCell: Money], usedByCode: [String: [ControlCell: Money]]
    ) -> ControlStanding {
        var used: [ControlCell: Money] = [:]
        for (code, cells) in usedByCode where code != draft.code {
            for (cell, amount) in cells { used[cell] = (used[cell] ?? .zero).saturatingAdding(amount) }
        }
        return ControlStanding(level: .unit, holder: unit, ceilings: ceilings, used: used)
    }
}
