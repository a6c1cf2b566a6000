import Foundation
import TestSupport
import Testing
import Workflow

@testable import Persistence

/// Structured control figures against real PostgreSQL: set, allocated, used, and checked at every
/// step of a managed year; races never exceed a ceiling.
@Suite("control figures: cells, allocations, checks at every step, races")
struct ControlFigureTests {
    static let year = 2021

    /// Year 2021 becomes managed: its 一上 is open (today within the window).
    static func managed(_ f: Fixture) throws {
        try f.db.superuser().query("""
            INSERT INTO budget_rounds (year, round, opens_on, closes_on, opened_by)
            VALUES (\(year), '一上', current_date - 1, current_date + 365, 'finance')
            """)
    }

    static func cells(_ pairs: [(ControlCell, String)]) -> [ControlCell: Money] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, try! Money.parse($0.1)) })
    }

    /// Drafts of 2021 for a unit, submitted and approved by the department, ready for the finance bureau.
    static func inFinanceReview(_ f: Fixture, _ drafts: [EntryDraft], unit: String = "201002") async throws -> [BudgetEntry] {
        let created = try await f.create(drafts, unit: unit, year: year)
        let officer = unit == "201002" ? f.officer : f.officerSibling
        for entry in created {
            _ = try await f.entries.act(.submit, on: entry.id, by: officer)
            _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        }
        return created
    }

    static func violations(_ body: () async throws -> some Any) async -> [ErrorDetail] {
        do {
            _ = try await body()
            Issue.record("passed, but should have been refused")
            return []
        } catch let error as WorkflowError {
            return error.details
        } catch {
            Issue.record("\(error)")
            return []
        }
    }

    @Test("the finance bureau sets, the department allocates, sheets show ceiling, allocated, used and remaining; every change audited")
    func setAllocateShow() async throws {
        let f = try await Fixture.make()
        try await f.admin.setDepartmentFigures(
            department: "201", year: Self.year, cells: Self.cells([(.project, "500000.00"), (.vehicleOperation, "100000.00")]),
            reason: "一下控制数", by: f.finance)
        try await f.admin.allocateUnitFigures(
            unit: "201002", year: Self.year, cells: Self.cells([(.project, "300000.00"), (.vehicleOperation, "60000.00")]),
            by: f.reviewer)
        try await f.admin.allocateUnitFigures(unit: "201003", year: Self.year, cells: Self.cells([(.project, "200000.00")]), by: f.finance)
        // Beyond the department's figure: refused naming each cell; nothing changes.
        let refused = await Self.violations {
            try await f.admin.allocateUnitFigures(
                unit: "201003", year: Self.year, cells: Self.cells([(.project, "200000.01"), (.vehicleOperation, "40000.01")]),
                by: f.reviewer)
        }
        #expect(refused.map(\.field) == ["kind:project", "sangong:vehicle_operation"])
        #expect(refused.allSatisfy { $0.rule == .v7 && $0.message.contains("by 0.01") })
        // Another department's reviewer: the unit does not exist for it.
        await expectError("not_found") {
            try await f.admin.allocateUnitFigures(unit: "201002", year: Self.year, cells: Self.cells([(.project, "1.00")]), by: f.reviewerElsewhere)
        }
        await expectError("forbidden") {
            try await f.admin.setDepartmentFigures(department: "201", year: Self.year, cells: Self.cells([(.total, "1.00")]), by: f.reviewer)
        }
        // Lowering the department's figure below its allocations is refused.
        let short = await Self.violations {
            try await f.admin.setDepartmentFigures(department: "201", year: Self.year, cells: Self.cells([(.project, "499999.99")]), by: f.finance)
        }
        #expect(short.map(\.field) == ["kind:project"])

        // Used: in review, approved or published, each code once (drafts do not count).
        _ = try await Self.inFinanceReview(f, [Fixture.project("U-1", yuan: "120000.00")])
        _ = try await f.create([Fixture.project("U-DRAFT", yuan: "1.00")], year: Self.year)
        let unit = try await f.admin.unitSheet("201002", year: Self.year, for: f.officer)
        let project = try #require(unit.cells.first { $0.cell == .project })
        #expect(project == ControlSheet.Row(cell: .project, ceiling: try Money.parse("300000.00"), allocated: nil, used: try Money.parse("120000.00")))
        #expect(project.remaining == (try Money.parse("180000.00")))
        let vehicle = try #require(unit.cells.first { $0.cell == .vehicleOperation })
        let (used120, minus60) = (try Money.parse("120000.00"), try Money.parse("-60000.00"))
        #expect(vehicle.used == used120 && vehicle.remaining == minus60)
        let department = try await f.admin.departmentSheet("201", year: Self.year, for: f.reviewer)
        let row = try #require(department.cells.first { $0.cell == .project })
        let fiveHundred = try Money.parse("500000.00")
        #expect(row.ceiling == fiveHundred && row.allocated == fiveHundred && row.used == used120)
        await expectError("not_found") { try await f.admin.departmentSheet("201", year: Self.year, for: f.officer) }
        await expectError("not_found") { try await f.admin.departmentSheet("201", year: Self.year, for: f.reviewerElsewhere) }
        await expectError("not_found") { try await f.admin.unitSheet("201002", year: Self.year, for: f.officerSibling) }

        let events = try f.db.superuser().query("""
            SELECT chain, action, actor, reason, changes::text AS changes FROM audit_events
            WHERE chain LIKE 'control:%' ORDER BY id
            """)
        let changes = try events.map { try $0.decode("changes", as: String.self) }
        #expect(events.count == 5)  // two department cells, two + one allocations; refusals write nothing
        let rows = events.rows
        let firstReason = try rows[0].decode("reason", as: String?.self), firstActor = try rows[0].decode("actor", as: String.self)
        #expect(firstReason == "一下控制数")
        #expect(firstActor == "finance")
        #expect(changes[0].contains(#""amount": "500000.00""#) || changes[0].contains(#""amount":"500000.00""#), "\(changes[0])")
        #expect(try rows[2].decode("chain", as: String.self) == "control:201002:2021")
        #expect(try await f.verifyAudit().ok)
    }

    @Test("a managed year checks at every step: submit the unit's cells, department approval the department's, finance both; V7 waivable")
    func everyStep() async throws {
        let f = try await Fixture.make()
        try Self.managed(f)
        try await f.admin.setDepartmentFigures(
            department: "201", year: Self.year, cells: Self.cells([(.project, "400000.00"), (.total, "1000000.00")]), by: f.finance)
        try await f.admin.allocateUnitFigures(
            unit: "201002", year: Self.year, cells: Self.cells([(.project, "300000.00"), (.total, "250000.00")]), by: f.reviewer)
        let drafts = try await f.create([Fixture.project("S-1", yuan: "200000.00"), Fixture.project("S-2", yuan: "100000.00")], year: Self.year)
        _ = try await f.entries.act(.submit, on: drafts[0].id, by: f.officer)
        // 200,000 used + 100,000 fits kind:project (300,000) but not the total (250,000).
        let submit = await Self.violations { try await f.entries.act(.submit, on: drafts[1].id, by: f.officer) }
        #expect(submit.map(\.field) == ["unit.total"])
        #expect(submit.first?.message == "unit 201002 total: used 200000.00 plus this entry 100000.00 exceed the control figure 250000.00 by 50000.00")
        try await f.admin.waive(.v7, for: drafts[1].id, reason: "追加", by: f.finance)
        _ = try await f.entries.act(.submit, on: drafts[1].id, by: f.officer)

        // The sibling unit's entry fits its (absent) unit figure, but not the department's.
        let sibling = try #require(try await f.create([Fixture.project("S-3", yuan: "100000.01")], unit: "201003", year: Self.year).first)
        _ = try await f.entries.act(.submit, on: sibling.id, by: f.officerSibling)
        let department = await Self.violations { try await f.entries.act(.approve, on: sibling.id, by: f.reviewer) }
        #expect(department.map(\.field) == ["department.kind:project"])
        _ = try await f.entries.act(.reject, on: sibling.id, reason: "超部门控制数", by: f.reviewer)
        _ = try await f.entries.act(.approve, on: drafts[0].id, by: f.reviewer)
        _ = try await f.entries.act(.approve, on: drafts[1].id, by: f.reviewer)
        // The finance bureau checks the unit's cells again: S-2 (waived) is used, so S-1 no longer fits the total.
        let finance = await Self.violations { try await f.entries.act(.approve, on: drafts[0].id, by: f.finance) }
        #expect(finance.map(\.field) == ["unit.total"])
        try await f.admin.setControlFigure(unit: "201002", year: Self.year, amount: try Money.parse("300000.00"), by: f.finance)
        #expect(try await f.entries.act(.approve, on: drafts[0].id, by: f.finance).entry.state == .approved)
        // An unmanaged year (2020) is as before: no check at submit.
        try await f.admin.setControlFigure(unit: "201002", year: 2020, amount: try Money.parse("1.00"), by: f.finance)
        let old = try #require(try await f.create([Fixture.project("O-1")]).first)
        _ = try await f.entries.act(.submit, on: old.id, by: f.officer)
    }

    /// Runs two changes while `lock` holds a row both need; both must be waiting on it before it
    /// is released. Returns their outcomes.
    static func race(
        _ f: Fixture, holding lock: SQL, _ one: @escaping @Sendable () async throws -> Void,
        _ two: @escaping @Sendable () async throws -> Void
    ) async throws -> [Result<Void, any Error>] {
        let blocker = try f.db.superuser(), observer = try f.db.superuser()
        try blocker.query("BEGIN")
        try blocker.query(lock)
        @Sendable func run(_ body: @Sendable () async throws -> Void) async -> Result<Void, any Error> {
            do { return .success(try await body()) } catch { return .failure(error) }
        }
        async let first = run(one)
        async let second = run(two)
        defer { _ = try? blocker.query("ROLLBACK") }
        let giveUp = ContinuousClock.now + .seconds(120)  // only a guard against hanging
        var waiting = 0
        while waiting < 2 && ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(5))
            waiting = try observer.query("""
                SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).first!.decode("n")
        }
        #expect(waiting == 2)  // both inside their transactions, waiting on the held row
        try blocker.query("COMMIT")
        return [await first, await second]
    }

    @Test("two submits at once never together exceed the unit's cell: each alone fits, one is refused")
    func racingSubmits() async throws {
        let f = try await Fixture.make(poolSize: 6)
        try Self.managed(f)
        try await f.admin.setDepartmentFigures(department: "201", year: Self.year, cells: Self.cells([(.project, "2000000.00")]), by: f.finance)
        try await f.admin.allocateUnitFigures(unit: "201002", year: Self.year, cells: Self.cells([(.project, "1000000.00")]), by: f.reviewer)
        let drafts = try await f.create([Fixture.project("R-1", yuan: "600000.00"), Fixture.project("R-2", yuan: "500000.00")], year: Self.year)
        let results = try await Self.race(
            f, holding: "SELECT 1 AS x FROM control_cells WHERE unit_code = '201002' FOR UPDATE",
            { _ = try await f.entries.act(.submit, on: drafts[0].id, by: f.officer) },
            { _ = try await f.entries.act(.submit, on: drafts[1].id, by: f.officer) })
        let failures: [any Error] = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(failures.count == 1)
        for error in failures { #expect((error as? WorkflowError)?.details.map(\.field) == ["unit.kind:project"], "\(error)") }
        let sheet = try await f.admin.unitSheet("201002", year: Self.year, for: f.officer)
        let used = try #require(sheet.cells.first { $0.cell == .project }?.used)
        #expect(used <= (try Money.parse("1000000.00")))
    }

    @Test("two approvals at once: the department's cell counts what is in review, so neither can add past it")
    func racingApprovals() async throws {
        let f = try await Fixture.make(poolSize: 6)
        try Self.managed(f)
        try await f.admin.setDepartmentFigures(department: "201", year: Self.year, cells: Self.cells([(.project, "1100000.00")]), by: f.finance)
        let a = try await Self.inFinanceReview(f, [Fixture.project("A-1", yuan: "600000.00")])
        let b = try await Self.inFinanceReview(f, [Fixture.project("A-2", yuan: "500000.00")], unit: "201003")
        // The bureau lowers the figure under them: each alone would have fitted, together they do not.
        try f.db.superuser().query("UPDATE control_cells SET amount = 1000000 WHERE department_code = '201' AND unit_code = ''")
        let results = try await Self.race(
            f, holding: "SELECT 1 AS x FROM control_cells WHERE department_code = '201' AND unit_code = '' FOR UPDATE",
            { _ = try await f.entries.act(.approve, on: a[0].id, by: f.finance) },
            { _ = try await f.entries.act(.approve, on: b[0].id, by: f.finance) })
        for result in results {
            guard case .failure(let error) = result else { Issue.record("approved past the department's figure"); continue }
            #expect((error as? WorkflowError)?.details.map(\.field) == ["department.kind:project"], "\(error)")
        }
        // Rejecting one leaves room for the other.
        _ = try await f.entries.act(.reject, on: b[0].id, reason: "压减", by: f.finance)
        _ = try await f.entries.act(.approve, on: a[0].id, by: f.finance)
    }

    @Test("two allocations at once never together exceed the department's figure")
    func racingAllocations() async throws {
        let f = try await Fixture.make(poolSize: 6)
        try await f.admin.setDepartmentFigures(department: "201", year: Self.year, cells: Self.cells([(.project, "1000000.00")]), by: f.finance)
        let results = try await Self.race(
            f, holding: "SELECT 1 AS x FROM control_cells WHERE department_code = '201' AND unit_code = '' FOR UPDATE",
            { try await f.admin.allocateUnitFigures(unit: "201002", year: Self.year, cells: Self.cells([(.project, "600000.00")]), by: f.reviewer) },
            { try await f.admin.allocateUnitFigures(unit: "201003", year: Self.year, cells: Self.cells([(.project, "500000.00")]), by: f.finance) })
        let failures: [any Error] = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(failures.count == 1)
        for error in failures { #expect((error as? WorkflowError)?.details.map(\.field) == ["kind:project"], "\(error)") }
        let sheet = try await f.admin.departmentSheet("201", year: Self.year, for: f.finance)
        let allocated = try #require(sheet.cells.first { $0.cell == .project }?.allocated)
        #expect(allocated <= (try Money.parse("1000000.00")) && allocated > .zero)
    }

    @Test("submit-all under a unit cell is all or nothing: the second draft sees the first one used, in the same transaction")
    func submitAllUnderACell() async throws {
        let f = try await Fixture.make()
        try Self.managed(f)
        try await f.admin.setControlFigure(unit: "201002", year: Self.year, amount: try Money.parse("300000.00"), by: f.finance)
        _ = try await f.create([Fixture.project("B-1", yuan: "200000.00"), Fixture.project("B-2", yuan: "200000.00")], year: Self.year)
        do {
            _ = try await f.entries.submitAll(unit: "201002", year: Self.year, by: f.officer)
            Issue.record("both submitted past the unit's total")
        } catch let error as WorkflowError {
            #expect(error.details.compactMap(\.rule) == [.v7], "\(error)")
            #expect(error.details.contains { $0.message.contains("unit 201002 total: used 200000.00") }, "\(error)")
        }
        let sheet = try await f.admin.unitSheet("201002", year: Self.year, for: f.officer)
        #expect(sheet.cells.last?.used == .zero)  // nothing was submitted
    }

    @Test("a submit under a control figure takes one more round trip (the usage, read after the lock); without one, still 3")
    func roundTrips() async throws {
        let f = try await Fixture.make()
        try Self.managed(f)
        let drafts = try await f.create([Fixture.project("T-1"), Fixture.project("T-2")], year: Self.year)
        let (plain, _) = try await EntryActionPathTests.countingRoundTrips(f, .submit, on: drafts[0].id, by: f.officer)
        #expect(plain == 3)
        try await f.admin.setControlFigure(unit: "201002", year: Self.year, amount: try Money.parse("1000000.00"), by: f.finance)
        let (ceiling, result) = try await EntryActionPathTests.countingRoundTrips(f, .submit, on: drafts[1].id, by: f.officer)
        #expect(ceiling == 4)
        #expect(result.entry.state == .departmentReview)
    }
}
