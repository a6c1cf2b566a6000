import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import Server

@Suite("entries API: a second submit")
struct SubmitTwiceTests {
    @Test("submitting an entry twice says it is already submitted")
    func submitTwice() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2020/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain"), body: ByteBuffer(text: supervisionBLP))
            let id = try #require(created.text.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
            let headers = world.headers("officer-201002", accept: "text/plain")
            #expect(try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: headers).status == .ok)
            let again = try await client.execute(uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: headers)
            #expect(again.status == .conflict)
            #expect(again.text.contains("cannot submit an entry in state department_review: it is already submitted"), "\(again.text)")
        }
    }
}
