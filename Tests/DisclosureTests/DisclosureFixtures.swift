import Foundation
import Disclosure
import Workflow
import WorkflowFixtures

/// Small hand-made disclosures for the arithmetic, the checks and the renderers.
enum DisclosureFixtures {
    static let department = Organization(code: "301", name: "测试部门", kind: .department, nature: "事业", level: "副科", funding: "财政补助")
    static let unit = Organization(code: "301001", name: "测试单位", kind: .unit, parentCode: "301")

    /// A draft of `kind` funded from `general` (and optionally other sources), with the given items.
    static func draft(
        _ code: String, _ kind: EntryKind, general: String, special: String = "0", other: String = "0",
        name: String? = nil, items: [(String, String)] = [], procurement: [ProcurementItem] = []
    ) -> EntryDraft {
        EntryDraft(
            code: code, name: name ?? "条目\(code)", kind: kind, functionCode: "2013101",
            sources: FundingSources(general: yuan(general), special: yuan(special), other: yuan(other)),
            purpose: "用途", plan: kind == .project ? plan(30, 60, 90, 100) : [], goals: kind == .project ? "目标" : "",
            items: items.map { EntryItem(econ: $0.0, amount: yuan($0.1)) },
            indicators: kind == .project
                ? [Indicator(l1: "产出指标", l2: "数量指标", l3: "完成率", desc: "完成", value: "100百分比", basis: "依据")] : [],
            procurement: procurement)
    }

    /// `drafts` as entries of `unit` (the test unit) in `year`, `state`.
    static func entries(
        _ drafts: [EntryDraft], year: Int = 2021, state: EntryState = .published,
        unit: String = unit.code, department: String = department.code
    ) -> [BudgetEntry] {
        drafts.map { BudgetEntry(id: UUID(), year: year, unitCode: unit, departmentCode: department, state: state, content: $0) }
    }

    /// The disclosure of `drafts` (published, 2021, of the first unit), with the given baseline,
    /// previous entries and narrative.
    static func disclosure(
        _ drafts: [EntryDraft], baseline: Baseline = .empty, previous: [EntryDraft]? = nil,
        narrative: Narrative = Narrative(), department: Organization = department, units: [Organization] = [unit]
    ) throws -> Disclosure {
        let unit = units.first?.code ?? unit.code
        return try Disclosure(DisclosureInput(
            department: department, units: units, year: 2021,
            entries: entries(drafts, unit: unit, department: department.code), baseline: baseline,
            previousEntries: previous.map { entries($0, year: 2020, unit: unit, department: department.code) },
            narrative: narrative))
    }
}
