import GeoCore
import GeoJSON
import Projection

/// Simplified layers for the web, in mapshaper's way: the polygons of a layer become one arc topology (in
/// EPSG:31370 metres), each shared border is simplified once (Visvalingam or Douglas–Peucker, endpoints fixed,
/// no ring collapses), and the polygons are rebuilt from the simplified arcs, so neighbours stay aligned and the
/// layer still tiles. Only geometry changes: properties (areas, populations) are those of the full geometry.
public enum LayerSimplification {
    public static func simplified(_ fc: FeatureCollection, toleranceM: Double, method: SimplificationMethod = .visvalingam)
        throws -> (collection: FeatureCollection, report: SimplificationReport) {
        var indices: [Int] = []
        var projected: [Shape] = []
        for (i, f) in fc.features.enumerated() {
            guard let g = f.geometry, g.isPolygonal, !g.polygons.isEmpty else { continue }
            indices.append(i)
            projected.append(try Projection.transform(g, from: .crs84, to: .lambert72))
        }
        let (topology, report) = Topology(shapes: projected).simplified(tolerance: toleranceM, method: method)
        var out = fc
        for (k, i) in indices.enumerated() {
            let back = try Projection.transform(topology.shape(k), from: .lambert72, to: .crs84)
            // A Polygon stays a Polygon when it still has one part.
            if case .polygon(_)? = fc.features[i].geometry, back.polygons.count == 1 {
                out.features[i].geometry = .polygon(back.polygons[0])
            } else {
                out.features[i].geometry = .multiPolygon(back.polygons)
            }
        }
        return (out, report)
    }
}
