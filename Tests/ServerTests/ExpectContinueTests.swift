import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    @Test("a client that waits for 100 Continue gets it before sending its body, then the answer")
    func continues() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        try await world.app().test(.live) { client in
            let port = try #require(client.port)
            let body = "entry code=X-1 name=x kind=operation func=2013101 general=1.00\n"
            let head = Self.postHead(token: token, length: body.utf8.count)
            let (interim, final) = try await Self.exchange(port: port, head: head, body: body)
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
            #expect(final.contains("HTTP/1.1 201 Created"), "\(final)")
        }
        #expect(try await world.storedCount() == 1)
    }

    @Test("with pipelining, 100 Continue comes only after the earlier response has ended")
    func pipelined() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        try await world.app().test(.live) { client in
            let port = try #require(client.port)
            let body = "entry code=X-2 name=x kind=operation func=2013101 general=1.00\n"
            let head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + Self.postHead(token: token, length: body.utf8.count)
            let (interim, final) = try await Self.exchange(port: port, head: head, body: body) { $0.contains("100 Continue\r\n\r\n") }
            let continued = try #require(interim.range(of: "HTTP/1.1 100 Continue\r\n"))
            let earlier = String(interim[..<continued.lowerBound])
            #expect(earlier.hasPrefix("HTTP/1.1 200 OK\r\n") && earlier.hasSuffix("\r\n\r\nok\n"), "\(interim)")
            #expect(final.contains("HTTP/1.1 201 Created"), "\(final)")
        }
        #expect(try await world.storedCount() == 1)
    }

    @Test("no 100 Continue for a request pipelined after one that closes the connection")
    func afterClose() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        try await world.app().test(.live) { client in
            let port = try #require(client.port)
            let head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                + Self.postHead(token: token, length: 10)
            // Read until the server closes (or 60 s pass); the body is never sent.
            let (received, _) = try await Self.exchange(port: port, head: head, body: nil) { _ in false }
            #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(received)")
            #expect(!received.contains("100 Continue"), "\(received)")
        }
        #expect(try await world.storedCount() == 0)
    }

    /// The head of a BLP batch POST for unit 201002 that waits for `100 Continue`.
    static func postHead(token: String, length: Int) -> String {
        "POST /v1/units/201002/years/2020/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer \(token)\r\nContent-Type: text/plain\r\nContent-Length: \(length)\r\n"
            + "Expect: 100-continue\r\n\r\n"
    }

    /// Sends `head`, reads what arrives before the body is sent (waiting at most 60 s for each read), sends
    /// `body`, and reads the final response. Blocking sockets, on a thread of their own.
    static func exchange(
        port: Int, head: String, body: String?, interimDone: @escaping @Sendable (String) -> Bool = { $0.contains("\r\n\r\n") }
    ) async throws -> (String, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try exchangeBlocking(port: port, head: head, body: body, interimDone: interimDone) })
            }.start()
        }
    }

    struct SocketError: Error { let step: String }

    /// With `body` nil, only the first part: what arrives until `interimDone`, the close or the timeout.
    static func exchangeBlocking(port: Int, head: String, body: String?, interimDone: (String) -> Bool) throws -> (String, String) {
        let (socketFD, failedStep) = loopbackSocket(port: port)
        guard let fd = socketFD else { throw SocketError(step: failedStep ?? "connect") }
        defer { close(fd) }
        // A generous bound, reached only when the test fails: a loaded machine may be slow to answer.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func send(_ text: String) throws {
            let bytes = Array(text.utf8)
            guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw SocketError(step: "send") }
        }
        func receive(until done: (String) -> Bool) -> String {
            var text = ""
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(text) {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                text += String(decoding: buffer[..<count], as: UTF8.self)
            }
            return text
        }
        try send(head)
        let interim = receive(until: interimDone)
        guard let body else { return (interim, "") }
        try send(body)
        let final = receive { $0.contains("\r\n\r\n") && $0.contains("state=draft") }
        return (interim, final)
    }
}
