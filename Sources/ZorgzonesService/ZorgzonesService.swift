// ZorgzonesService: zorgzones over HTTP (Hummingbird 2).
//
// - `Catalogue` (Catalogue.swift): what is computed once at start (dataset, dissolved layers as GeoJSON and SVG
//   with ETags, rule engine, network layers).
// - `Handlers` (Handlers.swift, DissolveEndpoint.swift): the routes; heavy work runs in the `WorkLimiter`.
// - `Problem` (Problem.swift): every error as application/problem+json (RFC 9457).
// - `OpenAPIDocument`, `IndexPage`, `LayerMapRenderer`: the API description, the HTML page, the SVG maps.
// - `ZorgzonesServer` (below): the router and the application, run with graceful shutdown on SIGTERM/SIGINT.

import Foundation
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

    /// The application on `configuration.host:port`.
    public static func application(configuration: ServiceConfiguration, catalogue: Catalogue, logger: Logger)
        -> some ApplicationProtocol {
        let responder = responder(catalogue: catalogue, corsOrigin: configuration.corsOrigin)
        var http = HTTP1Channel.Configuration(additionalChannelHandlers: [MalformedHeadHandler(), ExpectContinueHandler()])
        http.idleTimeout = .seconds(Int64(configuration.idleTimeoutSeconds))
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

    /// Loads the data, builds everything, serves until SIGTERM or SIGINT, then stops gracefully: the listener
    /// closes, requests in progress finish.
    public static func run(configuration: ServiceConfiguration, dataDirectory: URL, rulesFile: String? = nil,
                           logger: Logger) async throws {
        try configuration.limits.validate()
        let catalogue = try Catalogue.load(dataDirectory: dataDirectory, rulesFile: rulesFile, limits: configuration.limits,
                                           renderMaps: configuration.renderMaps, logger: logger)
        let app = application(configuration: configuration, catalogue: catalogue, logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.info("stopped")
    }
}
