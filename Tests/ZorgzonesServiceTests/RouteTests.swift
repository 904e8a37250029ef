import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
import Zoning
@testable import ZorgzonesService

@Suite("Static routes, OpenAPI, HTTP semantics")
struct RouteTests {
    @Test("the OpenAPI document describes exactly the router's routes")
    func openAPIMatchesRouter() throws {
        let router = ZorgzonesServer.router(catalogue: sharedCatalogue)
        let routes = ZorgzonesServer.routeList(router)
        let documented = ZorgzonesServer.documentedOperations(sharedCatalogue)
        #expect(routes.count >= 10)
        #expect(routes == documented, "only in the router: \(routes.subtracting(documented).sorted()); only in the document: \(documented.subtracting(routes).sorted())")
    }

    @Test("GET /openapi.json is an OpenAPI 3.1 document whose references resolve")
    func openAPIDocument() async throws {
        try await withService { client in
            let r = try await client.get("/openapi.json")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json")
            let doc = try r.json
            #expect(doc["openapi"]?.stringValue == "3.1.0")
            #expect(doc["info"]?["version"]?.stringValue == zorgzonesVersion)
            // Every $ref names a schema of components.
            let schemas = doc["components"]?["schemas"]?.objectValue
            var refs: [String] = []
            func walk(_ v: JSONValue) {
                switch v {
                case .object(let o):
                    for (k, x) in o { if k == "$ref", let s = x.stringValue { refs.append(s) } else { walk(x) } }
                case .array(let a): a.forEach(walk)
                default: break
                }
            }
            walk(doc)
            #expect(!refs.isEmpty)
            for ref in refs {
                let name = String(ref.dropFirst("#/components/schemas/".count))
                #expect(ref.hasPrefix("#/components/schemas/") && schemas?[name] != nil, "dangling \(ref)")
            }
            // Every problem type the service can answer is listed.
            let types = doc["components"]?["schemas"]?["Problem"]?["properties"]?["type"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
            #expect(Set(types ?? []) == Set(Problem.Kind.allCases.map(\.uri)))
        }
    }

    @Test("GET /healthz")
    func health() async throws {
        try await withService { client in
            let r = try await client.get("/healthz")
            #expect(r.status == .ok)
            #expect(r.headers[.cacheControl] == "no-store")
            let doc = try r.json
            #expect(doc["status"]?.stringValue == "ok")
            #expect(doc["blocks"]?.intValue == sharedCatalogue.dataset.blocks.count)
            #expect(doc["heavy"]?["slots"]?.intValue ?? 0 >= 1)
            #expect(doc["rules"]?.boolValue == true)
        }
    }

    @Test("GET / is a self-contained page with the map and a download link")
    func page() async throws {
        try await withService { client in
            let r = try await client.get("/")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            let html = r.text
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<svg"))
            #expect(html.contains(#"href="/v1/layers/rzz.geojson""#))
            for n in ["municipalities", "elz", "rr", "rzz"] { #expect(html.contains(#"data-layer="\#(n)""#)) }
            // Nothing from elsewhere: no external scripts, styles, fonts or images.
            for external in [#"src="http"#, #"href="http"#, "<link", "@import", "url(http", "//cdn"] {
                #expect(!html.contains(external), "the page refers to \(external)")
            }
            #expect(!html.contains("<?xml"), "the inlined SVG keeps its XML declaration")

            let elz = try await client.get("/?layer=elz")
            #expect(elz.text.contains(#"href="/?layer=elz" data-layer="elz" aria-current="page""#))
            #expect(elz.text.contains(#"id="download" href="/v1/layers/elz.geojson""#))
            #expect(elz.headers[.eTag] != r.headers[.eTag])
            // An unknown layer is said, not silently replaced by the RZZ (issue 14).
            let unknown = try await client.get("/?layer=nope")
            #expect(try unknown.expectProblem(.notFound, .notFound)["field"]?.stringValue == "layer")
            #expect(unknown.text.contains("municipalities, elz, rr, rzz"))
            let wb = try await client.get("/workbench")
            #expect(wb.status == .ok && wb.headers[.contentType]?.hasPrefix("text/html") == true)
            // Self-contained: no script, style, font or image from elsewhere.
            for external in ["src=\"http", "href=\"http", "url(http", "@import", "<script src", "rel=\"stylesheet"] {
                #expect(!wb.text.contains(external), "the workbench refers to \(external)")
            }
            let scenarios = try await client.get("/v1/scenarios").json
            let names = scenarios["scenarios"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names == ["a-westkust-en-polder-bij-de-kust", "b-regio-gent-gesplitst"])
            let b = try await client.get("/v1/scenarios/b-regio-gent-gesplitst.csv")
            let file = [UInt8](try Data(contentsOf: TestData.geoData.appendingPathComponent("scenarios/b-regio-gent-gesplitst.csv")))
            #expect(b.status == .ok && b.bytes == file)
            try await client.get("/v1/scenarios/c.csv").expectProblem(.notFound, .notFound)
        }
    }

    @Test("GET /v1/layers lists the layers with links")
    func layerIndex() async throws {
        try await withService { client in
            let doc = try await client.get("/v1/layers").json
            let layers = doc["layers"]?.arrayValue ?? []
            #expect(layers.compactMap { $0["name"]?.stringValue } == ["municipalities", "elz", "rr", "rzz"])
            #expect(layers.last?["geojson"]?.stringValue == "/v1/layers/rzz.geojson")
            #expect(layers.last?["svg"]?.stringValue == "/v1/layers/rzz.svg")
            let networks = doc["networks"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(networks.contains("hospital-networks"))
            #expect(doc["zonings"]?.arrayValue?.compactMap(\.stringValue).contains("politiezone") == true)
        }
    }

    @Test("GET /v1/layers/{layer}.geojson: GeoJSON of every layer, as the atlas builds it", arguments: ["municipalities", "elz", "rr", "rzz"])
    func layerGeoJSON(_ name: String) async throws {
        try await withService { client in
            let r = try await client.get("/v1/layers/\(name).geojson")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/geo+json")
            #expect(r.headers[.cacheControl] == "no-cache")
            let etag = try #require(r.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 34)
            let fc = try readCollection(r.bytes)
            #expect(fc.name == name)
            #expect(fc.features.count == sharedCatalogue.dataset.zonings[name]!.zones.count)
            #expect(fc.features.allSatisfy { $0.properties["code"] != nil && $0.geometry != nil })
            // The same bytes as the atlas (`zorgzones build`) writes: the ETag is its SHA-256.
            let dissolver = Dissolver(sharedCatalogue.dataset)
            _ = dissolver
            #expect(etag == "\"" + Dataset.sha256(Data(r.bytes)).prefix(32) + "\"")
        }
    }

    @Test("conditional GET: If-None-Match answers 304 without a body")
    func conditionalGet() async throws {
        try await withService { client in
            let first = try await client.get("/v1/layers/elz.geojson")
            let etag = try #require(first.headers[.eTag])
            let notModified = try await client.get("/v1/layers/elz.geojson", headers: [.ifNoneMatch: etag])
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)
            #expect(notModified.headers[.eTag] == etag)
            let list = try await client.get("/v1/layers/elz.geojson", headers: [.ifNoneMatch: "\"nope\", W/\(etag)"])
            #expect(list.status == .notModified)
            let star = try await client.get("/v1/layers/elz.geojson", headers: [.ifNoneMatch: "*"])
            #expect(star.status == .notModified)
            let other = try await client.get("/v1/layers/elz.geojson", headers: [.ifNoneMatch: "\"0000\""])
            #expect(other.status == .ok)
            #expect(other.body.readableBytes == first.body.readableBytes)
            // Another layer has another tag.
            let rzz = try await client.get("/v1/layers/rzz.geojson", headers: [.ifNoneMatch: etag])
            #expect(rzz.status == .ok)
            let svg = try await client.get("/v1/layers/elz.svg")
            let svg304 = try await client.get("/v1/layers/elz.svg", headers: [.ifNoneMatch: try #require(svg.headers[.eTag])])
            #expect(svg304.status == .notModified)
        }
    }

    @Test("GET /v1/layers/{layer}.svg: an SVG map with a title per zone", arguments: ["municipalities", "elz", "rr", "rzz"])
    func layerSVG(_ name: String) async throws {
        try await withService { client in
            let r = try await client.get("/v1/layers/\(name).svg")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "image/svg+xml")
            #expect(r.headers[.eTag] != nil)
            let svg = r.text
            #expect(svg.hasPrefix("<?xml"))
            #expect(svg.contains("<svg"))
            #expect(svg.hasSuffix("</svg>\n"))
            #expect(svg.contains(#"data-map="\#(name == "rzz" ? "official" : "zoning")""#))
            if name != "rzz" {
                // One area with a hover title per zone.
                let zones = sharedCatalogue.dataset.zonings[name]!.zones.count
                #expect(svg.components(separatedBy: #"class="zone""#).count - 1 == zones)
            }
            #expect(svg.contains("<title>"))
        }
    }

    @Test("gzip when asked (and only then), with its own ETag")
    func gzip() async throws {
        try await withService { client in
            let plain = try await client.get("/v1/layers/rzz.geojson")
            let zipped = try await client.get("/v1/layers/rzz.geojson", headers: [.acceptEncoding: "br;q=1.0, gzip;q=0.8"])
            #expect(plain.headers[.contentEncoding] == nil)
            if Gzip.available {
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.headers[.vary] == "Accept-Encoding")
                #expect(zipped.bytes.starts(with: [0x1f, 0x8b]))
                #expect(zipped.body.readableBytes < plain.body.readableBytes / 3)
                #expect(Gzip.decompress(zipped.bytes) == plain.bytes)
                #expect(zipped.headers[.eTag] != plain.headers[.eTag])
                let notModified = try await client.get("/v1/layers/rzz.geojson",
                                                       headers: [.acceptEncoding: "gzip", .ifNoneMatch: try #require(zipped.headers[.eTag])])
                #expect(notModified.status == .notModified)
                let refused = try await client.get("/v1/layers/rzz.geojson", headers: [.acceptEncoding: "gzip;q=0"])
                #expect(refused.headers[.contentEncoding] == nil)
                let dissolved = try await client.post("/v1/dissolve?by=region", try fileBytes("blocks.geojson"),
                                                      headers: [.acceptEncoding: "gzip"])
                #expect(dissolved.headers[.contentEncoding] == "gzip")
                #expect(try readCollection(try #require(Gzip.decompress(dissolved.bytes))).features.count == 2)
            } else {
                // Without compress-nio linked, the identity encoding is always given (and always acceptable).
                #expect(zipped.headers[.contentEncoding] == nil)
                #expect(zipped.bytes == plain.bytes)
            }
        }
    }

    @Test("CORS: preflight and headers on answers, problems included")
    func cors() async throws {
        try await withService { client in
            let preflight = try await client.execute(uri: "/v1/dissolve", method: .options,
                                                     headers: [.origin: "https://kaart.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let get = try await client.get("/v1/layers/rzz.geojson", headers: [.origin: "https://kaart.example"])
            #expect(get.headers[.accessControlAllowOrigin] == "*")
            #expect(get.headers[.accessControlExposeHeaders]?.contains("ETag") == true)
            #expect(get.headers[.accessControlExposeHeaders]?.contains("X-Request-Id") == true)
            let problem = try await client.post("/v1/dissolve", grid(), headers: [.origin: "https://kaart.example"])
            #expect(problem.status == .badRequest)
            #expect(problem.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test("unknown layer, unknown route, wrong method: problem+json")
    func notFound() async throws {
        try await withService { client in
            let layer = try await client.get("/v1/layers/provinces.geojson")
            let doc = try layer.expectProblem(.notFound, .notFound)
            #expect(doc["field"]?.stringValue == "layer")
            #expect(doc["instance"]?.stringValue == "/v1/layers/provinces.geojson")
            try await client.get("/v2/anything").expectProblem(.notFound, .notFound)
            let method = try await client.execute(uri: "/v1/layers/rzz.geojson", method: .delete)
            try method.expectProblem(.methodNotAllowed, .methodNotAllowed)
            #expect(method.headers[.allow] == "GET, HEAD")
            let getDissolve = try await client.get("/v1/dissolve")
            try getDissolve.expectProblem(.methodNotAllowed, .methodNotAllowed)
            #expect(getDissolve.headers[.allow] == "POST")
        }
    }
}
