/// The validation rules V1–V7 of SPEC §3 (校验规则), pure: every fact about other entries comes in
/// through ``ValidationContext``.
public enum Validator {
    /// The largest amount an entry may have: 10¹² yuan (rule V1).
    public static let maxAmount = Money(fen: 100_000_000_000_000)
    /// The longest code, in characters (rule V6).
    public static let maxCodeLength = 64
    /// The longest name, in characters (rule V6).
    public static let maxNameLength = 200

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
}
