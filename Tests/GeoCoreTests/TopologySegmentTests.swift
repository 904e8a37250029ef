import Testing
import TestSupport
@testable import GeoCore

/// The segment views of the arc topology against an independent count: every segment of every ring, matched in a
/// dictionary by its two ends (the way `EdgeMatch` and `BlockTopology` counted before they became views of the
/// topology). Random grid coverages with the faults a GIS team's layer has: duplicated cells, overlapping cells,
/// clockwise rings, T-junctions (a cell split in two next to a whole one), holes filled by an island.
@Suite struct TopologySegmentTests {
    struct Oracle {
        var segments = 0, shared = 0
        var conflicts: [SegmentConflict] = []
        var borders: [[Int: Double]]
    }

    /// Segments counted one by one: forward/backward uses and users in order, per undirected segment.
    static func oracle(_ shapes: [Shape]) -> Oracle {
        struct Key: Hashable { var a: Position; var b: Position }
        struct Use { var forward = 0, backward = 0; var users: [Int] = []; var length = 0.0 }
        var uses: [Key: Use] = [:]
        var order: [Key] = []
        for (s, shape) in shapes.enumerated() {
            for polygon in shape.polygons {
                for (r, ring) in polygon.rings.enumerated() {
                    let reverse = isCounterClockwise(ring) != (r == 0)
                    let pts = reverse ? Array(ring.reversed()) : ring
                    for k in 0 ..< pts.count - 1 where pts[k] != pts[k + 1] {
                        let p = pts[k], q = pts[k + 1]
                        let forward = (p.x, p.y) < (q.x, q.y)
                        let key = forward ? Key(a: p, b: q) : Key(a: q, b: p)
                        if uses[key] == nil { order.append(key) }
                        var u = uses[key] ?? Use()
                        if forward { u.forward += 1 } else { u.backward += 1 }
                        u.users.append(s)
                        u.length = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
                        uses[key] = u
                    }
                }
            }
        }
        var o = Oracle(borders: Array(repeating: [:], count: shapes.count))
        o.segments = uses.count
        for key in order {
            let u = uses[key]!
            var distinct: [Int] = []
            for x in u.users where !distinct.contains(x) { distinct.append(x) }
            if u.forward == 1 && u.backward == 1 { o.shared += 1 }
            else if u.forward + u.backward > 1 { o.conflicts.append(SegmentConflict(a: key.a, b: key.b, users: distinct)) }
            if u.forward + u.backward > 1 {
                for x in 0 ..< distinct.count { for y in x + 1 ..< distinct.count {
                    o.borders[distinct[x]][distinct[y], default: 0] += u.length
                    o.borders[distinct[y]][distinct[x], default: 0] += u.length
                } }
            }
        }
        o.conflicts.sort { ($0.a.x, $0.a.y, $0.b.x, $0.b.y) < ($1.a.x, $1.a.y, $1.b.x, $1.b.y) }
        return o
    }

    static func cell(_ x: Double, _ y: Double, _ w: Double = 1, _ h: Double = 1, clockwise: Bool = false) -> Polygon {
        let ring = [Position(x, y), Position(x + w, y), Position(x + w, y + h), Position(x, y + h), Position(x, y)]
        return Polygon(exterior: clockwise ? ring.reversed() : ring)
    }

    /// A random faulty grid coverage of `n` × `n` cells.
    static func coverage(_ n: Int, _ rng: inout Xorshift) -> [Shape] {
        var shapes: [Shape] = []
        for i in 0 ..< n {
            for j in 0 ..< n {
                let x = Double(i), y = Double(j)
                switch rng.next() % 10 {
                case 0:  // split in two: T-junctions with the neighbours
                    shapes.append(.polygon(cell(x, y, 0.5, 1)))
                    shapes.append(.polygon(cell(x + 0.5, y, 0.5, 1)))
                case 1:  // duplicated
                    shapes.append(.polygon(cell(x, y)))
                    shapes.append(.polygon(cell(x, y)))
                case 2:  // clockwise
                    shapes.append(.polygon(cell(x, y, clockwise: true)))
                case 3:  // overlapping its right neighbour by half
                    shapes.append(.polygon(cell(x, y, 1.5, 1)))
                case 4:  // a hole, filled by an island of another shape
                    var p = cell(x, y)
                    p.holes = [[Position(x + 0.25, y + 0.25), Position(x + 0.25, y + 0.75), Position(x + 0.75, y + 0.75),
                                Position(x + 0.75, y + 0.25), Position(x + 0.25, y + 0.25)]]
                    shapes.append(.polygon(p))
                    shapes.append(.polygon(cell(x + 0.25, y + 0.25, 0.5, 0.5)))
                case 5 where !shapes.isEmpty:  // a second part of the previous shape
                    shapes[shapes.count - 1] = .multiPolygon(shapes[shapes.count - 1].polygons + [cell(x, y)])
                default:
                    shapes.append(.polygon(cell(x, y)))
                }
            }
        }
        return shapes
    }

    @Test(arguments: 0 ..< 300)
    func segmentViewsMatchAnIndependentCount(_ seed: Int) {
        var rng = Xorshift(seed: UInt64(seed) &* 0x9E3779B97F4A7C15 | 1)
        let shapes = Self.coverage(2 + seed % 6, &rng)
        let topology = Topology(shapes: shapes)
        let use = topology.segmentUse()
        let oracle = Self.oracle(shapes)
        #expect(topology.diagnostics.droppedRings.isEmpty)
        #expect(use.segments == oracle.segments)
        #expect(use.sharedSegments == oracle.shared)
        #expect(use.conflicts == oracle.conflicts)
        let euclid = { (p: Position, q: Position) in ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot() }
        let borders = topology.sharedBorders(euclid)
        // The report mode (same construction, arcs as spans, no rings) says the same.
        let report = Topology.segmentReport(of: shapes, borders: euclid)
        #expect(report.use.segments == use.segments && report.use.sharedSegments == use.sharedSegments)
        #expect(report.use.conflicts == use.conflicts)
        #expect(report.borders.map { $0.map(\.shape) } == borders.map { $0.map(\.shape) })
        #expect(zip(report.borders.joined(), borders.joined()).allSatisfy { $0.length == $1.length })
        for s in shapes.indices {
            let mine = Dictionary(uniqueKeysWithValues: borders[s].map { ($0.shape, $0.length) })
            #expect(Set(mine.keys) == Set(oracle.borders[s].keys), "shape \(s)")
            for (k, v) in oracle.borders[s] { #expect(abs((mine[k] ?? -1) - v) < 1e-9, "shapes \(s), \(k)") }
        }
    }

    @Test func aCleanGridSharesEveryInnerSegment() {
        // 3 × 3 unit cells: 24 distinct unit segments, 12 of them inner (shared), none in conflict.
        let shapes = (0 ..< 9).map { Shape.polygon(Self.cell(Double($0 % 3), Double($0 / 3))) }
        let use = Topology(shapes: shapes).segmentUse()
        #expect(use.segments == 24)
        #expect(use.sharedSegments == 12)
        #expect(use.isClean)
        let borders = Topology(shapes: shapes).sharedBorders { _, _ in 1 }
        #expect(borders[4].map(\.shape) == [1, 3, 5, 7])   // the centre cell's rook neighbours
    }
}
