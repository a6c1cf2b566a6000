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

@Suite("years API")
struct YearsAPITests {
    @Test("GET /v1/years/{year}: the calendar for anyone signed in; submit outside the window is 409 naming the round")
    func calendarAndWindow() async throws {
        let world = try await APIWorld.make()
        let years = YearService(pool: world.fixture.db.pool)
        let today = try await years.calendar(2021, for: world.fixture.auditor).today
        _ = try await years.open(year: 2021, round: .firstUp, from: nil, until: today, by: world.fixture.finance)
        try await world.app().test(.router) { client in
            for user in ["officer-201002", "reviewer-201", "finance", "auditor"] {
                let shown = try await client.execute(uri: "/v1/years/2021", method: .get, headers: world.headers(user))
                #expect(shown.status == .ok, "\(user): \(shown.text)")
                let body = try shown.json()
                #expect(body["managed"] as? Bool == true)
                #expect(body["entry_round"] as? String == "一上")
                let rounds = try #require(body["rounds"] as? [[String: Any]])
                #expect(rounds.count == 1)
                #expect(rounds.first?["round"] as? String == "一上")
                #expect(rounds.first?["state"] as? String == "open")
                #expect(rounds.first?["opens_on"] as? String == today.description)
                #expect(rounds.first?["closes_on"] as? String == today.description)
                #expect(rounds.first?["closed_at"] is NSNull)
            }
            let anonymous = try await client.execute(uri: "/v1/years/2021", method: .get, headers: [:])
            #expect(anonymous.status == .unauthorized)
            let unmanaged = try await client.execute(uri: "/v1/years/2020", method: .get, headers: world.headers("officer-201002"))
            #expect(try unmanaged.json()["managed"] as? Bool == false)
            let badYear = try await client.execute(uri: "/v1/years/20x1", method: .get, headers: world.headers("officer-201002"))
            #expect(badYear.status == .badRequest)

            // An entry made in the window carries its round, in JSON and BLP.
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2021/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain; charset=utf-8"), body: ByteBuffer(text: supervisionBLP))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.text.hasSuffix(" round=一上\n"), "\(created.text)")
            let id = try #require(created.text.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
            let read = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            #expect(try read.json()["round"] as? String == "一上")
            #expect(try read.json()["figures"] as? [String: Any] != nil)
            let blp = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002", accept: "text/plain"))
            #expect(blp.text.hasPrefix("# id=\(id) state=draft version=1 revision=1 round=一上\n"))

            _ = try await years.close(year: 2021, round: .firstUp, by: world.fixture.finance)
            let refused = try await client.execute(
                uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: world.headers("officer-201002"))
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "conflict")
            let message = ((try refused.json()["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message == "round 一上 of 2021 is closed (\(today) – \(today))")
            let after = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            #expect(try after.json()["state"] as? String == "draft")
        }
    }

    @Test("an unmanaged year's entry has round null and no figures")
    func unmanaged() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain; charset=utf-8"), body: ByteBuffer(text: supervisionBLP))
            #expect(!created.text.contains("round="))
            let id = try #require(created.text.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
            let read = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            let body = try read.json()
            #expect(body["round"] is NSNull)
            #expect(body["figures"] == nil)
            let summary = try await client.execute(uri: "/v1/units/201002/years/2020/summary", method: .get, headers: world.headers("officer-201002"))
            #expect(try summary.json()["figures"] == nil)
        }
    }
}
