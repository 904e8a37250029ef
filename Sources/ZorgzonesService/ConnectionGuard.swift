import Foundation
import GeoJSON
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The connections the service holds, shared by every connection's `ConnectionGuard`.
public final class ConnectionCounter: @unchecked Sendable {
    public let limit: Int
    private let lock = NSLock()
    private var open = 0
    private var refusedCount = 0

    public init(limit: Int) { self.limit = limit }

    func enter() -> Bool {
        lock.withLock {
            guard open < limit else { refusedCount += 1; return false }
            open += 1
            return true
        }
    }

    func leave() { lock.withLock { open -= 1 } }

    public var snapshot: (open: Int, refused: Int) { lock.withLock { (open, refusedCount) } }
}

/// What a connection may take, in time: the first request head must arrive within `headTimeout` of the
/// connection opening, a next one within `idleTimeout` of the previous answer, and a request body within
/// `bodyTimeout` of its head (longer than the request timeout, so a request waiting for a worker is not blamed). A client that trickles
/// (slowloris, a stalled upload) is answered `408` (problem+json, with a request id) if nothing was answered yet,
/// and disconnected, so it can neither hold a connection nor keep a graceful shutdown waiting. Connections over
/// the `ConnectionCounter`'s limit are answered `503` and closed at once, so the file-descriptor limit is never
/// reached and the service keeps answering the connections it holds.
///
/// A duplex handler after the HTTP codec (Hummingbird's `additionalChannelHandlers`): it sees request parts on
/// their way in and response heads on their way out.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let counter: ConnectionCounter
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    /// Between requests of a keep-alive connection.
    let idleTimeout: TimeAmount
    private var counted = false
    private var timer: Scheduled<Void>?
    /// Whether the request in progress has been answered (its response head went out).
    private var answered = true
    private var closing = false

    init(counter: ConnectionCounter, headTimeout: TimeAmount, bodyTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.counter = counter
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a channel that is already active (Hummingbird may add its handlers after accepting).
        if context.channel.isActive { start(context) }
    }

    private var started = false

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        // Reads of at most 16 KiB: a connection waiting for a worker slot buffers a few reads of its body (the
        // async channel's backpressure stops reading then), not a few of NIO's adaptive reads of up to 64 KiB, so
        // 64 uploads waiting hold about 10 MB, not 40.
        _ = context.channel.setOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 1024))
        if counter.enter() {
            counted = true
            arm(context, headTimeout, "no complete request head within \(Self.seconds(headTimeout)) s")
        } else {
            answered = false
            refuse(context, status: .serviceUnavailable, kind: .busy,
                   detail: "the service holds its maximum of \(counter.limit) connections (option --max-connections); retry later",
                   retryAfter: true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if counted { counter.leave(); counted = false }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head:
            answered = false
            arm(context, bodyTimeout, "the request body did not arrive within \(Self.seconds(bodyTimeout)) s")
        case .end:
            timer?.cancel()
            timer = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let response) = unwrapOutboundIn(data), response.status.code >= 200 {
            answered = true
        }
        if case .end = unwrapOutboundIn(data), !closing {
            // A keep-alive connection waits for its next request head at most the idle timeout.
            let result = context.write(data)
            result.cascade(to: promise)
            if timer == nil { arm(context, idleTimeout, "no request within \(Self.seconds(idleTimeout)) s") }
            return
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ amount: TimeAmount, _ reason: String) {
        timer?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: amount) { [weak self] in
            guard let self else { return }
            let context = loopBound.value
            self.timer = nil
            if self.answered {
                // Between requests: an idle keep-alive connection past the head timeout is simply closed.
                if !self.closing { self.closing = true; context.close(promise: nil) }
            } else {
                self.refuse(context, status: .requestTimeout, kind: .requestTimeout, detail: reason, retryAfter: false)
            }
        }
    }

    private func refuse(_ context: ChannelHandlerContext, status: HTTPResponse.Status, kind: Problem.Kind, detail: String, retryAfter: Bool) {
        guard !closing else { return }
        closing = true
        guard !answered else { context.close(promise: nil); return }
        answered = true
        let id = MalformedHeadHandler.requestID()
        var bytes = JSONWriter(pretty: true).write(Problem(kind, detail).json(instance: nil, requestID: id))
        bytes.append(0x0A)
        var fields = HTTPFields()
        fields[.contentType] = MediaTypes.problem
        fields[.contentLength] = String(bytes.count)
        fields[.connection] = "close"
        fields[.cacheControl] = "no-store"
        if retryAfter { fields[.retryAfter] = "1" }
        fields[HTTPField.Name("X-Request-Id")!] = id
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private static func seconds(_ t: TimeAmount) -> String {
        let s = Double(t.nanoseconds) / 1e9
        return s == s.rounded() ? String(Int(s)) : String(s)
    }
}
