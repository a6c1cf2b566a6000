import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Bounds what request bodies may cost before a controller reads them (after authentication, so
/// an anonymous client reserves nothing):
/// - a declared `Content-Length` above `maxBodyBytes` is 413 at once, unread;
/// - the declared length is reserved from the server-wide `BodyBudget`, or 503 + Retry-After
///   at once when it does not fit; a chunked body reserves as it arrives and is cut off with
///   503 when the budget runs out;
/// - the whole body must arrive within `bodyReadTimeout` (408);
/// - a client that goes away mid-body is a client abort (499), not a server error.
/// Each of these refusals closes the connection: the rest of the body is not wanted.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limits: RequestLimits
    let budget: BodyBudget

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        guard declared.map({ $0 > 0 }) ?? (request.headers[.transferEncoding] != nil) else {
            return try await next(request, context)  // no body
        }
        if let declared, declared > limits.maxBodyBytes {
            throw APIError.tooLarge("the request body is larger than \(limits.maxBodyBytes) bytes; split the batch").closingConnection()
        }
        let reservation = BodyReservation(budget: budget)
        defer { reservation.releaseAll() }
        if let declared, !reservation.grow(to: declared) {
            throw APIError.bodyBudgetExhausted
        }
        // The socket may have stopped reading when the head arrived and the budget looked short.
        context.channel?.triggerUserOutboundEvent(UploadGateHandler.BodyAccepted(), promise: nil)
        let watch = BodyReadWatch(channel: context.channel, timeout: limits.bodyReadTimeout)
        defer { watch.cancel() }
        var request = request
        request.body = RequestBody(asyncSequence: LimitedBody(
            base: request.body, reservation: reservation, maxBytes: limits.maxBodyBytes, watch: watch))
        return try await next(request, context)
    }
}

extension APIError {
    /// The same refusal, with the connection closed after it (its body is left unread).
    func closingConnection() -> APIError {
        var copy = self
        copy.headers[.connection] = "close"
        return copy
    }

    static var bodyBudgetExhausted: APIError {
        APIError.unavailable("the server is receiving too many request bodies at once; retry shortly", retryAfter: 2)
            .closingConnection()
    }
    static var bodyReadTimedOut: APIError {
        APIError(status: .requestTimeout, code: "request_timeout",
                 message: "the request body did not arrive in time; send it again").closingConnection()
    }
    /// The client closed the connection before its body was complete; nobody reads the answer.
    static var clientClosed: APIError {
        APIError(status: .init(code: 499, reasonPhrase: "Client Closed Request"), code: "client_closed",
                 message: "the client closed the connection before the request body was complete").closingConnection()
    }
}

/// Ends a body read that takes longer than its deadline, by closing the connection's input:
/// the pending read then fails and the reader answers 408.
final class BodyReadWatch: Sendable {
    private let timer: Scheduled<Void>?
    private let fired: Flag

    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    init(channel: (any Channel)?, timeout: Duration) {
        let fired = Flag()
        self.fired = fired
        timer = channel.map { channel in
            channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                fired.set()
                channel.close(mode: .input).whenFailure { _ in channel.close(promise: nil) }
            }
        }
    }

    var timedOut: Bool { fired.isSet }

    func cancel() { timer?.cancel() }
}

/// A request body that counts its bytes against the request's reservation and its limit, and
/// turns a failed read into the right refusal.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let reservation: BodyReservation
    let maxBytes: Int
    let watch: BodyReadWatch

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let reservation: BodyReservation
        let maxBytes: Int
        let watch: BodyReadWatch
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                throw watch.timedOut ? APIError.bodyReadTimedOut : Self.refusal(for: error)
            }
            guard let chunk else {
                watch.cancel()  // the whole body is here
                return nil
            }
            received += chunk.readableBytes
            guard received <= maxBytes else {
                throw APIError.tooLarge("the request body is larger than \(maxBytes) bytes; split the batch").closingConnection()
            }
            guard reservation.grow(to: received) else { throw APIError.bodyBudgetExhausted }
            return chunk
        }

        /// A read fails because the peer went away, or (rarely) sent a body HTTP cannot frame.
        static func refusal(for error: any Error) -> APIError {
            if let parse = error as? HTTPParserError, parse != .invalidEOFState {
                return APIError.badRequest("the request body is malformed (\(parse))").closingConnection()
            }
            return .clientClosed
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), reservation: reservation, maxBytes: maxBytes, watch: watch)
    }
}
