import Foundation

/// What the service accepts and how much work it takes on. Every value is a `zorgzones serve` option
/// (the README section "The HTTP service" lists them with their defaults).
public struct ServiceLimits: Sendable, Equatable {
    /// Largest request body, in bytes (`413 body-too-large` beyond; a larger `Content-Length` is refused before
    /// the body is read).
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    /// Most features in a posted FeatureCollection (`422 limit-exceeded` beyond).
    public var maxFeatures: Int = 10_000
    /// Most positions (coordinate pairs) in a posted document (`422 limit-exceeded` beyond).
    public var maxPositions: Int = 2_000_000
    /// Deepest nesting of JSON arrays and objects (`422 limit-exceeded` beyond). A Polygon in a FeatureCollection
    /// needs 7 levels, a MultiPolygon 8.
    public var maxDepth: Int = 64
    /// Most rows in a posted zone table or assignment table (`422 limit-exceeded` beyond).
    public var maxTableRows: Int = 50_000
    /// Time allowed for the work of one heavy request (dissolve, check, compare, render), counted from when it
    /// asks for a worker slot: waiting for a slot counts too. Beyond: `504 timeout`.
    public var requestTimeout: Duration = .seconds(30)
    /// Heavy requests computed at the same time (each may use GEOS on several threads).
    public var maxConcurrentHeavy: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Heavy requests that may wait for a slot; one more is refused at once with `503 busy` and `Retry-After`.
    public var maxQueuedHeavy: Int = 16
    /// Responses smaller than this are sent uncompressed even when the client accepts gzip.
    public var minGzipBytes: Int = 1024

    public init() {}

    /// Checks the values (all positive).
    public func validate() throws {
        var bad: [String] = []
        if maxBodyBytes < 1 { bad.append("max-body-bytes must be at least 1") }
        if maxFeatures < 1 { bad.append("max-features must be at least 1") }
        if maxPositions < 1 { bad.append("max-positions must be at least 1") }
        if !(4...10_000).contains(maxDepth) { bad.append("max-depth must be between 4 and 10000") }
        if maxTableRows < 1 { bad.append("max-table-rows must be at least 1") }
        if requestTimeout <= .zero { bad.append("timeout must be positive") }
        if maxConcurrentHeavy < 1 { bad.append("max-concurrent must be at least 1") }
        if maxQueuedHeavy < 0 { bad.append("max-queued must be 0 or more") }
        if !bad.isEmpty { throw ConfigurationError(message: bad.joined(separator: "; ")) }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// How the service runs.
public struct ServiceConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var limits = ServiceLimits()
    /// Seconds an idle connection (no bytes either way) is kept open.
    public var idleTimeoutSeconds: Int = 60
    /// Seconds a new connection has to send its first complete request head (slowloris).
    public var headTimeoutSeconds: Int = 10
    /// Seconds a request body has to arrive in full after its head (a trickling upload). Longer than the
    /// request timeout, so a request that waits for a worker slot before its body is read is not cut.
    public var bodyTimeoutSeconds: Int = 60
    /// Connections held at once; more are answered 503 and closed. Nil: from the file-descriptor limit.
    public var maxConnections: Int?
    /// Seconds a graceful shutdown (SIGTERM, SIGINT) may take before the process exits anyway.
    public var shutdownTimeoutSeconds: Int = 30
    /// Log one JSON object per line (for log collectors) instead of swift-log's text lines.
    public var jsonLogs = false
    public var logLevel: String = "info"
    /// Whether to precompute the SVG maps of the static layers at start (the HTML page needs them).
    public var renderMaps = true
    /// `Access-Control-Allow-Origin` for browsers on other origins: `*`, one origin, or nil for no CORS.
    public var corsOrigin: String? = "*"

    public init() {}
}
