import Foundation
import Testing
import Workflow
import WorkflowFixtures

private let entryID = UUID(uuidString: "6f1c2a52-0000-4000-8000-0000000000c1")!
/// Project 150,000.00 general; items 30231 (公务用车运行维护费) 100,000.00 and 30211 50,000.00.
private let content = ReferenceProjects.supervisionResearch

private func snapshot(_ state: EntryState, _ standing: ControlFigureStanding?, waived: Set<RuleCode> = []) -> EntryActionSnapshot {
    EntryActionSnapshot(
        entry: BudgetEntry(id: entryID, year: 2021, unitCode: "201002", departmentCode: "201", revision: 1, version: 3,
                           state: state, content: content),
        waived: waived, controlFigure: standing)
}

private let finance = Actor(name: "qian", role: .financeReviewer)
private let reviewer = Actor(name: "zhao", role: .departmentReviewer, orgCode: "201")
private let otherReviewer = Actor(name: "li", role: .departmentReviewer, orgCode: "202")
private let officer = Actor(name: "wang", role: .officer, orgCode: "201002")

/// Both sheets one fen short in kind:project: whichever the step checks is named.
private let tight = ControlFigureStanding.managed(ControlCheck(
    unit: ControlStanding(level: .unit, holder: "201002", ceilings: [.project: yuan("149999.99")]),
    department: ControlStanding(level: .department, holder: "201", ceilings: [.project: yuan("1000000.00")],
                                used: [.project: yuan("850000.01")])))

@Suite("Control figures: cells, sheets and their checks")
struct ControlFigureTests {
    @Test("an entry adds its amount to its kind and the total, each source to its cell, 三公 items to theirs")
    func contribution() {
        #expect(ControlCell.contribution(of: content) == [
            .project: yuan("150000.00"), .total: yuan("150000.00"), .general: yuan("150000.00"),
            .vehicleOperation: yuan("100000.00"),
        ])
        var mixed = content
        mixed.kind = .operation
        mixed.sources = FundingSources(fund: yuan("1.00"), stateCapital: yuan("2.00"), special: yuan("3.00"), other: yuan("4.00"))
        mixed.items = [EntryItem(econ: "30212", amount: yuan("1.00")), EntryItem(econ: "31013", amount: yuan("2.00")),
                       EntryItem(econ: "30217", amount: yuan("3.00")), EntryItem(econ: "30217", amount: yuan("4.00"))]
        #expect(ControlCell.contribution(of: mixed) == [
            .operation: yuan("10.00"), .total: yuan("10.00"), .fund: yuan("1.00"), .stateCapital: yuan("2.00"),
            .special: yuan("3.00"), .other: yuan("4.00"), .abroad: yuan("1.00"), .vehiclePurchase: yuan("2.00"),
            .reception: yuan("7.00"),
        ])
    }

    /// Which sheet each step checks in a managed year: (role, action, from) → the fields named.
    @Test("submit checks the unit's cells, department approval the department's, finance approval both", arguments: [
        (officer, EntryAction.submit, EntryState.draft, ["unit.kind:project"]),
        (reviewer, .approve, .departmentReview, ["department.kind:project"]),
        (finance, .approve, .financeReview, ["unit.kind:project", "department.kind:project"]),
        (officer, .withdraw, .departmentReview, []),
        (reviewer, .reject, .departmentReview, []),
        (finance, .reject, .financeReview, []),
    ])
    func stepsCheck(_ actor: Actor, _ action: EntryAction, _ state: EntryState, _ fields: [String]) {
        let result = Result { () throws(WorkflowError) in
            try EntryActionCommand(action, on: entryID, reason: "退回").decide(actor, snapshot(state, tight))
        }
        switch result {
        case .success: #expect(fields.isEmpty)
        case .failure(let error):
            guard case .validationFailed(let violations) = error else { Issue.record("\(error)"); return }
            #expect(violations.map(\.field) == fields)
            #expect(violations.allSatisfy { $0.rule == .v7 })
        }
    }

    @Test("what the step reads follows the table: needs by role × state")
    func needs() {
        #expect(EntryActionCommand(.submit, on: entryID).needs(by: officer, from: .draft) == [.unitFigures])
        #expect(EntryActionCommand(.approve, on: entryID).needs(by: reviewer, from: .departmentReview) == [.departmentFigures])
        #expect(EntryActionCommand(.approve, on: entryID).needs(by: finance, from: .financeReview)
                == [.controlFigure, .unitFigures, .departmentFigures, .approvedRevision])
        #expect(EntryActionCommand(.withdraw, on: entryID).needs(by: officer, from: .departmentReview) == [])
    }

    @Test("every overshoot is listed with ceiling, used, amount and excess; a cell the entry adds nothing to is not its overshoot")
    func everyOvershoot() throws {
        let unit = ControlStanding(level: .unit, holder: "201002", ceilings: [
            .project: yuan("200000.00"), .vehicleOperation: yuan("120000.00"), .fund: .zero, .total: yuan("10000000.00"),
            .reception: .zero,
        ], used: [.project: yuan("60000.00"), .vehicleOperation: yuan("30000.00"), .reception: yuan("5.00")])
        let overshoots = unit.overshoots(adding: content)
        #expect(overshoots == [
            ControlOvershoot(level: .unit, holder: "201002", cell: .project, ceiling: yuan("200000.00"), used: yuan("60000.00"),
                             amount: yuan("150000.00"), excess: yuan("10000.00")),
            ControlOvershoot(level: .unit, holder: "201002", cell: .vehicleOperation, ceiling: yuan("120000.00"),
                             used: yuan("30000.00"), amount: yuan("100000.00"), excess: yuan("10000.00")),
        ])
        #expect(overshoots[0].violation.message
                == "unit 201002 kind:project: used 60000.00 plus this entry 150000.00 exceed the control figure 200000.00 by 10000.00")
        let submit = Result { () throws(WorkflowError) in
            try EntryActionCommand(.submit, on: entryID).decide(officer, snapshot(.draft, .managed(ControlCheck(unit: unit))))
        }
        guard case .failure(.validationFailed(let violations)) = submit else { Issue.record("\(submit)"); return }
        #expect(violations.map(\.field) == ["unit.kind:project", "unit.sangong:vehicle_operation"])
        // Exactly at the ceiling passes.
        let exact = ControlStanding(level: .unit, holder: "201002", ceilings: [.project: yuan("150000.00")])
        #expect(exact.overshoots(adding: content).isEmpty)
    }

    @Test("a waiver of V7 lifts every cell; an unmanaged standing is not checked before the finance bureau")
    func waiverAndUnmanaged() throws {
        let plan = try EntryActionCommand(.approve, on: entryID).decide(finance, snapshot(.financeReview, tight, waived: [.v7])).plan
        #expect(plan.writes == [.setEntryState(id: entryID, to: .approved)])
        let unmanaged = ControlFigureStanding.unmanaged(ceiling: yuan("1.00"), committed: .zero)
        #expect(throws: Never.self) { try EntryActionCommand(.submit, on: entryID).decide(officer, snapshot(.draft, unmanaged)) }
        #expect(throws: WorkflowError.self) {
            try EntryActionCommand(.approve, on: entryID).decide(finance, snapshot(.financeReview, unmanaged))
        }
    }

    @Test("cell assignments: unknown cells, repeats, non-decimals and a third decimal are refused naming the field", arguments: [
        ("kind:project=1774200.00", nil),
        ("kind:projects=1.00", "cell"),
        ("kind:project", "cell"),
        ("total=1.005", "total"),
        ("total=abc", "total"),
        ("total=1e5", "total"),
        ("sangong:reception=", "sangong:reception"),
    ] as [(String, String?)])
    func assignments(_ text: String, _ field: String?) {
        let result = Result { () throws(WorkflowError) in try ControlCell.parseAssignments([text]) }
        switch (result, field) {
        case (.success(let cells), nil): #expect(cells == [.project: yuan("1774200.00")])
        case (.failure(let error), let field?): #expect(error.details.map(\.field) == [field], "\(error)")
        default: Issue.record("\(text): \(result)")
        }
        let twice = Result { () throws(WorkflowError) in try ControlCell.parseAssignments(["total=1", "total=2"]) }
        guard case .failure(let error) = twice else { Issue.record("a repeated cell passed"); return }
        #expect(error.details.map(\.field) == ["total"])
    }

    @Test("department figures: the finance bureau's; negative or huge amounts refused by cell; never below the units' allocations")
    func departmentFigures() throws {
        #expect(throws: WorkflowError.forbidden("only the finance bureau sets a department's control figures")) {
            try SetDepartmentFiguresCommand(actor: reviewer, department: "201", year: 2021, cells: [.total: yuan("1.00")])
        }
        let negative = Result { () throws(WorkflowError) in
            try SetDepartmentFiguresCommand(actor: finance, department: "201", year: 2021,
                                            cells: [.project: yuan("-1.00"), .total: Money(fen: 100_000_000_000_001)])
        }
        guard case .failure(let error) = negative else { Issue.record("bad amounts passed"); return }
        #expect(error.details.map(\.field) == ["kind:project", "total"])
        #expect(throws: WorkflowError.self) { try SetDepartmentFiguresCommand(actor: finance, department: "201", year: 2021, cells: [:]) }

        let command = try SetDepartmentFiguresCommand(
            actor: finance, department: "201", year: 2021,
            cells: [.project: yuan("1774200.00"), .personnel: yuan("7231300.00")], reason: "  一下控制数  ")
        #expect(throws: WorkflowError.notFound(resource: "department")) { try command.decide(exists: false, current: [:], allocated: [:]) }
        let plan = try command.decide(exists: true, current: [.personnel: yuan("7231300.00"), .project: yuan("1000000.00")], allocated: [:])
        #expect(plan.writes == [.setControlCells(year: 2021, department: "201", unit: nil, cells: [.project: yuan("1774200.00")])])
        #expect(plan.events == [PlannedEvent(
            chain: "control:201:2021", action: "control.department", reason: "一下控制数",
            changes: ["cell": "kind:project", "amount": "1774200.00", "previous": "1000000.00", "department": "201"])])
        let short = Result { () throws(WorkflowError) in
            try command.decide(exists: true, current: [:], allocated: [.project: yuan("1774200.01")])
        }
        guard case .failure(.validationFailed(let violations)) = short else { Issue.record("\(short)"); return }
        #expect(violations.map(\.field) == ["kind:project"] && violations[0].message.contains("by 0.01"))
    }

    @Test("allocation: the department's reviewer or the finance bureau; another department's unit is absent; overshoots named per cell")
    func allocation() throws {
        let scope = EntryScope(unitCode: "201002", departmentCode: "201")
        let department: [ControlCell: Money] = [.project: yuan("1774200.00"), .reception: yuan("205000.00")]
        #expect(throws: WorkflowError.forbidden("only the department's reviewer or the finance bureau allocates control figures to units")) {
            try AllocateUnitFiguresCommand(actor: officer, unit: "201002", year: 2021, cells: [.total: .zero])
        }
        let foreign = try AllocateUnitFiguresCommand(actor: otherReviewer, unit: "201002", year: 2021, cells: [.project: yuan("1.00")])
        #expect(throws: WorkflowError.notFound(resource: "unit")) {
            try foreign.decide(scope: scope, departmentFigures: department, otherUnits: [:], current: [:])
        }
        #expect(throws: WorkflowError.notFound(resource: "unit")) {
            try foreign.decide(scope: nil, departmentFigures: [:], otherUnits: [:], current: [:])
        }
        for actor in [reviewer, finance] {
            let command = try AllocateUnitFiguresCommand(
                actor: actor, unit: "201002", year: 2021,
                cells: [.project: yuan("1000000.00"), .reception: yuan("100000.00"), .abroad: yuan("1.00")], reason: "分配")
            let over = Result { () throws(WorkflowError) in
                try command.decide(scope: scope, departmentFigures: department,
                                   otherUnits: [.project: yuan("774200.01"), .reception: yuan("105000.00")], current: [:])
            }
            guard case .failure(.validationFailed(let violations)) = over else { Issue.record("\(over)"); return }
            #expect(violations.map(\.field) == ["kind:project", "sangong:abroad"])
            #expect(violations[0].message.contains("by 0.01") && violations[1].message.contains("has no figure"))
            let within = try AllocateUnitFiguresCommand(
                actor: actor, unit: "201002", year: 2021, cells: [.project: yuan("1000000.00"), .total: yuan("5.00")])
            let plan = try within.decide(scope: scope, departmentFigures: department.merging([.total: yuan("5.00")]) { a, _ in a },
                                         otherUnits: [.project: yuan("774200.00")], current: [.total: yuan("5.00")])
            #expect(plan.writes == [.setControlCells(year: 2021, department: "201", unit: "201002", cells: [.project: yuan("1000000.00")])])
            #expect(plan.events.map(\.chain) == ["control:201002:2021"] && plan.events[0].changes["previous"] == nil)
        }
    }

    @Test("sheets: remaining is ceiling − used; who may read which sheet", arguments: [
        (officer, ControlLevel.unit, true), (officer, .department, false), (reviewer, .unit, true), (reviewer, .department, true),
        (otherReviewer, .unit, false), (otherReviewer, .department, false), (finance, .unit, true), (finance, .department, true),
        (Actor(name: "sun", role: .auditor), .department, true), (Actor(name: "root", role: .admin), .unit, false),
    ])
    func sheets(_ actor: Actor, _ level: ControlLevel, _ allowed: Bool) {
        let scope = level == .unit ? EntryScope(unitCode: "201002", departmentCode: "201") : EntryScope(unitCode: "", departmentCode: "201")
        let result = Result { () throws(WorkflowError) in try ControlSheet.checkRead(actor, level: level, scope: scope) }
        if allowed { #expect(throws: Never.self) { try result.get() } } else {
            #expect(throws: WorkflowError.notFound(resource: level.rawValue)) { try result.get() }
        }
        let sheet = ControlSheet(level: .department, holder: "201", year: 2021, ceilings: [.project: yuan("100.00")],
                                 allocated: [.project: yuan("80.00")], used: [.project: yuan("120.00"), .total: yuan("120.00")])
        #expect(sheet.cells.count == ControlCell.allCases.count)
        #expect(sheet.cells[2] == ControlSheet.Row(cell: .project, ceiling: yuan("100.00"), allocated: yuan("80.00"), used: yuan("120.00")))
        #expect(sheet.cells[2].remaining == yuan("-20.00"))
        #expect(sheet.cells.last?.remaining == nil && sheet.cells.last?.used == yuan("120.00"))
    }
}
