import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` (RFC 9110 §10.1.1), so a client that waits
/// for it before sending its body starts at once. Without it curl, which asks for bodies over
/// 1 MiB, waited its full one-second timeout on every large batch POST. The request then goes on
/// as usual; a refusal (401, 413…) still comes as the final response.
///
/// With pipelining the interim response must not land inside an earlier request's response, so
/// it is sent only once every earlier response has been written to its end; and none is sent once
/// a request or response has said `Connection: close`, since no later request will be read.
/// Nor is it sent for a declared length that will be refused unread (over `maxBodyBytes`, or more
/// than the body budget has left): the final 413 or 503 comes instead (RFC 9110 §10.1.1).
final class ExpectContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private struct Pending {
        /// Still waits for its `100 Continue`.
        var wantsContinue: Bool
        /// The connection closes after its response.
        var closes: Bool
    }

    /// The requests whose response has not been written to its end, oldest first.
    private var unanswered: [Pending] = []
    private var closing = false
    private let limits: RequestLimits
    private let budget: BodyBudget?

    init(limits: RequestLimits = RequestLimits(), budget: BodyBudget? = nil) {
        self.limits = limits
        self.budget = budget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), !closing {
            unanswered.append(Pending(
                wantsContinue: head.headerFields[.expect]?.lowercased() == "100-continue" && mayBeRead(head),
                closes: Self.says(close: head.headerFields)))
            if unanswered.count == 1 { sendContinueIfWanted(context: context) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        context.write(data, promise: promise)
        switch part {
        case .head(let response) where response.status.kind != .informational:
            if !unanswered.isEmpty {
                unanswered[0].wantsContinue = false  // its final response has begun: too late for 100
                if Self.says(close: response.headerFields) { unanswered[0].closes = true }
            }
        case .end:
            guard !unanswered.isEmpty else { return }
            if unanswered.removeFirst().closes {
                closing = true
                unanswered.removeAll()
            }
            sendContinueIfWanted(context: context)
        default:
            break
        }
    }

    /// False when the body's declared length will be refused before it is read.
    private func mayBeRead(_ head: HTTPRequest) -> Bool {
        guard let declared = head.headerFields[.contentLength].flatMap({ Int($0) }) else { return true }
        return !limits.refusesUnread(declared: declared, budget: budget)
    }

    private func sendContinueIfWanted(context: ChannelHandlerContext) {
        guard !closing, unanswered.first?.wantsContinue == true else { return }
        unanswered[0].wantsContinue = false
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
    }

    private static func says(close fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
        }
    }
}
