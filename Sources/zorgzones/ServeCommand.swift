import ArgumentParser
import Foundation
import Logging
import DataPackage
import Zoning
import ZorgzonesService

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve zorgzones over HTTP: the dissolved layers, dissolve, check, compare and render (Hummingbird 2).",
        discussion: """
        Loads the dataset once, dissolves the four layers and draws their maps, then serves GET / (a map page), \
        /healthz, /openapi.json, /v1/layers, /v1/layers/{layer}.geojson|.topojson|.svg, OGC API - Features at \
        /ogc (QGIS, ArcGIS, GDAL's OAPIF), and POST /v1/dissolve, /v1/check, /v1/compare, /v1/render. Every GET \
        answers HEAD and single byte ranges (GDAL's /vsicurl/). Errors are application/problem+json (RFC 9457). \
        Stops gracefully on SIGTERM or SIGINT: the listener closes and requests in progress finish, within \
        --shutdown-timeout. See the README, "The HTTP service".
        """)

    @Option(name: .long, help: ArgumentHelp("Address to listen on.", valueName: "HOST"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Port to listen on (0: any free port, printed in the log).", valueName: "PORT"))
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("Data directory. Default: $ZORGZONES_DATA, else ../shared/geodata next to the repository.", valueName: "DIR"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Rule set for /v1/check. Default: $ZORGZONES_RULES, else GeoData/rules/art18-2026.json.", valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("Largest request body in bytes (413 beyond).", valueName: "BYTES"))
    var maxBodyBytes: Int = ServiceLimits().maxBodyBytes

    @Option(name: .long, help: ArgumentHelp("Most features in a posted FeatureCollection (422 beyond).", valueName: "N"))
    var maxFeatures: Int = ServiceLimits().maxFeatures

    @Option(name: .long, help: ArgumentHelp("Most positions (coordinate pairs) in a posted document (422 beyond).", valueName: "N"))
    var maxPositions: Int = ServiceLimits().maxPositions

    @Option(name: .long, help: ArgumentHelp("Deepest JSON nesting of arrays and objects (422 beyond).", valueName: "N"))
    var maxDepth: Int = ServiceLimits().maxDepth

    @Option(name: .long, help: ArgumentHelp("Most rows in a posted zone or assignment table (422 beyond).", valueName: "N"))
    var maxTableRows: Int = ServiceLimits().maxTableRows

    @Option(name: .long, help: ArgumentHelp("Seconds allowed for a heavy request, waiting for a worker included (504 beyond).", valueName: "SECONDS"))
    var timeout: Double = 30

    @Option(name: .long, help: ArgumentHelp("Heavy requests (dissolve, check, compare, render) computed at once. Default: the number of cores.", valueName: "N"))
    var maxConcurrent: Int = ServiceLimits().maxConcurrentHeavy

    @Option(name: .long, help: ArgumentHelp("Heavy requests that may wait for a worker; more are refused with 503 and Retry-After.", valueName: "N"))
    var maxQueued: Int = ServiceLimits().maxQueuedHeavy

    @Option(name: .long, help: ArgumentHelp("Seconds an idle connection stays open.", valueName: "SECONDS"))
    var idleTimeout: Int = 60

    @Option(name: .long, help: ArgumentHelp("Seconds a new connection has to send a complete request head (slowloris); then 408 and closed.", valueName: "SECONDS"))
    var headTimeout: Int = 10

    @Option(name: .long, help: ArgumentHelp("Seconds a request body has to arrive in full after its head; then 408 and closed. Keep it above --timeout.", valueName: "SECONDS"))
    var bodyTimeout: Int = 60

    @Option(name: .long, help: ArgumentHelp("Connections held at once; more are answered 503 and closed. Default: from the file-descriptor limit (raised to the hard limit), at most 4096.", valueName: "N"))
    var maxConnections: Int?

    @Option(name: .long, help: ArgumentHelp("Seconds a graceful shutdown (SIGTERM, SIGINT) may take; then the process exits anyway.", valueName: "SECONDS"))
    var shutdownTimeout: Int = 30

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "LEVEL"))
    var logLevel: String = "info"

    @Flag(name: .long, help: "Log one JSON object per line instead of text.")
    var jsonLogs = false

    @Option(name: .long, help: ArgumentHelp("Origin allowed to call the service from a browser (CORS): * for any, one origin such as https://kaart.example, or none.", valueName: "ORIGIN"))
    var corsOrigin: String = "*"

    @Flag(name: .long, help: "Do not draw the SVG maps at start (the .svg layers, /v1/render and the page's map are then unavailable).")
    var noMaps = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard headTimeout > 0 else { throw ValidationError("--head-timeout must be positive") }
        guard bodyTimeout > 0 else { throw ValidationError("--body-timeout must be positive") }
        guard shutdownTimeout > 0 else { throw ValidationError("--shutdown-timeout must be positive") }
        if let m = maxConnections, m < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: '\(logLevel)' is not a level") }
        do { try limits.validate() } catch { throw ValidationError("\(error)") }
    }

    var limits: ServiceLimits {
        var l = ServiceLimits()
        l.maxBodyBytes = maxBodyBytes
        l.maxFeatures = maxFeatures
        l.maxPositions = maxPositions
        l.maxDepth = maxDepth
        l.maxTableRows = maxTableRows
        l.requestTimeout = .milliseconds(Int64((timeout * 1000).rounded()))
        l.maxConcurrentHeavy = maxConcurrent
        l.maxQueuedHeavy = maxQueued
        return l
    }

    func run() async throws {
        var config = ServiceConfiguration()
        config.host = host
        config.port = port
        config.limits = limits
        config.idleTimeoutSeconds = idleTimeout
        config.headTimeoutSeconds = headTimeout
        config.bodyTimeoutSeconds = bodyTimeout
        config.maxConnections = maxConnections
        config.shutdownTimeoutSeconds = shutdownTimeout
        config.jsonLogs = jsonLogs
        config.logLevel = logLevel
        config.renderMaps = !noMaps
        config.corsOrigin = corsOrigin == "none" ? nil : corsOrigin
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = jsonLogs
        LoggingSystem.bootstrap { label in
            var h: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "zorgzones.serve")
        do {
            let dir = try DatasetOptions.locateDataDirectory(explicit: data)
            try await ZorgzonesServer.run(configuration: config, dataDirectory: dir, rulesFile: rules, logger: logger)
        } catch {
            throw fail(error)
        }
    }
}
