import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Keeps the socket from reading request bodies the server will not take.
///
/// - A request head whose declared length will be refused (over `maxBodyBytes`, or more than the
///   body budget has left) stops reading at once, so its body is not pulled into memory while
///   the request is authenticated and refused. Reading resumes when `BodyLimitMiddleware` takes
///   the body after all (`BodyAccepted`), or when a response that keeps the connection ends.
/// - A response with `Connection: close` stops reading for good; once written, the output is
///   shut down (the client sees the answer, then end of stream) and the connection closes after
///   a short linger, which lets the client read the answer before unread input resets it.
final class UploadGateHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Sent down the pipeline when a request's body is admitted after all: read it.
    struct BodyAccepted {}

    private let limits: RequestLimits
    private let budget: BodyBudget?
    private let linger: TimeAmount
    private var paused = false
    private var closing = false
    private var readPending = false
    private var closeAfterEnd = false

    init(limits: RequestLimits, budget: BodyBudget?, linger: TimeAmount = .seconds(2)) {
        self.limits = limits
        self.budget = budget
        self.linger = linger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data),
           let declared = head.headerFields[.contentLength].flatMap({ Int($0) }),
           limits.refusesUnread(declared: declared, budget: budget) {
            paused = true
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if paused || closing {
            readPending = true
        } else {
            context.read()
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is BodyAccepted else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        resume(context: context)
        promise?.succeed(())
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response) where response.status.kind != .informational:
            closeAfterEnd = response.headerFields[values: .connection].contains { $0.lowercased() == "close" }
            if closeAfterEnd { closing = true }
            context.write(data, promise: promise)
        case .end where closeAfterEnd:
            closeAfterEnd = false
            let channel = context.channel
            let linger = linger
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
            }
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
        case .end:
            context.write(data, promise: promise)
            resume(context: context)  // the server may now drain what is left of the body
        default:
            context.write(data, promise: promise)
        }
    }

    private func resume(context: ChannelHandlerContext) {
        guard paused else { return }
        paused = false
        if readPending, !closing {
            readPending = false
            context.read()
        }
    }
}

extension RequestLimits {
    /// True when a body of `declared` bytes will be refused before it is read.
    func refusesUnread(declared: Int, budget: BodyBudget?) -> Bool {
        if declared > maxBodyBytes { return true }
        if let budget, declared > budget.capacity - budget.inUse { return true }
        return false
    }
}
