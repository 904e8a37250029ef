import Foundation
import GeoJSON
import Hummingbird
import Check
import Compare
import DataPackage
import Jobs
import Zoning

/// An error answered as `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, plus members
/// that name what was wrong: `path` (a JSON path into the request body, like
/// `features[3].geometry.coordinates[0]`), `field`, `line` / `column` for syntax errors, `limit` for a refused
/// size, and `errors` when several problems were found together.
public struct Problem: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    /// The kinds of problem the service answers with. The raw value is the last part of the `type` URI.
    public enum Kind: String, Sendable, CaseIterable {
        case malformedJSON = "malformed-json"
        case duplicateKey = "duplicate-key"
        case invalidGeoJSON = "invalid-geojson"
        case invalidGeometry = "invalid-geometry"
        case invalidRequest = "invalid-request"
        case invalidZoning = "invalid-zoning"
        case invalidNetworks = "invalid-networks"
        case doesNotFit = "does-not-fit"
        case limitExceeded = "limit-exceeded"
        case bodyTooLarge = "body-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case rangeNotSatisfiable = "range-not-satisfiable"
        case headersTooLarge = "headers-too-large"
        case malformedRequest = "malformed-request"
        case requestTimeout = "request-timeout"
        case busy = "busy"
        case timeout = "timeout"
        case unavailable = "unavailable"
        case internalError = "internal-error"

        public var status: HTTPResponse.Status {
            switch self {
            case .malformedJSON, .invalidRequest, .malformedRequest: return .badRequest
            case .duplicateKey, .invalidGeoJSON, .invalidGeometry, .invalidZoning, .invalidNetworks, .limitExceeded, .doesNotFit:
                return .unprocessableContent
            case .bodyTooLarge: return .contentTooLarge
            case .unsupportedMediaType: return .unsupportedMediaType
            case .notFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .rangeNotSatisfiable: return .rangeNotSatisfiable
            case .headersTooLarge: return .requestHeaderFieldsTooLarge
            case .busy, .unavailable: return .serviceUnavailable
            case .requestTimeout: return .requestTimeout
            case .timeout: return .gatewayTimeout
            case .internalError: return .internalServerError
            }
        }

        public var title: String {
            switch self {
            case .malformedJSON: return "The request body is not valid JSON"
            case .duplicateKey: return "A JSON object has the same member twice"
            case .invalidGeoJSON: return "The request body is not valid GeoJSON"
            case .invalidGeometry: return "A geometry is invalid"
            case .invalidRequest: return "The request is invalid"
            case .invalidZoning: return "The zoning is invalid"
            case .invalidNetworks: return "The network layer is invalid"
            case .doesNotFit: return "The map does not fit on the sheet"
            case .limitExceeded: return "The request exceeds a limit of the service"
            case .bodyTooLarge: return "The request body is too large"
            case .unsupportedMediaType: return "Unsupported content type"
            case .notFound: return "Not found"
            case .methodNotAllowed: return "Method not allowed"
            case .rangeNotSatisfiable: return "The requested range is outside the representation"
            case .headersTooLarge: return "The request head is too large"
            case .malformedRequest: return "The request is not valid HTTP"
            case .busy: return "The service is busy"
            case .requestTimeout: return "The request did not arrive in time"
            case .timeout: return "The request took too long"
            case .unavailable: return "This part of the service is not available"
            case .internalError: return "Internal error"
            }
        }

        /// The `type` URI. Not meant to be dereferenced: the README section "The HTTP service" lists the kinds.
        public var uri: String { "urn:zorgzones:problem:\(rawValue)" }
    }

    /// One of several problems found together.
    public struct Item: Sendable, Equatable {
        public var path: String?
        public var field: String?
        public var detail: String
        public init(path: String? = nil, field: String? = nil, detail: String) {
            self.path = path
            self.field = field
            self.detail = detail
        }
    }

    /// A refused size: which limit (its option name) and its value.
    public struct Limit: Sendable, Equatable {
        public var name: String
        public var value: Int
    }

    public var kind: Kind
    public var detail: String
    public var path: String?
    public var field: String?
    public var line: Int?
    public var column: Int?
    public var limit: Limit?
    public var errors: [Item]
    public var headers: HTTPFields

    /// A request member out of range or in conflict (the check the CLI makes of the same option).
    init(_ usage: UsageError, path: String? = nil) {
        self.init(.invalidRequest, usage.requestText, path: path, field: usage.option)
    }

    public init(_ kind: Kind, _ detail: String, path: String? = nil, field: String? = nil, line: Int? = nil,
                column: Int? = nil, limit: Limit? = nil, errors: [Item] = [], headers: HTTPFields = [:]) {
        self.kind = kind
        self.detail = detail
        self.path = path
        self.field = field
        self.line = line
        self.column = column
        self.limit = limit
        self.errors = errors
        self.headers = headers
    }

    public var status: HTTPResponse.Status { kind.status }

    public var description: String {
        var s = "\(kind.rawValue): "
        if let path, !path.isEmpty { s += path + ": " }
        return s + detail
    }

    /// The problem document. `instance` is the request path; `request_id` the id also sent as `X-Request-Id`.
    public func json(instance: String?, requestID: String?) -> JSONValue {
        var o: JSONObject = [:]
        o["type"] = .string(kind.uri)
        o["title"] = .string(kind.title)
        o["status"] = .number(Double(status.code))
        o["detail"] = .string(detail)
        if let instance { o["instance"] = .string(instance) }
        if let path { o["path"] = .string(path) }
        if let field { o["field"] = .string(field) }
        if let line { o["line"] = .number(Double(line)) }
        if let column { o["column"] = .number(Double(column)) }
        if let limit { o["limit"] = .object(["name": .string(limit.name), "value": .number(Double(limit.value))]) }
        if !errors.isEmpty {
            o["errors"] = .array(errors.map { e in
                var item: JSONObject = [:]
                if let p = e.path { item["path"] = .string(p) }
                if let f = e.field { item["field"] = .string(f) }
                item["detail"] = .string(e.detail)
                return .object(item)
            })
        }
        if let requestID { o["request_id"] = .string(requestID) }
        return .object(o)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        problemResponse(self, path: request.uri.path, requestID: context.id)
    }
}

/// The response for a problem.
func problemResponse(_ p: Problem, path: String?, requestID: String?) -> Response {
    var headers = p.headers
    headers[.contentType] = MediaTypes.problem
    headers[.cacheControl] = "no-store"
    var bytes = JSONWriter(pretty: true).write(p.json(instance: path, requestID: requestID))
    bytes.append(0x0A)
    return Response(status: p.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

// MARK: - From the errors of the modules

extension Problem {
    /// A GeoJSON reading error. `prefix` is where the GeoJSON sits in the request body (empty: it is the body).
    static func geoJSON(_ e: GeoJSONError, prefix: String = "", limits: ServiceLimits? = nil) -> Problem {
        let path = join(prefix, e.path)
        switch e.kind {
        case .syntax:
            return Problem(.malformedJSON, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column)
        case .duplicateKey:
            return Problem(.duplicateKey, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column)
        case .limitExceeded:
            return Problem(.limitExceeded, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column,
                           limit: limits.flatMap { limitFor(message: e.message, limits: $0) })
        default:
            return Problem(.invalidGeoJSON, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column)
        }
    }

    /// Which limit a reader message is about (the reader words them "more than N features", …).
    private static func limitFor(message: String, limits: ServiceLimits) -> Limit? {
        if message.contains("feature") { return Limit(name: "max-features", value: limits.maxFeatures) }
        if message.contains("position") || message.contains("coordinate") {
            return Limit(name: "max-positions", value: limits.maxPositions)
        }
        if message.contains("deep") || message.contains("nest") || message.contains("level") {
            return Limit(name: "max-depth", value: limits.maxDepth)
        }
        return nil
    }

    /// A JSON syntax or depth error. `prefix` as for `geoJSON`.
    static func json(_ e: JSONParseError, prefix: String = "", limits: ServiceLimits? = nil) -> Problem {
        let path = join(prefix, e.path)
        switch e.kind {
        case .syntax:
            return Problem(.malformedJSON, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column)
        case .tooDeep:
            return Problem(.limitExceeded, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column,
                           limit: limits.map { Limit(name: "max-depth", value: $0.maxDepth) })
        case .duplicateKey:
            return Problem(.duplicateKey, e.message, path: path.isEmpty ? nil : path, line: e.line, column: e.column)
        }
    }

    /// Data errors of the domain (a dissolve, a zone table, a network layer). `kind` is the problem kind;
    /// `locate` turns a location such as `features[3]` or `line 5` into a JSON path in the request body.
    static func data(_ error: Error, kind: Kind, summary: String,
                     locate: (DataError) -> String? = { $0.location }) -> Problem? {
        let list: [DataError]
        if let e = error as? DataError { list = [e] } else if let e = error as? DataErrors { list = e.errors } else { return nil }
        let items = list.prefix(100).map { e -> Item in
            let base = locate(e)
            // A field such as `properties.name` or `geometry` continues the path of its feature.
            let path: String?
            if let base, let f = e.field, f.hasPrefix("properties.") || f == "geometry" { path = join(base, f) }
            else { path = base }
            return Item(path: path, field: e.field, detail: e.message)
        }
        guard let first = items.first else { return nil }
        let kindOfFirst: Kind
        if kind == .invalidGeoJSON && list.contains(where: { $0.message.hasPrefix("invalid polygon") }) {
            kindOfFirst = .invalidGeometry
        } else {
            kindOfFirst = kind
        }
        let detail = list.count == 1 ? first.detail
            : "\(summary): \(list.count) problems; the first: \(first.path.map { $0 + ": " } ?? "")\(first.detail)"
        return Problem(kindOfFirst, detail, path: first.path, field: first.field, errors: list.count > 1 ? Array(items) : [])
    }

    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return b.hasPrefix("[") ? a + b : a + "." + b
    }
}

/// Media types used by the service.
enum MediaTypes {
    static let geoJSON = "application/geo+json"
    /// TopoJSON has no registered media type; `application/json` is what d3, Leaflet and mapshaper expect.
    static let topoJSON = "application/json"
    static let json = "application/json"
    static let problem = "application/problem+json"
    static let svg = "image/svg+xml"
    static let html = "text/html; charset=utf-8"
    static let csv = "text/csv; charset=utf-8"
    static let markdown = "text/markdown; charset=utf-8"
    static let text = "text/plain; charset=utf-8"
}
