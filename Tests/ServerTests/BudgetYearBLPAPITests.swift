import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

/// The budget-year views in BLP (`Accept: text/plain`) through the real router: each answer parses
/// back with `BLPSchema.budgetYear` and carries the figures of the JSON answer; hostile text stays
/// one value of one record.
@Suite("budget-year views in BLP")
struct BudgetYearBLPAPITests {
    /// Parses a BLP answer, requiring the BLP content type and a clean parse.
    static func records(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [BLPRecord] {
        #expect(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == WireFormat.blp.contentType, sourceLocation: sourceLocation)
        let parsed = BLPParser.parse(response.text, schema: .budgetYear)
        #expect(parsed.isValid, "\(parsed.errors) in \(response.text)", sourceLocation: sourceLocation)
        return parsed.records
    }

    /// A JSON value as BLP writes it: absent for null, text for strings and numbers.
    static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: nil
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: "\(value!)"
        }
    }

    @Test("GET /v1/years/{year}: a year record and a round record per round, as the JSON; other Accept 406")
    func calendar() async throws {
        let world = try await APIWorld.make()
        let years = YearService(pool: world.fixture.db.pool)
        let today = try await years.calendar(2021, for: world.fixture.auditor).today
        _ = try await years.open(year: 2021, round: .firstUp, from: nil, until: today, by: world.fixture.finance)
        _ = try await years.close(year: 2021, round: .firstUp, by: world.fixture.finance)
        try await world.app().test(.router) { client in
            let json = try await client.execute(uri: "/v1/years/2021", method: .get, headers: world.headers("officer-201002")).json()
            let blp = try Self.records(try await client.execute(
                uri: "/v1/years/2021", method: .get, headers: world.headers("officer-201002", accept: "text/plain")))
            #expect(blp.map(\.type) == ["year", "round"])
            #expect(blp[0]["year"] == "2021" && blp[0]["managed"] == "true" && blp[0]["today"] == today.description)
            #expect(blp[0]["entry_round"] == Self.text(json["entry_round"]))
            let round = try #require((json["rounds"] as? [[String: Any]])?.first)
            for key in ["round", "opens_on", "closes_on", "closed_at", "state", "opened_by", "opened_at", "version"] {
                #expect(blp[1][key] == Self.text(round[key]), "\(key)")
            }
            #expect(blp[1]["closed_at"] != nil && blp[1]["state"] == "closed" && blp[1]["year"] == "2021")

            let unmanaged = try Self.records(try await client.execute(
                uri: "/v1/years/2020", method: .get, headers: world.headers("finance", accept: "text/plain")))
            #expect(unmanaged.count == 1 && unmanaged.first?["managed"] == "false" && unmanaged.first?["entry_round"] == nil)
            let refused = try await client.execute(uri: "/v1/years/2021", method: .get, headers: world.headers("finance", accept: "image/png"))
            #expect(refused.status == .notAcceptable)
        }
    }

    @Test("GET control-figures: a control record per cell with the JSON's ceiling, allocated, used and remaining")
    func controlFigures() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        try await f.admin.setDepartmentFigures(department: "201", year: 2021, cells: [.project: try Money.parse("500000.00")], by: f.finance)
        try await f.admin.allocateUnitFigures(unit: "201002", year: 2021, cells: [.project: try Money.parse("300000.00")], by: f.reviewer)
        try await world.app().test(.router) { client in
            for (level, holder, path) in [
                ("department", "201", "/v1/departments/201/years/2021/control-figures"),
                ("unit", "201002", "/v1/units/201002/years/2021/control-figures"),
            ] {
                let json = try await client.execute(uri: path, method: .get, headers: world.headers("reviewer-201")).json()
                let cells = try #require(json["cells"] as? [[String: Any]])
                let blp = try Self.records(try await client.execute(uri: path, method: .get, headers: world.headers("reviewer-201", accept: "text/plain")))
                #expect(blp.count == ControlCell.allCases.count && blp.count == cells.count)
                for (record, cell) in zip(blp, cells) {
                    #expect(record.type == "control" && record["level"] == level && record["holder"] == holder && record["year"] == "2021")
                    for key in ["cell", "ceiling", "allocated", "used", "remaining"] {
                        #expect(record[key] == Self.text(cell[key]), "\(path) \(key)")
                    }
                }
                let project = try #require(blp.first { $0["cell"] == "kind:project" })
                #expect(project["ceiling"] == (level == "unit" ? "300000.00" : "500000.00"))
                #expect(blp.first { $0["cell"] == "total" }?["ceiling"] == nil)
            }
            let refused = try await client.execute(uri: "/v1/units/201002/years/2021/control-figures", method: .get,
                                                   headers: world.headers("officer-201002", accept: "application/xml"))
            #expect(refused.status == .notAcceptable)
            let hidden = try await client.execute(uri: "/v1/units/201002/years/2021/control-figures", method: .get,
                                                  headers: world.headers("officer-202001", accept: "text/plain"))
            #expect(hidden.status == .notFound)
        }
    }

    @Test("GET budget-approval and deadlines in BLP: the JSON's figures; a hostile number and names stay one value")
    func approvalAndDeadlines() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        let hostileName = "督查\"调研\" code=X\n经费"
        let entry = try #require(try await f.create([Fixture.project("A-1", name: "督查\"调研\" code=X 经费")]).first)
        try await f.approve(entry.id)
        // A unit name with a new line, as an older row may hold.
        try f.db.superuser().query("UPDATE organizations SET name = \(hostileName) WHERE code = '201002'")
        let number = #"徐财预\"2020\"1号 total=0"#  // JSON-escaped quotes
        try await world.app().test(.router) { client in
            let approved = try await client.execute(
                uri: BudgetApprovalAPITests.approveBudget, method: .post, headers: world.headers("finance", contentType: "application/json"),
                body: ByteBuffer(text: #"{"number": "\#(number)", "congress_date": "2020-01-10"}"#))
            try #require(approved.status == .ok, "\(approved.text)")
            let path = "/v1/departments/201/years/2020/budget-approval"
            let json = try await client.execute(uri: path, method: .get, headers: world.headers("finance")).json()
            for headers in [world.headers("finance", accept: "text/plain"), world.headers("finance")] {
                let uri = headers[.accept] == nil ? path + "?format=blp" : path
                let blp = try Self.records(try await client.execute(uri: uri, method: .get, headers: headers))
                let approval = try #require(blp.first)
                #expect(approval.type == "approval")
                #expect(approval["number"] == #"徐财预"2020"1号 total=0"# && approval["number"] == Self.text(json["number"]))
                #expect(approval["department"] == "201" && approval["year"] == "2020" && approval["congress_date"] == "2020-01-10")
                #expect(approval["total"] == Self.text(json["total"]) && approval["total"] == "150000.00")
                #expect(approval["approved_at"] == Self.text(json["approved_at"]) && approval["units_number"] == nil)
                let totals = blp.dropFirst()
                #expect(totals.allSatisfy { $0.type == "approval_total" })
                func total(_ by: String, _ key: String) -> BLPRecord? { totals.first { $0["by"] == by && $0["key"] == key } }
                let unit = try #require(total("unit", "201002"))
                #expect(unit["name"] == hostileName && unit["amount"] == "150000.00" && unit["project"] == "150000.00")
                #expect(total("kind", "project")?["amount"] == Self.text((json["by_kind"] as? [String: Any])?["project"]))
                #expect(total("kind", "personnel")?["amount"] == "0.00")
                #expect(total("funding", "general")?["amount"] == Self.text((json["by_source"] as? [String: Any])?["general"]))
                let project = try #require(total("project", "A-1"))
                #expect(project["name"] == "督查\"调研\" code=X 经费" && project["unit"] == "201002" && project["amount"] == "150000.00")
                #expect(totals.count == 1 + EntryKind.allCases.count + 5 + 1)
            }
            #expect(try await client.execute(uri: path, method: .get, headers: world.headers("finance", accept: "image/png")).status == .notAcceptable)
            let html = try await client.execute(uri: path, method: .get, headers: world.headers("finance", accept: "text/html"))
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)

            let deadlinesJSON = try #require(try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("finance"))
                .json()["items"] as? [[String: Any]])
            let deadlines = try Self.records(try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("finance", accept: "text/plain")))
            #expect(deadlines.count == deadlinesJSON.count && deadlines.count == 2)
            for (record, item) in zip(deadlines, deadlinesJSON) {
                #expect(record.type == "deadline")
                for key in ["clock", "department", "year", "started_on", "due_on", "days_left"] {
                    #expect(record[key] == Self.text(item[key]), "\(key)")
                }
            }
            #expect(try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("finance", accept: "image/png")).status == .notAcceptable)

            // The units' 批复 adds its number; a control character an older row may hold is written
            // as an escape, never as the raw byte.
            let units = try await client.execute(uri: BudgetApprovalAPITests.approveUnits, method: .post,
                headers: world.headers("reviewer-201", contentType: "text/plain"), body: ByteBuffer(text: #"approval number="徐委办\"3\"号""#))
            try #require(units.status == .ok, "\(units.text)")
            let after = try Self.records(try await client.execute(uri: path, method: .get, headers: world.headers("finance", accept: "text/plain")))
            let unitsJSON = try await client.execute(uri: path, method: .get, headers: world.headers("finance")).json()["units_approval"] as? [String: Any]
            #expect(after.first?["units_number"] == #"徐委办"3"号"# && after.first?["units_number"] == Self.text(unitsJSON?["number"]))
            #expect(after.first?["units_approved_by"] == "reviewer-201" && after.first?["units_approved_at"] == Self.text(unitsJSON?["approved_at"]))
            try f.db.superuser().query("UPDATE organizations SET name = \("区委\u{1B}办") WHERE code = '201'")
            let escaped = try await client.execute(uri: path, method: .get, headers: world.headers("finance", accept: "text/plain"))
            #expect(escaped.text.contains(#"department_name="区委\u001B办""#) && !escaped.text.unicodeScalars.contains("\u{1B}"))
            #expect(escaped.text.split(separator: "\n").count == 1 + 1 + EntryKind.allCases.count + 5 + 1)
        }
    }
}
