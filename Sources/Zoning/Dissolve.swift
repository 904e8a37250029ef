import Foundation
import GeoCore
import GEOS
import Projection

/// How a zone's shape was computed, and so what backs it (README, "Proven, checked, recomputed").
public enum DissolveMethod: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Proven: the zone's blocks are a clean coverage and the Swift coverage union (`CoverageUnion`) proved, with
    /// exact predicates, that its result is valid and exactly their union.
    case coverageUnion = "coverage-union"
    /// Checked: the Swift coverage union's result, which it could not prove alone (the zone touches itself in a
    /// point, or a predicate was out of the exact range), found valid by GEOS; valid means it is the union.
    case coverageUnionChecked = "coverage-union-checked"
    /// Recomputed: the blocks are not a clean coverage (overlaps, gaps, T-junctions, …) or the fast path could not
    /// decide, so GEOS's robust overlay union (`GEOSUnaryUnion`) computed the zone, and GEOS found it valid.
    case unaryUnion = "unary-union"
    /// The zone is a single block: its shape is the block's (valid) shape.
    case single = "single-block"

    /// The name reports and GeoJSON use (`coverage-union`, …).
    public var description: String { rawValue }
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

/// Edge matching of a set of polygons: the precondition under which coverage union is correct. A view of the
/// one arc topology (`Topology`, GeoCore).
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

    /// Reads the report off the arc topology of the blocks (`Topology.segmentReport`, which builds it without keeping
    /// it): each conflict names the first two blocks that use the segment.
    public init(blocks: [(id: String, shape: Shape)]) {
        self.init(shapes: blocks.map(\.shape), id: { blocks[$0].id })
    }

    /// The report of `shapes`; `id` names shape `i` in conflicts (called for those only).
    public init(shapes: [Shape], id: (Int) -> String) {
        let use = Topology.segmentReport(of: shapes).use
        edges = use.segments
        sharedEdges = use.sharedSegments
        conflicts = use.conflicts.map { c in (c.a, c.b, c.users.prefix(2).map(id)) }
    }
}

/// Dissolves blocks into zones.
public struct Dissolver: Sendable {
    public let dataset: Dataset
    /// The edge-matching check of all blocks, for reports (the manifest's `coverage`); the dissolve itself checks
    /// each zone's blocks as it cancels their edges. Computed on each call.
    public func edgeMatch() -> EdgeMatch { EdgeMatch(blocks: dataset.blocks.map { ($0.id, $0.shape) }) }

    /// CRS84 vertex → its EPSG:31370 position, from the blocks (which carry both, vertex for vertex).
    let projectedVertex: [Position: Position]

    public init(_ dataset: Dataset) {
        self.dataset = dataset
        projectedVertex = projectedVertices(of: dataset.blocks)
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
        DispatchQueue.concurrentPerform(iterations: zones.count) { i in
            results.set(i, Result { try dissolveZone(zones[i], blockIDs: members[zones[i].code]!, zoning: zoning) })
        }
        return Layer(name: zoning.name, zoning: zoning, features: try results.results())
    }

    /// Dissolves the given blocks into one zone.
    public func dissolveZone(_ zone: ZoneRef, blockIDs: [String], zoning: Zoning) throws -> ZoneFeature {
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
        let (shape, method) = try dissolveShapes(blocks.map(\.shape))
        let projected = try project(shape)
        return ZoneFeature(zone: zone, members: blockIDs, municipalities: nis, population: population,
                           areaKm2: projected.area / 1e6, parts: shape.polygons.count, shape: shape,
                           projected: projected, memberZones: memberZones, method: method)
    }
}

/// Unites valid polygonal shapes: their coverage union where it is proven or checked (`checkedCoverageUnion`), else
/// GEOS's robust overlay union. Never returns an unchecked result: whatever the fast path refuses, cannot decide or
/// throws falls through to the overlay union, whose result is validated in turn (`overlayUnion`).
public func dissolveShapes(_ shapes: [Shape]) throws -> (shape: Shape, method: DissolveMethod) {
    let polygons = shapes.flatMap(\.polygons)
    if shapes.count == 1 { return (Shape.polygonal(polygons), .single) }
    if let union = try? checkedCoverageUnion(polygons) {
        return (Shape.polygonal(union.polygons), union.proven ? .coverageUnion : .coverageUnionChecked)
    }
    return (Shape.polygonal(try overlayUnion(polygons)), .unaryUnion)
}

/// The coverage union of `polygons` with whether it was proven (else checked by GEOS), or nil when only an overlay
/// union is right: they are not a clean coverage (overlaps, neighbours without shared vertices), or the Swift
/// union could not handle or decide them and GEOS did not find its result valid.
///
/// The proof (`CoverageUnion`) holds for valid input polygons; callers validate their input first. GEOS 3.11's own
/// `CoverageUnion` is not used: it drops overlap faces without a sign (issue 11).
package func checkedCoverageUnion(_ polygons: [Polygon]) throws -> (polygons: [Polygon], proven: Bool)? {
    switch CoverageUnion.union(polygons) {
    case .certified(let result):
        return (result, true)
    case .unverified(let result, _):
        // The rings are oriented exactly and nested as traced: if GEOS finds them valid, their winding number is
        // 0 or 1 everywhere, so they are the union (see CoverageUnion.swift).
        if try Geometry(Shape.polygonal(result)).isValid() { return (result, false) }
        return nil
    case .notACoverage, .unsupported:
        return nil
    }
}

/// GEOS's overlay union of valid polygons (`GEOSUnaryUnion`: OverlayNG with its snapping fall-backs), checked
/// valid; an invalid result is repaired with `GEOSMakeValid` and checked again, and only then refused.
public func overlayUnion(_ polygons: [Polygon]) throws -> [Polygon] {
    let union = try Geometry.collection(of: polygons.map(Shape.polygon)).unaryUnion()
    if try union.isValid() { return try union.polygons() }
    let repaired = try union.makeValid()
    let parts = try repaired.polygons()
    let detail = try Geometry(Shape.multiPolygon(parts)).validityDetail()
    guard detail.valid else {
        throw GeometryError(operation: "unaryUnion", message: "the overlay union is invalid even after repair: \(detail.reason ?? "invalid")")
    }
    return parts
}

/// Slots (Geometry's) holding each concurrent iteration's result or error.
public typealias ResultSlots<T> = Slots<Result<T, Error>>

extension Slots {
    /// The values in slot order, or the first error.
    public func results<V>() throws -> [V] where T == Result<V, Error> { try values.map { try $0.get() } }
}
