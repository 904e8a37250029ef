import Foundation
import Testing
import Geometry
@testable import Projection

@Suite struct ProjectionTests {
    @Test func brusselsToLambert72AndBack() throws {
        // Brussels town hall, approximately: 4.3517 E, 50.8466 N → Lambert 72 ≈ (149 km, 170 km). A rough check of
        // the axes; the projection itself is checked to 8 cm against PinC's own Lambert 72 vertices below.
        let p = try Projection.transform(Position(4.3517, 50.8466), from: .crs84, to: .lambert72)
        #expect(abs(p.x - 149_000) < 1_500)
        #expect(abs(p.y - 170_000) < 1_500)
        let back = try Projection.transform(p, from: .lambert72, to: .crs84)
        #expect(abs(back.x - 4.3517) < 1e-8)
        #expect(abs(back.y - 50.8466) < 1e-8)
    }

    @Test func lambert2008IsOffsetFromLambert72() throws {
        // EPSG:3812 has false origin (649328, 665262) versus (150000.013, 5400088.438) for 31370:
        // at the same place the two differ by about 500 km in both axes.
        let a = try Projection.transform(Position(4.5, 50.8), from: .crs84, to: .lambert72)
        let b = try Projection.transform(Position(4.5, 50.8), from: .crs84, to: .lambert2008)
        #expect(abs((b.x - a.x) - 500_000) < 1_000)
        #expect(abs((b.y - a.y) - 500_000) < 1_000)
    }

    @Test func shapeTransformKeepsStructure() throws {
        let ring = [Position(4, 51), Position(4.01, 51), Position(4.01, 51.01), Position(4, 51.01), Position(4, 51)]
        let s = try Projection.transform(Shape.polygon(Polygon(exterior: ring)), from: .crs84, to: .lambert72)
        guard case .polygon(let p) = s else { Issue.record("not a polygon"); return }
        #expect(p.exterior.count == 5)
        #expect(p.exterior.first == p.exterior.last)
        // About 700 m × 1113 m.
        let area = abs(signedArea(p.exterior))
        #expect(area > 0.7e6 && area < 0.8e6)
    }

    @Test func outOfRangeInputIsAnError() {
        #expect(throws: ProjectionError.self) {
            try Projection.transform(Position(400_000, 5_000_000), from: .crs84, to: .lambert72)
        }
    }

    @Test func versionIsKnown() { #expect(Projection.projVersion.hasPrefix("9.")) }
}

/// The data package: $ZORGZONES_DATA, else ../shared/geodata next to the repository (missing: the test fails).
private let dataDirectory: URL = {
    if let env = ProcessInfo.processInfo.environment["ZORGZONES_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/geodata")
}()

/// The points of every record of an ESRI Shapefile of polygons (the .shp file's documented layout: a 100-byte
/// header, then records of an 8-byte big-endian header and little-endian content: type, box, part and point
/// counts, part starts, x/y doubles).
private func shapefilePoints(_ url: URL) throws -> [[Position]] {
    let d = try Data(contentsOf: url)
    func int32BE(_ o: Int) -> Int { Int(d[o]) << 24 | Int(d[o + 1]) << 16 | Int(d[o + 2]) << 8 | Int(d[o + 3]) }
    func int32LE(_ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 | Int(d[o + 2]) << 16 | Int(d[o + 3]) << 24 }
    func double(_ o: Int) -> Double { Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(d[o + $1]) << (8 * UInt64($1)) }) }
    var records: [[Position]] = []
    var o = 100
    while o + 8 <= d.count {
        let length = int32BE(o + 4) * 2
        let c = o + 8
        if int32LE(c) == 5 {
            let parts = int32LE(c + 36), points = int32LE(c + 40)
            let base = c + 44 + 4 * parts
            records.append((0..<points).map { Position(double(base + 16 * $0), double(base + 16 * $0 + 8)) })
        } else {
            records.append([])
        }
        o = c + length
    }
    return records
}

@Suite struct ProjectionAgainstPublishedDataTests {
    @Test func crs84ToLambert72MatchesPinCsOwnLambert72Vertices() throws {
        // PinC's ELZ polygons exist in EPSG:31370 (its shapefile) and reprojected to CRS84 with pyproj's default
        // transformation, written with 6 decimals (raw/derived/pinc_elz_crs84.geojson). Projecting the CRS84
        // vertices back must land on the shapefile's vertices, up to the 6-decimal rounding (at most about 0.04 m
        // east and 0.06 m north here): a wrong datum shift (about 100 m) or axis order would not.
        let shp = try shapefilePoints(dataDirectory.appendingPathComponent("raw/pinc/shapefiles/elz.shp"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dataDirectory.appendingPathComponent("raw/derived/pinc_elz_crs84.geojson"))) as! [String: Any]
        let features = json["features"] as! [[String: Any]]
        #expect(features.count == shp.count)
        // The shapefile's vertices in 1 m cells, for a nearest-vertex look-up (the two files order their features
        // differently).
        var cells: [Int64: [Position]] = [:]
        func key(_ x: Double, _ y: Double) -> Int64 { Int64(x.rounded(.down)) << 24 ^ Int64(y.rounded(.down)) }
        for record in shp { for p in record { cells[key(p.x, p.y), default: []].append(p) } }
        var worst = 0.0, compared = 0
        for f in features {
            let geometry = f["geometry"] as! [String: Any]
            func positions(_ any: Any) -> [Position] {
                if let pair = any as? [Double] { return [Position(pair[0], pair[1])] }
                return (any as! [Any]).flatMap(positions)
            }
            for q in try Projection.transform(positions(geometry["coordinates"]!), from: .crs84, to: .lambert72) {
                var best = Double.infinity
                for dx in -1...1 { for dy in -1...1 {
                    for p in cells[key(q.x + Double(dx), q.y + Double(dy))] ?? [] {
                        best = min(best, ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot())
                    }
                } }
                worst = max(worst, best)
                compared += 1
            }
        }
        #expect(compared > 30_000)
        #expect(worst < 0.08, "the farthest projected vertex is \(worst) m from PinC's own Lambert 72 vertex")
    }
}
