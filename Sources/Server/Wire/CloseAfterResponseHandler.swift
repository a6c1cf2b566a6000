import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Honours `Connection: close` on a response: once it is written, the output is shut down (the
/// client sees the answer, then end of stream) and the connection is closed after a short
/// linger. A refused upload (413, 503, 408) thus stops there; without this the server would
/// keep reading a body nobody wants. The linger lets the client read the answer before a
/// close with unread input could reset the connection.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    private var closeAfterEnd = false

    init(linger: TimeAmount = .seconds(2)) { self.linger = linger }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response) where response.status.kind != .informational:
            closeAfterEnd = response.headerFields[values: .connection].contains { $0.lowercased() == "close" }
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
        default:
            context.write(data, promise: promise)
        }
    }
}
