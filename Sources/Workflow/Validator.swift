/// The validation rules V1–V7 of SPEC §3 (校验规则), pure: every fact about other entries comes in
/// through ``ValidationContext``.
public enum Validator {
    /// The largest amount an entry may have: 10¹² yuan (rule V1).
    public static let maxAmount = Money(fen: 100_000_000_000_000)
    /// The longest code, in characters (rule V6).
    public static let maxCodeLength = 64
    /// The longest name, in characters (rule V6).
    public static let maxNameLength = 200
    /// The fiscal years the system holds (the API's and the CLI's `year`, the entries' column).
    public static let fiscalYears = 1990...2200

    /// Throws `invalidInput` naming `year` unless it is one of ``fiscalYears``.
    public static func checkYear(_ year: Int) throws(WorkflowError) {
        guard fiscalYears.contains(year) else {
            let message = "year must be a fiscal year from \(fiscalYears.lowerBound) to \(fiscalYears.upperBound), not \(year)"
            throw .invalidInput(message, details: [ErrorDetail(field: "year", message: message)])
        }
    }

    /// Every violation of `draft`, in rule order (V1 first), never only the first; waived rules
    /// are left out. An empty result means the entry may be submitted or approved.
    public static func validate(_ draft: EntryDraft, context: ValidationContext) -> [Violation] {
        var violations: [Violation] = []
        violations += checkAmounts(draft)
        violations += checkItems(draft)
        violations += checkPlan(draft)
        violations += checkPerformance(draft)
        violations += checkProcurement(draft)
        violations += checkIdentity(draft, context: context)
        violations += checkControlFigure(draft, context: context)
        return violations.filter { !context.waived.contains($0.rule) }
    }

    /// The violations that keep `draft` from being stored even as a draft (the storage rule):
    /// completeness (V2 sums, V3 plan, V4) waits for submission so a draft can be filled in gradually.
    public static func storageViolations(_ draft: EntryDraft) -> [Violation] {
        validate(draft, context: ValidationContext()).filter(\.blocksStorage)
    }
}
