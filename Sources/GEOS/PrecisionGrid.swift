import Foundation
import GeoCore

// Precision reduction of a polygon layer, so that what is written with a fixed number of decimals is valid, and a
// layer that tiled still tiles (issue 11).
//
// Rounding each coordinate on its own keeps shared vertices shared (they round alike), but can fold a thin spike
// over its neighbour, collapse a ring, or make a hole touch its shell. So:
//   1. every vertex is put on the grid (`PrecisionGrid.round`, the value a reader of the written text gets), and
//      repeated vertices and collapsed rings are dropped;
//   2. each zone is re-formed by the Swift coverage union of its rounded polygons, which proves it valid (or GEOS
//      checks it); the layer's rounded zones together must still be a clean coverage if they were one before;
//   3. where 2 fails, the layer's linework is snap-rounded as a whole by GEOS (`GEOSUnaryUnionPrec`: noding on the
//      fixed grid, the way `GEOSGeom_setPrecision` reduces a polygon, but for all zones at once so that
//      neighbours keep sharing their vertices), polygonized, and each face is given to the zone(s) its interior
//      point lies in; each zone is the union of its faces, checked again;
//   4. a zone left with no area is reported as collapsed, with the smallest number of decimals that keeps it.

/// A grid of 10^-decimals, as the GeoJSON writer rounds.
public struct PrecisionGrid: Sendable {
    public let decimals: Int
    public let scale: Double

    public init(decimals: Int) {
        precondition((0...15).contains(decimals), "decimals must be in 0...15")
        self.decimals = decimals
        var s = 1.0
        for _ in 0..<decimals { s *= 10 }
        scale = s
    }

    /// Grid spacing in coordinate units.
    public var spacing: Double { 1 / scale }

    /// The grid value nearest `x`: k / 10^decimals, correctly rounded, which is also the double a reader parses
    /// from the written decimal. Values whose scaled magnitude reaches 2^52 are already as fine as a double
    /// allows and are kept.
    @inline(__always)
    public func round(_ x: Double) -> Double {
        let s = x * scale
        guard abs(s) < 4_503_599_627_370_496 else { return x }
        return s.rounded() / scale
    }

    @inline(__always)
    public func round(_ p: Position) -> Position { Position(round(p.x), round(p.y)) }

    /// A ring on the grid without repeated vertices, or nil when it collapses (fewer than 4 positions or no area).
    public func round(ring: [Position]) -> [Position]? {
        var out: [Position] = []
        out.reserveCapacity(ring.count)
        for p in ring {
            let q = round(p)
            if out.last != q { out.append(q) }
        }
        if out.count > 1 && out[0] == out[out.count - 1] { out.removeLast() }
        guard out.count >= 3 else { return nil }
        out.append(out[0])
        guard let sign = exactAreaSign(out), sign != 0 else { return nil }
        return out
    }

    /// Polygons on the grid; collapsed exteriors drop their polygon, collapsed holes are dropped.
    public func round(polygons: [Polygon]) -> [Polygon] {
        polygons.compactMap { p in
            guard let ext = round(ring: p.exterior) else { return nil }
            return Polygon(exterior: ext, holes: p.holes.compactMap { round(ring: $0) })
        }
    }
}

/// Precision reduction of a layer of zones (each zone a list of polygons; zones may be empty).
public enum LayerPrecision {
    /// What happened to one zone.
    public enum ZoneOutcome: Sendable {
        /// On the grid, valid, proven or checked. `snapped`: the zone needed the snap-rounding of step 3.
        case reduced([Polygon], snapped: Bool)
        /// The zone has no area left at this precision; `smallestDecimals` keeps it (nil: none up to 15).
        case collapsed(smallestDecimals: Int?)
        /// The zone could not be made valid at this precision (GEOS's reason); `smallestDecimals` as above.
        case invalid(reason: String, smallestDecimals: Int?)
    }

    /// Whether every vertex of the polygons is already on the grid (rounding changes nothing).
    public static func isOnGrid(_ polygons: [Polygon], _ grid: PrecisionGrid) -> Bool {
        for p in polygons {
            for r in p.rings { for q in r where grid.round(q.x) != q.x || grid.round(q.y) != q.y { return false } }
        }
        return true
    }

    /// Reduces every zone of the layer to `grid`. Zones whose input is not polygonal (empty) stay empty.
    /// `knownValid`: the zones were proven or checked valid already (a dissolve's output), so a layer whose
    /// vertices are all on the grid is written as it is.
    public static func reduce(_ zones: [[Polygon]], to grid: PrecisionGrid, knownValid: Bool = false) -> [ZoneOutcome] {
        let onGrid = Slots<Bool>(count: zones.count)
        DispatchQueue.concurrentPerform(iterations: zones.count) { i in onGrid.set(i, isOnGrid(zones[i], grid)) }
        if knownValid && onGrid.values.allSatisfy({ $0 }) {
            return zones.map { .reduced($0, snapped: false) }
        }
        // Round and prove each zone (in parallel), and check the layer for overlaps next to them.
        let proven = Slots<[Polygon]?>(count: zones.count)
        let overlap = Slots<Bool>(count: 1)
        let rounded = zones.map { grid.round(polygons: $0) }
        DispatchQueue.concurrentPerform(iterations: zones.count + 1) { job in
            if job == zones.count {
                overlap.set(0, introducedOverlap(original: zones, rounded: rounded))
                return
            }
            let i = job
            if zones[i].isEmpty { proven.set(i, .some([])); return }
            proven.set(i, provenValid(rounded[i]))
        }
        let outcomes: [ZoneOutcome?] = proven.values.map { $0.map { .reduced($0, snapped: false) } }
        if !outcomes.contains(where: { $0 == nil }) && !overlap.values[0] { return outcomes.map { $0! } }

        // Step 3: snap-round the layer's linework as a whole.
        let snapped = try? snapRound(zones, to: grid)
        var result: [ZoneOutcome] = []
        for i in zones.indices {
            if zones[i].isEmpty { result.append(.reduced([], snapped: false)); continue }
            guard let snapped, let faces = snapped[i] else {
                if snapped == nil, let kept = outcomes[i] { result.append(kept); continue }
                result.append(.invalid(reason: "snap-rounding the layer failed", smallestDecimals: smallestWorking(zones[i], above: grid.decimals)))
                continue
            }
            if faces.isEmpty {
                result.append(.collapsed(smallestDecimals: smallestWorking(zones[i], above: grid.decimals)))
            } else {
                result.append(.reduced(faces, snapped: true))
            }
        }
        return result
    }

    /// The zone's rounded polygons re-formed as a proven or GEOS-checked valid set, or nil.
    static func provenValid(_ polys: [Polygon]) -> [Polygon]? {
        if polys.isEmpty { return nil }
        switch CoverageUnion.union(polys) {
        case .certified(let r):
            return r
        case .unverified(let r, _):
            return ((try? Geometry(Shape.polygonal(r)).isValid()) ?? false) ? r : nil
        case .notACoverage, .unsupported:
            return nil
        }
    }

    /// Whether the rounded zones overlap where the original ones did not. Cheap in the common case: when the
    /// rounded layer's edges cancel into a proven union, no two zones overlap.
    static func introducedOverlap(original: [[Polygon]], rounded: [[Polygon]]) -> Bool {
        let all = rounded.flatMap { $0 }
        if all.isEmpty { return false }
        if CoverageUnion.provesNoOverlap(all) { return false }
        // The rounded layer is not provably free of overlaps: it is only a problem if the original layer was.
        if CoverageUnion.provesNoOverlap(original.flatMap { $0 }) { return true }
        // Original zones that overlapped (or were not a clean coverage to begin with): compare overlap areas
        // would be costly; snap-rounding the whole layer is always correct, so take it when any zone pair
        // that did not overlap before does now. GEOS answers that on the rounded zones.
        return (try? overlapsIntroduced(original: original, rounded: rounded)) ?? true
    }

    static func overlapsIntroduced(original: [[Polygon]], rounded: [[Polygon]]) throws -> Bool {
        let before = try original.map { try Geometry(Shape.multiPolygon($0)) }
        let after = try rounded.map { try Geometry(Shape.multiPolygon($0)) }
        let index = try SpatialIndex(after)
        for i in after.indices {
            for j in index.query(after[i]) where j > i {
                if try after[i].relate(after[j], pattern: "2********"), !(try before[i].relate(before[j], pattern: "2********")) {
                    return true
                }
            }
        }
        return false
    }

    /// Step 3 for the whole layer: per zone its faces' union on the grid ([] when it collapsed), or nil for a zone
    /// whose result is not valid.
    static func snapRound(_ zones: [[Polygon]], to grid: PrecisionGrid) throws -> [[Polygon]?] {
        var lines: [Shape] = []
        for z in zones { for p in z { for r in p.rings { lines.append(.lineString(r)) } } }
        let noded = try Geometry.collection(of: lines).unaryUnion(gridSize: grid.spacing)
        let faces = try noded.polygonize().polygons()
        // Each face to the zones its interior point lies in (in the original, unrounded zones).
        let originals = try zones.map { try Geometry(Shape.multiPolygon($0)).prepared() }
        let boxes = zones.map { Shape.multiPolygon($0).bounds }
        var members = [[Polygon]](repeating: [], count: zones.count)
        for face in faces {
            let point = try Geometry(.polygon(face)).pointOnSurface().shape()
            guard case .point(let p) = point else { continue }
            for (i, box) in boxes.enumerated() {
                guard let box, p.x >= box.minX, p.x <= box.maxX, p.y >= box.minY, p.y <= box.maxY else { continue }
                if try originals[i].covers(try Geometry(.point(p))) {
                    members[i].append(face)
                }
            }
        }
        return members.map { faces -> [Polygon]? in
            if faces.isEmpty { return [] }
            // Faces are noded on the grid: re-rounding only normalises GEOS's grid values to the writer's.
            let onGrid = grid.round(polygons: faces)
            if onGrid.isEmpty { return [] }
            if let valid = provenValid(onGrid) { return valid }
            guard let union = try? overlayUnion(onGrid), let valid = provenValid(grid.round(polygons: union)) else { return nil }
            return valid
        }
    }

    /// GEOS overlay union of polygons (used only inside step 3).
    static func overlayUnion(_ polys: [Polygon]) throws -> [Polygon] {
        try Geometry.collection(of: polys.map(Shape.polygon)).unaryUnion().polygons()
    }

    /// The smallest number of decimals above `decimals` (up to 15) at which the zone alone keeps its area and is
    /// valid, or nil.
    public static func smallestWorking(_ zone: [Polygon], above decimals: Int) -> Int? {
        guard decimals < 15 else { return nil }
        for d in (decimals + 1)...15 {
            let grid = PrecisionGrid(decimals: d)
            if provenValid(grid.round(polygons: zone)) != nil { return d }
            if let s = try? snapRound([zone], to: grid), let faces = s[0], !faces.isEmpty { return d }
        }
        return nil
    }
}
