
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
    /// Steps 1–3 of the construction: the rings flattened (open, shape on the left), positions identified,
    /// junctions found. Shared by the topology and by its report mode (`segmentReport`).
    static func prepare(_ shapes: [Shape]) -> Prepared {
        var diag = TopologyDiagnostics()

        // 1. Flatten all rings into one array of positions (open rings, shape on the left).
        var pts: [Position] = []
        pts.reserveCapacity(shapes.reduce(0) { $0 + $1.vertexCount })
        var raw: [RawRing] = []
        for (s, shape) in shapes.enumerated() {
            shape.forEachPolygon { p, polygon in
                polygon.forEachRing { r, ring in
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
                        return
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
        return Prepared(pts: pts, raw: raw, ids: ids.ids, unique: unique, isJunction: isJunction, diagnostics: diag)
    }

    public init(shapes: [Shape]) {
        let prepared = Self.prepare(shapes)
        let raw = prepared.raw
        var diag = prepared.diagnostics

        // 4. Cut rings at junctions; share arcs between rings through their first edge in either direction.
        var builder = ArcBuilder(prepared, keepPoints: true)
        var rings: [TopoRing] = []
        rings.reserveCapacity(raw.count)
        var shapeRingOffsets = [Int](repeating: 0, count: shapes.count + 1)
        for rr in raw {
            let refs = builder.cut(start: rr.start, count: rr.count, shape: Int32(rr.shape))
            rings.append(TopoRing(shape: rr.shape, part: rr.part, ring: rr.ring, arcs: refs))
            shapeRingOffsets[rr.shape + 1] = rings.count
        }
        // Shapes without rings get empty ranges.
        for s in 0 ..< shapes.count where shapeRingOffsets[s + 1] < shapeRingOffsets[s] {
            shapeRingOffsets[s + 1] = shapeRingOffsets[s]
        }

        diag.nodes = Int(builder.nodeCount)
        diag.overusedArcs = builder.users.keys.sorted()
        self.overusedArcUsers = builder.users
        self.points = builder.arcPoints
        self.arcOffsets = builder.offsets
        self.left = builder.left; self.right = builder.right
        self.startNode = builder.startNode; self.endNode = builder.endNode
        self.nodeCount = Int(builder.nodeCount)
        self.rings = rings
        self.shapeCount = shapes.count
        self.diagnostics = diag
        self.shapeRingOffsets = shapeRingOffsets
    }
}


/// A ring of the input, flattened: `count` positions from `start` in `Prepared.pts`.
struct RawRing { var start: Int; var count: Int; var shape: Int; var part: Int; var ring: Int }

/// What steps 1–3 of `Topology.init` produce.
struct Prepared {
    var pts: [Position]
    var raw: [RawRing]
    var ids: [Int32]
    var unique: Int
    var isJunction: [Bool]
    var diagnostics: TopologyDiagnostics
}

/// Step 4 of `Topology.init`: rings cut into arcs at junctions, each arc stored once. A struct with mutating
/// methods rather than closures over local variables, which Swift checks for exclusive access at run time.
struct ArcBuilder {
    let pts: [Position]
    let id: [Int32]
    let isJunction: [Bool]
    var arcPoints: [Position] = []
    var offsets: [Int] = [0]
    var left: [Int32] = [], right: [Int32] = [], startNode: [Int32] = [], endNode: [Int32] = []
    var nodeOf: [Int32]
    var nodeCount: Int32 = 0
    /// Arcs by their first edge, in each direction (`~index` for the reverse), in a chain per start position:
    /// arcs start at junctions, which have few arcs, and the chains stay near the positions in memory (a hash table
    /// of edges spent a fifth of the topology's time in cache misses on 10⁵-cell coverages).
    var arcsFrom: [Int32]
    var entrySecond: [Int32] = [], entryRef: [Int32] = [], entryNext: [Int32] = []
    /// Overused arcs (a side taken twice): every ring's shape, in order of use; `overused` flags them.
    var users: [Int: [Int32]] = [:]
    var overused: [Bool] = []

    /// Copy each arc's positions into `arcPoints` (the topology), or only note where they are (`spans`: the
    /// report mode, which reads them from `pts`).
    let keepPoints: Bool
    /// Report mode: arc `i` is `pts[b + wrap(k, n)]` for `k` in `lo ... hi`, as (b, n, lo, hi).
    var spans: [(b: Int32, n: Int32, lo: Int32, hi: Int32)] = []

    init(_ prepared: Prepared, keepPoints: Bool) {
        pts = prepared.pts
        id = prepared.ids
        isJunction = prepared.isJunction
        self.keepPoints = keepPoints
        let ringCount = prepared.raw.count
        nodeOf = [Int32](repeating: -1, count: prepared.unique)
        arcsFrom = [Int32](repeating: -1, count: prepared.unique)
        if keepPoints { arcPoints.reserveCapacity(pts.count / 2 + ringCount) } else { spans.reserveCapacity(ringCount * 2) }
        entrySecond.reserveCapacity(ringCount * 2); entryRef.reserveCapacity(ringCount * 2); entryNext.reserveCapacity(ringCount * 2)
    }

    /// `k` modulo `n` for `0 ≤ k < 2n` (ring offsets go round at most once), without a division.
    @inline(__always) func wrap(_ k: Int, _ n: Int) -> Int { k >= n ? k - n : k }

    func arc(from a: Int32, to b: Int32) -> Int32? {
        var e = arcsFrom[Int(a)]
        while e >= 0 {
            if entrySecond[Int(e)] == b { return entryRef[Int(e)] }
            e = entryNext[Int(e)]
        }
        return nil
    }

    mutating func register(from a: Int32, to b: Int32, _ ref: Int32) {
        entrySecond.append(b); entryRef.append(ref); entryNext.append(arcsFrom[Int(a)])
        arcsFrom[Int(a)] = Int32(entrySecond.count - 1)
    }

    mutating func node(_ p: Int32) -> Int32 {
        if nodeOf[Int(p)] < 0 { nodeOf[Int(p)] = nodeCount; nodeCount += 1 }
        return nodeOf[Int(p)]
    }

    /// The arc over ring offsets lo...hi (hi > lo, taken modulo n) of the ring at `b`, followed by `shape`.
    mutating func emit(_ b: Int, _ n: Int, _ lo: Int, _ hi: Int, shape: Int32) -> ArcRef {
        let p0 = id[b + wrap(lo, n)], p1 = id[b + wrap(lo + 1, n)]
        let ref: ArcRef
        if let found = arc(from: p0, to: p1) {
            ref = ArcRef(raw: found)
        } else {
            let index = left.count
            if keepPoints {
                for k in lo ... hi { arcPoints.append(pts[b + wrap(k, n)]) }
                offsets.append(arcPoints.count)
            } else {
                spans.append((Int32(b), Int32(n), Int32(lo), Int32(hi)))
                offsets.append(offsets[offsets.count - 1] + hi - lo + 1)
            }
            left.append(-1); right.append(-1); overused.append(false)
            let pn = id[b + wrap(hi, n)], pm = id[b + wrap(hi - 1, n)]
            startNode.append(node(p0)); endNode.append(node(pn))
            register(from: p0, to: p1, Int32(index))
            if arc(from: pn, to: pm) == nil { register(from: pn, to: pm, ~Int32(index)) }
            ref = ArcRef(index)
        }
        let i = ref.index
        // An arc's creator is on its left. Once a side is taken twice, every user is kept, in order.
        let taken = ref.isReversed ? right[i] >= 0 : left[i] >= 0
        if taken {
            if !overused[i] {
                overused[i] = true
                users[i] = [left[i]] + (right[i] >= 0 ? [right[i]] : [])
            }
            users[i]!.append(shape)
        } else {
            if ref.isReversed { right[i] = shape } else { left[i] = shape }
            if overused[i] { users[i]!.append(shape) }
        }
        return ref
    }

    /// The ring of `n` positions at `b` as arcs: cut at its junctions, or one closed arc when it has none (started
    /// at the smallest position id, so that both rings of a shared closed border start at the same position).
    /// `collect: false` (the report mode) emits the arcs without returning them.
    mutating func cut(start b: Int, count n: Int, shape: Int32, collect: Bool = true) -> [ArcRef] {
        var first = -1
        for k in 0 ..< n where isJunction[Int(id[b + k])] { first = k; break }
        if first < 0 {
            var m = 0
            for k in 1 ..< n where id[b + k] < id[b + m] { m = k }
            let ref = emit(b, n, m, m + n, shape: shape)
            return collect ? [ref] : []
        }
        var refs: [ArcRef] = []
        var k = first
        while k < first + n {
            var e = k + 1
            while !isJunction[Int(id[b + wrap(e, n)])] { e += 1 }
            let ref = emit(b, n, k, e, shape: shape)
            if collect { refs.append(ref) }
            k = e
        }
        return refs
    }
}

/// Exact identification of positions: equal positions get equal ids, numbered in order of first appearance.
package struct PositionIndex {
    var ids: [Int32]
    var uniqueCount: Int

    static func identify(_ pts: [Position]) -> PositionIndex {
        // Load at most 0.8 even if no position repeats; about 0.3 for a coverage, whose vertices are mostly
        // shared. Sized at 1.25 rather than 2 times the positions: the profile of a 10⁶-cell coverage showed this
        // table's cache misses and page clearing near the top.
        var capacity = 16
        while capacity < pts.count + pts.count / 4 { capacity <<= 1 }
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
