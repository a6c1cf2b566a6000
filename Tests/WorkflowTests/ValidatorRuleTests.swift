import Testing
import Workflow
import WorkflowFixtures

/// A valid project to break one field at a time.
private let base = ReferenceProjects.supervisionResearch
private let noContext = ValidationContext()

private func violations(_ change: (inout EntryDraft) -> Void, context: ValidationContext = ValidationContext()) -> [Violation] {
    var draft = base
    change(&draft)
    return Validator.validate(draft, context: context)
}

/// `(rule, field)` pairs, the part of a violation a test pins down (messages are for people).
private func pairs(_ violations: [Violation]) -> [String] {
    violations.map { "\($0.rule.rawValue) \($0.field ?? "-")" }
}

@Suite("Validation rules")
struct ValidatorRuleTests {
    // MARK: V1

    @Test("V1: a negative source is reported by name", arguments: ["general", "fund", "state_capital", "special", "other"])
    func negativeSource(field: String) {
        // Another source makes up for it, so the amount (and the items' sum) stays 150000.00.
        var sources = FundingSources()
        let minus = yuan("-1.00")
        switch field {
        case "general": sources.general = minus
        case "fund": sources.fund = minus
        case "state_capital": sources.stateCapital = minus
        case "special": sources.special = minus
        default: sources.other = minus
        }
        if field == "general" { sources.other = yuan("150001.00") } else { sources.general = yuan("150001.00") }
        #expect(sources.total == yuan("150000.00"))
        #expect(pairs(violations { $0.sources = sources }) == ["V1 \(field)"])
    }

    @Test("V1: the amount must be above zero and at most 10¹² yuan")
    func amountBounds() {
        #expect(pairs(violations { $0.sources = FundingSources(); $0.items = [] }) == ["V1 amount"])
        #expect(pairs(violations { $0.sources = FundingSources(general: yuan("1000000000000.01")); $0.items = [] })
            == ["V1 amount"])
        #expect(violations { $0.sources = FundingSources(general: yuan("1000000000000.00")); $0.items = [] } == [])
        #expect(violations { $0.sources = FundingSources(general: yuan("0.01")); $0.items = [] } == [])
        // Sources whose sum leaves Int64 are reported, not trapped on.
        #expect(pairs(violations {
            $0.sources = FundingSources(general: Money(fen: .max), fund: Money(fen: 1)); $0.items = []
        }) == ["V1 amount"])
    }

    @Test("V1: several sources split the amount; fiscal is general + fund + state capital")
    func mixedSources() {
        let sources = FundingSources(
            general: yuan("100.00"), fund: yuan("20.00"), stateCapital: yuan("3.00"), special: yuan("0.40"), other: yuan("0.05"))
        #expect(sources.total == yuan("123.45"))
        #expect(sources.fiscal == yuan("123.00"))
        #expect(violations { $0.sources = sources; $0.items = [] } == [])
    }

    // MARK: V2

    @Test("V2: items that do not sum to the amount")
    func itemsSum() {
        let found = violations { $0.items[1].amount = yuan("49999.99") }
        #expect(pairs(found) == ["V2 items"])
        #expect(found[0].message.contains("149999.99"))
        #expect(violations { $0.items = [] } == [], "no items is fine")
        #expect(pairs(violations { $0.items.append(EntryItem(econ: "30201", amount: yuan("0.01"))) }) == ["V2 items"])
    }

    @Test("V2: an economic classification code is 3–5 digits")
    func itemEcon() {
        #expect(pairs(violations { $0.items[0].econ = "302 31" }) == ["V2 items[0].econ"])
        #expect(pairs(violations { $0.items[1].econ = "" }) == ["V2 items[1].econ"])
        #expect(violations { $0.items[0].econ = "302" } == [])
    }

    @Test("V1: a negative item amount, and V2 when the items then miss the amount")
    func negativeItem() {
        #expect(pairs(violations { $0.items[1].amount = yuan("-50000.00") }) == ["V1 items[1].amount", "V2 items"])
    }

    // MARK: V3

    @Test("V3: the plan must end at exactly 100")
    func planEnd() {
        #expect(pairs(violations { $0.plan = plan(30, 60, 90, 95) }) == ["V3 plan[3]"])
        #expect(violations { $0.plan = [Percent(30), Percent(hundredths: 6050), Percent(90), Percent(100)] } == [])
    }

    @Test("V3: the cumulative plan may not go down")
    func planDown() {
        #expect(pairs(violations { $0.plan = plan(30, 60, 50, 100) }) == ["V3 plan[2]"])
        #expect(violations { $0.plan = plan(0, 0, 100, 100) } == [], "flat steps are allowed")
    }

    @Test("V3: exactly four points, each within 0–100")
    func planShape() {
        #expect(pairs(violations { $0.plan = plan(50, 100) }) == ["V3 plan"])
        #expect(pairs(violations { $0.plan = [] }) == ["V3 plan"])
        #expect(pairs(violations { $0.plan = plan(30, 60, 90, 100, 100) }) == ["V3 plan"])
        #expect(pairs(violations { $0.plan = plan(-10, 60, 90, 100) }) == ["V3 plan[0]"])
        #expect(pairs(violations { $0.plan = plan(30, 60, 90, 101) }) == ["V3 plan[3]", "V3 plan[3]"])
    }

    @Test("V3: only projects have a plan", arguments: [EntryKind.personnel, .operation])
    func planOnlyForProjects(kind: EntryKind) {
        let basic = EntryDraft(
            code: "201002-JBZC-01", name: "基本支出", kind: kind, functionCode: "2013101",
            sources: FundingSources(general: yuan("1119400.00")))
        #expect(Validator.validate(basic, context: noContext) == [], "no plan, goals or indicators needed")
        var withPlan = basic
        withPlan.plan = plan(30, 60, 90, 100)
        #expect(pairs(Validator.validate(withPlan, context: noContext)) == ["V3 plan"])
    }

    // MARK: V4

    @Test("V4: a project needs an 产出指标")
    func noOutput() {
        #expect(pairs(violations { $0.indicators.removeAll { $0.l1 == "产出指标" } }) == ["V4 indicators"])
    }

    @Test("V4: a project needs an outcome indicator; 效果, 效益 and 满意度 all count")
    func outcome() {
        #expect(pairs(violations { $0.indicators.removeAll { $0.l1 == "满意度指标" } }) == ["V4 indicators"])
        for level in ["效果指标", "效益指标", "满意度指标"] {
            #expect(violations { $0.indicators[2].l1 = level } == [], "\(level)")
        }
        #expect(pairs(violations { $0.indicators[2].l1 = "成本指标" }) == ["V4 indicators"])
        #expect(pairs(violations { $0.indicators = [] }) == ["V4 indicators", "V4 indicators"])
    }

    @Test("V4: a project needs goals text")
    func goals() {
        #expect(pairs(violations { $0.goals = " \n " }) == ["V4 goals"])
    }

    // MARK: V5

    @Test("V5: catalog codes are A, B or C and at least two digits", arguments: [
        "D01", "A1", "A", "a0201", "A02-01", "", " A0201", "A0201 ", "A０2", "AB01", "Ａ0201",
    ])
    func badCatalog(catalog: String) {
        let found = Validator.validate(withProcurement { $0.catalog = catalog }, context: noContext)
        #expect(pairs(found) == ["V5 procurement[0].catalog"])
    }

    @Test("V5: good catalog codes", arguments: ["A02010104", "A020204", "B01", "C15040201"])
    func goodCatalog(catalog: String) {
        #expect(Validator.validate(withProcurement { $0.catalog = catalog }, context: noContext) == [])
    }

    @Test("V5: quantity above zero, price not negative, name and unit present")
    func procurementLines() {
        #expect(pairs(Validator.validate(withProcurement { $0.quantity = Quantity(0) }, context: noContext))
            == ["V5 procurement[0].quantity"])
        #expect(pairs(Validator.validate(withProcurement { $0.quantity = Quantity(tenThousandths: -1) }, context: noContext))
            == ["V5 procurement[0].quantity"])
        #expect(pairs(Validator.validate(withProcurement { $0.price = yuan("-0.01") }, context: noContext))
            == ["V5 procurement[0].price"])
        #expect(Validator.validate(withProcurement { $0.price = .zero }, context: noContext) == [])
        #expect(pairs(Validator.validate(withProcurement { $0.item = " "; $0.unit = "" }, context: noContext))
            == ["V5 procurement[0].item", "V5 procurement[0].unit"])
    }

    @Test("V5: the procurement total may not exceed the amount")
    func procurementOverAmount() {
        // 综合事务管理: 40万元, of which the other two lines take 2万元; computers cost 5000.00 each.
        var draft = ReferenceProjects.generalAffairs
        draft.procurement[0].quantity = Quantity(71)
        #expect(Validator.validate(draft, context: noContext) == [], "35.5 + 1 + 1 = 37.5万元 fits")
        draft.procurement[0].quantity = Quantity(76)
        #expect(Validator.validate(draft, context: noContext) == [], "38 + 1 + 1 = 40万元 fits exactly")
        draft.procurement[0].quantity = Quantity(tenThousandths: 760_001)
        #expect(pairs(Validator.validate(draft, context: noContext)) == ["V5 procurement"], "0.50 yuan over")
        draft.procurement[0].quantity = Quantity(tenThousandths: .max)
        #expect(pairs(Validator.validate(draft, context: noContext)) == ["V5 procurement[0]"], "overflow is reported, not trapped")
    }

    // MARK: V6

    @Test("V6: insane codes", arguments: [
        "x'; DROP TABLE entries;--", "201-0502 JBN", "\"201-0502\"", "", "-201-0502", ".hidden", "中文编码", "201/0502",
        "201-0502-JBN-E5EL\n", String(repeating: "A", count: 65),
    ])
    func badCode(code: String) {
        #expect(pairs(violations { $0.code = code }) == ["V6 code"])
    }

    @Test("V6: sane codes", arguments: [
        "201-0502-JBN-E5EL", "201-0901-JBN-LHVZ", "A.b_c-1", "7", String(repeating: "A", count: 64),
    ])
    func goodCode(code: String) {
        #expect(violations { $0.code = code } == [])
    }

    @Test("V6: a code already used in the year")
    func codeTaken() {
        #expect(pairs(violations({ _ in }, context: ValidationContext(codeTakenInYear: true))) == ["V6 code"])
    }

    @Test("V6: names are present, at most 200 characters and free of control characters")
    func names() {
        #expect(pairs(violations { $0.name = "" }) == ["V6 name"])
        #expect(pairs(violations { $0.name = " \t" }) == ["V6 name", "V6 name"])
        #expect(violations { $0.name = String(repeating: "经", count: 200) } == [])
        #expect(pairs(violations { $0.name = String(repeating: "经", count: 201) }) == ["V6 name"])
        for hidden in ["\u{07}", "\n", "\u{202E}", "\u{200B}", "\u{2028}", "\u{7F}"] {
            #expect(pairs(violations { $0.name = "督查" + hidden + "调研" }) == ["V6 name"], "U+\(hidden.unicodeScalars.first!.value)")
        }
    }

    @Test("V6: the functional classification is 3–7 digits", arguments: ["", "12", "12345678", "20131a", "２０１", "201 31"])
    func badFunctionCode(code: String) {
        #expect(pairs(violations { $0.functionCode = code }) == ["V6 function_code"])
    }

    // MARK: V7

    @Test("V7: committed + this amount ≤ control figure, only when asked and set")
    func controlFigure() {
        let over = ValidationContext(controlFigure: yuan("1000000.00"), committed: yuan("850000.01"), checkControlFigure: true)
        let found = violations({ _ in }, context: over)
        #expect(pairs(found) == ["V7 amount"])
        #expect(found[0].message.contains("0.01"))
        let exact = ValidationContext(controlFigure: yuan("1000000.00"), committed: yuan("850000.00"), checkControlFigure: true)
        #expect(violations({ _ in }, context: exact) == [])
        let notAsked = ValidationContext(controlFigure: yuan("1000000.00"), committed: yuan("999999.00"), checkControlFigure: false)
        #expect(violations({ _ in }, context: notAsked) == [])
        let notSet = ValidationContext(controlFigure: nil, committed: yuan("999999999.00"), checkControlFigure: true)
        #expect(violations({ _ in }, context: notSet) == [])
        let overflow = ValidationContext(controlFigure: yuan("1.00"), committed: Money(fen: .max), checkControlFigure: true)
        #expect(pairs(violations({ _ in }, context: overflow)) == ["V7 amount"])
    }

    // MARK: All at once

    @Test("several broken rules are reported together, in rule order")
    func allAtOnce() {
        var draft = ReferenceProjects.generalAffairs
        draft.code = "x'; DROP TABLE entries;--"
        draft.sources.other = yuan("-5.00")
        draft.plan = plan(30, 60, 50, 90)
        draft.indicators.removeAll { $0.l1 == "产出指标" }
        draft.procurement[1].catalog = "D999"
        draft.procurement[2].quantity = Quantity(0)
        draft.items = [EntryItem(econ: "30201", amount: yuan("1.00"))]
        let context = ValidationContext(
            codeTakenInYear: true, controlFigure: yuan("1.00"), checkControlFigure: true)
        #expect(pairs(Validator.validate(draft, context: context)) == [
            "V1 other", "V2 items", "V3 plan[2]", "V3 plan[3]", "V4 indicators",
            "V5 procurement[1].catalog", "V5 procurement[2].quantity", "V6 code", "V6 code", "V7 amount",
        ])
    }

    @Test("waived rules are dropped; the others remain")
    func waivers() {
        let broken: (inout EntryDraft) -> Void = { draft in
            draft.indicators = []
            draft.plan = plan(30, 60, 90, 95)
        }
        #expect(Set(violations(broken).map(\.rule)) == [.v3, .v4])
        #expect(violations(broken, context: ValidationContext(waived: [.v4])).map(\.rule) == [.v3])
        #expect(violations(broken, context: ValidationContext(waived: [.v3, .v4])) == [])
    }
}

/// The reference project with one procurement line, changed by `change`.
private func withProcurement(_ change: (inout ProcurementItem) -> Void) -> EntryDraft {
    var line = ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "台", quantity: Quantity(6), price: yuan("5000.00"))
    change(&line)
    var draft = base
    draft.procurement = [line]
    return draft
}
