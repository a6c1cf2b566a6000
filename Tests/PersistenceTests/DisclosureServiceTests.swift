import Disclosure
import Foundation
@testable import Persistence
import TestSupport
import Testing
import Workflow

@Suite("the public disclosure read from PostgreSQL")
struct DisclosureServiceTests {
    static func operation(_ code: String) -> EntryDraft {
        EntryDraft(
            code: code, name: "日常公用经费", kind: .operation, functionCode: "2013101",
            sources: FundingSources(general: try! Money.parse("51000.00"), special: try! Money.parse("1000.25")),
            items: [EntryItem(econ: "30201", amount: try! Money.parse("30000.25")),
                    EntryItem(econ: "30231", amount: try! Money.parse("22000.00"))])
    }

    static func personnel(_ code: String) -> EntryDraft {
        EntryDraft(code: code, name: "工资福利支出", kind: .personnel, functionCode: "2013101",
                   sources: FundingSources(general: try! Money.parse("1620000.00")))
    }

    static func projectBuying(_ code: String) -> EntryDraft {
        var draft = Fixture.project(code, yuan: "88600.00", name: "办公设备购置")
        draft.procurement = [
            ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "台", quantity: Quantity(6), price: try! Money.parse("5000.00")),
            ProcurementItem(item: "打印机", catalog: "A0201060101", unit: "台", quantity: Quantity(tenThousandths: 25_000),
                            price: try! Money.parse("1999.99")),
        ]
        return draft
    }

    /// Creates `drafts` in unit 201002, walks them to approved and publishes department 201's year.
    func publish(_ f: Fixture, _ drafts: [EntryDraft], year: Int, override: String? = nil) async throws {
        for entry in try await f.create(drafts, year: year) { try await f.approve(entry.id) }
        _ = try await f.entries.publish(department: "201", year: year, by: f.finance, overrideReason: override)
    }

    @Test("what PostgreSQL sums and reads gives the same disclosure as the published entries themselves")
    func sameAsEntries() async throws {
        let f = try await Fixture.make()
        try await publish(f, [Self.personnel("A-1"), Self.operation("A-2")], year: 2019)
        // Created in code order, so that the list's order (code) is the disclosure's (creation).
        try await publish(f, [Fixture.project("A-1"), Self.operation("A-2"), Self.personnel("A-3"), Self.projectBuying("A-4")],
                          year: 2020, override: "三公 changed; no reason written in this test")
        let read = try await DisclosureService(pool: f.db.pool).disclosure(department: "201", year: 2020)

        func listed(_ year: Int) async throws -> [BudgetEntry] {
            try await f.entries.list(.init(year: year, department: "201", state: .published, limit: 1000), for: f.auditor).items
        }
        let organizations = try await f.admin.organizations()
        let department = try #require(organizations.first { $0.code == "201" })
        let expected = try Disclosure(DisclosureInput(
            department: department, units: organizations.filter { $0.parentCode == "201" }.sorted { $0.code < $1.code },
            year: 2020, entries: try await listed(2020), previousEntries: try await listed(2019)))
        #expect(read == expected)
        #expect(read.projects.map(\.code) == ["A-1", "A-4"])
        #expect(read.procurement.items.count == 2 && read.procurement.total.description == "3.50")
        #expect(read.previous.total?.description == "167.20")
        #expect(read.budgetLines.count == 5)  // A-1 one item, A-2 two, A-3 none (one line), A-4 one
    }

    @Test("children are shown in position order whatever order PostgreSQL returns them in")
    func childrenInPositionOrder() async throws {
        let f = try await Fixture.make()
        try await publish(f, [Self.operation("A-1"), Self.projectBuying("A-2")], year: 2020)
        // An UPDATE writes a new row version at the end of the table: position 0 now comes after 1.
        let su = try f.db.superuser()
        for table in ["entry_items", "entry_indicators", "entry_procurement"] {
            try su.query(SQL(unsafeSQL: "UPDATE \(table) SET position = position WHERE position = 0"))
        }
        let read = try await DisclosureService(pool: f.db.pool).disclosure(department: "201", year: 2020)
        #expect(read.budgetLines.map(\.econ) == ["30201", "30231", "30231"])
        #expect(read.projects.first?.indicators.map(\.l1) == ["产出指标", "满意度指标"])
        #expect(read.procurement.items.map(\.item) == ["台式计算机", "打印机"])
    }

    @Test("disclosure inputs: the permission table decides the role, then scope hides other departments")
    func whoSetsInputs() async throws {
        let f = try await Fixture.make()
        let service = DisclosureService(pool: f.db.pool)
        let inputs = BLPEntryMapping.DisclosureInputs(baseline: [:], narrative: ["duties": "部门职责"])
        for caller in [f.officer, f.auditor] {
            await #expect(throws: WorkflowError.forbidden("only the department's reviewer or the finance bureau sets disclosure inputs")) {
                try await service.saveInputs(inputs, department: "201", year: 2020, by: caller)
            }
        }
        let stranger = Caller(actor: Actor(name: "reviewer-202", role: .departmentReviewer, orgCode: "202"), channel: .api)
        await #expect(throws: WorkflowError.notFound(resource: "department")) {
            try await service.saveInputs(inputs, department: "201", year: 2020, by: stranger)
        }
        #expect(try await service.saveInputs(inputs, department: "201", year: 2020, by: f.reviewer).publication == nil)
        let stored: String? = try await f.db.pool.withConnection { connection in
            try connection.query("""
                SELECT text FROM disclosure_narratives WHERE department_code = '201' AND year = 2020 AND section = 'duties'
                """).first?.decode("text")
        }
        #expect(stored == "部门职责")
    }

    @Test("a computed disclosure is served again until a publication (of entries or of changed inputs) or a new unit, made through any instance")
    func cache() async throws {
        let f = try await Fixture.make()
        try await publish(f, [Fixture.project("A-1")], year: 2020)
        let a = DisclosureService(pool: f.db.pool), b = DisclosureService(pool: f.db.pool)
        let first = try await a.publicDisclosure(department: "201", year: 2020)
        #expect(try await a.publicDisclosure(department: "201", year: 2020) === first)

        // New inputs are staged: the public disclosure is still the published one, not even recomputed.
        let saved = try await b.saveInputs(.init(baseline: [:], narrative: ["duties": "新的职责"]), department: "201", year: 2020, by: f.finance)
        #expect(saved.publication != nil)
        #expect(try await a.publicDisclosure(department: "201", year: 2020) === first)
        #expect(try await DisclosureService(pool: f.db.pool).disclosure(department: "201", year: 2020).narrative[.duties] == "")
        // Published with no approved entries: the changed inputs alone.
        let inputsOnly = try await f.entries.publish(department: "201", year: 2020, by: f.finance)
        #expect(inputsOnly.published.isEmpty && inputsOnly.inputsChanged == ["narrative.duties"])
        let afterInputs = try await a.publicDisclosure(department: "201", year: 2020)
        #expect(afterInputs !== first)
        #expect(afterInputs.disclosure.narrative[.duties] == "新的职责")
        await expectError("conflict") { _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance) }

        try await publish(f, [Fixture.project("A-2")], year: 2020)
        let afterPublication = try await a.publicDisclosure(department: "201", year: 2020)
        #expect(afterPublication.disclosure.projects.map(\.code) == ["A-1", "A-2"])

        #expect(afterPublication.disclosure.previous.total == nil)
        try await publish(f, [Fixture.project("Z-1")], year: 2019)
        let afterPreviousYear = try await a.publicDisclosure(department: "201", year: 2020)
        #expect(afterPreviousYear.disclosure.previous.total?.description == "15.00")

        try await f.admin.addOrganization(Organization(code: "201004", name: "新单位", kind: .unit, parentCode: "201"), by: f.administrator)
        let afterUnit = try await a.publicDisclosure(department: "201", year: 2020)
        #expect(afterUnit.disclosure.organizations.map(\.code) == ["201002", "201003", "201004"])
        #expect(try await a.publicDisclosure(department: "201", year: 2020) === afterUnit)

        // A rendering is made once per computed disclosure.
        let json = try await afterUnit.rendering("json") { $0.renderJSONBytes() }
        #expect(try await afterUnit.rendering("json") { _ in [] } == json)
        // A failed rendering is not kept.
        struct Broken: Error {}
        await #expect(throws: Broken.self) { try await afterUnit.rendering("md") { _ in throw Broken() } }
        #expect(try await afterUnit.rendering("md") { _ in [7] } == [7])
        // Nothing cached for what does not exist.
        await expectError("not_found") { try await a.publicDisclosure(department: "201", year: 2021) }
        await expectError("not_found") { try await a.publicDisclosure(department: "999", year: 2020) }
        // No cache at all: computed every time, the same figures.
        let uncached = DisclosureService(pool: f.db.pool, cacheCapacity: 0)
        let once = try await uncached.publicDisclosure(department: "201", year: 2020)
        let twice = try await uncached.publicDisclosure(department: "201", year: 2020)
        #expect(once !== twice && once.disclosure == twice.disclosure && once.disclosure == afterUnit.disclosure)
    }

    @Test("migration 0011 freezes the inputs as they stand with each department-year's latest publication only")
    func freezeMigration() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        _ = try await Migrator(migrations: try TestPostgres.migrations().filter { $0.version < "0011" })
            .migrate(pool: db.pool, logger: TestPostgres.logger)
        let su = try db.superuser()
        try su.query("""
            INSERT INTO organizations (code, name, kind) VALUES ('201', '中共保定市徐水区委办公室', 'department'), ('202', '财政局', 'department')
            """)
        try su.query("""
            INSERT INTO publications (id, department_code, year, published_by, entry_count)
            VALUES (1, '201', 2020, 'finance', 15), (2, '201', 2020, 'finance', 1), (3, '202', 2020, 'finance', 2)
            """)
        try su.query("""
            INSERT INTO disclosure_baselines (department_code, year, metric, amount, updated_by)
            VALUES ('201', 2020, 'total', 8732900.00, 'reviewer-201'), ('201', 2021, 'total', 1.00, 'reviewer-201')
            """)
        try su.query("""
            INSERT INTO disclosure_narratives (department_code, year, section, text, updated_by)
            VALUES ('201', 2020, 'duties', '职责', 'reviewer-201'), ('202', 2020, 'other', '无', 'finance')
            """)
        _ = try await db.migrate()
        let frozen = try su.query("""
            SELECT publication_id || ' ' || metric || ' ' || amount AS row FROM publication_baselines
            UNION ALL SELECT publication_id || ' ' || section || ' ' || text FROM publication_narratives ORDER BY 1
            """).map { try $0.decode("row", as: String.self) }
        #expect(frozen == ["2 duties 职责", "2 total 8732900.00", "3 other 无"])
    }

    @Test("concurrent requests for a disclosure not yet computed share one computation")
    func coalesced() async throws {
        let f = try await Fixture.make(poolSize: 12)
        try await publish(f, [Fixture.project("A-1"), Self.operation("O-1")], year: 2020)
        let service = DisclosureService(pool: f.db.pool)
        // The computation reads entry_items; holding a lock on it keeps the first computation
        // running until every other caller has joined it (no timing involved).
        let blocker = try f.db.superuser()
        _ = try blocker.query("BEGIN")
        _ = try blocker.query("LOCK TABLE entry_items IN ACCESS EXCLUSIVE MODE")
        let callers = 10
        async let all: [PublicDisclosure] = withThrowingTaskGroup(of: PublicDisclosure.self) { group in
            for _ in 0..<callers {
                group.addTask { try await service.publicDisclosure(department: "201", year: 2020) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let giveUp = ContinuousClock.now + .seconds(120)  // only a guard against hanging if a caller failed
        while service.cache.counts.joined < callers - 1 && ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(service.cache.counts.joined == callers - 1)
        _ = try blocker.query("COMMIT")
        let results = try await all
        #expect(service.cache.counts.computations == 1)
        #expect(results.count == callers && results.allSatisfy { $0 === results[0] })
        #expect(results[0].disclosure.projects.map(\.code) == ["A-1"])
        // After a publication, a new computation (callers that saw the new fingerprint).
        try await publish(f, [Fixture.project("A-2")], year: 2020)
        #expect(try await service.publicDisclosure(department: "201", year: 2020).disclosure.projects.map(\.code) == ["A-1", "A-2"])
        #expect(service.cache.counts.computations == 2)
    }
}
