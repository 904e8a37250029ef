// A prototype (benchmark only, not used by the product): the coverage union of a clean coverage done in Swift by
// cancelling shared edges and tracing the remaining ones into rings, instead of GEOS 3.11's CoverageUnion, whose
// polygonizer dominates the dissolve profile. Measured by `zzbench union-proto`; see docs/benchmarks.md.
//
// Preconditions, as for GEOS coverage union: the polygons form a clean coverage (checked by EdgeMatch) with
// exterior rings counter-clockwise and holes clockwise after orientation, so every ring has its polygon on the
// left; an edge shared by two polygons of the zone then occurs once in each direction and cancels. The edges left
// are the zone's boundary with the zone on their left. They are traced into rings taking, where several boundary
// edges leave one vertex (the zone touches itself in a point), the sharpest left turn, so touching rings come out
// as separate rings that touch in a point (valid in GEOS). Counter-clockwise rings are shells, clockwise rings are
// holes, each assigned to the smallest shell containing one of its vertices. The caller still checks the result
// (GEOS validity and total area), exactly as the product does with GEOS's coverage union.

import Geometry

enum EdgeUnionPrototype {
    struct DirectedEdge: Hashable {
        var a: Position
        var b: Position
    }

    /// Returns the union's polygons (RFC 7946 orientation), or nil if the edges do not close into rings.
    static func union(_ polygons: [Polygon]) -> [Polygon]? {
        // 1. Cancel edges that occur in both directions.
        var open = Set<DirectedEdge>()
        open.reserveCapacity(polygons.reduce(0) { $0 + $1.vertexCount } / 2)
        for poly in polygons {
            for (ri, ring0) in poly.rings.enumerated() {
                guard ring0.count >= 4 else { continue }
                let ccw = signedArea(ring0) > 0
                let ring = ccw == (ri == 0) ? ring0 : ring0.reversed()
                for k in 0..<(ring.count - 1) {
                    let p = ring[k], q = ring[k + 1]
                    if p == q { continue }
                    if open.remove(DirectedEdge(a: q, b: p)) == nil {
                        if !open.insert(DirectedEdge(a: p, b: q)).inserted { return nil }  // same edge twice
                    }
                }
            }
        }
        // 2. Outgoing edges per vertex.
        var out: [Position: [Position]] = [:]
        out.reserveCapacity(open.count)
        for e in open { out[e.a, default: []].append(e.b) }
        // 3. Trace rings.
        var rings: [[Position]] = []
        var remaining = open.count
        while remaining > 0 {
            guard let (start, nexts) = out.first(where: { !$0.value.isEmpty }) else { return nil }
            var ring = [start]
            var prev = start
            var cur = nexts.last!
            out[start]!.removeLast()
            remaining -= 1
            while cur != start {
                ring.append(cur)
                var pick = 0
                do {
                    guard let cands = out[cur], !cands.isEmpty else { return nil }
                    pick = cands.count - 1
                    if cands.count > 1 {
                        // Sharpest left turn from the incoming direction.
                        let dx = cur.x - prev.x, dy = cur.y - prev.y
                        var best = -Double.infinity
                        for (i, c) in cands.enumerated() {
                            let ex = c.x - cur.x, ey = c.y - cur.y
                            let turn = atan2(dx * ey - dy * ex, dx * ex + dy * ey)
                            if turn > best { best = turn; pick = i }
                        }
                    }
                }
                let next = out[cur]!.remove(at: pick)
                remaining -= 1
                prev = cur
                cur = next
            }
            ring.append(start)
            rings.append(ring)
        }
        // 4. Shells and holes.
        var shells: [(ring: [Position], area: Double, box: BoundingBox)] = []
        var holes: [[Position]] = []
        for r in rings {
            let a = signedArea(r)
            if a > 0 {
                var box = BoundingBox(minX: r[0].x, minY: r[0].y, maxX: r[0].x, maxY: r[0].y)
                for p in r { box.include(p) }
                shells.append((r, a, box))
            } else if a < 0 {
                holes.append(r)
            }
        }
        var result = shells.map { Polygon(exterior: $0.ring) }
        for h in holes {
            var owner: Int?
            if shells.count == 1 {
                owner = 0
            } else {
                // The smallest shell that contains a vertex of the hole strictly inside.
                for p in h {
                    var best: Int?
                    for (i, s) in shells.enumerated() where s.box.minX <= p.x && p.x <= s.box.maxX && s.box.minY <= p.y && p.y <= s.box.maxY {
                        if pointInRing(p, s.ring) == 1, best == nil || s.area < shells[best!].area { best = i }
                    }
                    if let best { owner = best; break }
                }
            }
            guard let owner else { return nil }
            result[owner].holes.append(h)
        }
        return result
    }

    /// 1 inside, 0 on the boundary, -1 outside (crossing number; exact for points that are vertices).
    static func pointInRing(_ p: Position, _ ring: [Position]) -> Int {
        var inside = false
        for k in 0..<(ring.count - 1) {
            let a = ring[k], b = ring[k + 1]
            if a == p || b == p { return 0 }
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if x == p.x { return 0 }
                if x > p.x { inside.toggle() }
            }
        }
        return inside ? 1 : -1
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A prototype of `EdgeMatch.init` (Sources/Zoning/Dissolve.swift) with the same result but no heap allocation per
/// edge: the value is a fixed-size struct (forward and backward counts, the first four users inline) instead of a
/// tuple holding an `[Int32]`, and the table is updated in place with one lookup (`table[key, default:]`) instead of
/// a read followed by a write. Measured by `zzbench edge-proto`.
struct EdgeMatchPrototype {
    var edges: Int
    var sharedEdges: Int
    var conflicts: Int

    struct Key: Hashable {
        var ax, ay, bx, by: Double
    }
    struct Entry {
        var f: Int32 = 0, b: Int32 = 0
        var n: Int32 = 0
        var u0: Int32 = -1, u1: Int32 = -1, u2: Int32 = -1, u3: Int32 = -1
        mutating func add(_ u: Int32) {
            switch n {
            case 0: u0 = u
            case 1: u1 = u
            case 2: u2 = u
            case 3: u3 = u
            default: break
            }
            n += 1
        }
    }

    init(blocks: [(id: String, shape: Shape)]) {
        var table: [Key: Entry] = [:]
        table.reserveCapacity(blocks.reduce(0) { $0 + $1.shape.vertexCount })
        for (bi, blk) in blocks.enumerated() {
            for poly in blk.shape.polygons {
                for (ri, ring) in poly.rings.enumerated() {
                    if ring.count < 2 { continue }
                    let flip = (signedArea(ring) > 0) != (ri == 0)
                    for k in 0..<(ring.count - 1) {
                        var p = ring[k], q = ring[k + 1]
                        if flip { swap(&p, &q) }
                        if p == q { continue }
                        let forward = (p.x, p.y) < (q.x, q.y)
                        let key = forward ? Key(ax: p.x, ay: p.y, bx: q.x, by: q.y) : Key(ax: q.x, ay: q.y, bx: p.x, by: p.y)
                        table[key, default: Entry()].update(forward: forward, user: Int32(bi))
                    }
                }
            }
        }
        var shared = 0, conflicts = 0
        for e in table.values {
            if e.f + e.b == 2 && e.f == 1 { shared += 1; continue }
            if e.f + e.b == 1 { continue }
            conflicts += 1
        }
        edges = table.count
        sharedEdges = shared
        self.conflicts = conflicts
    }
}

extension EdgeMatchPrototype.Entry {
    @inline(__always)
    mutating func update(forward: Bool, user: Int32) {
        if forward { f += 1 } else { b += 1 }
        add(user)
    }
}
