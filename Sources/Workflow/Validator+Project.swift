import Foundation

extension Validator {
    /// V3: a project has exactly four cumulative plan percentages (end of March, June, October,
    /// December), each within 0–100, never decreasing, the last exactly 100. Other kinds have no
    /// plan: a non-empty one is a violation rather than silently ignored, since it usually means
    /// the kind is wrong.
    static func checkPlan(_ draft: EntryDraft) -> [Violation] {
        let plan = draft.plan
        var violations: [Violation] = []
        if !plan.isEmpty, plan.count != 4 {
            // Not even a draft may hold this: the plan column holds four values or none.
            violations.append(Violation(rule: .v3, field: "plan", message: planLengthMessage(plan.count), blocksStorage: true))
        }
        guard draft.kind == .project else {
            if !plan.isEmpty {
                violations.append(Violation(
                    rule: .v3, field: "plan",
                    message: "only projects have a spending plan; a \(draft.kind.rawValue) entry must leave it empty"))
            }
            return violations
        }
        if plan.isEmpty {
            violations.append(Violation(rule: .v3, field: "plan", message: planLengthMessage(0)))
        }
        for (index, point) in plan.enumerated() where point < .zero || point > .hundred {
            violations.append(Violation(
                rule: .v3, field: "plan[\(index)]", message: "plan percentage \(point) is outside 0–100",
                blocksStorage: true))  // the column holds percentages only
        }
        for index in plan.indices.dropFirst() where plan[index] < plan[index - 1] {
            violations.append(Violation(
                rule: .v3, field: "plan[\(index)]",
                message: "the plan is cumulative and may not decrease (\(plan[index - 1]) then \(plan[index]))"))
        }
        if let last = plan.last, last != .hundred {
            violations.append(Violation(
                rule: .v3, field: "plan[\(plan.count - 1)]", message: "the last plan percentage must be 100.00, not \(last)"))
        }
        return violations
    }

    /// The sentence of a plan with other than four values; a prefix that ``isPlanLength(_:)`` knows.
    public static func planLengthMessage(_ count: Int) -> String {
        "a spending plan has exactly four percentages (end of March, June, October, December), not \(count)"
    }

    /// Whether `violation` says the plan has a number of values other than four (or none).
    public static func isPlanLength(_ violation: Violation) -> Bool {
        violation.rule == .v3 && violation.field == "plan" && violation.message.hasPrefix("a spending plan has exactly four")
    }

    /// V4: a project has goals text, at least one 产出指标 (output) indicator and at least one
    /// 效果指标, 效益指标 or 满意度指标 (outcome) indicator. Other kinds need none.
    static func checkPerformance(_ draft: EntryDraft) -> [Violation] {
        guard draft.kind == .project else { return [] }
        var violations: [Violation] = []
        if isBlank(draft.goals) {
            violations.append(Violation(rule: .v4, field: "goals", message: "a project needs performance goals (绩效目标)"))
        }
        var hasOutput = false
        var hasOutcome = false
        for indicator in draft.indicators {
            let level = trimmed(indicator.l1)
            if level == Indicator.outputLevel {
                hasOutput = true
            } else if Indicator.outcomeLevels.contains(level) {
                hasOutcome = true
            }
        }
        if !hasOutput {
            violations.append(Violation(
                rule: .v4, field: "indicators", message: "a project needs at least one 产出指标 (output) indicator"))
        }
        if !hasOutcome {
            violations.append(Violation(
                rule: .v4, field: "indicators",
                message: "a project needs at least one 效果指标, 效益指标 or 满意度指标 (outcome) indicator"))
        }
        return violations
    }

    /// `text` without leading and trailing white space and line breaks; no copy when it has none.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              isWhitespaceOrNewline(first) || isWhitespaceOrNewline(last)
        else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
