#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An assignment of the topology's shapes to groups (e.g. block → ELZ code), with dense group indexes.
public struct Grouping: Hashable, Sendable {
    /// Group keys, by group index, in order of first appearance.
    public let keys: [String]
    /// Group index of each shape, or -1 when the shape belongs to no group (e.g. Brussels for referentieregio's).
    public let groupOfShape: [Int]

    private let indexOfKey: [String: Int]

    /// Groups shapes by key; `nil` leaves a shape out.
    public init(_ keyOfShape: [String?]) {
        var index: [String: Int] = [:]
        var keys: [String] = []
        groupOfShape = keyOfShape.map { key in
            guard let key else { return -1 }
            if let g = index[key] { return g }
            index[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        self.keys = keys
        indexOfKey = index
    }

    public var count: Int { keys.count }

    /// The index of a key.
    public func index(of key: String) -> Int? { indexOfKey[key] }
}

/// The borders and dissolved outlines of a grouping, as arcs of one topology.
public struct GroupBoundaries: Hashable, Sendable {
    /// Arcs with shapes of different groups on both sides (each once): the borders between groups, including
    /// borders between a group and an ungrouped shape.
    public var inner: [Int]
    /// Arcs between a grouped shape and the outside of the coverage (or an unfilled hole).
    public var outer: [Int]
    /// Arcs between an ungrouped shape and the outside.
    public var ungroupedOuter: [Int]
    /// Dissolved rings of every group, by group index: closed chains of arc references with the group on the
    /// left, so exteriors run counter-clockwise and holes clockwise. Any chaining gives the same fill; at a
    /// point where a group touches itself the chains follow the tightest turn, so rings stay simple.
    public var rings: [[[ArcRef]]]
}

extension Topology {
    /// Group index on each side of every arc (-1: outside the coverage or an ungrouped shape).
    private func sideGroups(_ grouping: Grouping) -> (left: [Int], right: [Int]) {
        precondition(grouping.groupOfShape.count == shapeCount, "the grouping must cover every shape")
        let g = grouping.groupOfShape
        return (left.map { $0 < 0 ? -1 : g[Int($0)] }, right.map { $0 < 0 ? -1 : g[Int($0)] })
    }

    /// Borders between groups, outer arcs, and each group's dissolved rings.
    public func boundaries(_ grouping: Grouping) -> GroupBoundaries {
        let (gl, gr) = sideGroups(grouping)
        var inner: [Int] = [], outer: [Int] = [], ungroupedOuter: [Int] = []
        var directed = [[ArcRef]](repeating: [], count: grouping.count)
        for a in 0 ..< arcCount {
            let l = gl[a], r = gr[a]
            if left[a] >= 0 && right[a] >= 0 {
                if l != r { inner.append(a) }
            } else if l >= 0 || r >= 0 {
                outer.append(a)
            } else {
                ungroupedOuter.append(a)
            }
            if l != r {
                if l >= 0 { directed[l].append(ArcRef(a)) }
                if r >= 0 { directed[r].append(ArcRef(a, reversed: true)) }
            }
        }
        let rings = directed.map { chainRings($0) }
        return GroupBoundaries(inner: inner, outer: outer, ungroupedOuter: ungroupedOuter, rings: rings)
    }

    /// Pairs of groups that share at least one arc (touching at a point does not count), as sorted neighbour
    /// lists by group index.
    public func adjacency(_ grouping: Grouping) -> [[Int]] {
        let (gl, gr) = sideGroups(grouping)
        var sets = [Set<Int>](repeating: [], count: grouping.count)
        for a in 0 ..< arcCount {
            let l = gl[a], r = gr[a]
            if l >= 0 && r >= 0 && l != r { sets[l].insert(r); sets[r].insert(l) }
        }
        return sets.map { $0.sorted() }
    }

    /// Adjacency of the shapes themselves (e.g. blocks): neighbours that share an arc.
    public func shapeAdjacency() -> [[Int]] {
        adjacency(Grouping((0 ..< shapeCount).map { String($0) }))
    }

    /// The polygons (holes assigned to their exteriors) of a group's dissolved rings, as positions of this
    /// topology (simplified or not).
    public func polygons(_ rings: [[ArcRef]]) -> [Polygon] {
        var shells: [(ring: Ring, area: Double, box: BoundingBox)] = []
        var holes: [Ring] = []
        for refs in rings {
            let r = ring(refs)
            let a = signedArea(r)
            if a > 0 { shells.append((r, a, BoundingBox(of: r))) } else if a < 0 { holes.append(r) }
        }
        var polygons = shells.map { Polygon(exterior: $0.ring) }
        for h in holes {
            // The smallest shell containing the midpoint of the hole's first edge.
            let m = Position((h[0].x + h[1].x) / 2, (h[0].y + h[1].y) / 2)
            var best = -1
            for (i, s) in shells.enumerated()
            where s.box.minX <= m.x && m.x <= s.box.maxX && s.box.minY <= m.y && m.y <= s.box.maxY
                && (best < 0 || s.area < shells[best].area) && contains(s.ring, m) {
                best = i
            }
            if best >= 0 { polygons[best].holes.append(h) }
        }
        return polygons
    }

    /// Chains a set of arcs into as few polylines as possible: arcs are joined at nodes where exactly two of them
    /// meet (longer paths draw smoother dashes and joins, and take fewer bytes). Each arc is used once.
    public func chainLines(_ arcs: [Int]) -> [[ArcRef]] {
        var incident: [Int32: [ArcRef]] = [:]  // node → arcs leaving it
        for a in arcs {
            incident[startNode[a], default: []].append(ArcRef(a))
            incident[endNode[a], default: []].append(ArcRef(a, reversed: true))
        }
        var used = Set<Int>()
        var lines: [[ArcRef]] = []
        func endOf(_ r: ArcRef) -> Int32 { r.isReversed ? startNode[r.index] : endNode[r.index] }
        func walk(from first: ArcRef) {
            var line = [first]
            used.insert(first.index)
            var node = endOf(first)
            while let out = incident[node], out.count == 2,
                  let next = out.first(where: { !used.contains($0.index) }) {
                line.append(next)
                used.insert(next.index)
                node = endOf(next)
            }
            lines.append(line)
        }
        // Open paths start at nodes of degree ≠ 2; what remains are cycles.
        for a in arcs {
            for r in [ArcRef(a), ArcRef(a, reversed: true)] where !used.contains(a) {
                let start = r.isReversed ? endNode[a] : startNode[a]
                if incident[start]?.count != 2 { walk(from: r) }
            }
        }
        for a in arcs where !used.contains(a) { walk(from: ArcRef(a)) }
        return lines
    }

    /// Chains directed arcs (all with the same group on their left) into closed rings.
    func chainRings(_ refs: [ArcRef]) -> [[ArcRef]] {
        func from(_ r: ArcRef) -> Int32 { r.isReversed ? endNode[r.index] : startNode[r.index] }
        func to(_ r: ArcRef) -> Int32 { r.isReversed ? startNode[r.index] : endNode[r.index] }
        var outgoing: [Int32: [Int]] = [:]  // node → indexes into refs
        for (i, r) in refs.enumerated() { outgoing[from(r), default: []].append(i) }
        var used = [Bool](repeating: false, count: refs.count)
        var rings: [[ArcRef]] = []
        for s in refs.indices where !used[s] {
            var ring: [ArcRef] = []
            var i = s
            while true {
                used[i] = true
                ring.append(refs[i])
                let node = to(refs[i])
                let candidates = outgoing[node] ?? []
                var next = -1
                if candidates.count == 1 {
                    next = candidates[0]
                } else if candidates.count > 1 {
                    next = tightestTurn(after: refs[i], among: candidates.map { refs[$0] }).map { candidates[$0] } ?? -1
                }
                if next == s || next < 0 { break }
                if used[next] {
                    // Not a planar boundary (overlapping input): take any unused way on, else close here.
                    guard let other = candidates.first(where: { !used[$0] }) else { break }
                    next = other
                }
                i = next
            }
            rings.append(ring)
        }
        return rings
    }

    /// Among arcs leaving the end node of `incoming`, the one reached first turning clockwise from the
    /// direction back along `incoming`: it bounds the same corner of the face on the left.
    private func tightestTurn(after incoming: ArcRef, among candidates: [ArcRef]) -> Int? {
        let inPts = arc(incoming.index)
        let node = incoming.isReversed ? inPts.first! : inPts.last!
        let back = incoming.isReversed ? inPts[inPts.startIndex + 1] : inPts[inPts.endIndex - 2]
        let base = atan2(back.y - node.y, back.x - node.x)
        var best: Int?
        var bestTurn = Double.infinity
        for (k, c) in candidates.enumerated() {
            let p = arc(c.index)
            let q = c.isReversed ? p[p.endIndex - 2] : p[p.startIndex + 1]
            var turn = base - atan2(q.y - node.y, q.x - node.x)  // clockwise angle from `back`
            while turn <= 0 { turn += 2 * .pi }
            while turn > 2 * .pi { turn -= 2 * .pi }
            if turn < bestTurn { bestTurn = turn; best = k }
        }
        return best
    }
}


/// Even–odd point-in-ring test (points on the boundary may go either way).
package func contains(_ ring: Ring, _ p: Position) -> Bool {
    var inside = false
    var j = ring.count - 1
    for i in 0 ..< ring.count {
        let a = ring[i], b = ring[j]
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
        j = i
    }
    return inside
}
