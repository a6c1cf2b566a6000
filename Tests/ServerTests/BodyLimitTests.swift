import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Persistence
import Synchronization
import TestSupport
import Testing

@testable import Server

#if canImport(Glibc)
import Glibc
#endif

@Suite("request bodies: a global budget, a read deadline, client aborts")
struct BodyLimitTests {
    static let path = "/v1/units/201002/years/2020/entries"

    static func head(token: String, length: Int) -> String {
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: text/plain\r\nContent-Length: \(length)\r\n\r\n"
    }

    /// A valid BLP batch of exactly `length` bytes: one entry, padded with comment lines.
    static func body(length: Int, code: String) -> String {
        var text = "entry code=\(code) name=x kind=operation func=2013101 general=1.00\n"
        while text.utf8.count < length {
            let room = length - text.utf8.count
            text += "#" + String(repeating: "x", count: max(0, min(999, room - 2))) + (room >= 2 ? "\n" : "")
        }
        return text
    }

    /// Polls `condition` until it holds or a generous bound passes (a loaded machine is slow;
    /// the tests assert what happens, never how fast).
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test("with the budget taken, a second big upload gets 503 + Retry-After before sending its body; freed when the first goes")
    func budget() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        let env = ["MAX_BODY_BYTES": "65536", "MAX_BUFFERED_BODY_BYTES": "100000"]
        let budget = BodyBudget(capacity: 100_000)
        try await world.app(environment: env, budget: budget).test(.live) { client in
            let port = try #require(client.port)
            let first = try await RawConnection.open(port: port)
            try first.send(Self.head(token: token, length: 60000) + String(repeating: "#", count: 1000))
            #expect(try await Self.eventually { budget.inUse >= 60000 }, "the first request holds its 60000 bytes")
            let second = try await RawConnection.open(port: port)
            try second.send(Self.head(token: token, length: 60000))
            let refused = await second.receive(until: { $0.contains("\r\n\r\n") })
            #expect(refused.hasPrefix("HTTP/1.1 503 "), "\(refused)")
            #expect(refused.lowercased().contains("\r\nretry-after: "), "\(refused)")
            #expect(refused.lowercased().contains("\r\nconnection: close"), "\(refused)")
            #expect(await second.closes(within: 60), "the refused connection is closed")
            second.close()
            first.close()
            // The first one's bytes come back: a full-size upload fits again.
            #expect(try await Self.eventually { budget.inUse == 0 }, "the first request's bytes are returned")
            let third = try await RawConnection.open(port: port)
            defer { third.close() }
            try third.send(Self.head(token: token, length: 60000) + Self.body(length: 60000, code: "B-1"))
            let status = String(await third.receive(until: { $0.contains("\r\n\r\n") }).prefix(12))
            #expect(status == "HTTP/1.1 201", "\(status)")
        }
    }

    @Test("a declared length over MAX_BODY_BYTES is 413 at once, its body unread")
    func declaredTooLarge() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        try await world.app(environment: ["MAX_BODY_BYTES": "65536"]).test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            defer { connection.close() }
            try connection.send(Self.head(token: token, length: 1_000_000))
            let answer = await connection.receive(until: { $0.contains("\r\n\r\n") })
            #expect(answer.hasPrefix("HTTP/1.1 413 "), "\(answer)")
        }
    }

    @Test("a body that stalls is cut off by BODY_READ_TIMEOUT_SECONDS with 408, and the connection closes")
    func stalledBody() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        try await world.app(environment: ["BODY_READ_TIMEOUT_SECONDS": "1"]).test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            defer { connection.close() }
            try connection.send(Self.head(token: token, length: 1000) + "entry code=")
            let answer = await connection.receive(until: { $0.contains("\r\n\r\n") })
            #expect(answer.hasPrefix("HTTP/1.1 408 "), "\(answer)")
            #expect(await connection.closes(within: 60), "closed after the 408")
        }
        #expect(try await world.storedCount() == 0)
    }

    @Test("a connection that sends nothing for IDLE_TIMEOUT_SECONDS is closed, between requests or mid-head")
    func idleConnection() async throws {
        let world = try await APIWorld.make()
        try await world.app(environment: ["IDLE_TIMEOUT_SECONDS": "1"]).test(.live) { client in
            let port = try #require(client.port)
            let silent = try await RawConnection.open(port: port)
            defer { silent.close() }
            #expect(await silent.closes(within: 60), "a connection that never sends is closed")
            let afterOne = try await RawConnection.open(port: port)
            defer { afterOne.close() }
            try afterOne.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await afterOne.receive(until: { $0.contains("ok") }).hasPrefix("HTTP/1.1 200"))
            #expect(await afterOne.closes(within: 60), "an idle keep-alive connection is closed")
        }
    }

    @Test("a client that goes away mid-body is logged as a client abort (499), not a server error")
    func clientAbort() async throws {
        let world = try await APIWorld.make()
        let token = try #require(world.tokens["officer-201002"])
        let records = LogRecords()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(records: records) }
        logger.logLevel = .info
        let configuration = try ServerConfiguration(environment: ["DATABASE_URL": world.fixture.db.conninfo, "PORT": "0"])
        let pool = ConnectionPool(configuration: configuration.pool, logger: TestPostgres.logger)
        let budget = BodyBudget(capacity: configuration.limits.maxBufferedBodyBytes)
        let app = try await buildApplication(configuration: configuration, pool: pool, logger: logger, budget: budget)
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try connection.send(Self.head(token: token, length: 1000) + "entry code=")
            // The server has the head and holds the body's bytes: the request is under way.
            #expect(try await Self.eventually { budget.inUse >= 1000 })
            try await Task.sleep(for: .milliseconds(300))  // and, likely, its handler reads the body
            connection.close()
            _ = try await Self.eventually { records.contains("client closed the connection") }
        }
        #expect(records.contains("client closed the connection mid-request") && records.contains("499"), "\(records.all)")
        #expect(!records.contains("request failed"), "\(records.all)")
        #expect(!records.contains("status=500"), "\(records.all)")
    }
}

/// Log lines kept in memory, for asserting what the server logged.
final class LogRecords: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { _, new in new }
        records.append("\(level) \(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

/// A blocking TCP connection to the test server; each call runs on a thread of its own.
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    struct Failure: Error { let step: String }

    static func open(port: Int) async throws -> RawConnection {
        let (fd, failedStep) = loopbackSocket(port: port)
        guard let fd else { throw Failure(step: failedStep ?? "connect") }
        return RawConnection(fd: fd)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(step: "send") }
            sent += n
        }
    }

    /// What arrives until `done` holds, the peer closes, or `seconds` pass (a generous bound by
    /// default: it is only reached when the test fails).
    func receive(until done: @escaping @Sendable (String) -> Bool, seconds: Int = 60) async -> String {
        await receiveUntilClosed(until: done, seconds: seconds).text
    }

    /// Whether the peer closes the connection within `seconds` (whatever else arrives first).
    func closes(within seconds: Int) async -> Bool {
        await receiveUntilClosed(until: { _ in false }, seconds: seconds).closed
    }

    private func receiveUntilClosed(until done: @escaping @Sendable (String) -> Bool, seconds: Int) async -> (text: String, closed: Bool) {
        await withCheckedContinuation { continuation in
            Thread {
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(self.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let deadline = Date().addingTimeInterval(TimeInterval(seconds))
                var text = ""
                var closed = false
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !done(text), Date() < deadline {
                    let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                    if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                        closed = true  // end of stream, or reset
                        break
                    }
                    if count < 0 { continue }  // timeout tick
                    text += String(decoding: buffer[..<count], as: UTF8.self)
                }
                continuation.resume(returning: (text, closed))
            }.start()
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    deinit { close() }
}
