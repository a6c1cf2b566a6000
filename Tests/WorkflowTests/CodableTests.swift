import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("JSON shape")
struct CodableTests {
    private func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a draft is flat snake_case with money as yuan strings and a derived amount")
    func draftShape() throws {
        let json = try object(ReferenceProjects.supervisionResearch)
        #expect(json["code"] as? String == "201-0502-JBN-E5EL")
        #expect(json["kind"] as? String == "project")
        #expect(json["function_code"] as? String == "2013102")
        #expect(json["amount"] as? String == "150000.00")
        #expect(json["general"] as? String == "150000.00")
        #expect(json["state_capital"] as? String == "0.00")
        #expect(json["plan"] as? [String] == ["30.00", "60.00", "90.00", "100.00"])
        let indicators = try #require(json["indicators"] as? [[String: String]])
        #expect(indicators.first?["value"] == "≥95百分比")
        #expect(Set(json.keys) == [
            "code", "name", "kind", "function_code", "amount", "general", "fund", "state_capital", "special", "other",
            "purpose", "plan", "goals", "items", "indicators", "procurement",
        ])
    }

    @Test("every reference project survives a JSON round trip", arguments: ReferenceProjects.all)
    func draftRoundTrip(draft: EntryDraft) throws {
        let data = try JSONEncoder().encode(draft)
        #expect(try JSONDecoder().decode(EntryDraft.self, from: data) == draft)
    }

    @Test("a sent amount must equal the sources' sum; absent sources are zero")
    func draftDecoding() throws {
        let minimal = #"{"code":"C1","name":"n","kind":"operation","function_code":"2013101","general":"10.00","fund":"0.5"}"#
        let draft = try JSONDecoder().decode(EntryDraft.self, from: Data(minimal.utf8))
        #expect(draft.amount == yuan("10.50"))
        #expect(draft.sources.other == .zero)
        #expect(draft.items.isEmpty && draft.plan.isEmpty)
        let agreeing = #"{"code":"C1","name":"n","kind":"operation","function_code":"1","general":"10","amount":"10.00"}"#
        #expect(try JSONDecoder().decode(EntryDraft.self, from: Data(agreeing.utf8)).amount == yuan("10.00"))
        let disagreeing = #"{"code":"C1","name":"n","kind":"operation","function_code":"1","general":"10","amount":"11.00"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EntryDraft.self, from: Data(disagreeing.utf8)) }
        let badKind = #"{"code":"C1","name":"n","kind":"capital","function_code":"1","general":"10"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EntryDraft.self, from: Data(badKind.utf8)) }
    }

    @Test("a budget entry is the draft's fields beside its identity and workflow fields")
    func entryRoundTrip() throws {
        let entry = BudgetEntry(
            id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, year: 2020, unitCode: "201002", departmentCode: "201",
            revision: 2, version: 5, state: .financeReview, content: ReferenceProjects.generalAffairs,
            supersedes: UUID(uuidString: "00000000-0000-0000-0000-000000000001"))
        let json = try object(entry)
        #expect(json["unit"] as? String == "201002")
        #expect(json["department"] as? String == "201")
        #expect(json["state"] as? String == "finance_review")
        #expect(json["revision"] as? Int == 2)
        #expect(json["version"] as? Int == 5)
        #expect(json["code"] as? String == "201-0901-JBN-LHVZ")
        #expect(json["amount"] as? String == "400000.00")
        let data = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(BudgetEntry.self, from: data) == entry)
        #expect(entry.scope == EntryScope(unitCode: "201002", departmentCode: "201"))
    }

    @Test("organizations")
    func organization() throws {
        let unit = Organization(code: "201002", name: "区委办（行政）", kind: .unit, parentCode: "201", nature: "行政", level: "正科", funding: "财政拨款")
        let json = try object(unit)
        #expect(json["parent"] as? String == "201")
        #expect(json["kind"] as? String == "unit")
        #expect(try JSONDecoder().decode(Organization.self, from: JSONEncoder().encode(unit)) == unit)
    }
}
