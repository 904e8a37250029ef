import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Zoning
@testable import ZorgzonesService

@Suite("POST /v1/dissolve")
struct DissolveTests {
    @Test("by a property, with sums, members and precision")
    func byProperty() async throws {
        try await withService { client in
            let r = try await client.post("/v1/dissolve?by=zone&sum=pop&id=id&precision=4", grid())
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.headers[.contentType] == "application/geo+json")
            let fc = try readCollection(r.bytes)
            #expect(fc.features.count == 2)
            let a = try #require(fc.features.first { $0.properties["zone"]?.stringValue == "A" })
            #expect(a.properties["pop"]?.doubleValue == 30)
            #expect(a.properties["count"]?.intValue == 2)
            #expect(a.properties["members"]?.arrayValue?.compactMap(\.stringValue) == ["a1", "a2"])
            #expect(a.geometry?.polygons.count == 1)
            #expect(a.properties["area_km2"]?.doubleValue ?? 0 > 0)
            let meta = fc.foreignMembers["zorgzones"]
            #expect(meta?["input_features"]?.intValue == 4)
            #expect(meta?["coverage"]?["clean"]?.boolValue == true)
            #expect(!r.text.contains("4.00000"), "precision 4 was not applied")
        }
    }

    @Test("by an assignment table in the collection's \"dissolve\" member")
    func byTable() async throws {
        try await withService { client in
            let options = #""dissolve":{"key":"nis","table":[{"key":"1","code":"Z1","name":"North"},{"key":2,"code":"Z1","name":"North"},{"key":"3","code":"Z2"},{"key":"4","code":"Z2"}],"sum":["pop"]}"#
            let r = try await client.post("/v1/dissolve", grid(extraMembers: options), contentType: "application/json")
            #expect(r.status == .ok, "\(r.text)")
            let fc = try readCollection(r.bytes)
            #expect(fc.features.map { $0.properties["code"]?.stringValue } == ["Z1", "Z2"])
            #expect(fc.features.map { $0.properties["name"]?.stringValue } == ["North", "Z2"])
            #expect(fc.features[1].properties["pop"]?.doubleValue == 70)
            #expect(fc.foreignMembers["dissolve"] == nil)
        }
    }

    @Test("the dataset's blocks by region: Flanders and Brussels")
    func realBlocks() async throws {
        try await withService { client in
            let r = try await client.post("/v1/dissolve?by=region&id=id", try fileBytes("blocks.geojson"))
            #expect(r.status == .ok, "\(r.text.prefix(500))")
            let fc = try readCollection(r.bytes)
            #expect(fc.features.count == 2)
            let total = fc.features.reduce(0) { $0 + ($1.properties["count"]?.intValue ?? 0) }
            #expect(total == sharedCatalogue.dataset.blocks.count)
            #expect(Set(fc.features.flatMap { $0.properties["members"]?.arrayValue?.compactMap(\.stringValue) ?? [] })
                    == Set(sharedCatalogue.dataset.blocks.map(\.id)))
            #expect(fc.features.allSatisfy { ["coverage-union", "coverage-union-checked"].contains($0.properties["method"]?.stringValue ?? "") })
        }
    }

    @Test("key missing from the table, property missing: 422 naming the feature")
    func unknownKeys() async throws {
        try await withService { client in
            let options = #""dissolve":{"key":"nis","table":[{"key":"1","code":"Z1"}]}"#
            let r = try await client.post("/v1/dissolve", grid(extraMembers: options))
            let doc = try r.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(doc["path"]?.stringValue == "features[1].properties.nis")
            #expect(doc["errors"]?.arrayValue?.count == 3)
            #expect(doc["detail"]?.stringValue?.contains("not in the assignment table") == true)

            let missing = try await client.post("/v1/dissolve?by=province", grid())
            let m = try missing.expectProblem(.unprocessableContent, .invalidGeoJSON)
            // No feature has it: a typo, named once (not a zone of nulls).
            #expect(m["path"]?.stringValue == "features.properties.province")
            #expect(m["field"]?.stringValue == "properties.province")
            #expect(m["detail"]?.stringValue?.contains("no feature has the property 'province'") == true)
        }
    }

    @Test("malformed JSON: 400 with line and column")
    func malformedJSON() async throws {
        try await withService { client in
            let r = try await client.post("/v1/dissolve?by=zone", "{\"type\": \"FeatureCollection\",\n \"features\": [,]}")
            let doc = try r.expectProblem(.badRequest, .malformedJSON)
            #expect(doc["line"]?.intValue == 2)
            #expect(doc["column"]?.intValue != nil)
            let truncated = try await client.post("/v1/dissolve?by=zone", String(grid().dropLast(5)))
            try truncated.expectProblem(.badRequest, .malformedJSON)
            let notUTF8 = try await client.post("/v1/dissolve?by=zone", [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])
            try notUTF8.expectProblem(.badRequest, .malformedJSON)
            let empty = try await client.post("/v1/dissolve?by=zone", "")
            try empty.expectProblem(.badRequest, .invalidRequest)
        }
    }

    @Test("not GeoJSON, wrong geometry types: 422 with the JSON path")
    func invalidGeoJSON() async throws {
        try await withService { client in
            let array = try await client.post("/v1/dissolve?by=zone", "[1, 2, 3]")
            try array.expectProblem(.unprocessableContent, .invalidGeoJSON)
            let unclosed = try await client.post("/v1/dissolve?by=zone",
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Polygon","coordinates":[[[4,51],[4.1,51],[4.1,51.1],[4,51.1]]]}}]}"#)
            let doc = try unclosed.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(doc["path"]?.stringValue?.hasPrefix("features[0].geometry.coordinates") == true)
            let point = try await client.post("/v1/dissolve?by=zone",
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Point","coordinates":[4,51]}}]}"#)
            let p = try point.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(p["path"]?.stringValue == "features[0].geometry")
            let noFeatures = try await client.post("/v1/dissolve?by=zone", #"{"type":"FeatureCollection","features":[]}"#)
            try noFeatures.expectProblem(.unprocessableContent, .invalidGeoJSON)
            let crs = try await client.post("/v1/dissolve?by=zone",
                #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:31370"}},"features":[]}"#)
            let c = try crs.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(c["detail"]?.stringValue?.contains("31370") == true)
        }
    }

    @Test("an invalid polygon (a bow tie): 422 invalid-geometry naming the feature and GEOS's reason")
    func invalidGeometry() async throws {
        try await withService { client in
            let bowTie = #"{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Polygon","coordinates":[[[4,51],[4.1,51.1],[4.1,51],[4,51.1],[4,51]]]}}"#
            let body = #"{"type":"FeatureCollection","features":[\#(square(4.5, 51, properties: #"{"zone":"A"}"#)),\#(bowTie)]}"#
            let r = try await client.post("/v1/dissolve?by=zone", body)
            let doc = try r.expectProblem(.unprocessableContent, .invalidGeometry)
            #expect(doc["path"]?.stringValue == "features[1].geometry")
            #expect(doc["detail"]?.stringValue?.lowercased().contains("self-intersection") == true)
            // Without validation the service still answers (GEOS's overlay union copes or fails cleanly).
            let unchecked = try await client.post("/v1/dissolve?by=zone&validate=false", body)
            #expect(unchecked.status.code < 500)
        }
    }

    @Test("huge, non-finite and out-of-range coordinates: 422")
    func hugeCoordinates() async throws {
        try await withService { client in
            for first in ["[1e300,51]", "[-1e308,51]", "[1e999,51]", "[181,51]", "[4,91]"] {
                let poly = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Polygon","coordinates":[[\#(first),[4.1,51],[4.1,51.1],\#(first)]]}}]}"#
                let r = try await client.post("/v1/dissolve?by=zone", poly)
                let doc = try r.expectProblem(.unprocessableContent, .invalidGeoJSON)
                #expect(doc["path"]?.stringValue?.hasPrefix("features[0].geometry.coordinates[0][0]") == true, "\(first): \(r.text)")
            }
        }
    }

    @Test("bad options: 400 naming the parameter or member")
    func badOptions() async throws {
        try await withService { client in
            let none = try await client.post("/v1/dissolve", grid())
            #expect(try none.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "by")
            let both = try await client.post("/v1/dissolve?by=zone", grid(extraMembers: #""dissolve":{"by":"id"}"#))
            #expect(try both.expectProblem(.badRequest, .invalidRequest)["path"]?.stringValue == "dissolve.by")
            let unknown = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"by":"zone","sums":["pop"]}"#))
            #expect(try unknown.expectProblem(.badRequest, .invalidRequest)["path"]?.stringValue == "dissolve.sums")
            let precision = try await client.post("/v1/dissolve?by=zone&precision=99", grid())
            #expect(try precision.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "precision")
            let keyOnly = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"key":"nis"}"#))
            try keyOnly.expectProblem(.badRequest, .invalidRequest)
            let badRow = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"key":"nis","table":[{"key":"1","code":"Z"},{"key":"2"}]}"#))
            #expect(try badRow.expectProblem(.badRequest, .invalidRequest)["path"]?.stringValue == "dissolve.table[1].code")
            let twice = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"key":"nis","table":[{"key":"1","code":"Z"},{"key":"1","code":"Y"}]}"#))
            #expect(try twice.expectProblem(.badRequest, .invalidRequest)["path"]?.stringValue == "dissolve.table[1].key")
            let tableInQuery = try await client.post("/v1/dissolve?key=nis&table=x", grid())
            try tableInQuery.expectProblem(.badRequest, .invalidRequest)
            let notSummable = try await client.post("/v1/dissolve?by=zone&sum=id", grid())
            #expect(try notSummable.expectProblem(.unprocessableContent, .invalidGeoJSON)["path"]?.stringValue == "features[0].properties.id")
            let csv = try await client.post("/v1/dissolve?by=zone", grid(), contentType: "text/csv")
            try csv.expectProblem(.unsupportedMediaType, .unsupportedMediaType)
        }
    }
}
