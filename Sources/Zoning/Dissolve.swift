import Foundation
import Geometry
import Projection

/// How a zone's shape was computed.
public enum DissolveMethod: String, Sendable, Codable {
    /// GEOS coverage union: the blocks were checked to be a clean coverage (see `EdgeMatch`).
    case coverageUnion = "coverage-union"
    /// GEOS unary union (overlay): robust for any input, slower.
    case unaryUnion = "unary-union"
    /// The zone is a single block: its shape is the block's shape.
    case single = "single-block"
}

/// One dissolved zone. Dutch: *zone* (ELZ, RZZ, referentieregio, …).
public struct ZoneFeature: Sendable {
    public var zone: ZoneRef
    /// Block ids, in block order.
    public var members: [String]
    /// NIS codes of the municipalities (each once).
    public var municipalities: [String]
    public var population: Int
    /// Planar area in EPSG:31370, km².
    public var areaKm2: Double
    /// Number of polygons of the dissolved shape.
    public var parts: Int
    /// CRS84.
    public var shape: Shape
    /// EPSG:31370 metres.
    public var projected: Shape
    /// For a zoning of zones (RZZ): the member zone codes of the parent zoning (ELZ), natural order.
    public var memberZones: [String]?
    public var method: DissolveMethod
}

/// A dissolved layer.
public struct Layer: Sendable {
    public var name: String
    public var zoning: Zoning
    public var features: [ZoneFeature]
    public func feature(_ code: String) -> ZoneFeature? { features.first { $0.zone.code == code } }
}

/// Edge matching of a set of polygons: the precondition under which coverage union is correct.
///
/// With exterior rings counter-clockwise and holes clockwise, every ring has its polygon on the left. In a clean
/// coverage whose neighbours share identical vertices, an edge is either on the outside (used once) or shared by
/// exactly two polygons that run it in opposite directions. An edge used twice in the same direction means two
/// polygons overlap along it; an edge used more than twice means a stack of overlaps. Those make GEOS 3.11's
/// coverage union (which only cancels matching edges, and does no noding) return a wrong result.
public struct EdgeMatch: Sendable {
    public var edges: Int
    public var sharedEdges: Int
    /// Edges used twice in the same direction or more than twice, with the ids of the blocks using them.
    public var conflicts: [(a: Position, b: Position, blocks: [String])]
    public var isClean: Bool { conflicts.isEmpty }

    public init(blocks: [(id: String, shape: Shape)]) {
        struct Key: Hashable { var ax, ay, bx, by: Double }
        /// Uses of one undirected edge: forward / backward counts and the first two blocks (kept inline: no
        /// allocation per edge).
        struct Uses {
            var forward: Int32 = 0, backward: Int32 = 0, first: Int32 = -1, second: Int32 = -1
            mutating func add(forward isForward: Bool, block: Int32) {
                if isForward { forward += 1 } else { backward += 1 }
                if first < 0 { first = block } else if second < 0 && block != first { second = block }
            }
        }
        var table: [Key: Uses] = [:]
        table.reserveCapacity(blocks.reduce(0) { $0 + $1.shape.vertexCount })
        for (bi, blk) in blocks.enumerated() {
            for poly in blk.shape.polygons {
                for (ri, ring0) in poly.rings.enumerated() {
                    let ccw = signedArea(ring0) > 0
                    let wantCCW = ri == 0
                    let ring = ccw == wantCCW ? ring0 : ring0.reversed()
                    if ring.count < 2 { continue }
                    for k in 0..<(ring.count - 1) {
                        let p = ring[k], q = ring[k + 1]
                        if p == q { continue }
                        let forward = (p.x, p.y) < (q.x, q.y)
                        let key = forward ? Key(ax: p.x, ay: p.y, bx: q.x, by: q.y) : Key(ax: q.x, ay: q.y, bx: p.x, by: p.y)
                        table[key, default: Uses()].add(forward: forward, block: Int32(bi))
                    }
                }
            }
        }
        var shared = 0
        var conflicts: [(Position, Position, [String])] = []
        for (k, e) in table {
            if e.forward == 1 && e.backward == 1 { shared += 1; continue }
            if e.forward + e.backward == 1 { continue }
            let users = [e.first, e.second].filter { $0 >= 0 }.map { blocks[Int($0)].id }
            conflicts.append((Position(k.ax, k.ay), Position(k.bx, k.by), users))
        }
        edges = table.count
        sharedEdges = shared
        self.conflicts = conflicts.sorted { ($0.0.x, $0.0.y) < ($1.0.x, $1.0.y) }
    }
}

/// Dissolves blocks into zones.
public struct Dissolver: Sendable {
    public let dataset: Dataset
    /// Whether the blocks pass the edge-matching check (computed once).
    public let edgeMatch: EdgeMatch

    /// CRS84 vertex → its EPSG:31370 position, from the blocks (which carry both, vertex for vertex).
    let projectedVertex: [Position: Position]

    public init(_ dataset: Dataset) {
        self.dataset = dataset
        self.edgeMatch = EdgeMatch(blocks: dataset.blocks.map { ($0.id, $0.shape) })
        var map: [Position: Position] = [:]
        map.reserveCapacity(dataset.blocks.reduce(0) { $0 + $1.shape.vertexCount })
        for b in dataset.blocks {
            for (p, q) in zip(b.shape.polygons, b.projected.polygons) {
                for (r, s) in zip(p.rings, q.rings) where r.count == s.count {
                    for (a, c) in zip(r, s) { map[a] = c }
                }
            }
        }
        projectedVertex = map
    }

    /// Projects a dissolved shape: a coverage union keeps the blocks' own vertices, whose EPSG:31370 positions are
    /// known, so PROJ is only needed for a vertex made by the overlay fallback.
    func project(_ shape: Shape) throws -> Shape {
        var missing = false
        let mapped = shape.mapPositions { p -> Position in
            if let q = projectedVertex[p] { return q }
            missing = true
            return p
        }
        return missing ? try Projection.transform(shape, from: .crs84, to: .lambert72) : mapped
    }

    /// Dissolves every zone of `zoning`, in parallel over zones (one GEOS context per thread).
    public func dissolve(_ zoning: Zoning) throws -> Layer {
        let members = zoning.members(in: dataset.blocks)
        let zones = zoning.zones.filter { members[$0.code] != nil }
        let results = ResultSlots<ZoneFeature>(count: zones.count)
        let useCoverage = edgeMatch.isClean
        DispatchQueue.concurrentPerform(iterations: zones.count) { i in
            results.set(i, Result { try dissolveZone(zones[i], blockIDs: members[zones[i].code]!, zoning: zoning,
                                                     coverage: useCoverage) })
        }
        return Layer(name: zoning.name, zoning: zoning, features: try results.values())
    }

    /// Dissolves the given blocks into one zone.
    public func dissolveZone(_ zone: ZoneRef, blockIDs: [String], zoning: Zoning, coverage: Bool) throws -> ZoneFeature {
        let blocks = blockIDs.compactMap { dataset.block($0) }
        var nis: [String] = []
        var seen = Set<String>()
        for b in blocks where seen.insert(b.nis).inserted { nis.append(b.nis) }
        let population = blocks.reduce(0) { $0 + $1.population }
        var memberZones: [String]?
        if let pa = zoning.parentAssignment {
            memberZones = pa.filter { $0.value == zone.code }.map(\.key).sorted(by: naturalLess)
        }
        if blocks.count == 1 {
            let b = blocks[0]
            return ZoneFeature(zone: zone, members: blockIDs, municipalities: nis, population: population,
                               areaKm2: b.areaKm2, parts: b.shape.polygons.count, shape: b.shape, projected: b.projected,
                               memberZones: memberZones, method: .single)
        }
        let (shape, method) = try dissolveShapes(blocks.map(\.shape), coverage: coverage)
        let projected = try project(shape)
        return ZoneFeature(zone: zone, members: blockIDs, municipalities: nis, population: population,
                           areaKm2: planarArea(projected) / 1e6, parts: shape.polygons.count, shape: shape,
                           projected: projected, memberZones: memberZones, method: method)
    }
}

/// Unites polygonal shapes. With `coverage` (the caller has checked the input with `EdgeMatch`), GEOS coverage
/// union is used: it is safe because every edge is then used once (outside) or twice in opposite directions
/// (shared), so cancelling matching edges is exactly the union. Its output is still checked — it must be valid
/// and keep the inputs' total planar area (in the input's coordinates) — and if it is not, or without `coverage`,
/// the robust overlay union (GEOS unary union) is used.
public func dissolveShapes(_ shapes: [Shape], coverage: Bool) throws -> (shape: Shape, method: DissolveMethod) {
    let polygons = shapes.flatMap(\.polygons)
    if shapes.count == 1 { return (Shape.polygonal(polygons), .single) }
    let input = try Geometry.collection(of: polygons.map(Shape.polygon))
    if coverage {
        let expected = polygons.reduce(0.0) { $0 + planarArea(.polygon($1)) }
        let u = try input.coverageUnion()
        if try u.isValid() {
            let s = try u.shape()
            if abs(planarArea(s) - expected) <= 1e-9 * max(expected, 1e-12) {
                return (Shape.polygonal(s.polygons), .coverageUnion)
            }
        }
    }
    return (Shape.polygonal(try input.unaryUnion().shape().polygons), .unaryUnion)
}

/// Fixed slots filled from concurrent iterations (each index written once, by one thread).
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<T, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    func values() throws -> [T] { try slots.map { try $0!.get() } }
}
