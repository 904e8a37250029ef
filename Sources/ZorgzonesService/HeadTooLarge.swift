import Foundation
import GeoJSON
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP decoder cannot read, as every other error, with `application/problem+json` and a
/// request id: `431 Request Header Fields Too Large` for a head over SwiftNIO's limit (80 KiB, the llhttp default),
/// `400` for any other malformed head. Hummingbird would write a bare `400` with no body and no id.
///
/// Sits after the HTTP codec (Hummingbird's `additionalChannelHandlers`): the decoder's error reaches it on its
/// way to the application; it writes the answer, closes the connection, and does not pass the error on.
final class MalformedHeadHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let tooLarge = parserError == .headerOverflow
        let problem = Problem(tooLarge ? .headersTooLarge : .malformedRequest,
                              tooLarge ? "the request line and headers are larger than the service reads (80 KiB)"
                                       : "the request head is not valid HTTP/1.1 (\(parserError))")
        let id = Self.requestID()
        var bytes = JSONWriter(pretty: true).write(problem.json(instance: nil, requestID: id))
        bytes.append(0x0A)
        var fields = HTTPFields()
        fields[.contentType] = MediaTypes.problem
        fields[.contentLength] = String(bytes.count)
        fields[.connection] = "close"
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("X-Request-Id")!] = id
        context.write(wrapOutboundOut(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// 32 hex digits, as Hummingbird's request ids.
    static func requestID() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(g.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
