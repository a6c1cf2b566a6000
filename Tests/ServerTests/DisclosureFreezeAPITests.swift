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

/// The inputs (baseline, narrative) of a published department-year are frozen with it: the public
/// disclosure shows what was published, and a change goes public only by publishing again.
@Suite("published disclosure inputs are frozen")
struct DisclosureFreezeAPITests {
    static let sample = TestPostgres.repositoryRoot.appendingPathComponent("sql/sample")

    /// Loads the reference sample through the API and budgetctl and publishes 201/2020.
    static func publishSample(_ world: APIWorld, _ client: some TestClientProtocol) async throws {
        let entriesBLP = try String(contentsOf: sample.appendingPathComponent("201002-2020.blp"), encoding: .utf8)
        let inputsBLP = try String(contentsOf: sample.appendingPathComponent("201-2020-disclosure.blp"), encoding: .utf8)
        let posted = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
            headers: world.headers("officer-201002", contentType: "text/plain"), body: ByteBuffer(text: entriesBLP))
        try #require(posted.status == .created, "\(posted.text)")
        try #require(try await client.execute(uri: "/v1/units/201002/years/2020/actions/submit", method: .post,
                                              headers: world.headers("officer-201002")).status == .ok)
        let env = ["DATABASE_URL": world.fixture.db.conninfo]
        for user in ["reviewer-201", "finance"] {
            let approved = try await Budgetctl.run(["approve", "--department", "201", "--year", "2020", "--all", "--as", user], environment: env)
            try #require(approved.status == 0, "\(approved.stderr)")
        }
        let inputs = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
            headers: world.headers("reviewer-201", contentType: "text/plain"), body: ByteBuffer(text: inputsBLP))
        try #require(inputs.status == .ok, "\(inputs.text)")
        let published = try await client.execute(uri: "/v1/departments/201/years/2020/actions/publish", method: .post,
                                                 headers: world.headers("finance"))
        try #require(published.status == .ok, "\(published.text)")
    }

    static func publicJSON(_ client: some TestClientProtocol) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=json", method: .get)
        try #require(response.status == .ok)
        return try response.json()
    }

    /// The newest event of the department-year's publication chain: its action and changes.
    static func lastPublicationEvent(_ world: APIWorld) throws -> (action: String, changes: String) {
        let row = try #require(try world.fixture.db.superuser().query("""
            SELECT action, changes::text AS changes FROM audit_events WHERE chain = 'publication:201:2020' ORDER BY seq DESC LIMIT 1
            """).first)
        return (try row.decode("action"), try row.decode("changes"))
    }

    @Test("after publication, a reviewer's new narrative or baseline leaves the public disclosure as published in every format")
    func frozen() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            try await Self.publishSample(world, client)
            let before = try await Self.publicJSON(client)
            #expect((before["change"] as? [String: String])?["total"] == "139.20")
            let html = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=html", method: .get).text
            let markdown = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=md", method: .get).text

            let forged = """
                narrative section=change_reason text="2020年收入预算9999.99万元，比上年增加8888.88万元。"
                baseline metric=total amount=1.00

                """
            let saved = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "text/plain"), body: ByteBuffer(text: forged))
            #expect(saved.status == .ok, "\(saved.text)")
            // The answer says the inputs are staged, not public.
            #expect(saved.text.contains("state=staged"))
            let json = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "application/json"),
                body: ByteBuffer(text: #"{"narrative":{"duties":"改写的职责"}}"#))
            #expect(json.status == .ok)
            #expect(try json.json()["publication"] as? Int != nil)

            let after = try await Self.publicJSON(client)
            #expect((after["change"] as? [String: String])?["total"] == "139.20")
            #expect((after["narrative"] as? [String: String]) == (before["narrative"] as? [String: String]))
            #expect(NSDictionary(dictionary: after).isEqual(to: before))
            #expect(try await client.execute(uri: "/public/v1/disclosures/2020/201?format=html", method: .get).text == html)
            #expect(try await client.execute(uri: "/public/v1/disclosures/2020/201?format=md", method: .get).text == markdown)
            for format in ["html", "md", "csv&table=expenditure"] {
                let text = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=\(format)", method: .get).text
                #expect(!text.contains("9999.99") && !text.contains("1011.49") && !text.contains("改写的职责"), "\(format)")
            }
            // The public disclosure through budgetctl too.
            let cli = try await Budgetctl.run(["disclosure", "--department", "201", "--year", "2020", "--format", "json"],
                                              environment: ["DATABASE_URL": world.fixture.db.conninfo])
            #expect(cli.status == 0 && cli.stdout.contains("\"total\" : \"139.20\"") && !cli.stdout.contains("9999.99"), "\(cli.stdout)")
        }
    }

    @Test("changed inputs go public only through a new publication by the finance bureau, cross-checked and audited")
    func republish() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            try await Self.publishSample(world, client)
            let publish = { (user: String) in
                try await client.execute(uri: "/v1/departments/201/years/2020/actions/publish", method: .post, headers: world.headers(user))
            }
            // Nothing changed: nothing to publish, naming the publication.
            let nothing = try await publish("finance")
            #expect(nothing.status == .conflict)
            #expect(nothing.text.contains("unchanged since publication"), "\(nothing.text)")

            // Figures in the narrative that disagree with the tables: the cross-checks refuse.
            _ = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "text/plain"),
                body: ByteBuffer(text: "narrative section=change_reason text=\"2020年收入预算9999.99万元，比上年增加8888.88万元。\"\n"))
            // Only the finance bureau publishes.
            #expect(try await publish("reviewer-201").status == .forbidden)
            let refused = try await publish("finance")
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("cross-check"))
            #expect((try await Self.publicJSON(client)["change"] as? [String: String])?["total"] == "139.20")

            // A sound change, republished by the finance bureau: public at once, and audited.
            let original = "基本支出增加110.28万元，主要原因是机构改革档案馆调入，基本支出增加；项目支出增加28.92万元，主要原因是机要局项目金额较上年增加。"
            let fixed = try await client.execute(uri: "/v1/departments/201/years/2020/disclosure-inputs", method: .post,
                headers: world.headers("reviewer-201", contentType: "application/json"),
                body: ByteBuffer(text: #"{"narrative":{"change_reason":"\#(original)","duties":"新的职责说明"}}"#))
            #expect(fixed.status == .ok)
            let republished = try await publish("finance")
            #expect(republished.status == .ok, "\(republished.text)")
            #expect((try republished.json()["items"] as? [Any])?.isEmpty == true, "\(republished.text)")
            let now = try await Self.publicJSON(client)
            #expect((now["narrative"] as? [String: String])?["duties"] == "新的职责说明")
            #expect((now["narrative"] as? [String: String])?["change_reason"] == original)
            #expect((now["change"] as? [String: String])?["total"] == "139.20")
            let event = try Self.lastPublicationEvent(world)
            #expect(event.action == "publish")
            #expect(event.changes.contains("\"inputs_changed\": \"narrative.duties\""), "\(event.changes)")
            let frozen: Int = try world.fixture.db.superuser().query("""
                SELECT count(*)::int AS n FROM publication_narratives n JOIN publications p ON p.id = n.publication_id
                WHERE p.department_code = '201' AND p.year = 2020
                """).first!.decode("n")
            #expect(frozen == 12)  // six sections frozen by each of the two publications
        }
    }
}
