// Writing TopoJSON (the TopoJSON Format Specification 1.0, as d3/topojson and mapshaper read it).

import GeoCore

/// Writes layers as one TopoJSON Topology: every layer an object (a GeometryCollection) whose polygons reference
/// shared arcs, so a border between two zones is stored once; coordinates quantized to `10^-precision` and
/// delta-encoded. With 6 decimals (the GeoJSON default) the quantization is exact for coordinates already rounded
/// to 6 decimals: decoding gives back the GeoJSON's vertices.
///
/// Each layer's arcs come from the arc topology of its own polygons (`Topology`, GeoCore); a layer whose
/// polygons the topology cannot give back vertex for vertex (overlapping polygons, rings that collapse at the
/// precision) is refused rather than written differently. Points are written as quantized Point geometries.
public struct TopoJSONWriter: Sendable {
    /// Decimals kept (the quantum is 10^-precision), 0...9.
    public var precision: Int

    public init(precision: Int = 6) {
        precondition((0...9).contains(precision), "precision must be in 0...9")
        self.precision = precision
    }

    public func write(_ layers: [(name: String, collection: FeatureCollection)]) throws(GeoJSONError) -> [UInt8] {
        let quantum = pow10(-precision)
        // The translate: the south-west corner of everything, on the grid.
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (_, fc) in layers {
            for f in fc.features {
                guard let b = f.geometry?.bounds else { continue }
                minX = min(minX, b.minX); minY = min(minY, b.minY); maxX = max(maxX, b.maxX); maxY = max(maxY, b.maxY)
            }
        }
        if !minX.isFinite { minX = 0; minY = 0; maxX = 0; maxY = 0 }
        let tx = (minX / quantum).rounded(.down), ty = (minY / quantum).rounded(.down)
        func q(_ p: Position) -> Position { Position((p.x / quantum).rounded() - tx, (p.y / quantum).rounded() - ty) }

        var arcs: [[Position]] = []
        var objects: [(String, [UInt8])] = []
        for (name, fc) in layers {
            var geometries: [UInt8] = []
            // The polygonal features of the layer, on the grid, in one topology.
            var polygonal: [Int] = []
            var shapes: [Shape] = []
            for (i, f) in fc.features.enumerated() {
                guard let g = f.geometry, g.isPolygonal, !g.polygons.isEmpty else { continue }
                polygonal.append(i)
                shapes.append(.polygonal(g.polygons.map { Polygon(exterior: $0.exterior.map(q), holes: $0.holes.map { $0.map(q) }) }))
            }
            let topology = Topology(shapes: shapes)
            guard topology.diagnostics.droppedRings.isEmpty else {
                let r = topology.diagnostics.droppedRings[0]
                throw GeoJSONError(kind: .invalidGeometry, source: name, featureIndex: polygonal[r[0]],
                                   path: "features[\(polygonal[r[0]])].geometry",
                                   message: "a ring collapses at \(precision) decimals; TopoJSON needs the rings the GeoJSON has")
            }
            for (k, shape) in shapes.enumerated() where !Self.sameRings(shape, topology.shape(k)) {
                throw GeoJSONError(kind: .invalidGeometry, source: name, featureIndex: polygonal[k], path: "features[\(polygonal[k])].geometry",
                                   message: "the layer's polygons overlap here: shared arcs cannot describe them (TopoJSON needs a coverage)")
            }
            let base = arcs.count
            for a in 0..<topology.arcCount { arcs.append(Array(topology.arc(a))) }
            var topoIndex: [Int: Int] = [:]
            for (k, i) in polygonal.enumerated() { topoIndex[i] = k }

            for (i, f) in fc.features.enumerated() {
                if i > 0 { geometries.append(UInt8(ascii: ",")) }
                var o: [UInt8] = []
                o.append(contentsOf: #"{"type":"#.utf8)
                if let k = topoIndex[i] {
                    // Rings of the shape, grouped by polygon.
                    var parts: [[[Int]]] = []
                    var lastPart = -1
                    for r in topology.rings[topology.ringRange(ofShape: k)] {
                        let refs = r.arcs.map { $0.isReversed ? ~(base + $0.index) : base + $0.index }
                        if r.ring == 0 || r.part != lastPart { parts.append([refs]); lastPart = r.part } else { parts[parts.count - 1].append(refs) }
                    }
                    let multi: Bool
                    if case .polygon(_)? = f.geometry { multi = parts.count != 1 } else { multi = true }
                    o.append(contentsOf: (multi ? #""MultiPolygon","arcs":"# : #""Polygon","arcs":"#).utf8)
                    o.append(contentsOf: Self.nested(multi ? parts.map { $0 } : [parts[0]], multi: multi).utf8)
                } else if case .point(let p)? = f.geometry {
                    let g = q(p)
                    o.append(contentsOf: #""Point","coordinates":[\#(Int64(g.x)),\#(Int64(g.y))]"#.utf8)
                } else if f.geometry == nil || f.geometry!.polygons.isEmpty && f.geometry!.isPolygonal {
                    o.append(contentsOf: "null".utf8)
                } else {
                    throw GeoJSONError(kind: .invalidGeometry, source: name, featureIndex: i, path: "features[\(i)].geometry",
                                       message: "TopoJSON output takes polygons and points; this is a \(f.geometry!.typeName)")
                }
                if let id = f.id {
                    o.append(contentsOf: #","id":"#.utf8)
                    JSONWriter().write(id, into: &o)
                }
                o.append(contentsOf: #","properties":"#.utf8)
                JSONWriter().write(.object(f.properties), into: &o)
                o.append(UInt8(ascii: "}"))
                geometries.append(0x0A)
                geometries.append(contentsOf: o)
            }
            objects.append((name, geometries))
        }

        var out: [UInt8] = []
        out.append(contentsOf: #"{"type":"Topology","bbox":["#.utf8)
        out.append(contentsOf: [minX, minY, maxX, maxY].map { decimal($0) }.joined(separator: ",").utf8)
        out.append(contentsOf: #"],"transform":{"scale":["#.utf8)
        out.append(contentsOf: "\(decimal(quantum)),\(decimal(quantum))],\"translate\":[\(decimal(tx * quantum)),\(decimal(ty * quantum))]},".utf8)
        out.append(contentsOf: #""objects":{"#.utf8)
        for (k, (name, geometries)) in objects.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(0x0A)
            JSONEncoding.appendString(name, to: &out)
            out.append(contentsOf: #":{"type":"GeometryCollection","geometries":["#.utf8)
            out.append(contentsOf: geometries)
            out.append(contentsOf: "\n]}".utf8)
        }
        out.append(contentsOf: "},\n\"arcs\":[".utf8)
        for (k, arc) in arcs.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(0x0A)
            out.append(UInt8(ascii: "["))
            var px: Int64 = 0, py: Int64 = 0
            for (j, p) in arc.enumerated() {
                let x = Int64(p.x), y = Int64(p.y)
                if j > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "[\(x - px),\(y - py)]".utf8)
                px = x; py = y
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: "\n]}\n".utf8)
        return out
    }

    private func pow10(_ e: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(e) { v *= 10 }
        return e < 0 ? 1 / v : v
    }

    /// A number with at most `precision` decimals, no trailing zeros.
    private func decimal(_ v: Double) -> String {
        var s = String(format: "%.\(precision)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    private static func nested(_ parts: [[[Int]]], multi: Bool) -> String {
        func ring(_ r: [Int]) -> String { "[" + r.map(String.init).joined(separator: ",") + "]" }
        func polygon(_ p: [[Int]]) -> String { "[" + p.map(ring).joined(separator: ",") + "]" }
        return multi ? "[" + parts.map(polygon).joined(separator: ",") + "]" : polygon(parts[0])
    }

    /// Whether two polygonal shapes have the same rings, whatever their start and winding.
    static func sameRings(_ a: Shape, _ b: Shape) -> Bool {
        func canonical(_ r: Ring) -> [Position] {
            var ps = Array(r.dropLast())
            guard !ps.isEmpty else { return [] }
            if !isCounterClockwise(r) { ps.reverse() }
            let start = ps.indices.min { (ps[$0].x, ps[$0].y) < (ps[$1].x, ps[$1].y) }!
            return Array(ps[start...] + ps[..<start])
        }
        func less(_ a: [Position], _ b: [Position]) -> Bool {
            for (p, q) in zip(a, b) where p != q { return (p.x, p.y) < (q.x, q.y) }
            return a.count < b.count
        }
        func rings(_ s: Shape) -> [[Position]] { s.polygons.flatMap { $0.rings.map(canonical) }.sorted(by: less) }
        return rings(a) == rings(b)
    }
}
