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

/// The reference sample (sql/sample) through the whole 2020 budget year, as scripts/load-sample.sh
/// runs it: the officer and the department through the HTTP API, the finance bureau (and the
/// department's allocation, which only budgetctl offers) through the built budgetctl.
@Suite("the reference sample through the whole budget year")
struct SampleYearTests {
    /// The reference's figures (000_b47ceb01049c7b0c.txt, 第二部分 and 第四部分) in yuan: what the sample's
    /// entries use per cell, and so the control figures that are exactly met. `funding:state_capital` is
    /// not in the reference: no figure set, nothing used.
    static let used: [String: String] = [
        "kind:personnel": "7231300.00", "kind:operation": "1119400.00", "kind:project": "1774200.00",
        "funding:general": "10124900.00", "funding:fund": "0.00", "funding:state_capital": "0.00",
        "funding:special": "0.00", "funding:other": "0.00",
        "sangong:abroad": "0.00", "sangong:vehicle_purchase": "0.00",
        "sangong:vehicle_operation": "340000.00", "sangong:reception": "205000.00",
        "total": "10124900.00",
    ]
    static let ceilings = used.filter { $0.key != "funding:state_capital" }
    static let cellArguments = ceilings.sorted { $0.key < $1.key }.flatMap { ["--cell", "\($0.key)=\($0.value)"] }
    static let supervision = "201-0502-JBN-E5EL"  // 督查调研所需经费, 15.00万元, 三公 30231 10.00万元

    static let shanghai: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }()

    static func day(_ date: Date) -> String {
        let c = shanghai.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Days from `from` to `to`, both YYYY-MM-DD.
    static func days(from: String, to: String) throws -> Int {
        func date(_ text: String) throws -> Date {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            try #require(parts.count == 3, "\(text)")
            return try #require(shanghai.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])))
        }
        return try #require(shanghai.dateComponents([.day], from: try date(from), to: try date(to)).day)
    }

    @Test("一上, 一下 with the reference's control figures, 二上, 批复 and publication: figures of every round, usage, clocks, disclosure")
    func wholeYear() async throws {
        let world = try await APIWorld.make()
        let env = ["DATABASE_URL": world.fixture.db.conninfo]
        let until = Self.day(Self.shanghai.date(byAdding: .day, value: 30, to: Date())!)
        @discardableResult @Sendable
        func ctl(_ arguments: [String], as user: String) async throws -> Budgetctl.Result {
            let result = try await Budgetctl.run(arguments + ["--as", user], environment: env)
            try #require(result.status == 0, "budgetctl \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        let entriesBLP = try String(contentsOf: DisclosureFreezeAPITests.sample.appendingPathComponent("201002-2020.blp"), encoding: .utf8)
        let inputsBLP = try String(contentsOf: DisclosureFreezeAPITests.sample.appendingPathComponent("201-2020-disclosure.blp"), encoding: .utf8)

        try await world.app().test(.router) { client in
            func get(_ uri: String, _ user: String) async throws -> [String: Any] {
                let response = try await client.execute(uri: uri, method: .get, headers: world.headers(user))
                try #require(response.status == .ok, "GET \(uri): \(response.text)")
                return try response.json()
            }
            func post(_ uri: String, _ user: String, _ body: String = "", contentType: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: world.headers(user, contentType: contentType), body: ByteBuffer(text: body))
            }
            /// The unit's entries, each code at its latest revision that is not superseded.
            func entries() async throws -> [String: [String: Any]] {
                let page = try await get("/v1/entries?unit=201002&year=2020&limit=1000", "officer-201002")
                let items = try #require(page["items"] as? [[String: Any]])
                var latest: [String: [String: Any]] = [:]
                for item in items where item["state"] as? String != "superseded" {
                    latest[try #require(item["code"] as? String)] = item
                }
                return latest
            }
            func id(_ entry: [String: Any]?) throws -> String { try #require(entry?["id"] as? String) }
            func figures(ofEntry id: String) async throws -> [String: String]? {
                try await get("/v1/entries/\(id)", "officer-201002")["figures"] as? [String: String]
            }
            func unitFigures() async throws -> [String: String]? {
                try await get("/v1/units/201002/years/2020/summary", "officer-201002")["figures"] as? [String: String]
            }
            /// The department reviewer approves every entry in department_review, one by one.
            func departmentApproves() async throws {
                for (code, entry) in try await entries() {
                    #expect(entry["state"] as? String == "department_review", "\(code)")
                    let approved = try await post("/v1/entries/\(try id(entry))/actions/approve", "reviewer-201")
                    #expect(approved.status == .ok, "\(code): \(approved.text)")
                }
            }
            func clocks() async throws -> [[String: Any]] {
                try #require(try await get("/v1/deadlines?year=2020", "finance")["items"] as? [[String: Any]])
            }
            func sheet(_ uri: String, _ user: String) async throws -> [String: [String: Any]] {
                let cells = try #require(try await get(uri, user)["cells"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: try cells.map { (try #require($0["cell"] as? String), $0) })
            }

            // 一上: the finance bureau opens the round today; the unit's proposals carry it.
            try await ctl(["year", "open", "2020", "--round", "一上", "--until", until], as: "finance")
            let posted = try await post("/v1/units/201002/years/2020/entries", "officer-201002", entriesBLP, contentType: "text/plain")
            try #require(posted.status == .created, "\(posted.text)")
            let okLines = posted.text.split(separator: "\n").filter { $0.hasPrefix("ok ") }
            #expect(okLines.count == 15)
            #expect(okLines.allSatisfy { $0.hasSuffix(" round=一上") }, "\(posted.text)")
            let inputs = try await post("/v1/departments/201/years/2020/disclosure-inputs", "reviewer-201", inputsBLP, contentType: "text/plain")
            try #require(inputs.status == .ok, "\(inputs.text)")
            try #require(try await post("/v1/units/201002/years/2020/actions/submit", "officer-201002").status == .ok)
            try await departmentApproves()
            try await ctl(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
            let firstUp = try await entries()
            #expect(firstUp.count == 15 && firstUp.values.allSatisfy { $0["state"] as? String == "approved" && $0["round"] as? String == "一上" })
            let firstUpSupervision = try id(firstUp[Self.supervision])
            #expect(try await figures(ofEntry: firstUpSupervision) == [:])  // managed, nothing frozen yet

            // 一下: the 一上 figures are frozen; the department's control figures, allocated to 201002.
            try await ctl(["year", "open", "2020", "--round", "一下", "--until", until], as: "finance")
            #expect(try await figures(ofEntry: firstUpSupervision) == ["一上": "150000.00"])
            #expect(try await unitFigures() == ["一上": "10124900.00"])
            let frozen: Int = try world.fixture.db.superuser().query(
                "SELECT count(*)::int AS n FROM round_figures WHERE year = 2020 AND stage = '一上' AND unit_code = '201002'").first!.decode("n")
            #expect(frozen == 15)
            try await ctl(["control", "set-department", "--department", "201", "--year", "2020"] + Self.cellArguments
                          + ["--reason", "2020年部门预算一下控制数"], as: "finance")
            try await ctl(["control", "allocate", "--unit", "201002", "--year", "2020"] + Self.cellArguments
                          + ["--reason", "按一下控制数分配"], as: "reviewer-201")

            // 二上: every entry comes back as a 二上 draft; nothing of the unit is in use until it is submitted.
            try await ctl(["year", "open", "2020", "--round", "二上", "--until", until], as: "finance")
            let carried = try await entries()
            #expect(carried.count == 15)
            #expect(carried.values.allSatisfy { $0["state"] as? String == "draft" && $0["round"] as? String == "二上" && $0["revision"] as? Int == 2 })
            let supervision = try id(carried[Self.supervision])
            #expect(supervision != firstUpSupervision)
            #expect(try await figures(ofEntry: supervision) == ["一上": "150000.00", "二上": "150000.00", "change": "0.00"])
            let draftUsage = try await sheet("/v1/units/201002/years/2020/control-figures", "officer-201002")
            #expect(draftUsage["kind:project"]?["used"] as? String == "0.00")
            #expect(draftUsage["kind:project"]?["remaining"] as? String == "1774200.00")

            let submitted = try await post("/v1/units/201002/years/2020/actions/submit", "officer-201002")
            try #require(submitted.status == .ok, "\(submitted.text)")  // exactly within every cell: no V7
            try await departmentApproves()
            try await ctl(["approve", "--department", "201", "--year", "2020", "--all"], as: "finance")
            #expect(try await entries().values.allSatisfy { $0["state"] as? String == "approved" })
            #expect(try await unitFigures() == ["一上": "10124900.00", "二上": "10124900.00", "change": "0.00"])
            #expect(try await clocks().isEmpty)  // no 批复 yet: no clock of 2020 runs

            // 二下: no publication before the 批复; the 批复, the units' 批复, publication, and their clocks.
            try await ctl(["year", "open", "2020", "--round", "二下", "--until", until], as: "finance")
            let early = try await Budgetctl.run(["publish", "--department", "201", "--year", "2020", "--as", "finance"], environment: env)
            #expect(early.status == 4 && early.stderr.contains("批复"), "\(early.stderr)")
            try await ctl(["approve-budget", "--department", "201", "--year", "2020", "--congress-date", "2020-01-08",
                           "--number", "徐财预〔2020〕1号"], as: "finance")
            #expect(Set(try await clocks().compactMap { $0["clock"] as? String }) == ["units_approval", "publication"])
            let units = try await post("/v1/departments/201/years/2020/actions/approve-units", "reviewer-201",
                                       #"{"number": "徐委办〔2020〕1号"}"#, contentType: "application/json")
            #expect(units.status == .ok, "\(units.text)")
            let beforePublication = try await clocks()
            #expect(beforePublication.count == 1)
            let publication = try #require(beforePublication.first)
            #expect(publication["clock"] as? String == "publication" && publication["department"] as? String == "201")
            let started = try #require(publication["started_on"] as? String)
            let due = try #require(publication["due_on"] as? String)
            #expect(try Self.days(from: started, to: due) == 20)
            #expect(publication["days_left"] as? Int == (try Self.days(from: Self.day(Date()), to: due)))
            let officerClocks = try #require(try await get("/v1/deadlines", "officer-201002")["items"] as? [[String: Any]])
            #expect(officerClocks.compactMap { $0["clock"] as? String } == ["publication"])

            try await ctl(["publish", "--department", "201", "--year", "2020"], as: "finance")
            #expect(try await clocks().isEmpty)
            #expect(try await entries().values.allSatisfy { $0["state"] as? String == "published" })

            // Every round's figures side by side: an entry and the unit.
            #expect(try await figures(ofEntry: supervision) == ["一上": "150000.00", "二上": "150000.00", "批复": "150000.00", "change": "0.00"])
            #expect(try await unitFigures() == ["一上": "10124900.00", "二上": "10124900.00", "批复": "10124900.00", "change": "0.00"])
            // And the department: its total, each unit's, side by side, over the API and budgetctl.
            let department = try await get("/v1/departments/201/years/2020/summary", "reviewer-201")
            #expect(department["figures"] as? [String: String]
                    == ["一上": "10124900.00", "二上": "10124900.00", "批复": "10124900.00", "change": "0.00"])
            let unitLines = try #require(department["units"] as? [[String: Any]])
            let sampleUnit = try #require(unitLines.first { $0["unit"] as? String == "201002" })
            #expect(sampleUnit["total"] as? String == "10124900.00")
            #expect(sampleUnit["figures"] as? [String: String]
                    == ["一上": "10124900.00", "二上": "10124900.00", "批复": "10124900.00", "change": "0.00"])
            #expect(unitLines.filter { $0["unit"] as? String != "201002" }.allSatisfy { $0["total"] as? String == "0.00" })
            // An officer's scope is one unit: the department's summary is not there for it.
            let refused = try await client.execute(
                uri: "/v1/departments/201/years/2020/summary", method: .get, headers: world.headers("officer-201002"))
            #expect(refused.status == .notFound, "\(refused.text)")
            let printed = try await ctl(["summary", "--department", "201", "--year", "2020"], as: "finance")
            #expect(printed.stdout.contains("批复") && printed.stdout.contains("201002"), "\(printed.stdout)")
            let approval = try await get("/v1/departments/201/years/2020/budget-approval", "reviewer-201")
            #expect(approval["number"] as? String == "徐财预〔2020〕1号")
            #expect(approval["congress_date"] as? String == "2020-01-08")
            #expect(approval["total"] as? String == "10124900.00")
            #expect(approval["by_kind"] as? [String: String]
                    == ["personnel": "7231300.00", "operation": "1119400.00", "project": "1774200.00"])

            // The control figures: used as the sample sums, remaining 0 where the reference's ceiling is met.
            for (uri, user) in [("/v1/departments/201/years/2020/control-figures", "reviewer-201"),
                                ("/v1/units/201002/years/2020/control-figures", "officer-201002")] {
                let cells = try await sheet(uri, user)
                #expect(Set(cells.keys) == Set(Self.used.keys), "\(uri)")
                for (cell, used) in Self.used {
                    let row = try #require(cells[cell], "\(uri) \(cell)")
                    #expect(row["used"] as? String == used, "\(uri) \(cell): \(row)")
                    if let ceiling = Self.ceilings[cell] {
                        #expect(row["ceiling"] as? String == ceiling, "\(uri) \(cell): \(row)")
                        #expect(row["remaining"] as? String == "0.00", "\(uri) \(cell): \(row)")
                    } else {
                        #expect(row["ceiling"] is NSNull, "\(uri) \(cell): \(row)")
                    }
                    if uri.hasPrefix("/v1/departments"), let ceiling = Self.ceilings[cell] {
                        #expect(row["allocated"] as? String == ceiling, "\(uri) \(cell): \(row)")
                    }
                }
            }

            // The disclosure: the reference's figures, as the existing disclosure tests assert them.
            let disclosure = try await DisclosureFreezeAPITests.publicJSON(client)
            #expect((disclosure["income"] as? [String: Any])?["total"] as? String == "1012.49")
            #expect((disclosure["income"] as? [String: Any])?["general"] as? String == "1012.49")
            let expenditure = try #require(disclosure["expenditure"] as? [String: Any])
            #expect(["total", "basic", "personnel", "operation", "project"].map { expenditure[$0] as? String }
                    == ["1012.49", "835.07", "723.13", "111.94", "177.42"])
            #expect((disclosure["change"] as? [String: Any])?["total"] as? String == "139.20")
            #expect((disclosure["procurement"] as? [String: Any])?["total"] as? String == "88.61")
            let unmanaged = try await Self.unmanagedDisclosure()
            #expect(NSDictionary(dictionary: disclosure).isEqual(to: unmanaged), "the managed year's disclosure differs from the unmanaged one")
        }
    }

    /// The public disclosure of the sample published in an unmanaged year, as the earlier tests do.
    static func unmanagedDisclosure() async throws -> [String: Any] {
        let world = try await APIWorld.make()
        let text = try await world.app().test(.router) { client in
            try await DisclosureFreezeAPITests.publishSample(world, client)
            let response = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=json", method: .get)
            try #require(response.status == .ok)
            return response.text
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
