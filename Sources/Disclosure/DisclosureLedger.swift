import Workflow

/// The exact sums a disclosure's figures come from: each funding source summed by entry kind, and
/// item amounts summed by entry kind and economic code (支出经济分类).
///
/// Income, expenditure, 机关运行经费 and “三公”经费 are all linear in these sums, so they are the same
/// whether the ledger is filled entry by entry (``add(_:)``) or from sums PostgreSQL computed
/// (``add(kind:sources:)``, ``add(kind:econ:amount:)``); the classification into the disclosure's
/// categories happens here either way, in one place.
public struct DisclosureLedger: Sendable, Hashable {
    /// An item sum's group: the kind of the entry it belongs to and its economic code.
    public struct ItemGroup: Sendable, Hashable {
        /// The kind of the entries the items belong to.
        public var kind: EntryKind
        /// 支出经济分类, e.g. `"30201"`.
        public var econ: String

        /// An item group.
        public init(kind: EntryKind, econ: String) {
            self.kind = kind
            self.econ = econ
        }
    }

    private var personnel = FundingSources()
    private var operation = FundingSources()
    private var project = FundingSources()
    /// Item amounts by kind and economic code.
    public private(set) var items: [ItemGroup: Money] = [:]

    /// An empty ledger.
    public init() {}

    /// The funding sources of the entries of `kind`, each summed exactly.
    public func sources(of kind: EntryKind) -> FundingSources {
        switch kind {
        case .personnel: personnel
        case .operation: operation
        case .project: project
        }
    }

    /// Adds funding-source amounts (one entry's, or a sum of entries') of `kind`.
    public mutating func add(kind: EntryKind, sources: FundingSources) throws(MoneyError) {
        switch kind {
        case .personnel: personnel = try personnel.exactlyAdding(sources)
        case .operation: operation = try operation.exactlyAdding(sources)
        case .project: project = try project.exactlyAdding(sources)
        }
    }

    /// Adds an item amount (one item's, or a sum of items') of an entry of `kind`.
    public mutating func add(kind: EntryKind, econ: String, amount: Money) throws(MoneyError) {
        let group = ItemGroup(kind: kind, econ: econ)
        items[group] = try (items[group] ?? .zero).adding(amount)
    }

    /// Adds an entry's funding sources and items.
    public mutating func add(_ entry: EntryDraft) throws(MoneyError) {
        try add(kind: entry.kind, sources: entry.sources)
        for item in entry.items {
            try add(kind: entry.kind, econ: item.econ, amount: item.amount)
        }
    }

    /// The ledger of `entries`.
    public init(_ entries: [BudgetEntry]) throws(MoneyError) {
        for entry in entries {
            try add(entry.content)
        }
    }
}

extension FundingSources {
    /// The five sources' exact sum, without the intermediate array of ``checkedTotal()``.
    func exactTotal() throws(MoneyError) -> Money {
        try general.adding(fund).adding(stateCapital).adding(special).adding(other)
    }

    /// 财政资金 (general + fund + state capital), exactly.
    func exactFiscal() throws(MoneyError) -> Money {
        try general.adding(fund).adding(stateCapital)
    }

    /// Source by source, exactly.
    func exactlyAdding(_ other: FundingSources) throws(MoneyError) -> FundingSources {
        FundingSources(
            general: try general.adding(other.general), fund: try fund.adding(other.fund),
            stateCapital: try stateCapital.adding(other.stateCapital), special: try special.adding(other.special),
            other: try self.other.adding(other.other))
    }
}
