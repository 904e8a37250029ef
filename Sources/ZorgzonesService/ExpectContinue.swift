import GeoJSON
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head carrying `Expect: 100-continue` with an interim `100 Continue`, so that clients which
/// wait for it before sending the body do not stall. curl does so for every body over 1 MB (the blocks file is
/// 1.5 MB) and, without an answer, waits a full second before sending anyway. The request itself goes on
/// unchanged; its limits (body size, features, time) apply as for any other.
///
/// Admission comes first: when every worker slot is busy and the queue is full, a heavy request (a POST) is
/// answered `503 busy` at once instead, with `Retry-After`, and the connection closed, so its body is never sent.
///
/// Hummingbird 2 and SwiftNIO's HTTP/1 pipeline do not send the interim response themselves; this handler sits
/// after the HTTP codec (Hummingbird's `additionalChannelHandlers`).
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    let limiter: WorkLimiter?
    private var refusing = false

    init(limiter: WorkLimiter? = nil) { self.limiter = limiter }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refusing { return }
        if case .head(let request) = unwrapInboundIn(data),
           let expect = request.headerFields[.expect], expect.lowercased() == "100-continue" {
            if request.method == .post, let limiter, limiter.wouldRefuse {
                refusing = true
                let id = MalformedHeadHandler.requestID()
                let problem = WorkLimiter.busyProblem(slots: limiter.slots, queueLimit: limiter.queueLimit)
                var bytes = JSONWriter(pretty: true).write(problem.json(instance: request.path, requestID: id))
                bytes.append(0x0A)
                var fields = problem.headers
                fields[.contentType] = MediaTypes.problem
                fields[.contentLength] = String(bytes.count)
                fields[.connection] = "close"
                fields[HTTPField.Name("X-Request-Id")!] = id
                context.write(wrapOutboundOut(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
                context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
                return
            }
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
