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

@Suite("entries API")
struct EntriesAPITests {
    let blp = "text/plain; charset=utf-8"
    let json = "application/json"

    @Test("an officer posts BLP, submits, and sees the history; BLP requests get BLP answers")
    func blpSession() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: blp), body: ByteBuffer(text: supervisionBLP))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(created.text.hasPrefix("ok line=2 code=201-0502-JBN-E5EL id="))
            #expect(created.text.contains("state=draft version=1"))
            let id = try #require(created.text.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))

            let submitted = try await client.execute(
                uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: world.headers("officer-201002", contentType: blp))
            #expect(submitted.status == .ok)
            #expect(submitted.text.contains("state=department_review version=2"))

            let history = try await client.execute(uri: "/v1/entries/\(id)/history", method: .get, headers: world.headers("officer-201002"))
            let events = try #require(try history.json()["items"] as? [[String: Any]])
            #expect(events.map { $0["action"] as? String } == ["create", "submit"])
            #expect(events.last?["channel"] as? String == "api")
            #expect(events.last?["actor"] as? String == "officer-201002")

            // Export in BLP, then import it again as another year: the same entry.
            let exported = try await client.execute(
                uri: "/v1/entries?year=2020", method: .get, headers: world.headers("officer-201002", accept: "text/plain"))
            #expect(exported.text.contains("entry code=201-0502-JBN-E5EL"))
            let reimported = BLPEntryMapping.decodeEntries(Array(exported.text.utf8), unit: "201002", year: 2020)
            #expect(reimported.errors.isEmpty)
            let original = BLPEntryMapping.decodeEntries(Array(supervisionBLP.utf8), unit: "201002", year: 2020)
            #expect(reimported.entries.map(\.draft) == original.entries.map(\.draft))
        }
    }

    @Test("a BLP batch with three bad lines reports all three and stores nothing")
    func threeBadLines() async throws {
        let world = try await APIWorld.make()
        let body = """
            entry code=A-1 name=好 kind=project func=2013102 general=1e309
            entry code=A-2 name=好 kind=operation func=2013101 general=10.00
            item econ=30201 amount=10.001
            entry code=A-3 name=好 kind=operation func=2013101 general=10.00 colour=red
            """
        try await world.app().test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: blp), body: ByteBuffer(text: body))
            #expect(response.status == .unprocessableContent)
            let lines = response.text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("error code=invalid_input") == true)
            #expect(lines.contains { $0.hasPrefix("error line=1 field=general") })
            #expect(lines.contains { $0.hasPrefix("error line=3 field=amount") })
            #expect(lines.contains { $0.hasPrefix("error line=4 field=colour") })
        }
        #expect(try await world.storedCount() == 0)
    }

    @Test("JSON entries carry an ETag; a stale If-Match gets 412 and changes nothing")
    func etags() async throws {
        let world = try await APIWorld.make()
        let draft = Fixture.project("J-1")
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(bytes: try JSONEncoder().encode(["entries": [draft]])))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(((try created.json()["items"] as? [[String: Any]])?.first?["id"]) as? String)
            let got = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            #expect(got.headers[.eTag] == "\"1\"")
            let entry = try got.json()
            #expect(entry["amount"] as? String == "150000.00")
            #expect(entry["general"] as? String == "150000.00")
            #expect(entry["state"] as? String == "draft")
            #expect(entry["unit"] as? String == "201002")
            #expect((entry["indicators"] as? [Any])?.count == 2)

            var edited = draft
            edited.name = "改名"
            let body = ByteBuffer(bytes: try JSONEncoder().encode(edited))
            let noMatch = try await client.execute(uri: "/v1/entries/\(id)", method: .put,
                headers: world.headers("officer-201002", contentType: json), body: body)
            #expect(noMatch.status == .preconditionRequired)
            let ok = try await client.execute(uri: "/v1/entries/\(id)", method: .put,
                headers: world.headers("officer-201002", contentType: json, extra: [.ifMatch: "\"1\""]), body: body)
            #expect(ok.status == .ok)
            #expect(ok.headers[.eTag] == "\"2\"")
            let stale = try await client.execute(uri: "/v1/entries/\(id)", method: .put,
                headers: world.headers("officer-201002", contentType: json, extra: [.ifMatch: "\"1\""]),
                body: ByteBuffer(bytes: try JSONEncoder().encode(draft)))
            #expect(stale.status == .preconditionFailed)
            #expect(stale.errorCode == "stale_version")
            let staleAction = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post,
                headers: world.headers("officer-201002", extra: [.ifMatch: "\"1\""]))
            #expect(staleAction.status == .preconditionFailed)
            let after = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            #expect(try after.json()["name"] as? String == "改名")
            #expect(try after.json()["state"] as? String == "draft")
            // What GET answers in BLP, PUT takes back unchanged.
            let blpEntry = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002", accept: blp))
            let put = try await client.execute(uri: "/v1/entries/\(id)", method: .put,
                headers: world.headers("officer-201002", contentType: blp, extra: [.ifMatch: blpEntry.headers[.eTag] ?? ""]), body: blpEntry.body)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.headers[.eTag] == "\"3\"")
        }
    }

    @Test("every status of SPEC §6: 401, 403, 404, 409, 412, 413, 415, 406, 422")
    func statuses() async throws {
        let world = try await APIWorld.make()
        let entry = try #require(try await world.fixture.create([Fixture.project("S-1")]).first)
        try await world.app().test(.router) { client in
            let path = "/v1/entries/\(entry.id.uuidString.lowercased())"
            #expect(try await client.execute(uri: path, method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: path, method: .get, headers: world.headers("bgt_nope")).status == .unauthorized)
            // 403: a role that may never do it.
            let approveByOfficer = try await client.execute(uri: path + "/actions/approve", method: .post, headers: world.headers("officer-201002"))
            #expect(approveByOfficer.status == .forbidden)
            let auditorPost = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("auditor", contentType: blp), body: ByteBuffer(text: supervisionBLP))
            #expect(auditorPost.status == .notFound || auditorPost.status == .forbidden)
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("root")).status == .forbidden)
            // 404 outside scope, exactly like a missing entry.
            let foreign = try await client.execute(uri: path, method: .get, headers: world.headers("officer-202001"))
            let missing = try await client.execute(uri: "/v1/entries/\(UUID().uuidString)", method: .get, headers: world.headers("officer-202001"))
            #expect(foreign.status == .notFound)
            #expect(foreign.text == missing.text)
            #expect(try await client.execute(uri: path + "/history", method: .get, headers: world.headers("officer-202001")).status == .notFound)
            #expect(try await client.execute(uri: path + "/actions/submit", method: .post, headers: world.headers("officer-202001")).status == .notFound)
            #expect(try await client.execute(uri: "/v1/units/201002/years/2020/summary", method: .get, headers: world.headers("officer-202001")).status == .notFound)
            let list = try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("officer-202001"))
            #expect((try list.json()["items"] as? [Any])?.isEmpty == true)
            // 409 illegal transition, naming state and action.
            let withdraw = try await client.execute(uri: path + "/actions/withdraw", method: .post, headers: world.headers("officer-201002"))
            #expect(withdraw.status == .conflict)
            #expect(withdraw.text.contains("withdraw") && withdraw.text.contains("draft"))
            // 405 with Allow for a method the path does not serve; 404 for no such path.
            let delete = try await client.execute(uri: path, method: .delete, headers: world.headers("officer-201002"))
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, PUT")
            #expect(try await client.execute(uri: "/v1/nothing", method: .get, headers: world.headers("officer-201002")).status == .notFound)
            // 415 and 406.
            let xml = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "application/xml"), body: ByteBuffer(text: "<x/>"))
            #expect(xml.status == .unsupportedMediaType)
            #expect(try await client.execute(uri: path, method: .get, headers: world.headers("officer-201002", accept: "image/png")).status == .notAcceptable)
            #expect(try await client.execute(uri: path + "/history", method: .get, headers: world.headers("officer-201002", accept: "text/plain")).status == .notAcceptable)
            // 422 with every violation, on submit.
            var broken = Fixture.project("S-2")
            broken.plan = [Percent(50), Percent(40), Percent(90), Percent(99)]
            broken.indicators = []
            let brokenEntry = try #require(try await world.fixture.create([broken]).first)
            let submit = try await client.execute(uri: "/v1/entries/\(brokenEntry.id)/actions/submit", method: .post, headers: world.headers("officer-201002"))
            #expect(submit.status == .unprocessableContent)
            let rules = ((try submit.json()["error"] as? [String: Any])?["details"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
            #expect(Set(rules ?? []) == ["V3", "V4"])
            // reject without a reason
            _ = try await client.execute(uri: path + "/actions/submit", method: .post, headers: world.headers("officer-201002"))
            let reject = try await client.execute(uri: path + "/actions/reject", method: .post,
                headers: world.headers("reviewer-201", contentType: json), body: ByteBuffer(text: #"{"reason": " "}"#))
            #expect(reject.status == .unprocessableContent)
            #expect(reject.errorCode == "reason_required")
            let rejected = try await client.execute(uri: path + "/actions/reject", method: .post,
                headers: world.headers("reviewer-201", contentType: blp), body: ByteBuffer(text: #"action reason="测算依据不足""#))
            #expect(rejected.status == .ok)
            #expect(rejected.text.contains("state=draft"))
        }
    }

    @Test("hostile input gets clear 4xx errors and leaves the database as it was")
    func hostileInput() async throws {
        let world = try await APIWorld.make()
        _ = try await world.fixture.create([Fixture.project("H-0")])
        let url = "/v1/units/201002/years/2020/entries"
        try await world.app().test(.router) { client in
            func post(_ bytes: [UInt8], _ type: String = "text/plain") async throws -> TestResponse {
                try await client.execute(uri: url, method: .post, headers: world.headers("officer-201002", contentType: type),
                                         body: ByteBuffer(bytes: bytes))
            }
            let badUTF8 = try await post(Array("entry code=X-1 name=\"".utf8) + [0xC3, 0x28] + Array("\" kind=project func=201".utf8))
            #expect(badUTF8.status == .unprocessableContent)
            #expect(badUTF8.text.contains("line=1"))
            let huge = try await post([UInt8](repeating: UInt8(ascii: "#"), count: 20 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge)
            let longLine = try await post(Array(("entry code=L-1 name=\"" + String(repeating: "长", count: 100_000) + "\" kind=project func=2013102").utf8))
            #expect(longLine.status == .contentTooLarge)
            #expect(longLine.text.contains("line=1"))
            let overflow = try await post(Array("entry code=O-1 name=x kind=project func=2013102 general=1e309".utf8))
            #expect(overflow.status == .unprocessableContent)
            #expect(overflow.text.contains("field=general"))
            let negativeQty = try await post(Array("""
                entry code=Q-1 name=x kind=project func=2013102 general=10.00
                procurement item=电脑 catalog=A02010104 unit=台 qty=-1 price=5.00
                """.utf8))
            #expect(negativeQty.status == .unprocessableContent)
            #expect(negativeQty.text.contains("V5"))
            let sql = try await post(Array(#"entry code="x'; DROP TABLE entries; --" name=x kind=project func=2013102 general=10.00"#.utf8))
            #expect(sql.status == .unprocessableContent)
            #expect(sql.text.contains("field=code"))
            let badJSON = try await post(Array(#"{"entries": [{"code": 1}"#.utf8), "application/json")
            #expect(badJSON.status == .unprocessableContent)
            #expect(badJSON.errorCode == "invalid_input")
            // NUL would be cut off by C strings: refused, naming the field, never stored shortened.
            let nul = try await post(Array(#"[{"code":"N-1","name":"x","kind":"project","function_code":"2013102","general":"1.00","purpose":"before\u0000after"}]"#.utf8), "application/json")
            #expect(nul.status == .unprocessableContent)
            #expect(nul.text.contains("purpose"))
            let typo = try await post(Array(#"[{"code":"T-1","name":"x","kind":"operation","function_code":"2013101","genral":"1.00"}]"#.utf8), "application/json")
            #expect(typo.status == .unprocessableContent)
            #expect(typo.text.contains("genral"))
            let hugePlan = try await post(Array("entry code=P-9 name=x kind=project func=2013102 general=1.00 plan=30,60,90,1000".utf8))
            #expect(hugePlan.status == .unprocessableContent)
            #expect(hugePlan.text.contains("V3"))
            let hugeItem = try await post(Array("entry code=P-8 name=x kind=operation func=2013102 general=1.00\nitem econ=30201 amount=90000000000000000.00".utf8))
            #expect(hugeItem.status == .unprocessableContent)
            #expect(hugeItem.text.contains("V1"))
            let existing = try await client.execute(uri: "/v1/entries?limit=1", method: .get, headers: world.headers("officer-201002"))
            let id = try #require((try existing.json()["items"] as? [[String: Any]])?.first?["id"] as? String)
            let nulReason = try await client.execute(uri: "/v1/entries/\(id)/actions/discard", method: .post,
                headers: world.headers("officer-201002", contentType: "application/json"), body: ByteBuffer(text: #"{"reason":"visible\u0000hidden"}"#))
            #expect(nulReason.status == .unprocessableContent)
            let filter = try await client.execute(uri: "/v1/entries?unit=201002%00zz", method: .get, headers: world.headers("officer-201002"))
            #expect(filter.status == .unprocessableContent)
        }
        #expect(try await world.storedCount() == 1)
        let verification = try await world.fixture.verifyAudit()
        #expect(verification.ok)
    }

    @Test("a retried idempotent POST applies once; another body under the same key is refused")
    func idempotency() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let headers = world.headers("officer-201002", contentType: blp, extra: [.init("Idempotency-Key")!: "batch-42"])
            let first = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post, headers: headers,
                                                 body: ByteBuffer(text: supervisionBLP))
            let second = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post, headers: headers,
                                                  body: ByteBuffer(text: supervisionBLP))
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.text == first.text)
            #expect(second.headers[.init("Idempotent-Replayed")!] == "true")
            let other = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post, headers: headers,
                                                 body: ByteBuffer(text: supervisionBLP + "# changed\n"))
            #expect(other.status == .unprocessableContent)
            #expect(other.text.contains("idempotency_key_reused"))
            // Actions too: the second submit returns the first answer instead of a 409.
            let id = try #require(first.text.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
            let actionHeaders = world.headers("officer-201002", extra: [.init("Idempotency-Key")!: "submit-1"])
            let a = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: actionHeaders)
            let b = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: actionHeaders)
            #expect(a.status == .ok)
            #expect(b.status == .ok)
            #expect(a.text == b.text)
            #expect(a.headers[.eTag] != nil && b.headers[.eTag] == a.headers[.eTag])  // the whole first answer
            // A server that stopped after the submit committed but before storing its answer: the
            // key says "applied" (written in the submit's own transaction), so a retry is told so
            // instead of submitting again.
            let applied: [String] = try await world.fixture.db.pool.withConnection { c in
                try c.query("SELECT key FROM idempotency_keys WHERE applied_at IS NOT NULL ORDER BY key").map { try $0.decode("key") }
            }
            #expect(applied == ["batch-42", "submit-1"])  // the streamed batch import and the action
            let forgotten: Int = try await world.fixture.db.pool.withConnection { c in
                try c.query("""
                    UPDATE idempotency_keys SET status = NULL, content_type = NULL, response = NULL, applied_at = now()
                    WHERE key = 'submit-1' AND applied_at IS NOT NULL
                    """).affectedRows
            }
            #expect(forgotten == 1)
            // Moments after the commit the first run may still be storing its answer …
            let c = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: actionHeaders)
            #expect(c.status == .conflict)
            #expect(c.text.contains("in_progress"))
            // … long after, it never will.
            try await world.fixture.db.pool.withConnection { c in
                _ = try c.query("UPDATE idempotency_keys SET applied_at = now() - interval '1 hour' WHERE key = 'submit-1'")
            }
            let d = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: actionHeaders)
            #expect(d.status == .conflict)
            #expect(d.text.contains("already_applied"))
            // A 409 applied nothing and is not remembered: once the state allows it, the retry runs.
            let againHeaders = world.headers("officer-201002", extra: [.init("Idempotency-Key")!: "submit-2"])
            let refused = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: againHeaders)
            #expect(refused.status == .conflict)
            let withdrawn = try await client.execute(uri: "/v1/entries/\(id)/actions/withdraw", method: .post,
                                                     headers: world.headers("officer-201002"))
            #expect(withdrawn.status == .ok)
            let retried = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: againHeaders)
            #expect(retried.status == .ok)
            #expect(retried.headers[.init("Idempotent-Replayed")!] == nil)
        }
        #expect(try await world.storedCount() == 1)
        let history = try await world.fixture.entries.list(.init(), for: world.fixture.auditor).items
        #expect(history.first?.version == 4)  // submit, withdraw, submit: each once
    }

    @Test("the department reviews and the finance bureau publishes over the API")
    func reviewAndPublish() async throws {
        let world = try await APIWorld.make()
        let entries = try await world.fixture.create([Fixture.project("P-1"), Fixture.project("P-2")])
        try await world.app().test(.router) { client in
            let submit = try await client.execute(uri: "/v1/units/201002/years/2020/actions/submit", method: .post,
                                                  headers: world.headers("officer-201002"))
            #expect(submit.status == .ok)
            for entry in entries {
                let approve = try await client.execute(uri: "/v1/entries/\(entry.id)/actions/approve", method: .post,
                                                       headers: world.headers("reviewer-201"))
                #expect(approve.status == .ok)
                #expect(try await client.execute(uri: "/v1/entries/\(entry.id)/actions/approve", method: .post,
                                                 headers: world.headers("finance")).status == .ok)
            }
            let byReviewer = try await client.execute(uri: "/v1/departments/201/years/2020/actions/publish", method: .post,
                                                      headers: world.headers("reviewer-201"))
            #expect(byReviewer.status == .forbidden)
            let published = try await client.execute(uri: "/v1/departments/201/years/2020/actions/publish", method: .post,
                                                     headers: world.headers("finance"))
            #expect(published.status == .ok)
            #expect((try published.json()["items"] as? [Any])?.count == 2)
            let summary = try await client.execute(uri: "/v1/units/201002/years/2020/summary", method: .get, headers: world.headers("reviewer-201"))
            let byState = try summary.json()["by_state"] as? [String: [String: Any]]
            #expect(byState?["published"]?["count"] as? Int == 2)
        }
    }

    @Test("an exhausted pool answers 503 with Retry-After, fast")
    func overload() async throws {
        let world = try await APIWorld.make()
        let pool = ConnectionPool(configuration: .init(connectionString: world.fixture.db.conninfo, size: 1,
                                                       acquireTimeout: .milliseconds(50), maxWaiters: 0), logger: TestPostgres.logger)
        let app = try await buildApplication(
            configuration: try ServerConfiguration(environment: ["DATABASE_URL": world.fixture.db.conninfo, "LOG_LEVEL": "critical"]),
            pool: pool, logger: TestPostgres.logger)
        try await app.test(.router) { client in
            let gate = try LockGate(conninfo: world.fixture.db.conninfo)
            async let hold: Void = pool.withConnection { c in _ = try c.query(gate.waitStatement) }
            defer { try? gate.open() }  // before the holder is awaited, even if the test throws
            while pool.usage.inUse == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let response = try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("finance"))
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
            #expect(pool.usage.inUse == 1)  // answered while the holder still held: refused, not queued
            try gate.open()
            try await hold
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: world.headers("finance")).status == .ok)
        }
        await pool.shutdown()
    }
}
