// ZorgzonesService: zorgzones over HTTP (Hummingbird 2).
//
// - `Catalogue` (Catalogue.swift): what is computed once at start (dataset, dissolved layers as GeoJSON and SVG
//   with ETags, rule engine, network layers).
// - `Handlers` (Handlers.swift, DissolveEndpoint.swift): the routes; heavy work runs in the `WorkLimiter`.
// - `Problem` (Problem.swift): every error as application/problem+json (RFC 9457).
// - `OpenAPIDocument`, `IndexPage`, `LayerMapRenderer`: the API description, the HTML page, the SVG maps.
// - `ZorgzonesServer` (below): the router and the application, run with graceful shutdown on SIGTERM/SIGINT.

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import Check
import Compare
import DataPackage
import Jobs
import Zoning

public enum ZorgzonesServer {
    /// The router with every route, CORS (`corsOrigin`: `*`, one origin, or nil for none) and the problem/logging
    /// middleware.
    public static func router(catalogue: Catalogue, limiter: WorkLimiter? = nil,
                              corsOrigin: String? = "*") -> Router<BasicRequestContext> {
        let limits = catalogue.limits
        let limiter = limiter ?? WorkLimiter(slots: limits.maxConcurrentHeavy, queueLimit: limits.maxQueuedHeavy)
        let handlers = Handlers(catalogue: catalogue, limiter: limiter)
        let index = RouteIndex()
        let router = Router(context: BasicRequestContext.self)
        let exposed = ["ETag", "X-Request-Id", "Zorgzones-Violations", "Retry-After", "Content-Disposition", "Content-Range", "Accept-Ranges", "Content-Length"]
        if let corsOrigin {
            // Web maps on other origins may read the layers and post requests (no credentials are involved).
            router.add(middleware: CORSMiddleware(
                allowOrigin: corsOrigin == "*" ? .all : .custom(corsOrigin),
                allowHeaders: [.accept, .acceptEncoding, .contentType, .ifNoneMatch, .range, .ifRange],
                allowMethods: [.get, .head, .post, .options],
                exposedHeaders: exposed,
                maxAge: .seconds(600)))
        }
        router.add(middleware: ProblemAndLogMiddleware(routes: index,
                                                       exposedHeaders: corsOrigin == nil ? nil : exposed.joined(separator: ", ")))

        router.get("/") { request, _ in try handlers.page(request) }
        router.get("/workbench") { request, _ in try handlers.workbench.response(for: request) }
        router.get("/v1/scenarios") { request, _ in try handlers.scenarioIndex(request) }
        router.get("/v1/scenarios/{scenario}.csv") { request, context in try handlers.scenario(request, context: context) }
        router.get("/healthz") { request, _ in handlers.health(request) }
        router.get("/openapi.json") { request, _ in try handlers.openAPI.response(for: request) }
        router.get("/v1/layers") { request, _ in try handlers.layerIndex(request) }
        router.get("/v1/layers/{layer}.geojson") { request, context in try handlers.layer(request, context: context, svg: false) }
        router.get("/v1/layers/{layer}.svg") { request, context in try handlers.layer(request, context: context, svg: true) }
        router.get("/v1/layers/{layer}.topojson") { request, context in try handlers.layer(request, context: context, svg: false, topojson: true) }
        router.post("/v1/dissolve") { request, context in try await handlers.dissolve(request, context: context) }
        router.post("/v1/check") { request, context in try await handlers.check(request, context: context) }
        router.post("/v1/compare") { request, context in try await handlers.compare(request, context: context) }
        router.post("/v1/render") { request, context in try await handlers.render(request, context: context) }
        router.post("/v1/propose") { request, context in try await handlers.propose(request, context: context) }

        let ogc = handlers.ogc
        router.get("/ogc") { request, _ in try ogc.landing(request) }
        router.get("/ogc/conformance") { request, _ in try ogc.conformance(request) }
        router.get("/ogc/api") { request, _ in try ogc.apiDefinition(request) }
        router.get("/ogc/collections") { request, _ in try ogc.collections(request) }
        router.get("/ogc/collections/{collectionId}") { request, context in try ogc.collection(request, context: context) }
        router.get("/ogc/collections/{collectionId}/items") { request, context in try ogc.items(request, context: context) }
        router.get("/ogc/collections/{collectionId}/items/{featureId}") { request, context in try ogc.item(request, context: context) }

        index.set(router.routes.map { ($0.method, $0.path) })
        return router
    }

    /// The router's responder with `HEAD` answered on every `GET` route: what the application serves.
    public static func responder(catalogue: Catalogue, limiter: WorkLimiter? = nil,
                                 corsOrigin: String? = "*") -> HeadResponder<RouterResponder<BasicRequestContext>> {
        HeadResponder(base: router(catalogue: catalogue, limiter: limiter, corsOrigin: corsOrigin).buildResponder())
    }

    /// The routes as `METHOD path`, as the router spells them.
    public static func routeList(_ router: Router<BasicRequestContext>) -> Set<String> {
        Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
    }

    /// The operations the OpenAPI document describes, as `METHOD path`.
    public static func documentedOperations(_ catalogue: Catalogue) -> Set<String> {
        OpenAPIDocument.operations(OpenAPIDocument.document(catalogue))
    }

    /// The application on `configuration.host:port`: the router behind the connection guard (connection limit,
    /// head and body deadlines), admission of heavy requests before their bodies, and problem+json for heads the
    /// HTTP decoder refuses.
    public static func application(configuration: ServiceConfiguration, catalogue: Catalogue, logger: Logger)
        -> some ApplicationProtocol {
        let limits = catalogue.limits
        let limiter = WorkLimiter(slots: limits.maxConcurrentHeavy, queueLimit: limits.maxQueuedHeavy)
        let responder = responder(catalogue: catalogue, limiter: limiter, corsOrigin: configuration.corsOrigin)
        let counter = ConnectionCounter(limit: configuration.maxConnections ?? Self.defaultMaxConnections())
        let head = TimeAmount.seconds(Int64(configuration.headTimeoutSeconds))
        let body = TimeAmount.seconds(Int64(configuration.bodyTimeoutSeconds))
        let idle = TimeAmount.seconds(Int64(configuration.idleTimeoutSeconds))
        var http = HTTP1Channel.Configuration(additionalChannelHandlers: [
            MalformedHeadHandler(),
            ConnectionGuard(counter: counter, headTimeout: head, bodyTimeout: body, idleTimeout: idle),
            ExpectContinueHandler(limiter: limiter),
        ])
        http.idleTimeout = .seconds(Int64(configuration.idleTimeoutSeconds))
        logger.info("connections", metadata: ["max": .stringConvertible(counter.limit), "head_timeout_s": .stringConvertible(configuration.headTimeoutSeconds),
                                              "body_timeout_s": .stringConvertible(configuration.bodyTimeoutSeconds)])
        return Application(
            responder: responder,
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "zorgzones/\(zorgzonesVersion)"),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": .string("\(channel.localAddress.map { "\($0)" } ?? "?")")])
            },
            logger: logger)
    }

    /// Connections the process can hold: its file-descriptor limit (raised to the hard limit) less a margin for
    /// the data files, logs and the listener, at most 4096.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 512 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 65536)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return max(16, min(4096, Int(limit.rlim_cur) - 64))
    }

    /// Loads the data, builds everything, serves until SIGTERM or SIGINT, then stops gracefully: the listener
    /// closes, requests in progress finish.
    public static func run(configuration: ServiceConfiguration, dataDirectory: URL, rulesFile: String? = nil,
                           logger: Logger) async throws {
        try configuration.limits.validate()
        #if canImport(Glibc)
        // Buffers of 1 MiB and more (request bodies, encoded layers) are mapped and unmapped on their own, so a
        // freed 16 MiB body goes back to the system. glibc's default raises this threshold to the largest block
        // freed, after which bodies come from per-thread arenas that keep their memory: the peak RSS then grows
        // with the number of threads that ever read a body, not with the worker slots.
        // (mallopt is in <malloc.h>, which Swift's Glibc module does not export: found by name instead.)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let mmapThreshold: Int32 = -3   // M_MMAP_THRESHOLD
            _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 1 << 20)
        }
        #endif
        let catalogue = try Catalogue.load(dataDirectory: dataDirectory, rulesFile: rulesFile, limits: configuration.limits,
                                           renderMaps: configuration.renderMaps, logger: logger)
        let app = application(configuration: configuration, catalogue: catalogue, logger: logger)
        // A graceful shutdown lets requests in progress finish; past the deadline the process exits anyway, so no
        // client (a trickling upload, a slow reader) can keep it alive.
        let deadline = configuration.shutdownTimeoutSeconds
        let watchers = [SIGTERM, SIGINT].map { sig -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                logger.info("shutting down", metadata: ["deadline_s": .stringConvertible(deadline)])
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(deadline)) {
                    logger.warning("shutdown deadline passed; exiting with requests still open", metadata: ["deadline_s": .stringConvertible(deadline)])
                    exit(0)
                }
            }
            source.resume()
            return source
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        watchers.forEach { $0.cancel() }
        logger.info("stopped")
    }
}
