import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import ZorgzonesService

// OGC API – Features at /ogc, against the data package: the expected codes and counts come from its files.

private let blocks: FeatureCollection = try! GeoJSONReader().readFeatureCollection(
    Data(contentsOf: TestData.directory.appendingPathComponent("blocks.geojson")))
private let municipalityCodes = Set(blocks.features.compactMap { $0.properties["nis"]?.stringValue })

private func csvColumn(_ file: String, _ column: String) throws -> [String] {
    let lines = try String(contentsOf: TestData.directory.appendingPathComponent(file), encoding: .utf8)
        .split(whereSeparator: \.isNewline).map(String.init)
    let header = lines[0].split(separator: ",").map(String.init)
    let k = try #require(header.firstIndex(of: column))
    return lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[k] }
}

private func links(_ doc: JSONValue) -> [(rel: String, type: String, href: String)] {
    guard case .array(let a)? = doc["links"] else { return [] }
    return a.compactMap { l in
        guard let rel = l["rel"]?.stringValue, let href = l["href"]?.stringValue else { return nil }
        return (rel, l["type"]?.stringValue ?? "", href)
    }
}

/// The path and query of an absolute link, for the test client.
private func local(_ href: String) -> String {
    guard let u = URLComponents(string: href) else { return href }
    return u.percentEncodedPath + (u.percentEncodedQuery.map { "?" + $0 } ?? "")
}

@Suite struct OGCTests {
    @Test func landingPageAndConformance() async throws {
        try await withService { client in
            let landing = try await client.get("/ogc")
            #expect(landing.status == .ok)
            #expect(landing.headers[.contentType] == "application/json")
            let rels = Set(links(try landing.json).map(\.rel))
            #expect(rels.isSuperset(of: ["self", "alternate", "service-desc", "conformance", "data"]))
            let api = links(try landing.json).first { $0.rel == "service-desc" }!
            #expect(api.type == "application/vnd.oai.openapi+json;version=3.0")
            let doc = try await client.get(local(api.href))
            #expect(doc.headers[.contentType] == "application/vnd.oai.openapi+json;version=3.0")
            #expect(try doc.json["openapi"]?.stringValue?.hasPrefix("3.0") == true)
            // Every collection has its items path, with its filterable properties as parameters (GDAL reads them).
            let elzItems = try #require(try doc.json["paths"]?["/collections/elz/items"]?["get"]?["parameters"])
            guard case .array(let ps) = elzItems else { Issue.record("no parameters"); return }
            let names: Set<String> = Set(ps.compactMap { p -> String? in p["name"]?.stringValue })
            #expect(names.isSuperset(of: ["limit", "offset", "bbox", "name", "code"]))

            let conformance = try await client.get("/ogc/conformance")
            guard case .array(let classes)? = try conformance.json["conformsTo"] else { Issue.record("no conformsTo"); return }
            let ids = Set(classes.compactMap(\.stringValue))
            for c in ["core", "geojson", "html", "oas30"] {
                #expect(ids.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/\(c)"))
            }
        }
    }

    @Test func collectionsListTheLayersTablesAndNetworks() async throws {
        try await withService { client in
            let r = try await client.get("/ogc/collections")
            guard case .array(let cs)? = try r.json["collections"] else { Issue.record("no collections"); return }
            let ids = cs.compactMap { $0["id"]?.stringValue }
            let tables = try FileManager.default.contentsOfDirectory(atPath: TestData.directory.appendingPathComponent("zonings").path)
                .filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }
            #expect(Set(ids) == Set(["municipalities", "elz", "rr", "rzz", "hospital-networks", "ggz-adults", "ggz-youth"] + tables))
            for c in cs {
                #expect(c["itemType"]?.stringValue == "feature")
                #expect(links(c).contains { $0.rel == "items" && $0.type == "application/geo+json" })
                // The extent lies in Belgium (2.5–6.4° E, 49.5–51.5° N).
                guard case .array(let boxes)? = c["extent"]?["spatial"]?["bbox"], case .array(let b)? = boxes.first else {
                    Issue.record("no extent for \(c["id"]?.stringValue ?? "?")"); continue
                }
                let v = b.compactMap(\.doubleValue)
                #expect(v.count == 4 && v[0] > 2.5 && v[2] < 6.5 && v[1] > 49.4 && v[3] < 51.6, "\(v)")
            }
            let one = try await client.get("/ogc/collections/elz")
            #expect(try one.json["id"]?.stringValue == "elz")
            try (try await client.get("/ogc/collections/nope")).expectProblem(.notFound, .notFound)
        }
    }

    @Test func pagesFollowNextLinksToEveryFeature() async throws {
        try await withService { client in
            var url: String? = "/ogc/collections/municipalities/items?limit=50"
            var codes: [String] = []
            var pages = 0
            while let u = url {
                let r = try await client.get(u)
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/geo+json")
                let doc = try r.json
                #expect(doc["numberMatched"]?.intValue == municipalityCodes.count)
                let fc = try GeoJSONReader().readFeatureCollection(r.bytes)
                #expect(doc["numberReturned"]?.intValue == fc.features.count)
                codes += fc.features.compactMap { $0.properties["code"]?.stringValue }
                url = links(doc).first { $0.rel == "next" }.map { local($0.href) }
                pages += 1
                #expect(pages <= 10)
                if pages > 10 { break }
            }
            #expect(pages == (municipalityCodes.count + 49) / 50)
            #expect(codes.count == municipalityCodes.count && Set(codes) == municipalityCodes)
            // A limit over the maximum is served as the maximum, not refused.
            let big = try await client.get("/ogc/collections/municipalities/items?limit=100000")
            #expect(try big.json["numberReturned"]?.intValue == min(municipalityCodes.count, OGCFeatures.maximumLimit))
        }
    }

    @Test func bboxAndPropertyFilters() async throws {
        let brugge = try #require(blocks.features.first { $0.properties["name"]?.stringValue == "Brugge" })
        let nis = brugge.properties["nis"]!.stringValue!
        let pop = try #require(zip(try csvColumn("population.csv", "block_id"), try csvColumn("population.csv", "population")).first { $0.0 == nis }?.1)
        try await withService { client in
            // The North Sea off De Panne: no municipality.
            let sea = try await client.get("/ogc/collections/municipalities/items?bbox=2.0,51.45,2.3,51.6")
            #expect(try sea.json["numberMatched"]?.intValue == 0)
            // Everything.
            let all = try await client.get("/ogc/collections/municipalities/items?bbox=2,49,7,52&limit=1")
            #expect(try all.json["numberMatched"]?.intValue == municipalityCodes.count)
            // A box inside Brugge's own bounds but outside its polygon can miss it: the test is exact. Its centroid
            // box (0.001°) is inside Brugge (a compact municipality) and meets no other.
            let b = try #require(brugge.geometry?.bounds)
            let cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2
            let inside = try await client.get("/ogc/collections/municipalities/items?bbox=\(cx - 0.0005),\(cy - 0.0005),\(cx + 0.0005),\(cy + 0.0005)")
            let fc = try GeoJSONReader().readFeatureCollection(inside.bytes)
            #expect(fc.features.compactMap { $0.properties["code"]?.stringValue } == [nis])

            let named = try await client.get("/ogc/collections/municipalities/items?name=Brugge")
            #expect(try GeoJSONReader().readFeatureCollection(named.bytes).features.map { $0.properties["code"]?.stringValue } == [nis])
            let byPopulation = try await client.get("/ogc/collections/municipalities/items?population=\(pop)")
            #expect(try GeoJSONReader().readFeatureCollection(byPopulation.bytes).features.contains { $0.properties["code"]?.stringValue == nis })
            // A percent-encoded value with a space and an apostrophe.
            let rr = try await client.get("/ogc/collections/rr/items?limit=1")
            let rrName = try #require(GeoJSONReader().readFeatureCollection(rr.bytes).features.first?.properties["name"]?.stringValue)
            let encoded = try await client.get("/ogc/collections/rr/items?name=\(OGCFeatures.percentEncoded(rrName))")
            #expect(try encoded.json["numberMatched"]?.intValue == 1)
        }
    }

    @Test func badParametersAreProblemsNamingTheParameter() async throws {
        try await withService { client in
            for (query, field) in [("limit=0", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"), ("bbox=1,2,3", "bbox"),
                                   ("bbox=4,52,5,51", "bbox"), ("bbox=a,b,c,d", "bbox"), ("f=xml", "f"), ("colour=red", "colour"),
                                   ("limit=5&limit=6", "limit")] {
                let r = try await client.get("/ogc/collections/elz/items?\(query)")
                let doc = try r.expectProblem(.badRequest, .invalidRequest)
                #expect(doc["field"]?.stringValue == field, "\(query): \(r.text)")
            }
            try (try await client.get("/ogc/collections/elz/items/no-such-zone")).expectProblem(.notFound, .notFound)
            try (try await client.get("/ogc?limit=5")).expectProblem(.badRequest, .invalidRequest)
        }
    }

    @Test func oneFeatureByIdWithItsLinks() async throws {
        let code = try #require(try csvColumn("elz.csv", "elz_code").first)
        try await withService { client in
            let r = try await client.get("/ogc/collections/elz/items/\(code)")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/geo+json")
            let doc = try r.json
            #expect(doc["type"]?.stringValue == "Feature" && doc["id"]?.stringValue == code)
            #expect(doc["geometry"]?["type"]?.stringValue?.hasSuffix("Polygon") == true)
            #expect(links(try r.json).contains { $0.rel == "collection" })
        }
    }

    @Test func htmlForBrowsersEscaped() async throws {
        try await withService { client in
            var h = HTTPFields()
            h[.accept] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            for path in ["/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/rr", "/ogc/collections/rr/items",
                         "/ogc/collections/elz/items/\(try csvColumn("elz.csv", "elz_code")[0])"] {
                let r = try await client.get(path, headers: h)
                #expect(r.status == .ok, "\(path)")
                #expect(r.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(r.text.hasPrefix("<!DOCTYPE html>"))
                #expect(!r.text.contains("Referentieregio's"), "an unescaped apostrophe in \(path)")
            }
            let json = try await client.get("/ogc/collections?f=json", headers: h)
            #expect(json.headers[.contentType] == "application/json")
        }
    }
}

@Suite struct HTTPForGISClientsTests {
    @Test func headAnswersEveryGetWithoutABody() async throws {
        try await withService { client in
            let get = try await client.get("/v1/layers/elz.geojson")
            let head = try await client.execute(uri: "/v1/layers/elz.geojson", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.headers[.acceptRanges] == "bytes")
            let missing = try await client.execute(uri: "/v1/layers/nope.geojson", method: .head)
            #expect(missing.status == .notFound && missing.body.readableBytes == 0)
            let put = try await client.execute(uri: "/v1/layers/elz.geojson", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, HEAD")
            let ogc = try await client.execute(uri: "/ogc/collections/elz/items?limit=5", method: .head)
            #expect(ogc.status == .ok && ogc.body.readableBytes == 0)
        }
    }

    @Test func byteRangesAsVSICurlAsksThem() async throws {
        try await withService { client in
            let full = try await client.get("/v1/layers/elz.geojson").bytes
            let n = full.count
            var rng = Xorshift(seed: 7)
            // Random ranges of every form against the slice of the whole body.
            for _ in 0..<60 {
                let a = Int(rng.next() % UInt64(n)), b = Int(rng.next() % UInt64(n))
                let (first, last) = (min(a, b), max(a, b))
                let forms: [(String, Range<Int>)] = [("bytes=\(first)-\(last)", first..<(last + 1)), ("bytes=\(first)-", first..<n),
                                                     ("bytes=-\(last + 1)", (n - last - 1)..<n), ("bytes=\(first)-\(n + 1000)", first..<n)]
                for (header, slice) in forms {
                    var h = HTTPFields()
                    h[.range] = header
                    h[.acceptEncoding] = "gzip"
                    let r = try await client.get("/v1/layers/elz.geojson", headers: h)
                    #expect(r.status == .partialContent, "\(header)")
                    #expect(r.headers[.contentEncoding] == nil, "a range is of the identity bytes")
                    #expect(r.headers[.contentRange] == "bytes \(slice.lowerBound)-\(slice.upperBound - 1)/\(n)", "\(header)")
                    #expect(r.bytes == Array(full[slice]), "\(header)")
                }
            }
            var h = HTTPFields()
            h[.range] = "bytes=\(n)-"
            let outside = try await client.get("/v1/layers/elz.geojson", headers: h)
            try outside.expectProblem(.rangeNotSatisfiable, .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(n)")
            // Several ranges, another unit, a stale If-Range: the whole body.
            for (range, ifRange) in [("bytes=0-1,5-6", nil), ("items=0-1", nil), ("bytes=0-9", "\"stale\"")] as [(String, String?)] {
                var h = HTTPFields()
                h[.range] = range
                if let ifRange { h[.ifRange] = ifRange }
                let r = try await client.get("/v1/layers/elz.geojson", headers: h)
                #expect(r.status == .ok && r.bytes.count == n, "\(range)")
            }
        }
    }
}
