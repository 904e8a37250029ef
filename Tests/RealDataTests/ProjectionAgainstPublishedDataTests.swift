import Cartography
import Check
import Compare
import DataPackage
import GeoJSON
import Jobs
import Zoning
import Foundation
import Testing
import TestSupport
import GeoCore
import GEOS
@testable import Projection

private let dataDirectory = TestData.directory

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
