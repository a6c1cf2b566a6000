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

/// The 批复 routes through the real router: approve-budget, approve-units, the document, deadlines,
/// and revise's kind.
@Suite("the 批复 over HTTP")
struct BudgetApprovalAPITests {
    static let approveBudget = "/v1/departments/201/years/2020/actions/approve-budget"
    static let approveUnits = "/v1/departments/201/years/2020/actions/approve-units"
    static let body = #"{"number": "徐财预〔2020〕1号", "congress_date": "2020-01-10"}"#

    @Test("approve-budget and approve-units: roles, order, bad input, once each; the document in JSON and escaped HTML")
    func routes() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        let entry = try #require(try await f.create([Fixture.project("A-1", name: "督查<b>调研</b>&经费")]).first)
        try await world.app().test(.router) { client in
            func post(_ uri: String, _ user: String, _ body: String = "", contentType: String = "application/json") async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: world.headers(user, contentType: contentType), body: ByteBuffer(text: body))
            }
            // Not every entry approved: refused, naming the code and its state.
            let early = try await post(Self.approveBudget, "finance", Self.body)
            #expect(early.status == .conflict)
            #expect(early.text.contains("A-1") && early.text.contains("draft"))
            try await f.approve(entry.id)

            #expect(try await post(Self.approveUnits, "reviewer-201").status == .conflict)  // before the finance 批复
            #expect(try await post(Self.approveBudget, "reviewer-201", Self.body).status == .forbidden)
            #expect(try await post(Self.approveBudget, "officer-201002", Self.body).status == .forbidden)
            let missing = try await post(Self.approveBudget, "finance", #"{"congress_date": "2020-01-10"}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains(#""field":"number""#))
            let future = try await post(Self.approveBudget, "finance", #"{"number": "n", "congress_date": "2199-01-10"}"#)
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains(#""field":"congress_date""#))
            #expect(try await post("/v1/departments/299/years/2020/actions/approve-budget", "finance", Self.body).status == .notFound)

            let approved = try await post(Self.approveBudget, "finance", Self.body)
            #expect(approved.status == .ok, "\(approved.text)")
            let json = try approved.json()
            #expect(json["number"] as? String == "徐财预〔2020〕1号")
            #expect(json["total"] as? String == "150000.00")
            #expect(json["entries"] as? Int == 1)
            #expect(try await post(Self.approveBudget, "finance", Self.body).status == .conflict)

            // approve-units: BLP body, another department's reviewer sees nothing.
            let blp = #"approval number="徐委办〔2020〕3号""#
            let tokens = try await f.admin.addUser(name: "reviewer-202", role: .departmentReviewer, org: "202", by: f.administrator)
            let elsewhere = try await client.execute(uri: Self.approveUnits, method: .post,
                headers: [.authorization: "Bearer \(tokens)", .contentType: "text/plain"], body: ByteBuffer(text: blp))
            #expect(elsewhere.status == .notFound)
            let units = try await post(Self.approveUnits, "reviewer-201", blp, contentType: "text/plain")
            #expect(units.status == .ok, "\(units.text)")
            #expect(units.text.hasPrefix("ok "))
            #expect(try await post(Self.approveUnits, "reviewer-201").status == .conflict)

            let document = try await client.execute(uri: "/v1/departments/201/years/2020/budget-approval", method: .get,
                                                    headers: world.headers("officer-201002"))
            #expect(document.status == .ok)
            let doc = try document.json()
            #expect(doc["total"] as? String == "150000.00")
            #expect((doc["by_kind"] as? [String: Any])?["project"] as? String == "150000.00")
            #expect(((doc["projects"] as? [[String: Any]])?.first)?["name"] as? String == "督查<b>调研</b>&经费")
            #expect((doc["units_approval"] as? [String: Any])?["number"] as? String == "徐委办〔2020〕3号")
            let html = try await client.execute(uri: "/v1/departments/201/years/2020/budget-approval", method: .get,
                                                headers: world.headers("finance", accept: "text/html"))
            #expect(html.status == .ok)
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.contains("督查&lt;b&gt;调研&lt;/b&gt;&amp;经费"))
            #expect(!html.text.contains("<b>"))
            #expect(try await client.execute(uri: "/v1/departments/201/years/2020/budget-approval?format=html", method: .get,
                                             headers: world.headers("officer-202001")).status == .notFound)
            #expect(try await client.execute(uri: "/v1/departments/201/years/2020/budget-approval?format=pdf", method: .get,
                                             headers: world.headers("finance")).status == .badRequest)
        }
    }

    @Test("deadlines are scoped; revise after the 批复 needs kind, sent as a JSON or BLP field")
    func deadlinesAndRevise() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        let entry = try #require(try await f.create([Fixture.project("A-1")]).first)
        try await f.approve(entry.id)
        try await world.app().test(.router) { client in
            let approved = try await client.execute(uri: Self.approveBudget, method: .post,
                headers: world.headers("finance", contentType: "application/json"), body: ByteBuffer(text: Self.body))
            try #require(approved.status == .ok, "\(approved.text)")

            let finance = try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("finance"))
            #expect(finance.status == .ok)
            let items = try #require(try finance.json()["items"] as? [[String: Any]])
            // An unmanaged year: the units' clock from the 批复, publication from the first approval.
            #expect(Set(items.compactMap { $0["clock"] as? String }) == ["units_approval", "publication"])
            #expect(items.allSatisfy { $0["department"] as? String == "201" && $0["due_on"] is String && $0["days_left"] is Int })
            let officer = try await client.execute(uri: "/v1/deadlines?year=2020", method: .get, headers: world.headers("officer-201002"))
            #expect((try officer.json()["items"] as? [Any])?.count == 2)
            let other = try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("officer-202001"))
            #expect((try other.json()["items"] as? [Any])?.count == 0)
            #expect(try await client.execute(uri: "/v1/deadlines", method: .get, headers: world.headers("root")).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/deadlines?year=1", method: .get, headers: world.headers("finance")).status == .badRequest)
            // A blank or malformed department filter is refused naming it (schemathesis found `?department=` answered 200).
            for filter in ["department=", "department=%20201", "department=a%22b"] {
                let refused = try await client.execute(uri: "/v1/deadlines?\(filter)", method: .get, headers: world.headers("finance"))
                #expect((refused.status == .badRequest || refused.status == .unprocessableContent) && refused.text.contains("department"),
                        "\(filter): \(refused.status) \(refused.text)")
            }
            let summary = try await client.execute(uri: "/v1/units/201002/years/2020/summary", method: .get,
                                                   headers: world.headers("officer-201002"))
            let summaryClocks = try #require(try summary.json()["deadlines"] as? [[String: Any]])
            #expect(Set(summaryClocks.compactMap { $0["clock"] as? String }) == ["units_approval", "publication"])

            let revise = "/v1/entries/\(entry.id.uuidString.lowercased())/actions/revise"
            let noKind = try await client.execute(uri: revise, method: .post,
                headers: world.headers("officer-201002", contentType: "application/json"), body: ByteBuffer(text: #"{"reason": "调整"}"#))
            #expect(noKind.status == .unprocessableContent)
            #expect(noKind.text.contains(#""field":"kind""#))
            let badKind = try await client.execute(uri: revise, method: .post,
                headers: world.headers("officer-201002", contentType: "application/json"), body: ByteBuffer(text: #"{"reason": "调整", "kind": "挪用"}"#))
            #expect(badKind.status == .unprocessableContent)
            let blp = try await client.execute(uri: revise, method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain"), body: ByteBuffer(text: #"action reason="调整" kind=调剂"#))
            #expect(blp.status == .ok, "\(blp.text)")  // BLP answers carry no 201, as for every revise
            #expect(blp.text.contains("revision=2"))
        }
    }
}
