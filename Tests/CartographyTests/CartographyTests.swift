import GeoCore
import GEOS
import Testing
import TestSupport
@testable import Cartography

// Synthetic coverages for the topology, simplification and grouping.

func square(_ x: Double, _ y: Double, _ s: Double = 1) -> Polygon {
    Polygon(exterior: [Position(x, y), Position(x + s, y), Position(x + s, y + s), Position(x, y + s), Position(x, y)])
}

/// 2×2 grid of unit squares: 0 = bottom left, 1 = bottom right, 2 = top left, 3 = top right.
let grid: [Shape] = [.polygon(square(0, 0)), .polygon(square(1, 0)), .polygon(square(0, 1)), .polygon(square(1, 1))]


func area(_ rings: [[ArcRef]], _ t: Topology) -> Double {
    rings.reduce(0) { $0 + signedArea(t.ring($1)) }
}

@Suite struct TopologyTests {
    @Test func gridOfFourSquaresHasEightArcsAndTwelveEdgesOnce() {
        let t = Topology(shapes: grid)
        #expect(t.diagnostics.isClean)
        #expect(t.diagnostics.uniquePositions == 9)
        // Junctions: the centre and the 4 mid-edge points of the outline. Corners are not junctions.
        #expect(t.nodeCount == 5)
        // 4 inner arcs (centre → mid-edge) and 4 outer arcs (mid-edge → corner → mid-edge).
        #expect(t.arcCount == 8)
        let inner = (0 ..< t.arcCount).filter { t.left[$0] >= 0 && t.right[$0] >= 0 }
        let outer = (0 ..< t.arcCount).filter { (t.left[$0] < 0) != (t.right[$0] < 0) }
        #expect(inner.count == 4 && outer.count == 4)
        // The 12 unit edges of the grid, each stored exactly once.
        let e = edges(t)
        #expect(e.count == 12)
        #expect(Set(e).count == 12)
        // Every square is 2 or 3 arcs long and rebuilds to its own area, counter-clockwise.
        for s in 0 ..< 4 {
            let r = t.rings[t.ringRange(ofShape: s)]
            #expect(r.count == 1)
            #expect(signedArea(t.ring(r.first!.arcs)) == 1)
            #expect(t.shape(s).polygons.first.map { abs(signedArea($0.exterior)) } == 1)
        }
    }

    @Test func windingAndStartVertexOfTheInputDoNotMatter() {
        // The same grid with the top-right square clockwise and started elsewhere.
        var shapes = grid
        shapes[3] = .polygon(Polygon(exterior: [Position(2, 2), Position(2, 1), Position(1, 1), Position(1, 2), Position(2, 2)]))
        let t = Topology(shapes: shapes)
        #expect(t.diagnostics.isClean)
        #expect(t.arcCount == 8)
        #expect(Set(edges(t)).count == 12)
    }

    @Test func enclaveInAHoleSharesOneClosedArc() {
        // A: 10×10 with a hole; B fills the hole exactly, given clockwise and starting at another corner.
        let hole: Ring = [Position(4, 4), Position(4, 6), Position(6, 6), Position(6, 4), Position(4, 4)]
        let a = Shape.polygon(Polygon(exterior: square(0, 0, 10).exterior, holes: [hole]))
        let b = Shape.polygon(Polygon(exterior: [Position(6, 6), Position(6, 4), Position(4, 4), Position(4, 6), Position(6, 6)]))
        let t = Topology(shapes: [a, b])
        #expect(t.diagnostics.isClean)
        #expect(t.arcCount == 2)
        #expect(t.nodeCount == 2)  // one start node per closed arc
        let shared = (0 ..< 2).first { t.left[$0] >= 0 && t.right[$0] >= 0 }!
        #expect(Set([t.left[shared], t.right[shared]]) == [0, 1])
        #expect(t.arc(shared).count == 5)  // closed: 4 positions + the first again
        let outline = 1 - shared
        #expect(t.left[outline] == 0 && t.right[outline] == -1)
        // Areas through the arcs: A = 100 − 4, B = 4.
        let ra = t.rings[t.ringRange(ofShape: 0)].map(\.arcs)
        #expect(area(ra, t) == 96)
        #expect(area([t.rings[t.ringRange(ofShape: 1)].first!.arcs], t) == 4)
        // Dissolving both gives the outer square without hole; separately A keeps its hole.
        let both = t.boundaries(Grouping(["x", "x"]))
        #expect(both.rings[0].count == 1 && area(both.rings[0], t) == 100)
        #expect(both.inner.isEmpty && both.outer == [outline])
        let apart = t.boundaries(Grouping(["a", "b"]))
        #expect(apart.inner == [shared])
        let polys = t.polygons(apart.rings[0])
        #expect(polys.count == 1 && polys[0].holes.count == 1)
        #expect(t.adjacency(Grouping(["a", "b"])) == [[1], [0]])
    }

    @Test func islandWithoutNeighboursIsOneOuterArc() {
        let t = Topology(shapes: [.multiPolygon([square(0, 0), square(5, 5)])])
        #expect(t.arcCount == 2)
        #expect((0 ..< 2).allSatisfy { t.left[$0] == 0 && t.right[$0] == -1 })
        #expect(t.shape(0).polygons.count == 2)
    }

    @Test func squaresTouchingAtACornerAreNotNeighbours() {
        let t = Topology(shapes: [.polygon(square(0, 0)), .polygon(square(1, 1))])
        #expect(t.diagnostics.isClean)
        #expect(t.nodeCount == 1)  // the shared corner
        #expect(t.arcCount == 2)
        #expect(t.startNode == [0, 0] && t.endNode == [0, 0])
        #expect(t.adjacency(Grouping(["a", "b"])) == [[], []])
        // One group: two rings (not a figure eight), each of area 1.
        let b = t.boundaries(Grouping(["g", "g"]))
        #expect(b.rings[0].count == 2)
        #expect(b.rings[0].allSatisfy { signedArea(t.ring($0)) == 1 })
    }

    @Test func groupTouchingItselfAtAPointGetsSimpleRings() {
        // Three squares in an L around a missing corner: 0 and 3 touch only at (1,1); group {0, 3} vs {1, 2}.
        let shapes: [Shape] = [.polygon(square(0, 0)), .polygon(square(1, 0)), .polygon(square(0, 1)), .polygon(square(1, 1))]
        let t = Topology(shapes: shapes)
        let b = t.boundaries(Grouping(["d", "e", "e", "d"]))
        #expect(b.rings[0].count == 2 && b.rings[1].count == 2)
        for g in 0 ..< 2 {
            #expect(b.rings[g].allSatisfy { signedArea(t.ring($0)) == 1 && t.ring($0).count == 5 })
        }
        // Every inner arc separates the two groups; the corner touch does not make 0 and 3 neighbours.
        #expect(b.inner.count == 4)
        #expect(t.adjacency(Grouping(["d", "e", "e", "d"])) == [[1], [0]])
    }

    @Test func groupingsGiveInnerBordersOuterArcsAndDissolvedAreas() {
        let t = Topology(shapes: grid)
        // Bottom row vs top row: the border is the two arcs on y = 1.
        let rows = t.boundaries(Grouping(["low", "low", "high", "high"]))
        #expect(rows.inner.count == 2)
        #expect(rows.inner.allSatisfy { a in t.arc(a).allSatisfy { $0.y == 1 } })
        #expect(rows.outer.count == 4 && rows.ungroupedOuter.isEmpty)
        #expect(rows.rings.map { $0.count } == [1, 1])
        #expect(area(rows.rings[0], t) == 2 && area(rows.rings[1], t) == 2)
        // An ungrouped shape: its borders with grouped shapes are inner borders; its outside is apart.
        let partial = t.boundaries(Grouping(["a", "a", "a", nil]))
        #expect(partial.rings.count == 1 && area(partial.rings[0], t) == 3)
        #expect(partial.inner.count == 2)
        #expect(partial.outer.count == 3 && partial.ungroupedOuter.count == 1)  // the top-right corner arc
        // All in one group: one ring of area 4, no inner border.
        let all = t.boundaries(Grouping(["x", "x", "x", "x"]))
        #expect(all.inner.isEmpty && all.rings[0].count == 1 && area(all.rings[0], t) == 4)
        #expect(t.shapeAdjacency() == [[1, 2], [0, 3], [0, 3], [1, 2]])
    }

    @Test func chainingJoinsArcsAtDegreeTwoNodes() {
        let t = Topology(shapes: grid)
        let rows = t.boundaries(Grouping(["low", "low", "high", "high"]))
        // The two arcs on y = 1 meet at the centre, which has degree 2 in that set: one polyline.
        let lines = t.chainLines(rows.inner)
        #expect(lines.count == 1 && lines[0].count == 2)
        let pts = t.ring(lines[0])
        #expect(pts.count == 3 && Set(pts.map(\.x)) == [0, 1, 2])
        // The outline is one closed chain.
        #expect(t.chainLines(rows.outer).count == 1)
    }

    @Test func overlappingInputIsReported() {
        let t = Topology(shapes: [.polygon(square(0, 0)), .polygon(square(0, 0))])
        #expect(!t.diagnostics.isClean)
        #expect(t.diagnostics.overusedArcs == [0])
    }

    @Test func degenerateRingsAreDroppedAndReported() {
        let flat = Polygon(exterior: [Position(0, 0), Position(1, 0), Position(2, 0), Position(0, 0)])
        let t = Topology(shapes: [.polygon(flat), .polygon(square(5, 5))])
        #expect(t.diagnostics.droppedRings == [[0, 0, 0]])
        #expect(t.ringRange(ofShape: 0).isEmpty && t.ringRange(ofShape: 1).count == 1)
    }
}

@Suite struct SimplificationTests {
    /// Two shapes sharing a wiggly border of many vertices along x = 50, and wiggly outer edges.
    func wigglyPair() -> [Shape] {
        var border: [Position] = []
        for k in 0 ... 200 { border.append(Position(50 + (k % 2 == 0 ? 0.3 : -0.3) + Double(k % 7) * 0.05, Double(k) * 0.5)) }
        let west = Polygon(exterior: [Position(0, 0)] + border + [Position(0, 100), Position(0, 0)])
        let east = Polygon(exterior: [Position(100, 0), Position(100, 100)] + border.reversed() + [Position(100, 0)])
        return [.polygon(west), .polygon(east)]
    }

    @Test(arguments: SimplificationMethod.allCases)
    func sharedArcsStayIdenticalForBothNeighbours(method: SimplificationMethod) {
        let t = Topology(shapes: wigglyPair())
        #expect(t.diagnostics.isClean)
        let (s, report) = t.simplified(tolerance: 2, method: method)
        #expect(report.verticesAfter < report.verticesBefore / 10)
        // The shared border keeps its endpoints and is the same line for both shapes.
        let shared = (0 ..< s.arcCount).first { s.left[$0] >= 0 && s.right[$0] >= 0 }!
        let line = Array(s.arc(shared))
        #expect(line.count >= 2 && line.count < 20)
        let west = s.shape(0).polygons[0].exterior, east = s.shape(1).polygons[0].exterior
        let westEdges = Set(zip(west, west.dropFirst()).map { [$0.0, $0.1] })
        let eastEdgesReversed = Set(zip(east, east.dropFirst()).map { [$0.1, $0.0] })
        let common = westEdges.intersection(eastEdgesReversed)
        #expect(common.count == line.count - 1)
        // No sliver and no gap: the two areas add up to the area of the union.
        let total = abs(signedArea(west)) + abs(signedArea(east))
        let union = area(s.boundaries(Grouping(["x", "x"])).rings[0], s)
        #expect(abs(total - union) < 1e-9 * union)
        #expect(abs(union - 10_000) < 1e-6)
    }

    @Test func smallRingsDoNotCollapse() {
        // A tiny many-sided island and an enclave, simplified with a tolerance far larger than both.
        var circle: Ring = []
        for k in 0 ..< 40 {
            let a = Double(k) / 40 * 2 * .pi
            circle.append(Position(500 + 3 * cos(a), 500 + 3 * sin(a)))
        }
        circle.append(circle[0])
        let hole = Array(circle.reversed())
        let shapes: [Shape] = [.polygon(Polygon(exterior: square(0, 0, 1000).exterior, holes: [hole])),
                               .polygon(Polygon(exterior: circle)),
                               .polygon(Polygon(exterior: circle.map { Position($0.x + 2000, $0.y) }))]
        let t = Topology(shapes: shapes)
        let (s, report) = t.simplified(tolerance: 100)
        // The hole (whose arc it shares with the enclave, which then passes) and the far island.
        #expect(report.protectedRings == 2)
        for r in s.rings {
            let ring = s.ring(r.arcs)
            #expect(ring.count >= 4)
            #expect(signedArea(ring) != 0)
        }
        // The enclave and the hole still coincide.
        #expect(s.shape(1).polygons[0].exterior.count == s.shape(0).polygons[0].holes[0].count)
    }

    @Test func zeroToleranceKeepsEverything() {
        let t = Topology(shapes: wigglyPair())
        let (s, r) = t.simplified(tolerance: 0)
        #expect(r.verticesAfter == r.verticesBefore && s.points == t.points)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
