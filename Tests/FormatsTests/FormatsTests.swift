import Foundation
import Testing
import TestSupport
import GeoCore
import GeoJSON
import Zoning
@testable import Formats

// The GDAL room: WKB both ways, and every GDAL format written and read back by GDAL itself (the reader is GDAL's,
// so a file GDAL cannot read fails here).

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-formats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A random polygon: a square with jittered corners around (x, y), sometimes with a square hole.
private func polygon(_ rng: inout Xorshift, x: Double, y: Double) -> Polygon {
    func jitter() -> Double { Double(rng.next() % 1000) / 1e6 }
    let s = 0.05
    let ring: Ring = [Position(x + jitter(), y + jitter()), Position(x + s + jitter(), y + jitter()),
                      Position(x + s + jitter(), y + s + jitter()), Position(x + jitter(), y + s + jitter())]
    let closed = ring + [ring[0]]
    if rng.next() % 2 == 0 {
        let h: Ring = [Position(x + 0.02, y + 0.02), Position(x + 0.02, y + 0.03), Position(x + 0.03, y + 0.03),
                       Position(x + 0.03, y + 0.02), Position(x + 0.02, y + 0.02)]
        return Polygon(exterior: closed, holes: [h])
    }
    return Polygon(exterior: closed)
}

/// Exterior counter-clockwise, holes clockwise, each ring starting where it started.
private func oriented(_ p: Polygon) -> Polygon {
    func orient(_ r: Ring, ccw: Bool) -> Ring { isCounterClockwise(r) == ccw ? r : Array(r.reversed()) }
    return Polygon(exterior: orient(p.exterior, ccw: true), holes: p.holes.map { orient($0, ccw: false) })
}

@Suite struct WKBTests {
    @Test func everyShapeSurvivesTheRoundTrip() throws {
        var rng = Xorshift(seed: 11)
        for _ in 0..<300 {
            let p = Position(Double(rng.next() % 100_000) / 1e4, Double(rng.next() % 100_000) / 1e4)
            let shapes: [Shape] = [
                .point(p), .multiPoint([p, Position(p.y, p.x)]), .lineString([p, Position(p.x + 1, p.y)]),
                .multiLineString([[p, Position(p.x, p.y + 1)]]), .polygon(polygon(&rng, x: p.x, y: p.y)),
                .multiPolygon([polygon(&rng, x: p.x, y: p.y), polygon(&rng, x: p.x + 1, y: p.y)]),
                .geometryCollection([.point(p), .polygon(polygon(&rng, x: p.x, y: p.y))]),
            ]
            for s in shapes {
                let bytes = WKB.encode(s, promoteToMulti: false)
                #expect(try bytes.withUnsafeBytes { try WKB.decode($0) } == s)
            }
        }
        // Truncated WKB is an error, not a crash or a guess.
        let bytes = WKB.encode(.polygon(polygon(&rng, x: 4, y: 51)), promoteToMulti: false)
        for cut in [0, 1, 5, 9, 20, bytes.count - 1] {
            #expect(throws: WKB.Failure.self) { _ = try Array(bytes.prefix(cut)).withUnsafeBytes { try WKB.decode($0) } }
        }
    }
}

@Suite struct GDALFormatTests {
    /// Features with every kind of property, polygons and multipolygons.
    func features() -> [Feature] {
        var rng = Xorshift(seed: 5)
        return (0..<25).map { i in
            var p: JSONObject = ["name": .string("Zone \(i) – é"), "count": .number(Double(i * 3)), "share": .number(Double(i) / 7),
                                 "flag": .bool(i % 2 == 0), "members": .array([.string("a\(i)"), .string("b\(i)")]),
                                 "extra": ["k": .number(Double(i))]]
            p["maybe"] = i % 3 == 0 ? .null : .string("v\(i)")
            p["mixed"] = i % 2 == 0 ? .number(Double(i)) : .string("t\(i)")
            let g: Shape = i % 4 == 0 ? .multiPolygon([polygon(&rng, x: 4 + Double(i) * 0.1, y: 51), polygon(&rng, x: 4 + Double(i) * 0.1, y: 51.1)])
                                      : .polygon(polygon(&rng, x: 4 + Double(i) * 0.1, y: 51))
            return Feature(id: .string("z\(i)"), properties: p, geometry: g)
        }
    }

    @Test(arguments: [VectorFormat.geoPackage, .flatGeobuf, .shapefile])
    func writtenAndReadBackByGDAL(_ format: VectorFormat) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = features()
        let path = dir.appendingPathComponent("zones.\(format.fileExtension)").path
        let mappings = try VectorWriter.write([VectorLayer(name: "zones", features: input)], to: path, format: format)
        let kinds = Dictionary(uniqueKeysWithValues: mappings.map { ($0.property, $0.kind) })
        #expect(kinds == ["name": "string", "count": "integer", "share": "real", "flag": "boolean", "members": "list",
                          "extra": "json", "maybe": "string", "mixed": "string"])
        let back = try VectorReader.read(path)
        #expect(back.features.count == input.count)
        // GDAL's FlatGeobuf writes in spatial-index order: match by name.
        let byName = Dictionary(uniqueKeysWithValues: back.features.map { ($0.properties["name"]?.stringValue ?? "", $0) })
        for f in input {
            let name = f.properties["name"]!.stringValue!
            let b = try #require(byName[name], "\(name) not read back")
            // Coordinates exactly as written (doubles), polygons as MultiPolygons (a Shapefile has one polygon type
            // and keeps rings clockwise, as ESRI's specification wants).
            #expect(b.geometry?.polygons.map(oriented) == f.geometry?.polygons.map(oriented))
            #expect(b.geometry?.typeName == (format == .shapefile && f.geometry!.polygons.count == 1 ? "Polygon" : "MultiPolygon"))
            #expect(b.properties["count"]?.doubleValue == f.properties["count"]?.doubleValue)
            #expect(abs((b.properties["share"]?.doubleValue ?? -1) - f.properties["share"]!.doubleValue!) < 1e-12)
            let members = f.properties["members"]!.arrayValue!.compactMap(\.stringValue)
            #expect(b.properties["members"]?.stringValue == members.joined(separator: ","))
            #expect(b.properties["members_n"]?.doubleValue == 2)
            let flag = b.properties["flag"]
            #expect(flag == f.properties["flag"] || flag?.doubleValue == (f.properties["flag"] == .bool(true) ? 1 : 0))
            #expect(b.properties["maybe"] == f.properties["maybe"])
            #expect(b.properties["mixed"]?.stringValue == VectorWriter.text(f.properties["mixed"]!))
            #expect(b.properties["extra"]?.stringValue == #"{"k":\#(Int(f.properties["extra"]!["k"]!.doubleValue!))}"#)
        }
    }

    @Test func anotherCRSIsReprojectedOnWriteAndBackOnRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = features()
        for crs in ["EPSG:31370", "EPSG:3812"] {
            var options = VectorWriteOptions()
            options.crs = crs
            let path = dir.appendingPathComponent("z\(crs.dropFirst(5)).gpkg").path
            try VectorWriter.write([VectorLayer(name: "zones", features: input)], to: path, format: .geoPackage, options: options)
            let back = try VectorReader.read(path)
            for (a, b) in zip(input, back.features) {
                let pa = a.geometry!.polygons.flatMap { $0.rings.flatMap { $0 } }, pb = b.geometry!.polygons.flatMap { $0.rings.flatMap { $0 } }
                #expect(pa.count == pb.count)
                // There and back within 1e-8° (under 1 mm): the BD72 datum shift is a 7-parameter Helmert whose
                // inverse PROJ applies as the negated parameters, 4e-9° (0.3 mm) off the exact inverse.
                for (p, q) in zip(pa, pb) { #expect(abs(p.x - q.x) < 1e-8 && abs(p.y - q.y) < 1e-8, "\(crs): \(p) vs \(q)") }
            }
        }
    }

    @Test func aShapefileRefusesWhatItCannotHold() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var f = features()
        f[3].properties["name"] = .string(String(repeating: "x", count: 300))
        #expect { try VectorWriter.write([VectorLayer(name: "zones", features: f)], to: dir.appendingPathComponent("a.shp").path, format: .shapefile) } throws: { e in
            "\(e)".contains("feature 3") && "\(e)".contains("name") && "\(e)".contains("254")
        }
        var mixed = features()
        mixed[0].geometry = .point(Position(4, 51))
        #expect { try VectorWriter.write([VectorLayer(name: "zones", features: mixed)], to: dir.appendingPathComponent("b.shp").path, format: .shapefile) } throws: { e in
            "\(e)".contains("one geometry type")
        }
        // Long property names are cut to 10 characters, uniquely.
        let long = (0..<3).map { i in Feature(properties: ["population_year": .number(2025), "population_total": .number(Double(i))],
                                              geometry: .polygon(polygon(&rngFive, x: 4, y: 51))) }
        let m = try VectorWriter.write([VectorLayer(name: "long", features: long)], to: dir.appendingPathComponent("c.shp").path, format: .shapefile)
        let names = m.map(\.field)
        #expect(names.allSatisfy { $0.count <= 10 } && Set(names).count == names.count)
    }

    @Test func aLayerWithoutACRSIsRefusedUnlessNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = VectorWriteOptions()
        options.crs = "EPSG:31370"
        let path = dir.appendingPathComponent("noprj.shp").path
        try VectorWriter.write([VectorLayer(name: "noprj", features: features())], to: path, format: .shapefile, options: options)
        try FileManager.default.removeItem(atPath: dir.appendingPathComponent("noprj.prj").path)
        #expect { _ = try VectorReader.read(path) } throws: { "\($0)".contains("no CRS") && "\($0)".contains("--source-crs") }
        let back = try VectorReader.read(path, sourceCRS: "EPSG:31370")
        let x = try #require(back.features.first?.geometry?.polygons.first?.exterior.first?.x)
        #expect(x > 3 && x < 6)
    }
}

nonisolated(unsafe) private var rngFive = Xorshift(seed: 55)
