// Coverage union in Swift: the union of polygons that form a clean coverage (no overlaps, neighbours share
// identical vertices), computed by cancelling the edges the polygons share and tracing the remaining ones into
// rings. It replaces GEOS 3.11's CoverageUnion for the dissolve; the caller keeps GEOS for what this cannot prove.
//
// Why hand-written: GEOS 3.11's coverage union builds a planar graph and runs its polygonizer, which was 40 % of
// `zorgzones build` (Scripts/bench/FINDINGS.md); GEOS ≥ 3.12 has a faster one but Debian 12 ships 3.11, and no
// Swift package offers a coverage union.
//
// Why the result can be trusted. Every input ring is oriented with its polygon on the left (exterior rings
// counter-clockwise, holes clockwise), so the winding number of a polygon's rings is 1 inside it and 0 outside.
// The winding number of a sum of edge chains is the sum of the winding numbers, and an edge followed by its
// reverse adds nothing, so for every point x outside the edges
//
//     Σ over the input polygons of [x ∈ polygon]  =  winding number of the edges left after cancelling at x.
//
// The remaining edges are traced into rings. If those rings are simple, do not cross or touch each other, and
// nest properly (a shell is inside nothing or inside a hole, a hole is inside a shell), their winding number is 1
// inside the polygons they bound and 0 elsewhere. Then the left-hand side is 0 or 1 everywhere: the inputs do
// not overlap, and the traced polygons are exactly their union — and they are valid. `union` checks exactly those
// conditions (with orientation predicates that report when floating point cannot decide), and says `certified`
// only when all hold. Where a zone touches itself in a point (a vertex with two boundary edges leaving it), the
// rings are traced separately (sharpest left turn) and the result is returned `unverified`: the caller validates
// it with GEOS, and a valid result is then the union by the same argument.

import Foundation

/// The union of a clean polygon coverage by edge cancellation. See the comment at the top of the file.
public enum CoverageUnion {
    public enum Outcome: Sendable {
        /// The union, proven valid and equal to the union of the input (the input is a clean coverage).
        case certified([Polygon])
        /// The union of the boundary edges, whose validity was not proven here (the zone touches itself in a
        /// point, or floating point could not decide a predicate). Valid (check with GEOS) means correct.
        case unverified([Polygon], reason: String)
        /// The polygons are not a clean coverage: an edge used twice in the same direction, or the boundary
        /// crosses itself or nests wrongly (overlapping polygons, or neighbours that do not share vertices).
        /// Cancelling edges does not give the union; use an overlay union.
        case notACoverage(reason: String)
        /// Not handled here (degenerate rings, too many rings to check the nesting cheaply): use another method.
        case unsupported(reason: String)
    }

    /// Above this many result rings the nesting check (quadratic in the rings, with bounding-box pruning) is left
    /// to GEOS.
    public static let maxRingsForNestingCheck = 4000

    /// The union of `polygons`, with what could be proven about it. Result rings follow RFC 7946 (exterior
    /// counter-clockwise, holes clockwise), start where the tracing started, and use only input vertices.
    public static func union(_ polygons: [Polygon]) -> Outcome { analyse(polygons).outcome }

    /// Whether the polygons provably do not overlap one another (their edges cancel into non-crossing, properly
    /// nested rings, so the winding number is 0 or 1 everywhere): a certified union, or one left unverified only
    /// because the boundary touches itself in a vertex (which does not change any winding number). Valid input
    /// polygons assumed.
    public static func provesNoOverlap(_ polygons: [Polygon]) -> Bool {
        let (outcome, onlyTouching) = analyse(polygons)
        switch outcome {
        case .certified: return true
        case .unverified: return onlyTouching
        case .notACoverage, .unsupported: return false
        }
    }

    /// The union, and for an unverified one whether only vertices where the boundary touches itself (no
    /// undecided predicate) left it unproven.
    static func analyse(_ polygons: [Polygon]) -> (outcome: Outcome, onlyTouching: Bool) {
        func done(_ o: Outcome) -> (outcome: Outcome, onlyTouching: Bool) { (o, false) }
        var total = 0
        for p in polygons { total += p.vertexCount }
        if total == 0 { return done(.certified([])) }
        var graph = EdgeGraph(expectedVertices: total)
        // 1. Edges, cancelling those that occur in both directions.
        for poly in polygons {
            for ri in 0...poly.holes.count {
                let ring = ri == 0 ? poly.exterior : poly.holes[ri - 1]
                guard ring.count >= 4, ring[0] == ring[ring.count - 1] else {
                    return done(.unsupported(reason: "a ring with fewer than 4 positions or not closed"))
                }
                for q in ring where !(q.x.isFinite && q.y.isFinite) {
                    return done(.unsupported(reason: "a coordinate that is not a finite number"))
                }
                guard let sign = exactAreaSign(ring), sign != 0 else {
                    return done(.unsupported(reason: "a ring without area, or whose orientation cannot be decided"))
                }
                let reversed = (sign > 0) != (ri == 0)
                var prev = graph.intern(ring[0])
                for k in 1..<ring.count {
                    let cur = graph.intern(ring[k])
                    if cur != prev {
                        let ok = reversed ? graph.add(cur, prev) : graph.add(prev, cur)
                        if !ok {
                            let a = ring[k - 1], b = ring[k]
                            return done(.notACoverage(reason: "the edge (\(a.x), \(a.y))–(\(b.x), \(b.y)) is used twice in the same direction"))
                        }
                    }
                    prev = cur
                }
            }
        }
        // 2. Trace the remaining edges into rings.
        let traced: Tracing
        switch graph.trace() {
        case .success(let t): traced = t
        case .failure(let reason): return done(.unsupported(reason: reason.message))
        }
        // 3. Shells and holes, each ring with its area and bounding box.
        var rings: [TracedRing] = []
        rings.reserveCapacity(traced.rings.count)
        var idRings = traced.rings
        if traced.touchingVertices > 0 {
            // A ring through a touching vertex may pass it twice (e.g. a hole that meets the shell in a point):
            // split such rings into simple ones.
            var seen = [Int32](repeating: -1, count: graph.positions.count)
            idRings = idRings.flatMap { splitAtRepeatedVertices($0, seen: &seen) }
        }
        let vertexPositions = graph.positions
        for ids in idRings {
            var positions: [Position] = []
            positions.reserveCapacity(ids.count)
            for id in ids { positions.append(vertexPositions[Int(id)]) }
            // The orientation decides shell or hole: it must be exact (a sliver of overlap 1e-10° wide has a
            // floating-point area of either sign), the magnitude only orders the candidates of the nesting.
            guard let sign = exactAreaSign(positions), sign != 0 else {
                return done(.unsupported(reason: "a traced ring without area, or whose orientation cannot be decided"))
            }
            let magnitude = abs(signedArea(positions))
            rings.append(TracedRing(ids: ids, positions: positions, sign: sign,
                                    area: magnitude.isFinite ? magnitude : .greatestFiniteMagnitude, box: BoundingBox(of: positions)))
        }
        if rings.isEmpty { return done(.unsupported(reason: "no boundary edges left")) }
        if rings.count > maxRingsForNestingCheck {
            return done(.unsupported(reason: "\(rings.count) rings: nesting check left to GEOS"))
        }
        // 4. The boundary must not cross or touch itself (only where the zone touches itself in a vertex, which
        // makes the result unverified).
        var decidedEverything = true
        var uncertain: String? = traced.touchingVertices > 0
            ? "the zone touches itself in \(traced.touchingVertices) vertex/vertices" : nil
        switch SegmentCheck.check(rings) {
        case .clean: break
        case .crossing(let p): return done(.notACoverage(reason: "the boundary crosses or runs over itself near (\(p.x), \(p.y))"))
        case .undecided(let why): uncertain = uncertain ?? why; decidedEverything = false
        }
        // 5. Nesting: each ring's parent is the smallest ring containing it. Candidates are the rings whose box
        // holds its box, whatever their computed areas (two nested rings can have areas equal to the last bit);
        // the rings do not cross, so the containers of a ring form a chain, and the smallest is the one inside
        // all the others, which is decided with the same exact tests.
        var order = Array(rings.indices)
        order.sort { rings[$0].area > rings[$1].area }
        var parent = [Int](repeating: -1, count: rings.count)
        var undecidedNesting = false
        let skipTouching = traced.touchingVertices > 0
        var containers: [Int] = []
        for i in rings.indices {
            let r = rings[i]
            containers.removeAll(keepingCapacity: true)
            for j in order where j != i && rings[j].box.contains(r.box) {
                switch contains(rings[j], ringOf: r, skipTouching: skipTouching) {
                case .yes: containers.append(j)
                case .no: break
                case .undecided: undecidedNesting = true
                }
            }
            guard var smallest = containers.first else { continue }
            for j in containers.dropFirst() {
                // `order` is by decreasing area, so `j` is most likely inside `smallest`; check it.
                switch contains(rings[smallest], ringOf: rings[j], skipTouching: skipTouching) {
                case .yes: smallest = j
                case .no:
                    if case .yes = contains(rings[j], ringOf: rings[smallest], skipTouching: skipTouching) { break }
                    undecidedNesting = true
                case .undecided: undecidedNesting = true
                }
            }
            parent[i] = smallest
        }
        if undecidedNesting {
            uncertain = uncertain ?? "floating point could not decide the nesting of two rings"
            decidedEverything = false
        }
        // A wrong nesting proves an overlap only when every containment test was decided.
        func wrongNesting(_ message: String, _ p: Position) -> (outcome: Outcome, onlyTouching: Bool) {
            done(undecidedNesting ? .unsupported(reason: "could not decide the nesting of the rings")
                : .notACoverage(reason: "\(message) near (\(p.x), \(p.y))"))
        }
        var shellIndex = [Int](repeating: -1, count: rings.count)
        var result: [Polygon] = []
        for (i, r) in rings.enumerated() where r.sign > 0 {
            if parent[i] >= 0 && rings[parent[i]].sign > 0 { return wrongNesting("a polygon lies inside another one", r.positions[0]) }
            shellIndex[i] = result.count
            result.append(Polygon(exterior: r.positions))
        }
        for (i, r) in rings.enumerated() where r.sign < 0 {
            let p = parent[i]
            guard p >= 0, rings[p].sign > 0 else { return wrongNesting("a hole outside every polygon", r.positions[0]) }
            result[shellIndex[p]].holes.append(r.positions)
        }
        if let uncertain { return (.unverified(result, reason: uncertain), decidedEverything) }
        return done(.certified(result))
    }

    /// Splits a closed ring of vertex ids that passes a vertex more than once into closed rings that do not.
    /// `seen` (one slot per vertex, -1) is left as it was found.
    static func splitAtRepeatedVertices(_ ring: [Int32], seen: inout [Int32]) -> [[Int32]] {
        var stack: [Int32] = []
        stack.reserveCapacity(ring.count)
        var out: [[Int32]] = []
        for id in ring.dropLast() {
            let k = Int(seen[Int(id)])
            if k >= 0 {
                out.append(Array(stack[k...]) + [id])
                for x in stack[(k + 1)...] { seen[Int(x)] = -1 }
                stack.removeSubrange((k + 1)...)
            } else {
                seen[Int(id)] = Int32(stack.count)
                stack.append(id)
            }
        }
        for x in stack { seen[Int(x)] = -1 }
        out.append(stack + [stack[0]])
        return out
    }

    struct TracedRing {
        var ids: [Int32]
        var positions: [Position]
        /// The exact orientation: 1 counter-clockwise (a shell), -1 clockwise (a hole).
        var sign: Int
        /// The floating-point area's magnitude: only for ordering the nesting candidates.
        var area: Double
        var box: BoundingBox
    }

    enum Decision { case yes, no, undecided }

    /// Whether `outer` contains `inner`, tested at one of inner's vertices. With `skipTouching`, vertices that
    /// lie on `outer` are skipped (rings may share a vertex); otherwise the first vertex decides.
    static func contains(_ outer: TracedRing, ringOf inner: TracedRing, skipTouching: Bool) -> Decision {
        let limit = skipTouching ? inner.positions.count - 1 : 1
        for k in 0..<limit {
            switch windingContains(inner.positions[k], outer.positions) {
            case .yes: return .yes
            case .no: return .no
            case .undecided: continue
            }
        }
        return .undecided
    }

    /// Point in ring by winding number (Sunday), with filtered orientation: `.undecided` when the point is on
    /// the ring or too close to an edge for floating point.
    static func windingContains(_ p: Position, _ ring: [Position]) -> Decision {
        var wn = 0
        var a = ring[0]
        for k in 1..<ring.count {
            let b = ring[k]
            if a.y <= p.y {
                if b.y > p.y {
                    let o = orientation(a, b, p)
                    if o == 0 || o == 2 { return .undecided }
                    if o > 0 { wn += 1 }
                }
            } else if b.y <= p.y {
                let o = orientation(a, b, p)
                if o == 0 || o == 2 { return .undecided }
                if o < 0 { wn -= 1 }
            }
            if a == p { return .undecided }
            a = b
        }
        return wn != 0 ? .yes : .no
    }
}

/// Orientation of c relative to the line a→b, exactly (`exactOrientation`): 1 left (counter-clockwise), -1 right,
/// 0 collinear; 2 when the coordinates are out of the range where it can be decided exactly.
@inline(__always)
package func orientation(_ a: Position, _ b: Position, _ c: Position) -> Int {
    exactOrientation(a, b, c) ?? 2
}

/// Positions interned to dense integer ids: equal positions (-0.0 and 0.0 included) get one id. Open addressing
/// on the coordinates' bit patterns, with 4-byte slots holding only the id (the position is compared through
/// `positions`), so that tens of millions of vertices stay affordable. Grows to stay at most half full.
///
/// Hand-written because a `Dictionary<Position, Int32>` costs a SipHash and about 40 bytes per entry; this is the
/// inner loop of the coverage union and of the edge-matching check.
public struct VertexIndex {
    private var slots: [Int32]
    private var mask: Int
    /// Positions by id.
    public private(set) var positions: [Position] = []

    public init(expectedCount n: Int) {
        var cap = 16
        while cap < 2 * n { cap <<= 1 }
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        positions.reserveCapacity(n)
    }

    public var count: Int { positions.count }

    @inline(__always)
    static func hash(_ p: Position) -> Int {
        var h = (p.x + 0.0).bitPattern &* 0x9E37_79B9_7F4A_7C15 ^ ((p.y + 0.0).bitPattern &* 0xC2B2_AE3D_27D4_EB4F)
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The id of `p`, and whether it was new.
    @inline(__always)
    public mutating func intern(_ p: Position) -> (id: Int32, isNew: Bool) {
        var i = Self.hash(p) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if positions[Int(id)] == p { return (id, false) }
            i = (i + 1) & mask
        }
        let id = Int32(positions.count)
        slots[i] = id
        positions.append(p)
        if 2 * positions.count > slots.count { grow() }
        return (id, true)
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        for (id, p) in positions.enumerated() {
            var i = Self.hash(p) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// Directed edges between interned vertices, with per-vertex chains, cancelled in pairs.
package struct EdgeGraph {
    private var index: VertexIndex
    var positions: [Position] { index.positions }
    /// Per vertex: first edge leaving it (-1 none).
    private var head: [Int32] = []
    private(set) var from: [Int32] = []
    private(set) var to: [Int32] = []
    private var next: [Int32] = []
    private var alive: [Bool] = []

    init(expectedVertices n: Int) {
        index = VertexIndex(expectedCount: n / 2 + 16)
        head.reserveCapacity(n / 2 + 16)
        from.reserveCapacity(n / 2)
        to.reserveCapacity(n / 2)
        next.reserveCapacity(n / 2)
        alive.reserveCapacity(n / 2)
    }

    @inline(__always)
    mutating func intern(_ p: Position) -> Int32 {
        let (id, isNew) = index.intern(p)
        if isNew { head.append(-1) }
        return id
    }

    /// Adds the edge p→q, or cancels it against q→p. False when p→q was already used (an overlap).
    mutating func add(_ p: Int32, _ q: Int32) -> Bool {
        var e = head[Int(p)]
        while e >= 0 {
            if to[Int(e)] == q { return false }
            e = next[Int(e)]
        }
        e = head[Int(q)]
        while e >= 0 {
            if to[Int(e)] == p {
                // q→p alive: cancel; already cancelled: p→q was used before.
                if alive[Int(e)] { alive[Int(e)] = false; return true }
                return false
            }
            e = next[Int(e)]
        }
        let id = Int32(from.count)
        from.append(p)
        to.append(q)
        next.append(head[Int(p)])
        alive.append(true)
        head[Int(p)] = id
        return true
    }

    /// Edges left after cancelling, traced into closed rings of vertex ids (first id repeated at the end).
    func trace() -> Result<Tracing, TraceError> {
        let v = index.count
        var outDegree = [Int32](repeating: 0, count: v)
        var inDegree = [Int32](repeating: 0, count: v)
        for e in 0..<from.count where alive[e] {
            outDegree[Int(from[e])] += 1
            inDegree[Int(to[e])] += 1
        }
        var touching = 0
        for i in 0..<v {
            if outDegree[i] != inDegree[i] { return .failure(TraceError(message: "the boundary edges do not close into rings")) }
            if outDegree[i] > 1 { touching += 1 }
        }
        var used = [Bool](repeating: false, count: from.count)
        var rings: [[Int32]] = []
        for start in 0..<from.count where alive[start] && !used[start] {
            var ring: [Int32] = []
            var cur = start
            repeat {
                used[cur] = true
                ring.append(from[cur])
                let at = to[cur]
                var pick: Int32 = -1
                if outDegree[Int(at)] == 1 {
                    var e = head[Int(at)]
                    while e >= 0 && !alive[Int(e)] { e = next[Int(e)] }
                    pick = e
                } else {
                    // The zone touches itself here. Of the edges not traced yet (or the one that closes this
                    // ring), take the sharpest left turn (a U-turn counts as the sharpest right): where zones touch
                    // in a corner, each ring then keeps to its own part. Rings that still pass a vertex twice are
                    // split afterwards.
                    let a = positions[Int(from[cur])], b = positions[Int(at)]
                    let dx = b.x - a.x, dy = b.y - a.y
                    var best = -Double.infinity
                    var e = head[Int(at)]
                    while e >= 0 {
                        if alive[Int(e)] && (!used[Int(e)] || Int(e) == start) {
                            let c = positions[Int(to[Int(e)])]
                            let ex = c.x - b.x, ey = c.y - b.y
                            var turn = atan2(dx * ey - dy * ex, dx * ex + dy * ey)
                            if turn >= Double.pi { turn = -Double.pi }
                            if turn > best { best = turn; pick = e }
                        }
                        e = next[Int(e)]
                    }
                }
                if pick < 0 || (used[Int(pick)] && Int(pick) != start) {
                    return .failure(TraceError(message: "the boundary edges could not be traced into rings"))
                }
                cur = Int(pick)
            } while cur != start
            ring.append(ring[0])
            rings.append(ring)
        }
        return .success(Tracing(rings: rings, touchingVertices: touching))
    }
}

package struct Tracing {
    var rings: [[Int32]]
    /// Vertices with more than one boundary edge leaving them.
    var touchingVertices: Int
}

package struct TraceError: Error { var message: String }

/// Do any two boundary segments meet, other than consecutive segments of a ring at their common vertex? A
/// uniform grid over the rings' extent (about one cell per segment); each pair is tested once, in the cell holding
/// the lower-left corner of the overlap of their bounding boxes.
package enum SegmentCheck {
    enum Finding { case clean, crossing(Position), undecided(String) }

    static func check(_ rings: [CoverageUnion.TracedRing]) -> Finding {
        // Per segment: its ends, their vertex ids and its box; the extent of all rings.
        var a: [Position] = [], b: [Position] = [], idA: [Int32] = [], idB: [Int32] = [], boxes: [BoundingBox] = []
        var n = 0
        for r in rings { n += r.positions.count - 1 }
        a.reserveCapacity(n); b.reserveCapacity(n); idA.reserveCapacity(n); idB.reserveCapacity(n); boxes.reserveCapacity(n)
        var box = rings[0].box
        for r in rings {
            box.include(Position(r.box.minX, r.box.minY))
            box.include(Position(r.box.maxX, r.box.maxY))
            for k in 0..<(r.positions.count - 1) {
                let p = r.positions[k], q = r.positions[k + 1]
                a.append(p); b.append(q)
                idA.append(r.ids[k]); idB.append(r.ids[k + 1])
                boxes.append(BoundingBox(minX: min(p.x, q.x), minY: min(p.y, q.y), maxX: max(p.x, q.x), maxY: max(p.y, q.y)))
            }
        }
        let w = box.maxX - box.minX, h = box.maxY - box.minY
        // Coordinates near the limits of Double (a span that overflows) cannot be bucketed.
        guard w.isFinite && h.isFinite else { return .undecided("the extent overflows: could not bucket the segments") }
        var nx = 1, ny = 1
        if w > 0 && h > 0 {
            let cells = Double(max(n, 1))
            nx = max(1, min(n, Int((cells * w / h).squareRoot())))
            ny = max(1, min(n, Int(cells / Double(nx))))
        } else if w > 0 {
            nx = max(1, n)
        } else if h > 0 {
            ny = max(1, n)
        }
        let sx = w > 0 ? Double(nx) / w : 0, sy = h > 0 ? Double(ny) / h : 0
        @inline(__always) func cx(_ x: Double) -> Int { min(nx - 1, max(0, Int((x - box.minX) * sx))) }
        @inline(__always) func cy(_ y: Double) -> Int { min(ny - 1, max(0, Int((y - box.minY) * sy))) }
        // Each segment's range of cells. Long diagonal segments over a fine grid would fill many cells (a star of
        // long spikes: quadratic): past a budget, leave the decision to GEOS.
        var range: [(x0: Int, x1: Int, y0: Int, y1: Int)] = []
        range.reserveCapacity(n)
        var memberships = 0
        for sb in boxes {
            let r = (x0: cx(sb.minX), x1: cx(sb.maxX), y0: cy(sb.minY), y1: cy(sb.maxY))
            memberships += (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1)
            if memberships > 16 * n + 100_000 { return .undecided("too many long segments to bucket: could not decide cheaply whether the boundary crosses itself") }
            range.append(r)
        }
        // Counting sort of the segments into cells (compressed rows).
        var start = [Int32](repeating: 0, count: nx * ny + 1)
        for r in range {
            for gy in r.y0...r.y1 { for gx in r.x0...r.x1 { start[gy * nx + gx + 1] += 1 } }
        }
        for c in 0..<(nx * ny) { start[c + 1] += start[c] }
        var fill = start
        var members = [Int32](repeating: 0, count: Int(start[nx * ny]))
        for (s, r) in range.enumerated() {
            for gy in r.y0...r.y1 {
                for gx in r.x0...r.x1 {
                    let c = gy * nx + gx
                    members[Int(fill[c])] = Int32(s)
                    fill[c] += 1
                }
            }
        }
        var undecided = false
        for gy in 0..<ny {
            for gx in 0..<nx {
                let c = gy * nx + gx
                let lo = Int(start[c]), hi = Int(start[c + 1])
                if hi - lo < 2 { continue }
                for i in lo..<(hi - 1) {
                    let s = Int(members[i])
                    let sb = boxes[s]
                    for j in (i + 1)..<hi {
                        let t = Int(members[j])
                        let tb = boxes[t]
                        if !sb.intersects(tb) { continue }
                        // Test the pair only in the cell of the lower-left corner of the boxes' overlap.
                        let corner = Position(max(sb.minX, tb.minX), max(sb.minY, tb.minY))
                        if cx(corner.x) != gx || cy(corner.y) != gy { continue }
                        // Segments with a common vertex (consecutive ones, or rings touching in a vertex) may
                        // meet there, but must not run over each other from it.
                        if idA[s] == idA[t] || idA[s] == idB[t] || idB[s] == idA[t] || idB[s] == idB[t] {
                            let (p, q, r) = idA[s] == idA[t] ? (a[s], b[s], b[t]) : idA[s] == idB[t] ? (a[s], b[s], a[t])
                                : idB[s] == idA[t] ? (b[s], a[s], b[t]) : (b[s], a[s], a[t])
                            if (q.x - p.x) * (r.x - p.x) + (q.y - p.y) * (r.y - p.y) > 0 {
                                switch orientation(p, q, r) {
                                case 0: return .crossing(p)
                                case 2: undecided = true
                                default: break
                                }
                            }
                            continue
                        }
                        let o1 = orientation(a[s], b[s], a[t]), o2 = orientation(a[s], b[s], b[t])
                        let o3 = orientation(a[t], b[t], a[s]), o4 = orientation(a[t], b[t], b[s])
                        if o1 == 2 || o2 == 2 || o3 == 2 || o4 == 2 { undecided = true; continue }
                        if o1 * o2 > 0 || o3 * o4 > 0 { continue }
                        return .crossing(corner)
                    }
                }
            }
        }
        return undecided ? .undecided("floating point could not decide whether two boundary segments meet") : .clean
    }
}

extension CoverageUnion {
    /// Whether the polygons, as given, are provably a valid (Multi)Polygon: the Swift union certifies them and
    /// cancels no edge, so the traced rings are exactly the input rings (simple, neither crossing nor touching,
    /// properly nested). False means "not proven here" (check with GEOS), not "invalid".
    public static func provesValid(_ polygons: [Polygon]) -> Bool {
        guard case .certified(let result) = union(polygons) else { return false }
        let rings = polygons.reduce(0) { $0 + 1 + $1.holes.count }
        let resultRings = result.reduce(0) { $0 + 1 + $1.holes.count }
        let vertices = polygons.reduce(0) { $0 + $1.vertexCount }
        return rings == resultRings && vertices == result.reduce(0) { $0 + $1.vertexCount }
    }
}
