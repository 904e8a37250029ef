import Foundation
import GeoCore
import GeoJSON
import HTTPTypes
import Hummingbird
import Zoning

/// OGC API – Features, Part 1: Core (OGC 17-069r4) at `/ogc`, with the GeoJSON, HTML and OpenAPI 3.0 conformance
/// classes: what QGIS, ArcGIS, GDAL's `OAPIF` driver and web clients read as a live layer. CRS84 only.
///
/// Every answer is a cached-style representation: ETag, `304`, `HEAD` and byte ranges as for the layer files.
/// JSON or HTML by `?f=json|html`, else by the `Accept` header (browsers get HTML).
struct OGCFeatures: Sendable {
    static let prefix = "/ogc"
    static let defaultLimit = 100
    static let maximumLimit = 1000
    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    static let openAPIType = "application/vnd.oai.openapi+json;version=3.0"
    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]

    let store: FeatureStore
    let api: [UInt8]
    let minGzipBytes: Int

    enum Format { case json, html }

    // MARK: Routes

    func landing(_ request: Request) throws -> Response {
        let format = try Self.format(request, allowed: ["f"])
        let base = Self.base(request)
        let links: [JSONValue] = [
            Self.link(base + Self.prefix, rel: format == .json ? "self" : "alternate", type: MediaTypes.json, title: "This document as JSON"),
            Self.link(base + Self.prefix + "?f=html", rel: format == .html ? "self" : "alternate", type: "text/html", title: "This document as HTML"),
            Self.link(base + Self.prefix + "/api", rel: "service-desc", type: Self.openAPIType, title: "The API definition (OpenAPI 3.0)"),
            Self.link(base + "/", rel: "service-doc", type: "text/html", title: "The zorgzones map page"),
            Self.link(base + Self.prefix + "/conformance", rel: "conformance", type: MediaTypes.json, title: "Conformance classes"),
            Self.link(base + Self.prefix + "/collections", rel: "data", type: MediaTypes.json, title: "The feature collections"),
        ]
        let title = "zorgzones"
        let description = "The care zones of Flanders and Brussels (municipalities, ELZ, referentieregio's, RZZ, other zonings) and the hospital and GGZ networks, as OGC API – Features collections in CRS84."
        switch format {
        case .json:
            return try json(["title": .string(title), "description": .string(description), "links": .array(links)], request)
        case .html:
            var body = "<p>\(h(description))</p>\n<ul>\n"
            body += "<li><a href=\"\(Self.prefix)/collections?f=html\">Collections</a> (\(store.collections.count))</li>\n"
            body += "<li><a href=\"\(Self.prefix)/conformance?f=html\">Conformance</a></li>\n"
            body += "<li><a href=\"\(Self.prefix)/api\">API definition (OpenAPI 3.0, JSON)</a></li>\n</ul>\n"
            return try html(title: title, crumbs: [], body: body, json: Self.prefix + "?f=json", request)
        }
    }

    func conformance(_ request: Request) throws -> Response {
        switch try Self.format(request, allowed: ["f"]) {
        case .json: return try json(["conformsTo": .array(Self.conformance.map(JSONValue.string))], request)
        case .html:
            let list = Self.conformance.map { "<li><code>\(h($0))</code></li>" }.joined(separator: "\n")
            return try html(title: "Conformance", crumbs: [("zorgzones", Self.prefix + "?f=html")],
                            body: "<ul>\n\(list)\n</ul>\n", json: Self.prefix + "/conformance?f=json", request)
        }
    }

    func apiDefinition(_ request: Request) throws -> Response {
        _ = try Self.format(request, allowed: ["f"], only: .json)
        return try Representation(api, contentType: Self.openAPIType, minGzipBytes: minGzipBytes).response(for: request)
    }

    func collections(_ request: Request) throws -> Response {
        let format = try Self.format(request, allowed: ["f"])
        let base = Self.base(request)
        switch format {
        case .json:
            let links: [JSONValue] = [
                Self.link(base + Self.prefix + "/collections", rel: "self", type: MediaTypes.json, title: "This document"),
                Self.link(base + Self.prefix + "/collections?f=html", rel: "alternate", type: "text/html", title: "This document as HTML"),
            ]
            return try json(["links": .array(links), "collections": .array(store.collections.map { collectionJSON($0, base: base) })], request)
        case .html:
            var rows = ""
            for c in store.collections {
                rows += "<tr><td><a href=\"\(Self.prefix)/collections/\(u(c.id))?f=html\">\(h(c.id))</a></td><td>\(h(c.title))</td>"
                rows += "<td>\(c.items.count)</td><td>\(h(c.geometryType ?? "mixed"))</td><td>\(h(c.description))</td></tr>\n"
            }
            let body = "<table>\n<thead><tr><th scope=\"col\">id</th><th scope=\"col\">title</th><th scope=\"col\">features</th><th scope=\"col\">geometry</th><th scope=\"col\">description</th></tr></thead>\n<tbody>\n\(rows)</tbody>\n</table>\n"
            return try html(title: "Collections", crumbs: [("zorgzones", Self.prefix + "?f=html")], body: body,
                            json: Self.prefix + "/collections?f=json", request)
        }
    }

    func collection(_ request: Request, context: some RequestContext) throws -> Response {
        let c = try collection(context)
        let format = try Self.format(request, allowed: ["f"])
        let base = Self.base(request)
        switch format {
        case .json: return try json(collectionJSON(c, base: base, selfLink: true), request)
        case .html:
            var body = "<p>\(h(c.description))</p>\n<dl>\n<dt>Features</dt><dd>\(c.items.count)</dd>\n"
            body += "<dt>Geometry</dt><dd>\(h(c.geometryType ?? "mixed"))</dd>\n"
            if let e = c.extent { body += "<dt>Extent (CRS84)</dt><dd>\(Self.number(e.minX)), \(Self.number(e.minY)), \(Self.number(e.maxX)), \(Self.number(e.maxY))</dd>\n" }
            body += "<dt>Properties to filter on</dt><dd>\(h(c.queryables.keys.sorted().joined(separator: ", ")))</dd>\n</dl>\n"
            body += "<p><a href=\"\(Self.prefix)/collections/\(u(c.id))/items?f=html\">Browse the features</a> · "
            body += "<a href=\"\(Self.prefix)/collections/\(u(c.id))/items?f=json&amp;limit=\(Self.maximumLimit)\">GeoJSON</a></p>\n"
            return try html(title: c.title, crumbs: [("zorgzones", Self.prefix + "?f=html"), ("Collections", Self.prefix + "/collections?f=html")],
                            body: body, json: "\(Self.prefix)/collections/\(u(c.id))?f=json", request)
        }
    }

    func items(_ request: Request, context: some RequestContext) throws -> Response {
        let c = try collection(context)
        var allowed: Set<String> = ["f", "limit", "offset", "bbox", "datetime"]
        allowed.formUnion(c.queryables.keys)
        let format = try Self.format(request, allowed: allowed)
        let limit = try Self.integer(request, "limit", default: Self.defaultLimit, minimum: 1).map { min($0, Self.maximumLimit) }!
        let offset = try Self.integer(request, "offset", default: 0, minimum: 0)!
        var query = FeatureQuery()
        if let b = RequestParsing.query(request, "bbox") { query.bbox = try Self.bbox(b) }
        for name in c.queryables.keys.sorted() {
            if let v = RequestParsing.query(request, name) { query.properties.append((name, v)) }
        }
        let matched = try query.matches(in: c)
        let page = Array(matched.dropFirst(offset).prefix(limit))
        let base = Self.base(request)
        let path = "\(Self.prefix)/collections/\(u(c.id))/items"
        func url(_ f: String, offset o: Int) -> String {
            var q = request.uri.queryParameters.filter { !["f", "offset", "limit"].contains(String($0.key)) }
                .map { "\(u(String($0.key)))=\(u(String($0.value)))" }
            q.append("limit=\(limit)")
            if o > 0 { q.append("offset=\(o)") }
            q.insert("f=\(f)", at: 0)
            return path + "?" + q.joined(separator: "&")
        }
        var links: [JSONValue] = [
            Self.link(base + url("json", offset: offset), rel: format == .json ? "self" : "alternate", type: MediaTypes.geoJSON, title: "This page as GeoJSON"),
            Self.link(base + url("html", offset: offset), rel: format == .html ? "self" : "alternate", type: "text/html", title: "This page as HTML"),
            Self.link(base + "\(Self.prefix)/collections/\(u(c.id))", rel: "collection", type: MediaTypes.json, title: c.title),
        ]
        let fmt = format == .json ? "json" : "html"
        let type = format == .json ? MediaTypes.geoJSON : "text/html"
        if offset + page.count < matched.count {
            links.append(Self.link(base + url(fmt, offset: offset + limit), rel: "next", type: type, title: "Next page"))
        }
        if offset > 0 {
            links.append(Self.link(base + url(fmt, offset: max(0, offset - limit)), rel: "prev", type: type, title: "Previous page"))
        }
        switch format {
        case .json:
            var out: [UInt8] = []
            out.append(contentsOf: #"{"type":"FeatureCollection","numberMatched":"#.utf8)
            out.append(contentsOf: String(matched.count).utf8)
            out.append(contentsOf: #","numberReturned":"#.utf8)
            out.append(contentsOf: String(page.count).utf8)
            out.append(contentsOf: #","links":"#.utf8)
            JSONWriter().write(.array(links), into: &out)
            out.append(contentsOf: #","features":["#.utf8)
            for (k, i) in page.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(0x0A)
                out.append(contentsOf: c.items[i].bytes)
            }
            if !page.isEmpty { out.append(0x0A) }
            out.append(contentsOf: "]}\n".utf8)
            return try Representation(out, contentType: MediaTypes.geoJSON, minGzipBytes: minGzipBytes).response(for: request)
        case .html:
            let columns = c.queryables.keys.sorted { ($0 == "name" ? 0 : $0 == "code" ? 1 : 2, $0) < ($1 == "name" ? 0 : $1 == "code" ? 1 : 2, $1) }
            var body = "<p>\(page.isEmpty ? "No features" : "Features \(offset + 1)–\(offset + page.count)") of \(matched.count) matched.</p>\n"
            body += "<table>\n<thead><tr><th scope=\"col\">id</th>" + columns.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for i in page {
                let item = c.items[i]
                body += "<tr><td><a href=\"\(path)/\(u(item.id))?f=html\">\(h(item.id))</a></td>"
                body += columns.map { "<td>\(h(Self.text(item.properties[$0])))</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody>\n</table>\n<p>"
            if offset > 0 { body += "<a rel=\"prev\" href=\"\(h(url("html", offset: max(0, offset - limit))))\">Previous</a> " }
            if offset + page.count < matched.count { body += "<a rel=\"next\" href=\"\(h(url("html", offset: offset + limit)))\">Next</a>" }
            body += "</p>\n"
            return try html(title: c.title, crumbs: [("zorgzones", Self.prefix + "?f=html"), ("Collections", Self.prefix + "/collections?f=html"),
                                                     (c.title, "\(Self.prefix)/collections/\(u(c.id))?f=html")],
                            body: body, json: url("json", offset: offset), request)
        }
    }

    func item(_ request: Request, context: some RequestContext) throws -> Response {
        let c = try collection(context)
        let id = context.parameters.get("featureId") ?? ""
        guard let item = c.item(id) else {
            throw Problem(.notFound, "collection '\(c.id)' has no feature '\(id)'", field: "featureId")
        }
        let format = try Self.format(request, allowed: ["f"])
        let base = Self.base(request)
        let path = "\(Self.prefix)/collections/\(u(c.id))/items/\(u(item.id))"
        switch format {
        case .json:
            let links: [JSONValue] = [
                Self.link(base + path, rel: "self", type: MediaTypes.geoJSON, title: "This feature"),
                Self.link(base + path + "?f=html", rel: "alternate", type: "text/html", title: "This feature as HTML"),
                Self.link(base + "\(Self.prefix)/collections/\(u(c.id))", rel: "collection", type: MediaTypes.json, title: c.title),
            ]
            var out = Array(item.bytes.dropLast())
            out.append(contentsOf: #","links":"#.utf8)
            JSONWriter().write(.array(links), into: &out)
            out.append(contentsOf: "}\n".utf8)
            return try Representation(out, contentType: MediaTypes.geoJSON, minGzipBytes: minGzipBytes).response(for: request)
        case .html:
            var body = "<table>\n<tbody>\n"
            for (k, v) in item.properties { body += "<tr><th scope=\"row\">\(h(k))</th><td>\(h(Self.text(v)))</td></tr>\n" }
            body += "</tbody>\n</table>\n"
            return try html(title: "\(c.title): \(Self.text(item.properties["name"] ?? .string(item.id)))",
                            crumbs: [("zorgzones", Self.prefix + "?f=html"), ("Collections", Self.prefix + "/collections?f=html"),
                                     (c.title, "\(Self.prefix)/collections/\(u(c.id))?f=html"),
                                     ("Features", "\(Self.prefix)/collections/\(u(c.id))/items?f=html")],
                            body: body, json: path + "?f=json", request)
        }
    }

    // MARK: Pieces

    private func collection(_ context: some RequestContext) throws -> FeatureStore.Collection {
        let id = context.parameters.get("collectionId") ?? ""
        guard let c = store.collection(id) else {
            throw Problem(.notFound, "no collection '\(id)'; the collections are \(store.collections.map(\.id).joined(separator: ", "))",
                          field: "collectionId")
        }
        return c
    }

    private func collectionJSON(_ c: FeatureStore.Collection, base: String, selfLink: Bool = false) -> JSONValue {
        let path = base + "\(Self.prefix)/collections/\(u(c.id))"
        var links: [JSONValue] = [
            Self.link(path + "/items", rel: "items", type: MediaTypes.geoJSON, title: "The features as GeoJSON"),
            Self.link(path + "/items?f=html", rel: "items", type: "text/html", title: "The features as HTML"),
        ]
        links.insert(Self.link(path, rel: selfLink ? "self" : "describedby", type: MediaTypes.json, title: c.title), at: 0)
        if selfLink { links.append(Self.link(path + "?f=html", rel: "alternate", type: "text/html", title: "This document as HTML")) }
        var o: JSONObject = ["id": .string(c.id), "title": .string(c.title), "description": .string(c.description),
                             "itemType": "feature", "crs": [.string(Self.crs84)]]
        if let e = c.extent {
            o["extent"] = ["spatial": ["bbox": [[.number(e.minX), .number(e.minY), .number(e.maxX), .number(e.maxY)]],
                                       "crs": .string(Self.crs84)]]
        }
        o["links"] = .array(links)
        return .object(o)
    }

    private func json(_ value: JSONValue, _ request: Request) throws -> Response {
        var bytes = JSONWriter(pretty: true).write(value)
        bytes.append(0x0A)
        return try Representation(bytes, contentType: MediaTypes.json, minGzipBytes: minGzipBytes).response(for: request)
    }

    private func html(title: String, crumbs: [(String, String)], body: String, json: String, _ request: Request) throws -> Response {
        let nav = (crumbs.map { "<a href=\"\(h($0.1))\">\(h($0.0))</a>" } + [h(title)]).joined(separator: " › ")
        let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(title)) – zorgzones OGC API</title>
        <link rel="alternate" type="application/json" href="\(h(json))">
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
        table { border-collapse: collapse; } th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eee; } a { color: #0645ad; } a:focus { outline: 3px solid #1a1a1a; }
        nav { margin-bottom: 1rem; }
        </style>
        </head>
        <body>
        <nav aria-label="breadcrumb">\(nav)</nav>
        <main>
        <h1>\(h(title))</h1>
        \(body)<p><a href="\(h(json))">This page as JSON</a></p>
        </main>
        </body>
        </html>

        """
        return try Representation(Array(page.utf8), contentType: MediaTypes.html, minGzipBytes: minGzipBytes).response(for: request)
    }

    private func h(_ s: String) -> String { IndexPage.escape(s) }
    private func u(_ s: String) -> String { Self.percentEncoded(s) }

    static func percentEncoded(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    static func link(_ href: String, rel: String, type: String, title: String) -> JSONValue {
        ["href": .string(href), "rel": .string(rel), "type": .string(type), "title": .string(title)]
    }

    /// The scheme and authority the client used (`Host`, and `X-Forwarded-Proto` behind a proxy), so links work
    /// from wherever the client reached the service.
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        let proto = request.headers[HTTPTypes.HTTPField.Name("X-Forwarded-Proto")!].flatMap { $0 == "https" || $0 == "http" ? $0 : nil } ?? "http"
        return "\(proto)://\(host)"
    }

    static func text(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s
        case .number(let n)?: return number(n)
        case .bool(let b)?: return b ? "true" : "false"
        case .array(let a)?: return a.map { text($0) }.joined(separator: ", ")
        case .null?, nil: return ""
        case .object?: return String(decoding: JSONWriter().write(v!), as: UTF8.self)
        }
    }

    static func number(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }

    // MARK: Parameters

    /// The format asked for, after refusing query parameters the operation does not define (OGC 17-069r4
    /// /req/core/query-param-unknown) and repeated ones.
    static func format(_ request: Request, allowed: Set<String>, only: Format? = nil) throws -> Format {
        var seen = Set<String>()
        for (k, _) in request.uri.queryParameters {
            let key = String(k)
            guard allowed.contains(key) else {
                throw Problem(.invalidRequest, "unknown query parameter '\(key)'; this operation takes \(allowed.sorted().joined(separator: ", "))", field: key)
            }
            guard seen.insert(key).inserted else {
                throw Problem(.invalidRequest, "query parameter '\(key)' is given more than once", field: key)
            }
        }
        if let f = RequestParsing.query(request, "f") {
            let format: Format
            switch f.lowercased() {
            case "json", "geojson", "application/json", "application/geo+json": format = .json
            case "html", "text/html": format = .html
            default: throw Problem(.invalidRequest, "f must be json or html, not '\(f)'", field: "f")
            }
            if let only, format != only { throw Problem(.invalidRequest, "f must be json here", field: "f") }
            return format
        }
        if let only { return only }
        return prefersHTML(request) ? .html : .json
    }

    /// Whether `Accept` ranks `text/html` above every JSON type (browsers do; GDAL, QGIS and curl do not).
    static func prefersHTML(_ request: Request) -> Bool {
        var html = 0.0, json = 0.0
        for v in request.headers[values: .accept].flatMap({ $0.split(separator: ",") }) {
            let parts = v.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            var q = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 1 }
            if type == "text/html" { html = max(html, q) }
            if type == "application/json" || type == "application/geo+json" || type.hasSuffix("+json") { json = max(json, q) }
        }
        return html > json
    }

    static func integer(_ request: Request, _ name: String, default value: Int, minimum: Int) throws -> Int? {
        guard let s = RequestParsing.query(request, name) else { return value }
        guard let n = Int(s), n >= minimum else {
            throw Problem(.invalidRequest, "\(name) must be a whole number of at least \(minimum), not '\(s)'", field: name)
        }
        return n
    }

    /// `minLon,minLat,maxLon,maxLat` (or six numbers with heights), CRS84. `minLon > maxLon` crosses the antimeridian.
    static func bbox(_ s: String) throws -> BoundingBox {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4 || parts.count == 6, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw Problem(.invalidRequest, "bbox must be four numbers minLon,minLat,maxLon,maxLat (CRS84), or six with heights; got '\(s)'", field: "bbox")
        }
        let v = parts.map { $0! }
        let (minX, minY, maxX, maxY) = v.count == 4 ? (v[0], v[1], v[2], v[3]) : (v[0], v[1], v[3], v[4])
        guard minY <= maxY, (-90...90).contains(minY), (-90...90).contains(maxY), (-180...180).contains(minX), (-180...180).contains(maxX) else {
            throw Problem(.invalidRequest, "bbox '\(s)' is not a box in CRS84 (longitudes -180…180, latitudes -90…90, south ≤ north)", field: "bbox")
        }
        return BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }
}
