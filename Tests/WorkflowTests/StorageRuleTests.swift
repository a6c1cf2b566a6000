import Foundation
import Testing
import Workflow
import WorkflowFixtures

/// The storage rule (which violations keep even a draft from being stored), decided by the check
/// that finds the violation, never by its wording.
@Suite("the storage rule")
struct StorageRuleTests {
    /// A complete, valid project; each case below breaks one thing.
    static func project() -> EntryDraft {
        EntryDraft(
            code: "201-0502-JBN-E5EL", name: "督查调研所需经费", kind: .project, functionCode: "2013102",
            sources: FundingSources(general: Money(fen: 15_000_000)),
            purpose: "调研", plan: plan(30, 60, 90, 100), goals: "提出意见建议",
            items: [EntryItem(econ: "30231", amount: Money(fen: 15_000_000))],
            indicators: [
                Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "完成率", value: "≥95", basis: "职责"),
                Indicator(l1: "满意度指标", l2: "满意度", l3: "领导满意度", desc: "比率", value: "≥80", basis: "职责"),
            ])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: RuleCode
        var field: String
        var blocksStorage: Bool
        var context = ValidationContext()
        var change: @Sendable (inout EntryDraft) -> Void
        var testDescription: String { name }
    }

    /// Every class of violation, with whether a draft holding it may be stored (written here, not
    /// derived from the rules under test).
    static let cases: [Case] = [
        Case(name: "V1 negative source", rule: .v1, field: "fund", blocksStorage: true) { $0.sources.fund = Money(fen: -1) },
        Case(name: "V1 zero amount", rule: .v1, field: "amount", blocksStorage: true) {
            $0.sources.general = .zero
            $0.items = []
        },
        Case(name: "V1 negative item", rule: .v1, field: "items[1].amount", blocksStorage: true) {
            $0.items.append(EntryItem(econ: "30201", amount: Money(fen: -5)))
        },
        Case(name: "V2 econ code not digits", rule: .v2, field: "items[0].econ", blocksStorage: true) { $0.items[0].econ = "3x" },
        Case(name: "V2 items do not sum", rule: .v2, field: "items", blocksStorage: false) { $0.items[0].amount = Money(fen: 100) },
        Case(name: "V3 plan of three values", rule: .v3, field: "plan", blocksStorage: true) { $0.plan = plan(30, 60, 100) },
        Case(name: "V3 plan of six values", rule: .v3, field: "plan", blocksStorage: true) { $0.plan = plan(10, 20, 30, 60, 90, 100) },
        Case(name: "V3 project without a plan", rule: .v3, field: "plan", blocksStorage: false) { $0.plan = [] },
        Case(name: "V3 percentage outside 0–100", rule: .v3, field: "plan[2]", blocksStorage: true) { $0.plan = plan(30, 60, 101, 100) },
        Case(name: "V3 plan decreasing", rule: .v3, field: "plan[2]", blocksStorage: false) { $0.plan = plan(30, 60, 50, 100) },
        Case(name: "V3 last not 100", rule: .v3, field: "plan[3]", blocksStorage: false) { $0.plan = plan(30, 60, 90, 95) },
        Case(name: "V3 a plan on an operation", rule: .v3, field: "plan", blocksStorage: false) { $0.kind = .operation },
        Case(name: "V4 no goals", rule: .v4, field: "goals", blocksStorage: false) { $0.goals = " " },
        Case(name: "V4 no output indicator", rule: .v4, field: "indicators", blocksStorage: false) { $0.indicators.removeFirst() },
        Case(name: "V5 bad catalog", rule: .v5, field: "procurement[0].catalog", blocksStorage: true) {
            $0.procurement = [ProcurementItem(item: "纸", catalog: "Z1", unit: "箱", quantity: Quantity(1), price: Money(fen: 100))]
        },
        Case(name: "V5 procurement above the amount", rule: .v5, field: "procurement", blocksStorage: true) {
            $0.procurement = [ProcurementItem(item: "纸", catalog: "A02", unit: "箱", quantity: Quantity(1), price: Money(fen: 20_000_000))]
        },
        Case(name: "V6 no code", rule: .v6, field: "code", blocksStorage: true) { $0.code = "" },
        Case(name: "V6 code taken", rule: .v6, field: "code", blocksStorage: true, context: ValidationContext(codeTakenInYear: true)) { _ in },
        Case(name: "V6 bad function code", rule: .v6, field: "function_code", blocksStorage: true) { $0.functionCode = "20" },
        Case(name: "V6 control character in purpose", rule: .v6, field: "purpose", blocksStorage: true) { $0.purpose = "a\u{1B}b" },
        Case(name: "V7 over the control figure", rule: .v7, field: "amount", blocksStorage: false,
             context: ValidationContext(controlFigure: Money(fen: 100), checkControlFigure: true)) { _ in },
    ]

    @Test("each class of violation blocks storage or not, as the table says", arguments: cases)
    func table(_ c: Case) {
        var draft = Self.project()
        #expect(Validator.validate(draft, context: ValidationContext()).isEmpty, "the base project is valid")
        c.change(&draft)
        let found = Validator.validate(draft, context: c.context).filter { $0.rule == c.rule && $0.field == c.field }
        #expect(found.count == 1, "\(Validator.validate(draft, context: c.context))")
        #expect(found.allSatisfy { $0.blocksStorage == c.blocksStorage })
        if c.context == ValidationContext() {
            #expect(Validator.storageViolations(draft).contains { $0.rule == c.rule && $0.field == c.field } == c.blocksStorage)
        }
    }

    @Test("storability never reads the message: rewording a violation keeps it", arguments: cases)
    func wording(_ c: Case) throws {
        var draft = Self.project()
        c.change(&draft)
        let violation = try #require(Validator.validate(draft, context: c.context).first { $0.rule == c.rule && $0.field == c.field })
        // The sentences storage once looked for, put on every class, and none at all.
        for wording in ["", "plan percentage 101.00 is outside 0–100", Validator.planLengthMessage(3), Validator.planLengthMessage(0)] {
            var reworded = violation
            reworded.message = wording
            #expect(reworded.blocksStorage == c.blocksStorage)
            #expect(reworded == Violation(rule: c.rule, field: c.field, message: wording, blocksStorage: c.blocksStorage))
        }
    }

    @Test("a violation's wire shape is unchanged: rule, field, message")
    func wireShape() throws {
        let violation = Violation(rule: .v3, field: "plan[0]", message: "m", blocksStorage: true)
        let json = String(decoding: try JSONEncoder().encode(violation), as: UTF8.self)
        #expect(!json.contains("blocks"))
        #expect(try JSONDecoder().decode(Violation.self, from: Data(json.utf8)).rule == .v3)
    }
}
