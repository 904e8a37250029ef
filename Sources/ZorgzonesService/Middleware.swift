import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The routes of the router, filled once the routes are added, to tell `405 Method Not Allowed` from `404`.
final class RouteIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [(method: HTTPRequest.Method, path: RouterPath)] = []

    func set(_ r: [(method: HTTPRequest.Method, path: RouterPath)]) { lock.withLock { routes = r } }

    /// Methods of the routes whose path matches `path`.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let all = lock.withLock { routes }
        var out: [HTTPRequest.Method] = []
        for r in all where r.path.count == parts.count {
            if zip(r.path, parts).allSatisfy({ $0 ~= $1 }) && !out.contains(r.method) { out.append(r.method) }
        }
        // HEAD is answered wherever GET is (HeadMiddleware).
        if out.contains(.get) { out.insert(.head, at: out.firstIndex(of: .get)! + 1) }
        return out
    }
}

/// The outermost middleware: answers every error as `application/problem+json`, adds `X-Request-Id`, and logs one
/// line per request with the request id, method, path, status, bytes and duration.
struct ProblemAndLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteIndex
    /// With CORS on: the headers a browser script may read (on the answers themselves, where the CORS
    /// specification wants them; Hummingbird's CORS middleware sends them on preflights only).
    var exposedHeaders: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var response: Response
        var failure: String?
        do {
            response = try await next(request, context)
        } catch let p as Problem {
            response = problemResponse(p, path: request.uri.path, requestID: context.id)
            failure = p.description
        } catch let e as any HTTPResponseError {
            let p = translate(e, request: request)
            response = problemResponse(p, path: request.uri.path, requestID: context.id)
            failure = p.kind == .notFound || p.kind == .methodNotAllowed ? nil : "\(e)"
        } catch is CancellationError {
            response = problemResponse(Problem(.unavailable, "the request was cancelled (the server is shutting down or the client left)"),
                                       path: request.uri.path, requestID: context.id)
            failure = "cancelled"
        } catch {
            // Not expected: every handler maps its errors. Say so without internals, and log the error.
            context.logger.error("unexpected error", metadata: ["error": .string("\(error)"), "error_type": .string("\(type(of: error))")])
            response = problemResponse(Problem(.internalError, "the request failed unexpectedly; the request id identifies it in the service log"),
                                       path: request.uri.path, requestID: context.id)
            failure = "\(error)"
        }
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        if let exposedHeaders, request.headers[.origin] != nil {
            response.headers[.accessControlExposeHeaders] = exposedHeaders
        }
        let ms = (clock.now - start) / .milliseconds(1)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .stringConvertible((ms * 100).rounded() / 100),
        ]
        if let n = response.body.contentLength { metadata["bytes"] = .stringConvertible(n) }
        if let enc = response.headers[.contentEncoding] { metadata["encoding"] = .string(enc) }
        if let failure { metadata["problem"] = .string(failure) }
        context.logger.log(level: response.status.code >= 500 ? .warning : .info, "request", metadata: metadata)
        return response
    }

    private func translate(_ e: any HTTPResponseError, request: Request) -> Problem {
        switch e.status {
        case .notFound:
            let allowed = routes.methods(for: request.uri.path)
            if !allowed.isEmpty {
                var headers = HTTPFields()
                headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return Problem(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: " or "))",
                               headers: headers)
            }
            return Problem(.notFound, "no route \(request.uri.path); GET /openapi.json lists the routes")
        case .contentTooLarge:
            return Problem(.bodyTooLarge, "the request body is too large")
        default:
            let kind: Problem.Kind = e.status.code >= 500 ? .internalError : .invalidRequest
            var p = Problem(kind, (e as? HTTPError)?.body ?? e.status.reasonPhrase)
            if e.status != kind.status { p.detail += " (\(e.status.code))" }
            return p
        }
    }
}

/// `HEAD` on every `GET` route (RFC 9110 §9.3.2): the request runs as a `GET` and the answer keeps its status and
/// headers, `Content-Length` included, without the body. GDAL's `/vsicurl/` (QGIS *Add Vector Layer → HTTP(S)*)
/// starts with a `HEAD` to learn the size. It wraps the router's responder, because Hummingbird resolves the route
/// (by method) before any router middleware runs.
public struct HeadResponder<Base: HTTPResponder>: HTTPResponder {
    public typealias Context = Base.Context
    let base: Base

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.headers[.contentLength] ?? response.body.contentLength.map(String.init)
        response.body = .init()
        // After the body: setting a body sets Content-Length to its own (here 0).
        response.headers[.contentLength] = length
        return response
    }
}
