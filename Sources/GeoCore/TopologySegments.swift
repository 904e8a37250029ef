// The segment-level views of the arc topology: the edge-matching report of a coverage (how many segments, how
// many shared by two rings that run them in opposite directions, which ones are used otherwise) and the shared
// border per pair of shapes. They replace the segment tables `EdgeMatch` (dissolve) and `BlockTopology` (check)
// built of their own: every segment belongs to exactly one arc, so they are read off the arcs.
//
// Why each segment is in one arc: arcs end at junctions, and junctions are global (a position visited more than
// twice, or twice with different neighbours), so every ring that uses a segment cuts it into the same arc, and
// finds that arc by its first edge in either direction.

/// A segment used in a way a clean coverage never uses one: twice in the same direction (two shapes overlap along
/// it) or by more than two rings.
public struct SegmentConflict: Sendable, Hashable {
    /// The segment's ends, `a` before `b` in (x, y) order.
    public var a: Position
    public var b: Position
    /// The shapes whose rings use it, each once, in the order of the input.
    public var users: [Int]
}

/// How the shapes use their segments.
public struct SegmentUse: Sendable {
    /// Distinct segments (a segment is two consecutive distinct positions of a ring).
    public var segments: Int
    /// Segments run by exactly two rings, in opposite directions.
    public var sharedSegments: Int
    /// Segments used otherwise, sorted by their ends.
    public var conflicts: [SegmentConflict]
    public var isClean: Bool { conflicts.isEmpty }
}

extension Topology {
    /// The edge-matching report of the shapes. Rings the topology dropped (fewer than three positions, zero area)
    /// are not counted (`diagnostics.droppedRings` lists them).
    public func segmentUse() -> SegmentUse {
        Self.use(arcCount: arcCount, left: left, right: right, overused: overusedArcUsers,
                 segments: { self.arcOffsets[$0 + 1] - self.arcOffsets[$0] - 1 }, forEachSegment: forEachSegment)
    }

    /// The length of border each shape shares with each other shape (rook adjacency with weights): the sum of
    /// `length` over the segments of every arc both follow (for an overused arc, every pair of its users).
    /// `length` measures a segment given by its ends as stored (for CRS84 shapes: look up projected positions).
    /// Each shape's neighbours are sorted by shape index.
    public func sharedBorders(_ length: (Position, Position) -> Double) -> [[(shape: Int, length: Double)]] {
        Self.borders(shapeCount: shapeCount, arcCount: arcCount, left: left, right: right, overused: overusedArcUsers,
                     length: length, forEachSegment: forEachSegment)
    }

    /// Calls `body` with the ends of each segment of arc `i`, as stored.
    private func forEachSegment(_ i: Int, _ body: (Position, Position) -> Void) {
        let a = arc(i)
        for k in a.startIndex ..< a.endIndex - 1 { body(a[k], a[k + 1]) }
    }

    /// `segmentUse()` and `sharedBorders(_:)` of the topology of `shapes`, without keeping it: the same
    /// construction, with each arc noted as a span of the flattened rings instead of copied, and no rings. For
    /// reports over large inputs (a 10⁶-cell coverage: about 240 MB less than the topology). `length` nil: no
    /// borders.
    public static func segmentReport(of shapes: [Shape], borders length: ((Position, Position) -> Double)? = nil)
        -> (use: SegmentUse, borders: [[(shape: Int, length: Double)]]) {
        let prepared = prepare(shapes)
        var builder = ArcBuilder(prepared, keepPoints: false)
        for rr in prepared.raw { _ = builder.cut(start: rr.start, count: rr.count, shape: Int32(rr.shape), collect: false) }
        let pts = prepared.pts, spans = builder.spans
        let forEachSegment: (Int, (Position, Position) -> Void) -> Void = { i, body in
            let sp = spans[i]
            let b = Int(sp.b), n = Int(sp.n)
            var prev = pts[b + builder.wrap(Int(sp.lo), n)]
            for k in Int(sp.lo) + 1 ... Int(sp.hi) {
                let q = pts[b + builder.wrap(k, n)]
                body(prev, q)
                prev = q
            }
        }
        let use = Self.use(arcCount: spans.count, left: builder.left, right: builder.right, overused: builder.users,
                           segments: { Int(spans[$0].hi - spans[$0].lo) }, forEachSegment: forEachSegment)
        guard let length else { return (use, []) }
        return (use, Self.borders(shapeCount: shapes.count, arcCount: spans.count, left: builder.left, right: builder.right,
                                  overused: builder.users, length: length, forEachSegment: forEachSegment))
    }

    static func use(arcCount: Int, left: [Int32], right: [Int32], overused: [Int: [Int32]], segments: (Int) -> Int,
                    forEachSegment: (Int, (Position, Position) -> Void) -> Void) -> SegmentUse {
        var total = 0, shared = 0
        var conflicts: [SegmentConflict] = []
        for i in 0 ..< arcCount {
            let n = segments(i)
            total += n
            if let users = overused[i] {
                let distinct = Self.distinct(users)
                forEachSegment(i) { a, b in
                    var p = a, q = b
                    if (q.x, q.y) < (p.x, p.y) { swap(&p, &q) }
                    conflicts.append(SegmentConflict(a: p, b: q, users: distinct))
                }
            } else if left[i] >= 0 && right[i] >= 0 {
                shared += n
            }
        }
        conflicts.sort { ($0.a.x, $0.a.y, $0.b.x, $0.b.y) < ($1.a.x, $1.a.y, $1.b.x, $1.b.y) }
        return SegmentUse(segments: total, sharedSegments: shared, conflicts: conflicts)
    }

    static func borders(shapeCount: Int, arcCount: Int, left: [Int32], right: [Int32], overused: [Int: [Int32]],
                        length measure: (Position, Position) -> Double,
                        forEachSegment: (Int, (Position, Position) -> Void) -> Void) -> [[(shape: Int, length: Double)]] {
        withoutActuallyEscaping(measure) { length in
            var pairs = [[Int: Double]](repeating: [:], count: shapeCount)
            for i in 0 ..< arcCount {
                let users: [Int]
                if let all = overused[i] {
                    users = Self.distinct(all)
                } else if left[i] >= 0 && right[i] >= 0 && left[i] != right[i] {
                    users = [Int(left[i]), Int(right[i])]
                } else {
                    continue
                }
                forEachSegment(i) { a, b in
                    let len = length(a, b)
                    for x in 0 ..< users.count {
                        for y in (x + 1) ..< users.count {
                            pairs[users[x]][users[y], default: 0] += len
                            pairs[users[y]][users[x], default: 0] += len
                        }
                    }
                }
            }
            return pairs.map { $0.map { (shape: $0.key, length: $0.value) }.sorted { $0.shape < $1.shape } }
        }
    }

    /// Shape indexes, each once, in their first order.
    static func distinct(_ users: [Int32]) -> [Int] {
        var out: [Int] = []
        for u in users where u >= 0 && !out.contains(Int(u)) { out.append(Int(u)) }
        return out
    }
}
