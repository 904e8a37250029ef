import Cartography
import Check
import Compare
import DataPackage
import Jobs
import Projection
import Zoning
import Foundation
import GeoCore
import GEOS
import Testing
import TestSupport
@testable import GeoJSON

private func dataDirectory() -> String { TestData.directory.path }

@Suite("blocks.geojson")
struct BlocksFileTests {
    let path = dataDirectory() + "/blocks.geojson"

    func read() throws -> FeatureCollection {
        try #require(FileManager.default.fileExists(atPath: path), "data package not found at \(path); set ZORGZONES_DATA")
        return try GeoJSONReader().readFeatureCollection(contentsOfFile: path)
    }

    @Test func contents() throws {
        let fc = try read()
        #expect(fc.name == "blocks")
        #expect(fc.features.count == 307)
        #expect(fc.features[0].properties["id"] == "11001")
        #expect(fc.features[0].properties.keys == ["id", "nis", "name", "region", "province"])
        #expect(fc.features.filter { $0.properties["nis"] == "11002" }.count == 4)
        #expect(fc.features.contains { $0.properties["province"] == .null })  // Brussels

        let baarle = try #require(fc.features.first { $0.properties["nis"] == "13002" })
        #expect(baarle.properties["name"] == "Baarle-Hertog")
        guard case .multiPolygon(let parts) = baarle.geometry else {
            Issue.record("Baarle-Hertog is not a MultiPolygon")
            return
        }
        #expect(parts.count == 26)

        var polygons = 0
        var multipolygons = 0
        for feature in fc.features {
            let shape = try #require(feature.geometry)
            if case .polygon = shape { polygons += 1 } else if case .multiPolygon = shape { multipolygons += 1 }
            let box = try #require(shape.bounds)
            #expect(box.minX >= 2.5 && box.maxX <= 6.5 && box.minY >= 49.4 && box.maxY <= 51.6,
                    "\(feature.properties["id"] ?? nil) outside Belgium: \(box)")
            // The package winds exteriors counter-clockwise and holes clockwise.
            for p in shape.polygons {
                #expect(signedArea(p.exterior) > 0)
                for h in p.holes { #expect(signedArea(h) < 0) }
            }
        }
        #expect(polygons == 303 && multipolygons == 4)
    }

    @Test func roundTripIsExact() throws {
        let fc = try read()
        let bytes = try GeoJSONWriter().write(fc)
        let back = try GeoJSONReader(source: "written").readFeatureCollection(bytes)
        // The package is 6-decimal CRS84 with right-hand winding, so nothing changes.
        #expect(back == fc)
        #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\n").count == 309)
    }

    @Test func missingFileIsAnIOError() {
        let e = #expect(throws: GeoJSONError.self) {
            try GeoJSONReader().readFeatureCollection(contentsOfFile: "/nonexistent/zones.geojson")
        }
        #expect(e?.kind == .io && e?.source == "zones.geojson")
    }
}
