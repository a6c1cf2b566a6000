import Foundation
import Persistence
import Workflow

/// Organizations and callers most workflow tests need.
///
/// Department 201 with units 201002 and 201003; department 202 with unit 202001.
public struct Fixture: Sendable {
    public let db: TestDatabase
    public let entries: EntryService
    public let admin: AdminService

    public let officer = Caller(actor: Actor(name: "officer-201002", role: .officer, orgCode: "201002"), channel: .api)
    public let officerSibling = Caller(actor: Actor(name: "officer-201003", role: .officer, orgCode: "201003"), channel: .api)
    public let officerElsewhere = Caller(actor: Actor(name: "officer-202001", role: .officer, orgCode: "202001"), channel: .api)
    public let reviewer = Caller(actor: Actor(name: "reviewer-201", role: .departmentReviewer, orgCode: "201"), channel: .api)
    public let reviewerElsewhere = Caller(actor: Actor(name: "reviewer-202", role: .departmentReviewer, orgCode: "202"), channel: .api)
    public let finance = Caller(actor: Actor(name: "finance", role: .financeReviewer), channel: .cli)
    public let auditor = Caller(actor: Actor(name: "auditor", role: .auditor), channel: .cli)
    public let administrator = Caller(actor: Actor(name: "root", role: .admin), channel: .cli)

    /// `audit verify` as the auditor, with the run's public key (the one the test pools sign with).
    public func verifyAudit() async throws -> AuditVerification {
        try await admin.verifyAudit(by: auditor, options: .init(keys: [try TestAuditKey.run().publicKey]))
    }

    public static func make(poolSize: Int = 4, acquireTimeout: Duration = .seconds(2)) async throws -> Fixture {
        let db = try await TestPostgres.makeDatabase(poolSize: poolSize, acquireTimeout: acquireTimeout)
        let fixture = Fixture(db: db, entries: EntryService(pool: db.pool), admin: AdminService(pool: db.pool))
        let orgs = [
            Organization(code: "201", name: "中共保定市徐水区委办公室", kind: .department, nature: "行政", level: "正科", funding: "财政拨款"),
            Organization(code: "201002", name: "区委办（行政）", kind: .unit, parentCode: "201"),
            Organization(code: "201003", name: "区档案馆", kind: .unit, parentCode: "201"),
            Organization(code: "202", name: "徐水区财政局", kind: .department),
            Organization(code: "202001", name: "财政局机关", kind: .unit, parentCode: "202"),
        ]
        for org in orgs { try await fixture.admin.addOrganization(org, by: fixture.administrator) }
        return fixture
    }

    /// A complete project entry that passes every rule.
    public static func project(_ code: String, yuan: String = "150000.00", name: String = "督查调研所需经费") -> EntryDraft {
        let amount = try! Money.parse(yuan)
        return EntryDraft(
            code: code, name: name, kind: .project, functionCode: "2013102",
            sources: FundingSources(general: amount),
            purpose: "该项目用于2020年课题调研支出的公车运行维护费及差旅费",
            plan: [Percent(30), Percent(60), Percent(90), Percent(100)],
            goals: "1、通过调研课题提出意见建议。\n2、领导对于调研结果的满意度",
            items: [EntryItem(econ: "30231", amount: amount)],
            indicators: [
                Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "重大决策部署落实的调研工作完成率", value: "≥95百分比", basis: "依据部门职责"),
                Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "领导满意度", desc: "被采纳的意见建议比率", value: "≥80百分比", basis: "依据部门职责"),
            ])
    }

    /// Creates drafts for unit 201002, year 2020.
    public func create(_ drafts: [EntryDraft], unit: String = "201002", year: Int = 2020) async throws -> [BudgetEntry] {
        let caller = unit == "201002" ? officer : unit == "201003" ? officerSibling : officerElsewhere
        return try await entries.saveDrafts(drafts.map { .init(draft: $0) }, unit: unit, year: year, by: caller).map(\.entry)
    }

    /// Walks an entry from draft to approved.
    public func approve(_ id: UUID) async throws {
        _ = try await entries.act(.submit, on: id, by: officer)
        _ = try await entries.act(.approve, on: id, by: reviewer)
        _ = try await entries.act(.approve, on: id, by: finance)
    }
}
