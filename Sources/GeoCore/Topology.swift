
// Shared-arc topology of a polygon coverage, in the manner of TopoJSON / mapshaper: every border between two
// polygons is stored once, as an arc between two junctions, and each ring is a list of signed arc references.
// Simplifying the arcs (Simplify.swift) then moves both neighbours' borders together: no slivers, no gaps.

/// A signed reference to an arc: the arc index, or its bitwise complement (`~index`) when the ring follows the
/// arc backwards (the TopoJSON convention).
public struct ArcRef: Hashable, Sendable, CustomStringConvertible {
    public let raw: Int32
    @inlinable public init(raw: Int32) { self.raw = raw }
    @inlinable public init(_ index: Int, reversed: Bool = false) {
        raw = reversed ? ~Int32(index) : Int32(index)
    }
    /// The arc index.
    @inlinable public var index: Int { Int(raw < 0 ? ~raw : raw) }
    /// True when the arc is followed from its last point to its first.
    @inlinable public var isReversed: Bool { raw < 0 }
    /// The same arc followed the other way.
    @inlinable public var reversed: ArcRef { ArcRef(raw: ~raw) }
    public var description: String { isReversed ? "~\(index)" : "\(index)" }
}

/// One ring of an input shape, as arcs. The shape lies on the left of the ring (exteriors counter-clockwise,
/// holes clockwise, in x-east / y-north axes), whatever the winding of the input.
public struct TopoRing: Hashable, Sendable {
    /// Index of the input shape (e.g. the block).
    public var shape: Int
    /// Index of the polygon within the shape's `polygons`.
    public var part: Int
    /// Index of the ring within the polygon's `rings` (0 = exterior).
    public var ring: Int
    public var isHole: Bool { ring > 0 }
    public var arcs: [ArcRef]
}

/// Where a ring was dropped or an arc was used in a way a clean coverage never does.
public struct TopologyDiagnostics: Hashable, Sendable {
    /// Input vertices (closing vertices included).
    public var inputVertices = 0
    /// Distinct positions.
    public var uniquePositions = 0
    /// Junctions: positions where arcs end.
    public var nodes = 0
    /// Rings with fewer than 3 distinct positions or zero area, as (shape, part, ring); they are left out.
    public var droppedRings: [[Int]] = []
    /// Arcs followed twice on the same side: the input overlaps itself (not a clean coverage).
    public var overusedArcs: [Int] = []
    /// True when the input behaved like a clean polygon coverage.
    public var isClean: Bool { droppedRings.isEmpty && overusedArcs.isEmpty }
}

/// A shared-arc topology of polygonal shapes in projected metres.
///
/// Build it from shapes forming a coverage in which shared borders use identical vertices (true for data cut from
/// one source). Junctions are positions where the set of neighbouring rings changes; each ring is cut at its
/// junctions and every arc shared by two rings is stored once, with the shape on its left and on its right
/// (`-1`: nothing, the outside of the coverage or an unfilled hole). A ring without any junction (an island, an
/// enclave entirely surrounded by one neighbour) is one closed arc.
public struct Topology: Sendable {
    /// The positions of all arcs, arc after arc. Arc `i` is `points[arcOffsets[i] ..< arcOffsets[i + 1]]`.
    public private(set) var points: [Position]
    /// Start offsets of the arcs in `points`, plus the end (count = `arcCount + 1`).
    public private(set) var arcOffsets: [Int]
    /// Shape on the left of each arc (as stored), or -1.
    public let left: [Int32]
    /// Shape on the right of each arc (as stored), or -1.
    public let right: [Int32]
    /// Junction (node) index of each arc's first and last point. A closed arc starts and ends at one node.
    public let startNode: [Int32]
    public let endNode: [Int32]
    public let nodeCount: Int
    /// The rings of all shapes, in input order (shape, part, ring).
    public let rings: [TopoRing]
    /// The number of input shapes (shape indexes are `0 ..< shapeCount`).
    public let shapeCount: Int
    public let diagnostics: TopologyDiagnostics
    /// For each arc some side of which is taken twice (`diagnostics.overusedArcs`): the shapes of every ring that
    /// follows it, in the order of the input (its creator first).
    public let overusedArcUsers: [Int: [Int32]]

    public var arcCount: Int { arcOffsets.count - 1 }

    /// The positions of arc `i`, as stored.
    @inlinable public func arc(_ i: Int) -> ArraySlice<Position> {
        points[arcOffsets[i] ..< arcOffsets[i + 1]]
    }

    /// The positions of an arc in the direction of the reference.
    public func positions(_ ref: ArcRef) -> [Position] {
        let a = arc(ref.index)
        return ref.isReversed ? a.reversed() : Array(a)
    }

    /// The closed ring (first position repeated at the end) formed by a chain of arc references.
    public func ring(_ refs: [ArcRef]) -> Ring {
        var out: Ring = []
        out.reserveCapacity(refs.reduce(1) { $0 + arcOffsets[$1.index + 1] - arcOffsets[$1.index] - 1 })
        for r in refs {
            let a = arc(r.index)
            if r.isReversed {
                var k = a.endIndex - 1
                if !out.isEmpty { k -= 1 }
                while k >= a.startIndex { out.append(a[k]); k -= 1 }
            } else {
                out.append(contentsOf: out.isEmpty ? a : a.dropFirst())
            }
        }
        return out
    }

    /// Shape `i` rebuilt from the arcs (after simplification: the simplified shape). Dropped rings stay out.
    public func shape(_ i: Int) -> Shape {
        var polygons: [Polygon] = []
        var lastPart = -1
        for r in rings[ringRange(ofShape: i)] {
            let positions = ring(r.arcs)
            if r.ring == 0 || r.part != lastPart {
                polygons.append(Polygon(exterior: positions))
                lastPart = r.part
            } else {
                polygons[polygons.count - 1].holes.append(positions)
            }
        }
        return .polygonal(polygons)
    }

    /// The rings of shape `i` (a contiguous range of `rings`).
    public func ringRange(ofShape i: Int) -> Range<Int> {
        let lo = shapeRingOffsets[i], hi = shapeRingOffsets[i + 1]
        return lo ..< hi
    }

    /// `rings[shapeRingOffsets[i] ..< shapeRingOffsets[i + 1]]` are the rings of shape `i`.
    let shapeRingOffsets: [Int]

    /// Internal memberwise initialiser (used by simplification, which only replaces the points).
    init(points: [Position], arcOffsets: [Int], from other: Topology) {
        self.points = points
        self.arcOffsets = arcOffsets
        left = other.left; right = other.right
        startNode = other.startNode; endNode = other.endNode; nodeCount = other.nodeCount
        rings = other.rings; shapeCount = other.shapeCount; diagnostics = other.diagnostics
        overusedArcUsers = other.overusedArcUsers
        shapeRingOffsets = other.shapeRingOffsets
    }
}

// MARK: - Building

extension Topology {
    /// Builds the topology of polygonal shapes (points and lines are ignored) in a projected CRS.
    ///
    /// Positions are matched by exact equality (`-0.0` equals `0.0`), so shared borders must use identical
    /// vertices. Consecutive duplicate positions and closing positions are removed; rings are re-oriented so
    /// that their shape lies on their left.
    public init(shapes: [Shape]) {
        var diag = TopologyDiagnostics()

        // 1. Flatten all rings into one array of positions (open rings, shape on the left).
        struct RawRing { var start: Int; var count: Int; var shape: Int; var part: Int; var ring: Int }
        var pts: [Position] = []
        pts.reserveCapacity(shapes.reduce(0) { $0 + $1.vertexCount })
        var raw: [RawRing] = []
        for (s, shape) in shapes.enumerated() {
            for (p, polygon) in shape.polygons.enumerated() {
                for (r, ring) in polygon.rings.enumerated() {
                    diag.inputVertices += ring.count
                    let start = pts.count
                    for q in ring {
                        let q = Position(q.x + 0.0, q.y + 0.0)  // -0.0 becomes 0.0
                        if pts.count > start, pts[pts.count - 1] == q { continue }
                        pts.append(q)
                    }
                    if pts.count - start >= 2, pts[pts.count - 1] == pts[start] { pts.removeLast() }
                    let n = pts.count - start
                    // The exact sign of the area (a sliver's floating-point area can have the wrong sign).
                    let sign = n < 3 ? 0 : exactAreaSign(pts[start...]) ?? Int(signedArea(pts[start...]).sign == .minus ? -1 : 1)
                    if sign == 0 {
                        pts.removeLast(n)
                        diag.droppedRings.append([s, p, r])
                        continue
                    }
                    // Exteriors counter-clockwise, holes clockwise: the shape is on the left.
                    if (sign > 0) != (r == 0) { pts[start...].reverse() }
                    raw.append(RawRing(start: start, count: n, shape: s, part: p, ring: r))
                }
            }
        }

        // 2. Identify positions by hashing their bit patterns (open addressing, linear probing).
        let ids = PositionIndex.identify(pts)
        let unique = ids.uniqueCount
        diag.uniquePositions = unique

        // 3. Junctions: a position visited more than twice, or twice with different neighbours.
        var firstPrev = [Int32](repeating: -1, count: unique)
        var firstNext = [Int32](repeating: -1, count: unique)
        var visits = [UInt8](repeating: 0, count: unique)
        var isJunction = [Bool](repeating: false, count: unique)
        ids.ids.withUnsafeBufferPointer { id in
            for rr in raw {
                let b = rr.start, n = rr.count
                for k in 0 ..< n {
                    let p = Int(id[b + k])
                    let prev = id[b + (k == 0 ? n - 1 : k - 1)], next = id[b + (k == n - 1 ? 0 : k + 1)]
                    switch visits[p] {
                    case 0:
                        firstPrev[p] = prev; firstNext[p] = next; visits[p] = 1
                    case 1:
                        let a = firstPrev[p], c = firstNext[p]
                        if !((prev == a && next == c) || (prev == c && next == a)) { isJunction[p] = true }
                        visits[p] = 2
                    default:
                        isJunction[p] = true
                    }
                }
            }
        }

        // 4. Cut rings at junctions; share arcs between rings through the key (first edge) of each direction.
        var arcPoints: [Position] = []
        arcPoints.reserveCapacity(pts.count / 2 + raw.count)
        var offsets: [Int] = [0]
        var left: [Int32] = [], right: [Int32] = [], startNode: [Int32] = [], endNode: [Int32] = []
        var nodeOf = [Int32](repeating: -1, count: unique)
        var nodeCount: Int32 = 0
        var byFirstEdge: [UInt64: Int32] = [:]
        var rings: [TopoRing] = []
        rings.reserveCapacity(raw.count)
        var shapeRingOffsets = [Int](repeating: 0, count: shapes.count + 1)
        var users: [Int: [Int32]] = [:]   // overused arc → every ring's shape, in order of use

        @inline(__always) func edgeKey(_ a: Int32, _ b: Int32) -> UInt64 {
            UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        }
        func node(_ p: Int32) -> Int32 {
            if nodeOf[Int(p)] < 0 { nodeOf[Int(p)] = nodeCount; nodeCount += 1 }
            return nodeOf[Int(p)]
        }

        let id = ids.ids
        for rr in raw {
            let b = rr.start, n = rr.count, shape = Int32(rr.shape)
            @inline(__always) func at(_ k: Int) -> Int { b + k % n }
            var refs: [ArcRef] = []

            // The arc over ring offsets lo...hi (hi > lo, taken modulo n).
            func emit(_ lo: Int, _ hi: Int) {
                let p0 = id[at(lo)], p1 = id[at(lo + 1)]
                let ref: ArcRef
                if let found = byFirstEdge[edgeKey(p0, p1)] {
                    ref = ArcRef(raw: found)
                } else {
                    let index = left.count
                    for k in lo ... hi { arcPoints.append(pts[at(k)]) }
                    offsets.append(arcPoints.count)
                    left.append(-1); right.append(-1)
                    let pn = id[at(hi)], pm = id[at(hi - 1)]
                    startNode.append(node(p0)); endNode.append(node(pn))
                    byFirstEdge[edgeKey(p0, p1)] = Int32(index)
                    if byFirstEdge[edgeKey(pn, pm)] == nil { byFirstEdge[edgeKey(pn, pm)] = ~Int32(index) }
                    ref = ArcRef(index)
                }
                let i = ref.index
                // An arc's creator is on its left. Once a side is taken twice, every user is kept, in order.
                func overuse() {
                    if users[i] == nil { users[i] = [left[i]] + (right[i] >= 0 ? [right[i]] : []) }
                    users[i]!.append(shape)
                }
                if ref.isReversed {
                    if right[i] >= 0 { overuse() } else { right[i] = shape; users[i]?.append(shape) }
                } else {
                    if left[i] >= 0 { overuse() } else { left[i] = shape; users[i]?.append(shape) }
                }
                refs.append(ref)
            }

            var first = -1
            for k in 0 ..< n where isJunction[Int(id[b + k])] { first = k; break }
            if first < 0 {
                // No junction: one closed arc, started at the smallest position id so that both rings of a
                // shared closed border (an enclave and its hole) start at the same position.
                var m = 0
                for k in 1 ..< n where id[b + k] < id[b + m] { m = k }
                emit(m, m + n)
            } else {
                var k = first
                while k < first + n {
                    var e = k + 1
                    while !isJunction[Int(id[at(e)])] { e += 1 }
                    emit(k, e)
                    k = e
                }
            }
            rings.append(TopoRing(shape: rr.shape, part: rr.part, ring: rr.ring, arcs: refs))
            shapeRingOffsets[rr.shape + 1] = rings.count
        }
        // Shapes without rings get empty ranges.
        for s in 0 ..< shapes.count where shapeRingOffsets[s + 1] < shapeRingOffsets[s] {
            shapeRingOffsets[s + 1] = shapeRingOffsets[s]
        }

        diag.nodes = Int(nodeCount)
        diag.overusedArcs = users.keys.sorted()
        self.overusedArcUsers = users
        self.points = arcPoints
        self.arcOffsets = offsets
        self.left = left; self.right = right
        self.startNode = startNode; self.endNode = endNode
        self.nodeCount = Int(nodeCount)
        self.rings = rings
        self.shapeCount = shapes.count
        self.diagnostics = diag
        self.shapeRingOffsets = shapeRingOffsets
    }
}


/// Exact identification of positions: equal positions get equal ids, numbered in order of first appearance.
package struct PositionIndex {
    var ids: [Int32]
    var uniqueCount: Int

    static func identify(_ pts: [Position]) -> PositionIndex {
        var capacity = 16
        while capacity < pts.count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var table = [Int32](repeating: -1, count: capacity)   // slot → id
        var firstIndex: [Int32] = []                           // id → index in pts
        firstIndex.reserveCapacity(pts.count / 2)
        var ids = [Int32](repeating: 0, count: pts.count)
        pts.withUnsafeBufferPointer { p in
            table.withUnsafeMutableBufferPointer { t in
                for i in 0 ..< p.count {
                    let q = p[i]
                    var h = q.x.bitPattern &* 0x9E37_79B9_7F4A_7C15 ^ q.y.bitPattern &* 0xC2B2_AE3D_27D4_EB4F
                    h ^= h >> 29
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let u = t[slot]
                        if u < 0 {
                            t[slot] = Int32(firstIndex.count)
                            ids[i] = Int32(firstIndex.count)
                            firstIndex.append(Int32(i))
                            break
                        }
                        if p[Int(firstIndex[Int(u)])] == q { ids[i] = u; break }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        return PositionIndex(ids: ids, uniqueCount: firstIndex.count)
    }
}
