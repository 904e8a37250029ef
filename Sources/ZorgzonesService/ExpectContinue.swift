import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head carrying `Expect: 100-continue` with an interim `100 Continue`, so that clients which
/// wait for it before sending the body do not stall. curl does so for every body over 1 MB (the blocks file is
/// 1.5 MB) and, without an answer, waits a full second before sending anyway. The request itself goes on
/// unchanged; its limits (body size, features, time) apply as for any other.
///
/// Hummingbird 2 and SwiftNIO's HTTP/1 pipeline do not send the interim response themselves; this handler sits
/// after the HTTP codec (Hummingbird's `additionalChannelHandlers`).
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
           let expect = request.headerFields[.expect], expect.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
