// The one planar area of zorgzones (it replaces four shoelace functions: in Shape, Topology, the coverage check and
// the labels). Planar: in the units of the coordinates, so square metres for EPSG:31370; a CRS84 shape must be
// projected first (`Projection.transform`). Signs: positive when counter-clockwise in x-east, y-north axes. Where
// only the sign matters and must be right, use `exactAreaSign` (Predicates.swift).

/// Signed area of a ring by the shoelace formula (open or closed: a closing vertex adds nothing).
@inlinable
public func signedArea<C: BidirectionalCollection>(_ ring: C) -> Double where C.Element == Position {
    guard ring.count >= 3 else { return 0 }
    var s = 0.0
    var prev = ring[ring.index(before: ring.endIndex)]
    for p in ring {
        s += prev.x * p.y - p.x * prev.y
        prev = p
    }
    return s / 2
}

extension Polygon {
    /// Planar area: the exterior minus the holes, whatever the rings' orientation.
    @inlinable
    public var area: Double { abs(signedArea(exterior)) - holes.reduce(0) { $0 + abs(signedArea($1)) } }
}

extension Shape {
    /// Planar area of the polygons (points and lines have none).
    @inlinable
    public var area: Double { polygons.reduce(0) { $0 + $1.area } }
}
