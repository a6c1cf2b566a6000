import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("text rule and JSON shape")
struct TextRuleTests {
    static let controls: [(String, String)] = [
        ("ESC", "p\u{1B}[31mRED"), ("CR", "a\rb"), ("DEL", "a\u{7F}b"), ("C1 NEL", "a\u{85}b"), ("backspace", "a\u{08}b"),
        ("NUL", "a\u{0}b"),
    ]

    @Test("control characters are refused in every free-text field of an entry, naming the field (V6)")
    func controlsInEntries() {
        for (label, text) in Self.controls {
            var draft = Self.project()
            draft.purpose = text
            draft.indicators[0].desc = text
            draft.procurement = [ProcurementItem(item: text, catalog: "A02010104", unit: "台", quantity: Quantity(6), price: Money(fen: 100))]
            let fields = Validator.validate(draft, context: ValidationContext()).filter { $0.rule == .v6 }.compactMap(\.field)
            #expect(fields.contains("purpose"), "\(label)")
            #expect(fields.contains("indicators[0].desc"), "\(label)")
            #expect(fields.contains("procurement[0].item"), "\(label)")
        }
        // Line breaks and tabs are text where a field has several lines, not in a one-line field.
        var draft = Self.project()
        draft.purpose = "第一行\n\t第二行"
        draft.goals = "1、…\n2、…"
        #expect(Validator.validate(draft, context: ValidationContext()).isEmpty)
        draft.indicators[0].l3 = "完成\n率"
        #expect(Validator.validate(draft, context: ValidationContext()).map(\.field) == ["indicators[0].l3"])
    }

    @Test("free text is bounded: a long purpose and a 7,000,000-character reason are refused, naming the field and the limit")
    func lengths() throws {
        var draft = Self.project()
        draft.purpose = String(repeating: "用", count: TextLimits.purpose.maxLength + 1)
        let violation = try #require(Validator.validate(draft, context: ValidationContext()).first)
        #expect(violation.field == "purpose" && violation.message.contains("\(TextLimits.purpose.maxLength)"))

        let reason = String(repeating: "x", count: 7_000_000)
        do {
            _ = try Transition.decide(TransitionRequest(
                state: .departmentReview, action: .reject, actor: Actor(name: "r", role: .departmentReviewer, orgCode: "201"),
                scope: EntryScope(unitCode: "201002", departmentCode: "201"), reason: reason))
            Issue.record("a 7,000,000-character reason was accepted")
        } catch {
            #expect(error.details.map(\.field) == ["reason"])
            #expect(error.message.contains("\(TextLimits.reason.maxLength)"))
        }
        #expect(TextLimits.problem("ok\u{1B}", field: "reason", TextLimits.reason)?.contains("U+001B") == true)
    }

    @Test("the reference sample's texts fit the limits")
    func referenceFits() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let entries = try Data(contentsOf: root.appendingPathComponent("sql/sample/201002-2020.blp"))
        let decoded = BLPEntryMapping.decodeEntries(Array(entries), unit: "201002", year: 2020)
        #expect(decoded.errors.isEmpty)
        #expect(!decoded.entries.isEmpty)
        for entry in decoded.entries {
            let v6 = Validator.validate(entry.draft, context: ValidationContext()).filter { $0.rule == .v6 }
            #expect(v6.isEmpty, "\(entry.draft.code): \(v6)")
        }
        let inputs = try Data(contentsOf: root.appendingPathComponent("sql/sample/201-2020-disclosure.blp"))
        let parsed = BLPEntryMapping.decodeDisclosureInputs(BLPParser.parse(Array(inputs), schema: .disclosureInputs), department: "201", year: 2020)
        #expect(parsed.errors.isEmpty)
        #expect(!parsed.inputs.narrative.isEmpty)
        #expect(parsed.inputs.problems.isEmpty)
        var long = parsed.inputs
        long.narrative["duties"] = String(repeating: "文", count: TextLimits.narrative.maxLength + 1)
        long.narrative["other"] = "a\u{1B}[2J"
        #expect(long.problems.map(\.field) == ["narrative.duties", "narrative.other"])
    }

    @Test("a plan of six values is a draft-storage violation, a missing plan only a completeness one")
    func planLength() {
        var draft = Self.project()
        draft.plan = [30, 60, 90, 100, 100, 100].map { Percent($0) }
        #expect(Validator.validate(draft, context: ValidationContext()).contains(where: Validator.isPlanLength))
        draft.kind = .operation
        #expect(Validator.validate(draft, context: ValidationContext()).contains(where: Validator.isPlanLength))
        draft.kind = .project
        draft.plan = []
        let missing = Validator.validate(draft, context: ValidationContext()).filter(Validator.isPlanLength)
        #expect(missing.map(\.message) == [Validator.planLengthMessage(0)])
    }

    @Test("organizations are checked before the database: code, name, parent, descriptive fields")
    func organizations() {
        #expect(Organization(code: "201", name: "中共保定市徐水区委办公室", kind: .department).problems.isEmpty)
        let bad = Organization(code: "-bad code", name: "x\u{1B}[31m", kind: .unit, nature: String(repeating: "行", count: 51))
        #expect(bad.problems.map(\.field) == ["code", "name", "parent", "nature"])
        #expect(Organization(code: "201", name: "  ", kind: .department, parentCode: "200").problems.map(\.field) == ["name", "parent"])
        #expect(TextLimits.isUserName("officer-201002") && !TextLimits.isUserName("bad name") && !TextLimits.isUserName("x\u{0}"))
    }

    // MARK: - JSON

    @Test("repeated keys are refused at every level, escapes decoded before comparing")
    func repeatedKeys() {
        #expect(JSONShapeCheck.problem(in: Array(#"{"code":"A","code":"B"}"#.utf8))?.field == "code")
        let nested = #"{"entries":[{"code":"A","items":[{"econ":"30201","amount":"1.00","\u0061mount":"2.00"}]}]}"#
        #expect(JSONShapeCheck.problem(in: Array(nested.utf8))?.field == "entries[0].items[0].amount")
        #expect(JSONShapeCheck.problem(in: Array(#"[{"a":1},{"a":2}]"#.utf8)) == nil)
        #expect(JSONShapeCheck.problem(in: Array(#"{"a":{"b":1},"b":{"a":1}}"#.utf8)) == nil)
    }

    @Test("bad UTF-8 and bad syntax are described in words, with line and column")
    func syntax() throws {
        let utf8 = try #require(JSONShapeCheck.problem(in: Array(#"{"name":""#.utf8) + [0xFF, 0x22, 0x7D]))
        #expect(utf8.message.contains("not valid UTF-8") && utf8.message.contains("line 1, column 10"))
        let broken = try #require(JSONShapeCheck.problem(in: Array("{\n  \"a\": 1,\n  \"b\" 2\n}".utf8)))
        #expect(broken.message == "the body is not valid JSON: expected ':' after a key at line 3, column 7")
        #expect(JSONShapeCheck.problem(in: Array(#"{"a":"x\u001b"}"#.utf8)) == nil)  // escaped: the text rule decides
        #expect(JSONShapeCheck.problem(in: Array("{\"a\":\"x\u{1B}\"}".utf8)) != nil)  // raw: not JSON
        #expect(JSONShapeCheck.problem(in: Array(String(repeating: "[", count: 65).utf8) + Array(String(repeating: "]", count: 65).utf8)) != nil)
        #expect(JSONShapeCheck.problem(in: Array(#"["\ud800"]"#.utf8)) != nil)
        #expect(JSONShapeCheck.problem(in: Array("[8888888888888888e08988888888888888888888]".utf8))?.message.contains("number out of range") == true)
        #expect(JSONShapeCheck.problem(in: Array(#"["\ud83d\ude00", -0.5e+3, true, null, {}]"#.utf8)) == nil)
    }

    @Test("fuzz: whatever the check accepts, Foundation parses too")
    func fuzz() throws {
        var rng = BLPTestRNG(seed: 11)
        let seeds = [
            #"{"entries":[{"code":"A-1","name":"督查","kind":"project","plan":["30","60"],"items":[{"econ":"30201","amount":"1.00"}]}]}"#,
            #"[1, -2.5e3, true, false, null, "a\"b\\c\u00e9\ud83d\ude00", {"x": []}]"#,
        ]
        let alphabet = Array(#"{}[]:,"\ -+.0123456789eEtrufalsn"#.utf8) + [0xE7, 0x9D, 0xA3, 0x00, 0x1B]
        for round in 0..<3000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let position = Int(rng.next() % UInt64(bytes.count + 1))
                switch rng.next() % 3 {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: position)
                default: if position < bytes.count { bytes[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                }
            }
            let accepted = JSONShapeCheck.problem(in: bytes) == nil
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            if accepted {
                #expect(foundation, "accepted but Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    static func project() -> EntryDraft {
        EntryDraft(
            code: "201-0502-JBN-E5EL", name: "督查调研所需经费", kind: .project, functionCode: "2013102",
            sources: FundingSources(general: Money(fen: 15_000_000)),
            purpose: "该项目用于2020年课题调研支出", plan: [30, 60, 90, 100].map { Percent($0) }, goals: "提出意见建议",
            items: [EntryItem(econ: "30231", amount: Money(fen: 15_000_000))],
            indicators: [
                Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "调研工作完成率", value: "≥95百分比", basis: "依据部门职责"),
                Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "领导满意度", desc: "比率", value: "≥80百分比", basis: "依据部门职责"),
            ])
    }
}

