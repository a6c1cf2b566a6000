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

/// Every refusal a client can cause is decided by a rule with a field and a sentence, before
/// anything is stored or audited; stored text never breaks a read.
@Suite("input rules (API)")
struct InputRulesAPITests {
    let blp = "text/plain; charset=utf-8"
    let json = "application/json"

    static func entryJSON(code: String, extra: String = "") -> String {
        #"{"code":"\#(code)","name":"督查","kind":"operation","function_code":"2013101","general":"5.00"\#(extra)}"#
    }

    func auditCount(_ world: APIWorld) async throws -> Int {
        try await world.fixture.db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM audit_events").first!.decode("n") }
    }

    @Test("control characters in JSON text are refused naming the field; a legacy row holding them still reads as BLP")
    func controlCharacters() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            for escaped in [#"\u001b[31mRED"#, #"\r\nFAKE-LINE"#, #"\u007f"#, #"\u0085"#, #"\b"#] {
                let response = try await client.execute(
                    uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                    body: ByteBuffer(text: "[" + Self.entryJSON(code: "C-1", extra: #","purpose":"p\#(escaped)""#) + "]"))
                #expect(response.status == .unprocessableContent, "\(escaped): \(response.text)")
                #expect(response.text.contains(#""field":"purpose""#) && response.text.contains("control character"), "\(response.text)")
            }
            #expect(try await world.storedCount() == 0)

            // A row stored before the rule (written behind the API's back) never breaks a read.
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "L-1") + "]"))
            #expect(created.status == .created)
            try world.fixture.db.superuser().query("UPDATE entries SET purpose = \("p\u{1B}[31mRED\r\nx\u{7F}\u{85}\u{08}") WHERE code = 'L-1'")
            let id = try await world.fixture.db.pool.withConnection { c in
                try c.query("SELECT id FROM entries WHERE code = 'L-1'").first!.decode("id", as: UUID.self)
            }
            for uri in ["/v1/entries/\(id.uuidString.lowercased())", "/v1/entries?year=2020"] {
                for user in ["officer-201002", "auditor", "finance"] {
                    let read = try await client.execute(uri: uri, method: .get, headers: world.headers(user, accept: "text/plain"))
                    #expect(read.status == .ok, "\(uri) as \(user): \(read.text)")
                    #expect(read.text.contains(#"purpose="p\u001B[31mRED\u000D\nx\u007F\u0085\u0008""#), "\(read.text)")
                }
            }
        }
    }

    @Test("a 7,000,000-character reason is refused naming the field and the limit, and nothing is audited")
    func hugeReason() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "R-1") + "]"))
            let id = try #require(((try created.json()["items"] as? [[String: Any]])?.first?["id"]) as? String)
            let before = try await auditCount(world)
            let reason = String(repeating: "x", count: 7_000_000)
            let refused = try await client.execute(
                uri: "/v1/entries/\(id)/actions/discard", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: #"{"reason":"\#(reason)"}"#))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#""field":"reason""#) && refused.text.contains("\(TextLimits.reason.maxLength)"))
            let escape = try await client.execute(
                uri: "/v1/entries/\(id)/actions/discard", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: #"{"reason":"done\u001b[2J"}"#))
            #expect(escape.status == .unprocessableContent && escape.text.contains("U+001B"))
            #expect(try await auditCount(world) == before)
        }
    }

    @Test("refusals decided by rules, not by the database: six plan values, bad UTF-8, NUL in a filter")
    func rulesBeforeDatabase() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let plan = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: blp),
                body: ByteBuffer(text: "entry code=P-6 name=x kind=project func=2013102 general=1.00 plan=30,60,90,100,100,100\n"))
            #expect(plan.status == .unprocessableContent)
            #expect(plan.text.contains("field=plan") && plan.text.contains("exactly four"), "\(plan.text)")
            #expect(!plan.text.contains("entries_plan_check") && !plan.text.contains("database"))
            let operationPlan = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: blp),
                body: ByteBuffer(text: "entry code=P-3 name=x kind=operation func=2013102 general=1.00 plan=30,60,100\n"))
            #expect(operationPlan.status == .unprocessableContent && operationPlan.text.contains("field=plan"), "\(operationPlan.text)")

            var badUTF8 = ByteBuffer(text: #"[{"code":"U-1","name":""#)
            badUTF8.writeBytes([0xFF, 0xFE])
            badUTF8.writeString(#"","kind":"operation","function_code":"2013101","general":"1.00"}]"#)
            let utf8 = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json), body: badUTF8)
            #expect(utf8.status == .unprocessableContent)
            #expect(utf8.text.contains("not valid UTF-8") && utf8.text.contains("line 1"), "\(utf8.text)")
            #expect(!utf8.text.contains("Foundation") && !utf8.text.contains("SourceLocation"))

            let syntax = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[\n{\"code\" \"x\"}]"))
            #expect(syntax.status == .unprocessableContent && syntax.text.contains("line 2, column 9"), "\(syntax.text)")

            for parameter in ["unit", "department"] {
                let filter = try await client.execute(uri: "/v1/entries?\(parameter)=%00", method: .get, headers: world.headers("finance"))
                #expect(filter.status == .unprocessableContent)
                #expect(filter.text.contains(#""field":"\#(parameter)""#) && !filter.text.contains("$1"), "\(filter.text)")
            }
            #expect(try await world.storedCount() == 0)
        }
    }

    @Test("another unit's code is answered as any taken code, without naming another unit")
    func takenCodeOutOfScope() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let owner = try await client.execute(
                uri: "/v1/units/201002/years/2021/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "B-2021-DRAFT") + "]"))
            #expect(owner.status == .created)
            let other = try await client.execute(
                uri: "/v1/units/202001/years/2021/entries", method: .post, headers: world.headers("officer-202001", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "B-2021-DRAFT") + "]"))
            #expect(other.status == .unprocessableContent)
            #expect(other.text.contains(Validator.codeTakenMessage), "\(other.text)")
            #expect(!other.text.contains("another unit"))
        }
    }

    @Test("unknown keys inside items, indicators and procurement, and repeated keys, are refused by name")
    func strictJSON() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                    body: ByteBuffer(text: body))
            }
            let typo = try await post("[" + Self.entryJSON(code: "K-1", extra: #","items":[{"econ":"30201","amout":"5.00"}]"#) + "]")
            #expect(typo.status == .unprocessableContent)
            #expect(typo.text.contains(#""field":"items[0].amout""#), "\(typo.text)")
            let indicator = try await post("[" + Self.entryJSON(code: "K-2", extra: #","indicators":[{"l1":"产出指标","l2":"a","l3":"b","desc":"c","value":"d","basis":"e","colour":"red"}]"#) + "]")
            #expect(indicator.text.contains("indicators[0].colour"), "\(indicator.text)")
            let procurement = try await post("[" + Self.entryJSON(code: "K-3", extra: #","procurement":[{"item":"电脑","catalog":"A02010104","unit":"台","quantity":"1","price":"5.00","qty":"2"}]"#) + "]")
            #expect(procurement.text.contains("procurement[0].qty"), "\(procurement.text)")

            let repeated = try await post(#"[{"code":"A","code":"B","name":"x","kind":"operation","function_code":"2013101","general":"1.00"}]"#)
            #expect(repeated.status == .unprocessableContent)
            #expect(repeated.text.contains(#""field":"[0].code""#) && repeated.text.contains("twice"), "\(repeated.text)")
            let nested = try await post("[" + Self.entryJSON(code: "K-4", extra: #","items":[{"econ":"30201","econ":"30202","amount":"5.00"}]"#) + "]")
            #expect(nested.status == .unprocessableContent && nested.text.contains("[0].items[0].econ"), "\(nested.text)")
            #expect(try await world.storedCount() == 0)
        }
    }

    @Test("PUT refuses a unit= or year= that disagrees with the entry, in BLP and JSON")
    func putDisagreement() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "D-1") + "]"))
            let id = try #require(((try created.json()["items"] as? [[String: Any]])?.first?["id"]) as? String)
            let ifMatch: HTTPFields = [.ifMatch: "\"1\""]
            let blpPut = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put, headers: world.headers("officer-201002", contentType: blp, extra: ifMatch),
                body: ByteBuffer(text: "entry unit=999999 year=1700 code=D-1 name=y kind=operation func=2013101 general=6.00\n"))
            #expect(blpPut.status == .unprocessableContent)
            #expect(blpPut.text.contains("disagrees") && blpPut.text.contains("field=unit") && blpPut.text.contains("field=year"), "\(blpPut.text)")
            let jsonPut = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put, headers: world.headers("officer-201002", contentType: json, extra: ifMatch),
                body: ByteBuffer(text: Self.entryJSON(code: "D-1", extra: #","year":2021"#)))
            #expect(jsonPut.status == .unprocessableContent && jsonPut.text.contains("disagrees"), "\(jsonPut.text)")
            let typoPut = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put, headers: world.headers("officer-201002", contentType: json, extra: ifMatch),
                body: ByteBuffer(text: Self.entryJSON(code: "D-1", extra: #","items":[{"econ":"30201","amout":"6.00"}]"#)))
            #expect(typoPut.status == .unprocessableContent && typoPut.text.contains(#""field":"items[0].amout""#), "\(typoPut.text)")
            let repeatedPut = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put, headers: world.headers("officer-201002", contentType: json, extra: ifMatch),
                body: ByteBuffer(text: #"{"code":"D-1","name":"x","name":"y","kind":"operation","function_code":"2013101","general":"1.00"}"#))
            #expect(repeatedPut.status == .unprocessableContent && repeatedPut.text.contains(#""field":"name""#), "\(repeatedPut.text)")
            let jsonPost = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post, headers: world.headers("officer-201002", contentType: json),
                body: ByteBuffer(text: "[" + Self.entryJSON(code: "D-2", extra: #","unit":"201003""#) + "]"))
            #expect(jsonPost.status == .unprocessableContent && jsonPost.text.contains("disagrees"), "\(jsonPost.text)")
            // The entry's own unit and year (as an export carries them) are fine.
            let same = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put, headers: world.headers("officer-201002", contentType: blp, extra: ifMatch),
                body: ByteBuffer(text: "entry unit=201002 year=2020 code=D-1 name=y kind=operation func=2013101 general=6.00\n"))
            #expect(same.status == .ok, "\(same.text)")
            let stored = try await world.fixture.db.pool.withConnection { c in
                try c.query("SELECT unit_code, year FROM entries WHERE code = 'D-1'").first!.decode("unit_code", as: String.self)
            }
            #expect(stored == "201002")
        }
    }
}
