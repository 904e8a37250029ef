import Foundation
import GeoCore
import GeoJSON
import HTTPTypes
import HummingbirdTesting
import Testing
import Zoning
@testable import ZorgzonesService

// The layers as TopoJSON, decoded here by a reader written from the specification (not the writer's code), and
// compared with the GeoJSON layers vertex for vertex.

/// Decodes a TopoJSON document: object name → features (geometry as Shape, properties, id).
func decodeTopoJSON(_ bytes: [UInt8]) throws -> (objects: [String: [Feature]], arcCount: Int) {
    let doc = try JSONParser().parse(bytes)
    #expect(doc["type"]?.stringValue == "Topology")
    let scaleValues = doc["transform"]?["scale"]?.arrayValue ?? []
    let translateValues = doc["transform"]?["translate"]?.arrayValue ?? []
    let scale = scaleValues.compactMap { $0.doubleValue }, translate = translateValues.compactMap { $0.doubleValue }
    try #require(scale.count == 2 && translate.count == 2, "no transform")
    var arcs: [[Position]] = []
    for arc in try #require(doc["arcs"]?.arrayValue) {
        var x = 0.0, y = 0.0
        var positions: [Position] = []
        for p in arc.arrayValue ?? [] {
            let d = p.arrayValue!.compactMap(\.doubleValue)
            x += d[0]; y += d[1]
            // Decimal rounding as the GeoJSON writer's (6 decimals).
            positions.append(Position(((x * scale[0] + translate[0]) * 1e6).rounded() / 1e6, ((y * scale[1] + translate[1]) * 1e6).rounded() / 1e6))
        }
        arcs.append(positions)
    }
    func ring(_ refs: [JSONValue]) -> Ring {
        var out: Ring = []
        for r in refs {
            let i = Int(r.doubleValue!)
            let a = i < 0 ? Array(arcs[~i].reversed()) : arcs[i]
            out += out.isEmpty ? a : Array(a.dropFirst())
        }
        return out
    }
    func polygon(_ rings: [JSONValue]) -> Polygon {
        let rs = rings.map { ring($0.arrayValue!) }
        return Polygon(exterior: rs[0], holes: Array(rs.dropFirst()))
    }
    var objects: [String: [Feature]] = [:]
    guard case .object(let os)? = doc["objects"] else { return ([:], arcs.count) }
    for (name, o) in zip(os.keys, os.values) {
        objects[name] = (o["geometries"]?.arrayValue ?? []).map { g in
            var shape: Shape?
            switch g["type"]?.stringValue {
            case "Polygon": shape = .polygon(polygon(g["arcs"]!.arrayValue!))
            case "MultiPolygon": shape = .multiPolygon(g["arcs"]!.arrayValue!.map { polygon($0.arrayValue!) })
            default: shape = nil
            }
            return Feature(id: g["id"], properties: g["properties"]?.objectValue ?? JSONObject(), geometry: shape)
        }
    }
    return (objects, arcs.count)
}

/// Rings without their start and winding: each from its smallest position, counter-clockwise.
func canonicalRings(_ s: Shape?) -> [[Position]] {
    (s?.polygons ?? []).flatMap { $0.rings }.map { r -> [Position] in
        var ps = Array(r.dropLast())
        if !isCounterClockwise(r) { ps.reverse() }
        let k = ps.indices.min { (ps[$0].x, ps[$0].y) < (ps[$1].x, ps[$1].y) }!
        return Array(ps[k...] + ps[..<k])
    }.sorted { a, b in
        for (p, q) in zip(a, b) where p != q { return (p.x, p.y) < (q.x, q.y) }
        return a.count < b.count
    }
}

@Suite struct TopoJSONLayerTests {
    @Test func everyLayerDecodesToTheGeoJSONsVerticesWithEachBorderOnce() async throws {
        try await withService { client in
            for name in ["municipalities", "elz", "rr", "rzz"] {
                let geo = try GeoJSONReader().readFeatureCollection(try await client.get("/v1/layers/\(name).geojson").bytes)
                let topoBytes = try await client.get("/v1/layers/\(name).topojson").bytes
                let (objects, arcCount) = try decodeTopoJSON(topoBytes)
                let features = try #require(objects[name])
                #expect(features.count == geo.features.count)
                let byID = Dictionary(uniqueKeysWithValues: features.map { ($0.id?.stringValue ?? "", $0) })
                for f in geo.features {
                    let t = try #require(byID[f.id?.stringValue ?? ""], "\(name): \(f.id ?? .null) missing")
                    #expect(canonicalRings(t.geometry) == canonicalRings(f.geometry), "\(name) \(f.id ?? .null)")
                    #expect(t.properties == f.properties)
                }
                // Each border once: the decoded layer is a clean coverage, and there are fewer arcs than rings'
                // sides would make if every zone kept its own.
                let match = EdgeMatch(blocks: features.map { ($0.id!.stringValue!, $0.geometry!) })
                #expect(match.isClean, "\(name): \(match.conflicts.prefix(3))")
                let geoBytes = try await client.get("/v1/layers/\(name).geojson").bytes.count
                #expect(Double(topoBytes.count) <= 0.6 * Double(geoBytes), "\(name): \(topoBytes.count) vs \(geoBytes) bytes")
                #expect(arcCount > 0)
            }
        }
    }

    @Test func simplifiedLayersStillTile() async throws {
        try await withService { client in
            let full = try GeoJSONReader().readFeatureCollection(try await client.get("/v1/layers/elz.geojson").bytes)
            for (format, tolerance) in [("geojson", 100.0), ("topojson", 500.0)] {
                let r = try await client.get("/v1/layers/elz.\(format)?simplify=\(tolerance)")
                #expect(r.status == .ok)
                let features = format == "geojson" ? try GeoJSONReader().readFeatureCollection(r.bytes).features
                                                   : try #require(try decodeTopoJSON(r.bytes).objects["elz"])
                #expect(features.count == full.features.count)
                let before = full.features.reduce(0) { $0 + ($1.geometry?.vertexCount ?? 0) }
                let after = features.reduce(0) { $0 + ($1.geometry?.vertexCount ?? 0) }
                #expect(after < before / 2, "\(format) \(tolerance) m: \(before) → \(after) vertices")
                // Neighbours still share their borders exactly: no gap, no overlap.
                let match = EdgeMatch(blocks: features.map { ($0.id!.stringValue!, $0.geometry!) })
                #expect(match.isClean, "\(format): \(match.conflicts.prefix(3))")
                // Properties are those of the full geometry.
                let areas = Dictionary(uniqueKeysWithValues: full.features.map { ($0.id!.stringValue!, $0.properties["area_km2"]) })
                #expect(features.allSatisfy { areas[$0.id!.stringValue!]! == $0.properties["area_km2"] })
            }
            try (try await client.get("/v1/layers/elz.topojson?simplify=-1")).expectProblem(.badRequest, .invalidRequest)
        }
    }
}
