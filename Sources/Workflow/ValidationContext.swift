/// The facts about the world that the pure rules cannot see, gathered by the caller
/// (persistence) before validating an entry.
public struct ValidationContext: Sendable, Hashable {
    /// Whether another entry of the same year already has this code (rule V6). The caller
    /// excludes the entry's own other revisions, which share its code by design.
    public var codeTakenInYear: Bool
    /// The unit-year's control figure (控制数), if the finance bureau has set one (rule V7).
    public var controlFigure: Money?
    /// The amounts of the unit-year's approved and published entries, excluding this entry and
    /// the revision it would supersede (rule V7).
    public var committed: Money
    /// Whether to check V7: only at the finance bureau's approval
    /// (a column of the transition table).
    public var checkControlFigure: Bool
    /// Rules the finance bureau waived for this entry (豁免); their violations are dropped.
    public var waived: Set<RuleCode>

    /// A context; by default the code is free, no control figure applies and nothing is waived.
    public init(
        codeTakenInYear: Bool = false, controlFigure: Money? = nil, committed: Money = .zero,
        checkControlFigure: Bool = false, waived: Set<RuleCode> = []
    ) {
        self.codeTakenInYear = codeTakenInYear
        self.controlFigure = controlFigure
        self.committed = committed
        self.checkControlFigure = checkControlFigure
        self.waived = waived
    }
}
