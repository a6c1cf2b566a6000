import Workflow

/// A department-year's budget disclosure (部门预算公开说明), computed from published data only
/// (SPEC §8): every table of the reference document, in its order, with amounts in 万元.
///
/// Build it with ``init(_:)``; render it with ``renderJSON(prettyPrinted:)``, ``renderHTML()``,
/// ``renderMarkdown()``, ``renderCSV()`` or ``renderFiscalDataPackage()``; ask ``checks()`` what
/// does not add up before publishing. Figures keep their exact fen (``WanYuan``) and are rounded
/// only when shown, so every total is the exact sum of its parts rounded once.
public struct Disclosure: Sendable, Hashable {
    /// The department the disclosure is for.
    public var department: Department
    /// The fiscal year.
    public var year: Int
    /// 机构设置: the organization table.
    public var organizations: [OrganizationRow]
    /// 收入: by funding source.
    public var income: Income
    /// 支出: basic (personnel + operation) and project.
    public var expenditure: Expenditure
    /// The previous year's expenditure, as far as it is known.
    public var previous: PartialExpenditure
    /// 比上年增减: this year minus the previous year, where the previous year is known.
    public var change: PartialExpenditure
    /// 机关运行经费 by economic category.
    public var operatingCosts: OperatingCosts
    /// “三公”经费: previous year, this year, change and reason.
    public var threePublic: ThreePublic
    /// 项目绩效目标表: one per project entry, in input order.
    public var projects: [Project]
    /// 政府采购预算.
    public var procurement: Procurement
    /// The written sections.
    public var narrative: Narrative
    /// Every item of every entry with its classifications, in yuan (the fiscal data package's rows).
    public var budgetLines: [BudgetLine]

    /// The document's title, e.g. `"中共保定市徐水区委办公室 2020年部门预算公开说明"`.
    public var title: String {
        "\(department.name) \(year)年部门预算公开说明"
    }
}

extension Disclosure {
    /// The department a disclosure is for: its code and name.
    public struct Department: Sendable, Hashable, Codable {
        /// e.g. `"201"`.
        public var code: String
        /// e.g. `"中共保定市徐水区委办公室"`.
        public var name: String

        /// A department reference.
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// A row of the 机构设置 table: 单位名称, 单位性质, 单位规格, 经费保障形式.
    public struct OrganizationRow: Sendable, Hashable, Codable {
        /// The organization's code.
        public var code: String
        /// 单位名称.
        public var name: String
        /// 单位性质, e.g. `"行政"`; `""` when unknown.
        public var nature: String
        /// 单位规格, e.g. `"正科"`; `""` when unknown.
        public var level: String
        /// 经费保障形式, e.g. `"财政拨款"`; `""` when unknown.
        public var funding: String

        /// A row of the organization table.
        public init(code: String, name: String, nature: String, level: String, funding: String) {
            self.code = code
            self.name = name
            self.nature = nature
            self.level = level
            self.funding = funding
        }
    }
}

extension Disclosure: Codable {
    enum CodingKeys: String, CodingKey {
        case department, year, organizations, income, expenditure, previous, change, projects, procurement, narrative
        case operatingCosts = "operating_costs"
        case threePublic = "three_public"
        case budgetLines = "budget_lines"
    }
}
