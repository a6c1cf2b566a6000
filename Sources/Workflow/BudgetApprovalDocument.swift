/// The 批复 of a department-year as a document: the frozen 批复 figures totalled by unit, kind,
/// funding source and project (amounts in yuan). Built from round_figures stage 批复.
public struct BudgetApprovalDocument: Sendable, Hashable, Encodable {
    public struct Named: Sendable, Hashable, Encodable {
        public var code: String
        public var name: String
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// One frozen figure with what the document groups it by.
    public struct Figure: Sendable, Hashable {
        public var code: String
        public var name: String
        public var unit: Named
        public var kind: EntryKind
        public var amount: Money
        public var sources: FundingSources
        public init(code: String, name: String, unit: Named, kind: EntryKind, amount: Money, sources: FundingSources) {
            self.code = code
            self.name = name
            self.unit = unit
            self.kind = kind
            self.amount = amount
            self.sources = sources
        }
    }

    public struct UnitTotal: Sendable, Hashable, Encodable {
        public var code: String
        public var name: String
        public var total: Money
        public var personnel: Money
        public var operation: Money
        public var project: Money
    }

    public struct Project: Sendable, Hashable, Encodable {
        public var code: String
        public var name: String
        public var unit: String
        public var amount: Money
    }

    public struct UnitsApproval: Sendable, Hashable, Encodable {
        public var number: String?
        public var approvedAt: String
        public var approvedBy: String
        enum CodingKeys: String, CodingKey {
            case number
            case approvedAt = "approved_at"
            case approvedBy = "approved_by"
        }
        public init(number: String?, approvedAt: String, approvedBy: String) {
            self.number = number
            self.approvedAt = approvedAt
            self.approvedBy = approvedBy
        }
    }

    public var department: Named
    public var year: Int
    public var number: String
    public var congressDate: CalendarDate
    public var approvedAt: String
    public var approvedBy: String
    public var unitsApproval: UnitsApproval?
    public var total: Money
    public var byUnit: [UnitTotal]
    public var byKind: [String: Money]
    public var bySource: [String: Money]
    public var projects: [Project]

    enum CodingKeys: String, CodingKey {
        case department, year, number, total, projects
        case congressDate = "congress_date"
        case approvedAt = "approved_at"
        case approvedBy = "approved_by"
        case unitsApproval = "units_approval"
        case byUnit = "by_unit"
        case byKind = "by_kind"
        case bySource = "by_source"
    }

    /// Sums `figures` exactly; units and projects in code order.
    public init(
        department: Named, year: Int, number: String, congressDate: CalendarDate, approvedAt: String, approvedBy: String,
        unitsApproval: UnitsApproval?, figures: [Figure]
    ) throws(MoneyError) {
        self.department = department
        self.year = year
        self.number = number
        self.congressDate = congressDate
        self.approvedAt = approvedAt
        self.approvedBy = approvedBy
        self.unitsApproval = unitsApproval
        total = try Money.sum(figures.map(\.amount))
        var kinds: [String: Money] = [:]
        for kind in EntryKind.allCases {
            kinds[kind.rawValue] = try Money.sum(figures.filter { $0.kind == kind }.map(\.amount))
        }
        byKind = kinds
        bySource = [
            "general": try Money.sum(figures.map(\.sources.general)),
            "fund": try Money.sum(figures.map(\.sources.fund)),
            "state_capital": try Money.sum(figures.map(\.sources.stateCapital)),
            "special": try Money.sum(figures.map(\.sources.special)),
            "other": try Money.sum(figures.map(\.sources.other)),
        ]
        var units: [UnitTotal] = []
        for unit in Set(figures.map(\.unit)).sorted(by: { $0.code < $1.code }) {
            let own = figures.filter { $0.unit == unit }
            func sum(_ kind: EntryKind) throws(MoneyError) -> Money { try Money.sum(own.filter { $0.kind == kind }.map(\.amount)) }
            units.append(UnitTotal(code: unit.code, name: unit.name, total: try Money.sum(own.map(\.amount)),
                                   personnel: try sum(.personnel), operation: try sum(.operation), project: try sum(.project)))
        }
        byUnit = units
        projects = figures.filter { $0.kind == .project }.sorted { $0.code < $1.code }
            .map { Project(code: $0.code, name: $0.name, unit: $0.unit.code, amount: $0.amount) }
    }
}
