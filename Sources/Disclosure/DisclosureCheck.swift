import Workflow

/// Something in a disclosure that does not add up (公开前核对): a stable ``code``, what it concerns
/// and a human message. Any check blocks publishing unless the finance bureau overrides it.
public struct DisclosureCheck: Sendable, Hashable, Codable {
    /// The stable code of a kind of check.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// Income total ≠ the sum of the funding sources.
        case incomeSum = "income.sum"
        /// Expenditure total ≠ basic + project, or basic ≠ personnel + operation.
        case expenditureSum = "expenditure.sum"
        /// Income total ≠ expenditure total (收支不平衡).
        case incomeExpenditure = "income.expenditure"
        /// The previous year's figures do not add up (total ≠ basic + project, basic ≠ personnel + operation).
        case previousSum = "previous.sum"
        /// The change figures do not add up.
        case changeSum = "change.sum"
        /// 机关运行经费 categories ≠ their total, or the total ≠ 日常公用经费.
        case operatingCostsSum = "operating_costs.sum"
        /// A 机关运行经费 category is negative (items exceeding an operation entry's amount).
        case operatingCostsNegative = "operating_costs.negative"
        /// A 三公 column's categories ≠ its total, or change ≠ current − previous.
        case threePublicSum = "three_public.sum"
        /// 三公 changed but no reason is given.
        case threePublicReason = "three_public.reason"
        /// The project tables do not add up to 项目支出, or a project's 财政资金 + 其他资金 ≠ its amount.
        case projectsSum = "projects.sum"
        /// The procurement lines do not add up to the total or to their unit subtotals.
        case procurementSum = "procurement.sum"
        /// An entry's procurement total exceeds its amount.
        case procurementExceedsAmount = "procurement.exceeds_amount"
        /// A “…万元” figure in a narrative disagrees with the table figure its words name.
        case narrativeFigureMismatch = "narrative.figure_mismatch"
        /// A “…万元” figure in the change reason is none of the disclosure's figures.
        case narrativeFigureUnmatched = "narrative.figure_unmatched"
    }

    /// What kind of check failed.
    public var code: Code
    /// What it concerns, e.g. `"expenditure.total"`, an entry code or `"narrative.change_reason"`.
    public var subject: String
    /// A human sentence saying what does not add up, with the figures.
    public var message: String

    /// A failed check.
    public init(code: Code, subject: String, message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }
}
