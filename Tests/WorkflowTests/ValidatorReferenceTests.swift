import Testing
import Workflow
import WorkflowFixtures

@Suite("Validation: the reference document's projects")
struct ValidatorReferenceTests {
    @Test("every reference project passes every rule", arguments: ReferenceProjects.all)
    func passes(draft: EntryDraft) {
        let context = ValidationContext(controlFigure: ReferenceProjects.total, checkControlFigure: true)
        #expect(Validator.validate(draft, context: context) == [], "\(draft.code) \(draft.name)")
    }

    @Test("amounts are the tables' 万元 figures")
    func amounts() throws {
        #expect(ReferenceProjects.all.map { $0.amount.wanYuanString() } == ["15.00", "2.28", "15.00", "2.16", "21.30", "40.00"])
        #expect(ReferenceProjects.all.allSatisfy { $0.sources.fiscal == $0.amount })
        #expect(try Money.sum(ReferenceProjects.all.map(\.amount)) == ReferenceProjects.total)
    }

    @Test("综合事务管理's procurement lines are the table's 3.00 + 1.00 + 1.00 万元")
    func procurement() throws {
        let lines = ReferenceProjects.generalAffairs.procurement
        #expect(lines.map { $0.amount.wanYuanString() } == ["3.00", "1.00", "1.00"])
        #expect(try Money.sum(lines.map(\.amount)) == yuan("50000.00"))
    }

    @Test("the committed amounts of all six fit a control figure of exactly their total")
    func controlFigureExact() throws {
        let last = ReferenceProjects.generalAffairs
        let othersTotal = try ReferenceProjects.total.subtracting(last.amount)
        let exact = ValidationContext(controlFigure: ReferenceProjects.total, committed: othersTotal, checkControlFigure: true)
        #expect(Validator.validate(last, context: exact) == [])
        let oneFenShort = ValidationContext(
            controlFigure: try ReferenceProjects.total.subtracting(Money(fen: 1)), committed: othersTotal, checkControlFigure: true)
        #expect(Validator.validate(last, context: oneFenShort).map(\.rule) == [.v7])
    }
}
