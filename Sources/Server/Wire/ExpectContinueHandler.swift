import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` (RFC 9110 §10.1.1), so a client that waits
/// for it before sending its body starts at once. Without it curl, which asks for bodies over
/// 1 MiB, waited its full one-second timeout on every large batch POST. The request then goes on
/// as usual; a refusal (401, 413…) still comes as the final response.
///
/// With pipelining the interim response must not land inside an earlier request's response, so
/// it is sent only once every earlier response has been written to its end.
final class ExpectContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The requests whose response has not been written to its end, oldest first: whether each
    /// still waits for its `100 Continue`.
    private var unanswered: [Bool] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            unanswered.append(head.headerFields[.expect]?.lowercased() == "100-continue")
            if unanswered.count == 1 { sendContinueIfWanted(context: context) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        context.write(data, promise: promise)
        if case .head = part, !unanswered.isEmpty {
            unanswered[0] = false  // its final response has begun: too late for 100
        }
        if case .end = part, !unanswered.isEmpty {
            unanswered.removeFirst()
            sendContinueIfWanted(context: context)
        }
    }

    private func sendContinueIfWanted(context: ChannelHandlerContext) {
        guard unanswered.first == true else { return }
        unanswered[0] = false
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
    }
}
