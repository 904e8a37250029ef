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

    @Test("typos and nulls are said, not guessed: sum of a missing property, null keys, make_valid")
    func sayIt() async throws {
        try await withService { client in
            let typo = try await client.post("/v1/dissolve?by=zone&sum=popp", grid())
            let t = try typo.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(t["field"]?.stringValue == "properties.popp")
            #expect(t["detail"]?.stringValue?.contains("no feature has the property 'popp'") == true)

            // b2's pop is null: not a zero in B's sum.
            let nullPop = grid().replacingOccurrences(of: #""pop":40"#, with: #""pop":null"#)
            let n = try await client.post("/v1/dissolve?by=zone&sum=pop", nullPop)
            let nd = try n.expectProblem(.unprocessableContent, .invalidGeoJSON)
            #expect(nd["path"]?.stringValue == "features[3].properties.pop")

            // b1 has no zone: left out and listed; keep_null makes it a group of its own.
            let noZone = grid().replacingOccurrences(of: #""zone":"B","pop":30"#, with: #""zone":null,"pop":30"#)
            let dropped = try await client.post("/v1/dissolve?by=zone", noZone)
            #expect(dropped.status == .ok, "\(dropped.text)")
            let fc = try readCollection(dropped.bytes)
            #expect(fc.features.map { $0.properties["count"]?.intValue } == [2, 1])
            #expect(fc.foreignMembers["zorgzones"]?["left_out"]?["features"]?.arrayValue?.compactMap(\.intValue) == [2])
            let kept = try await client.post("/v1/dissolve?by=zone&keep_null=true", noZone)
            #expect(try readCollection(kept.bytes).features.count == 3)

            // A bow-tie: refused, or repaired with make_valid and listed.
            let bowTie = grid().replacingOccurrences(of: "[[[4.0,51.0],[4.01,51.0],[4.01,51.01],[4.0,51.01],[4.0,51.0]]]",
                                                     with: "[[[4.0,51.0],[4.01,51.01],[4.01,51.0],[4.0,51.01],[4.0,51.0]]]")
            #expect(bowTie != grid())
            let refused = try await client.post("/v1/dissolve?by=zone", bowTie)
            let rd = try refused.expectProblem(.unprocessableContent, .invalidGeometry)
            #expect(rd["path"]?.stringValue == "features[0].geometry")
            let repaired = try await client.post("/v1/dissolve?by=zone&make_valid=true", bowTie)
            #expect(repaired.status == .ok, "\(repaired.text)")
            #expect(try readCollection(repaired.bytes).foreignMembers["zorgzones"]?["repaired"]?.arrayValue?.count == 1)
        }
    }

    @Test("the issue's example: one rectangle, recomputed, and the coverage report does not call it clean")
    func overlapWithoutConflictingEdge() async throws {
        let body = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"z":"g"},"geometry":{"type":"Polygon","coordinates":[[[4.0,50.0],[4.5,50.0],[4.5,50.200615],[4.5000000002,50.200625],[4.5,50.200635],[4.5,50.5],[4.0,50.5],[4.0,50.0]]]}},{"type":"Feature","properties":{"z":"g"},"geometry":{"type":"Polygon","coordinates":[[[4.5,50.0],[5.0,50.0],[5.0,50.5],[4.5,50.5],[4.5,50.200635],[4.5,50.200625],[4.5,50.200615],[4.5,50.0]]]}}]}"#
        try await withService { client in
            let r = try await client.post("/v1/dissolve?by=z&precision=12", body)
            #expect(r.status == .ok, "\(r.text)")
            let fc = try readCollection(r.bytes)
            #expect(fc.features.count == 1)
            #expect(fc.features[0].geometry?.polygons.count == 1)
            #expect(fc.features[0].geometry?.polygons[0].holes.isEmpty == true)
            #expect(fc.features[0].properties["method"]?.stringValue == "unary-union")
            let coverage = fc.foreignMembers["zorgzones"]?["coverage"]
            #expect(coverage?["edges_match"]?.boolValue == true)   // no edge is used twice the same way…
            #expect(coverage?["clean"]?.boolValue == false)        // …but the inputs overlap
            #expect(coverage?["zones_recomputed"]?.intValue == 1)
        }
    }

    @Test("a zone that collapses at the requested precision is a 422 naming it")
    func collapse() async throws {
        try await withService { client in
            let body = #"{"type":"FeatureCollection","features":["# + square(4.0, 51.0, size: 0.01, properties: #"{"z":"big"}"#) + ","
                + square(4.02, 51.0, size: 0.00004, properties: #"{"z":"tiny"}"#) + "]}"
            let r = try await client.post("/v1/dissolve?by=z&precision=3", body)
            let d = try r.expectProblem(.unprocessableContent, .invalidGeometry)
            #expect(d["detail"]?.stringValue?.contains("tiny") == true, "\(d)")
            #expect(d["detail"]?.stringValue?.contains("5 decimals keep it") == true, "\(d)")
            let ok = try await client.post("/v1/dissolve?by=z&precision=5", body)
            #expect(ok.status == .ok)
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

@Suite("the service refuses to start on an invalid block")
struct InvalidBlockStartTests {
    @Test("the same message as every command: file, feature, block id and name, GEOS's reason")
    func refusesToStart() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("zz-badblock-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        for name in try fm.contentsOfDirectory(atPath: dataDirectory.path) where name != "blocks.geojson" {
            try fm.createSymbolicLink(at: dir.appendingPathComponent(name), withDestinationURL: dataDirectory.appendingPathComponent(name))
        }
        var fc = try readCollection(try fileBytes("blocks.geojson"))
        var ring = fc.features[5].geometry!.polygons[0].exterior
        ring.swapAt(3, ring.count / 2)
        fc.features[5].geometry = .polygon(.init(exterior: ring))
        try Data(GeoJSONWriter(precision: 9).write(fc)).write(to: dir.appendingPathComponent("blocks.geojson"))
        do {
            _ = try Catalogue.load(dataDirectory: dir, rulesFile: repositoryRoot.appendingPathComponent("GeoData/rules/art18-2026.json").path)
            Issue.record("the service started with an invalid block")
        } catch {
            let text = "\(error)"
            let id = fc.features[5].properties["id"]!.stringValue!
            #expect(text.contains("blocks.geojson: features[5], field 'geometry': block '\(id)'"), "\(text)")
            #expect(text.contains("Self-intersection"))
        }
    }
}
