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

@Suite("public disclosure over the API")
struct DisclosureAPITests {
    static let sample = TestPostgres.repositoryRoot.appendingPathComponent("sql/sample")

    @Test("the reference sample: officer and reviewer over the API, finance bureau with budgetctl; the public JSON shows the reference's figures")
    func reference() async throws {
        let world = try await APIWorld.make()
        let entriesBLP = try String(contentsOf: Self.sample.appendingPathComponent("201002-2020.blp"), encoding: .utf8)
        let inputsBLP = try String(contentsOf: Self.sample.appendingPathComponent("201-2020-disclosure.blp"), encoding: .utf8)
        try await world.app().test(.router) { client in
            let posted = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain"), body: ByteBuffer(text: entriesBLP))
            #expect(posted.status == .created, "\(posted.text)")
            // Nothing is public before publication.
            #expect(try await client.execute(uri: "/public/v1/disclosures/2020/201?format=json", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/units/201002/years/2020/actions/submit", method: .post,
                                             headers: world.headers("officer-201002")).status == .ok)
            let inReview = try await client.execute(uri: "/v1/entries?state=department_review&limit=1000", method: .get,
                                                    headers: world.headers("reviewer-201"))
            let ids = try #require(try inReview.json()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(ids.count == 15)
            for id in ids {
                #expect(try await client.execute(uri: "/v1/entries/\(id)/actions/approve", method: .post,
                                                 headers: world.headers("reviewer-201")).status == .ok)
            }
            // The finance bureau works from budgetctl: approve everything at once.
            let env = ["DATABASE_URL": world.fixture.db.conninfo]
            let approved = try await Budgetctl.run(["approve", "--department", "201", "--year", "2020", "--all", "--as", "finance"], environment: env)
            #expect(approved.status == 0, "\(approved.stderr)")
            let inputs = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "text/plain"), body: ByteBuffer(text: inputsBLP))
            #expect(inputs.status == .ok, "\(inputs.text)")
            let summary = try await client.execute(uri: "/v1/units/201002/years/2020/summary", method: .get, headers: world.headers("finance"))
            let pending = try summary.json()["pending_publication"] as? [String: Any]
            #expect(pending?["days_left"] as? Int == 20)
            #expect(pending?["approved_entries"] as? Int == 15)
            let published = try await Budgetctl.run(["publish", "--department", "201", "--year", "2020", "--as", "finance"], environment: env)
            #expect(published.status == 0, "\(published.stderr)")
            // An unpublished entry added afterwards never shows.
            _ = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain"),
                body: ByteBuffer(text: "entry code=DRAFT-1 name=未公开 kind=operation func=2013101 general=999999.00\n"))

            let response = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=json", method: .get)
            #expect(response.status == .ok)
            let d = try response.json()
            let income = d["income"] as? [String: Any]
            #expect(income?["total"] as? String == "1012.49")
            let expenditure = d["expenditure"] as? [String: String]
            #expect(expenditure == ["total": "1012.49", "basic": "835.07", "personnel": "723.13", "operation": "111.94", "project": "177.42"])
            let change = d["change"] as? [String: String]
            #expect(change?["total"] == "139.20" && change?["basic"] == "110.28" && change?["project"] == "28.92")
            let costs = d["operating_costs"] as? [String: String]
            #expect(costs == ["total": "111.94", "office": "5.10", "post": "23.58", "union_welfare": "13.18", "vehicle_operation": "24.00", "other": "46.08"])
            let threePublic = d["three_public"] as? [String: Any]
            for year in ["previous", "current"] {
                let figures = threePublic?[year] as? [String: String]
                #expect(figures?["abroad"] == "0.00" && figures?["vehicle_purchase"] == "0.00")
                #expect(figures?["vehicle_operation"] == "34.00" && figures?["reception"] == "20.50" && figures?["total"] == "54.50")
            }
            #expect((d["procurement"] as? [String: Any])?["total"] as? String == "88.61")
            let projects = try #require(d["projects"] as? [[String: Any]])
            // In the reference's order, which is the order the officer posted them in.
            #expect(projects.prefix(6).compactMap { $0["code"] as? String } == [
                "201-0502-JBN-E5EL", "201-0402-JBN-2ZGZ", "201-0403-JBN-TH71", "201-0601-JBN-L4IE", "201-0502-JBN-9Y35",
                "201-0901-JBN-LHVZ",
            ])
            let first = try #require(projects.first { $0["code"] as? String == "201-0502-JBN-E5EL" })
            #expect(first["amount"] as? String == "15.00")
            #expect(first["plan"] as? [String] == ["30.00", "60.00", "90.00", "100.00"])
            #expect((first["indicators"] as? [Any])?.count == 3)
            #expect(!response.text.contains("DRAFT-1") && !response.text.contains("未公开"))

            let html = try await client.execute(uri: "/public/v1/disclosures/2020/201", method: .get, headers: [.accept: "text/html"])
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.contains("<table") && html.text.contains("<svg") && html.text.contains("督查调研所需经费"))
            let csv = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=csv&table=procurement", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.text.contains("C15040201") && csv.text.contains("A02010104"))
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let zip = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=zip", method: .get)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(Array(zip.body.readableBytesView.prefix(4)) == [0x50, 0x4b, 0x03, 0x04])
            #expect(try await client.execute(uri: "/public/v1/disclosures/2020/999?format=json", method: .get).status == .notFound)
        }
    }

    @Test("bad disclosure inputs are refused naming each metric or section, and nothing is stored")
    func badInputs() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let body = #"{"baseline":{"total":"-1.00","basic":"2000000000000.00","project":"5.00","bogus":"1.00"},"#
                + #""narrative":{"duties":"a\u0000b","other":"fine","nonsense":"x"}}"#
            let response = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "application/json"), body: ByteBuffer(text: body))
            #expect(response.status == .unprocessableContent)
            let details = try #require((try response.json()["error"] as? [String: Any])?["details"] as? [[String: Any]])
            let fields = details.compactMap { $0["field"] as? String }
            #expect(fields == ["baseline.basic", "baseline.bogus", "baseline.total", "narrative.duties", "narrative.nonsense"])
            #expect(response.text.contains("negative") && response.text.contains("U+0000") && response.text.contains("exceeds"))
            #expect(!response.text.contains("parameter $"))
        }
        let stored: Int = try await world.fixture.db.pool.withConnection { c in
            try c.query("SELECT (SELECT count(*) FROM disclosure_baselines) + (SELECT count(*) FROM disclosure_narratives) AS n")
                .first!.decode("n")
        }
        #expect(stored == 0)
    }
}
