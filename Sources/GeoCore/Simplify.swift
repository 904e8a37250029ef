
/// How arc vertices are ranked for simplification.
public enum SimplificationMethod: String, Codable, Sendable, CaseIterable {
    /// Visvalingam–Whyatt: a vertex's importance is the (monotone) effective area of the triangle it forms with
    /// its neighbours, reported as the square root of that area so that it compares with a tolerance in metres.
    /// Smooth, cartographic results; the default.
    case visvalingam
    /// Douglas–Peucker: a vertex's importance is its distance to the chord of its recursive parent interval,
    /// capped by the parent's importance. The tolerance is then a true maximum deviation.
    case douglasPeucker
}

/// What a simplification kept and what it had to protect.
public struct SimplificationReport: Hashable, Sendable {
    public var tolerance: Double
    public var verticesBefore: Int
    public var verticesAfter: Int
    /// Rings that would have collapsed (fewer than 3 distinct positions or zero area) at the tolerance and kept
    /// extra vertices instead.
    public var protectedRings: Int
}

extension Topology {
    /// The importance of every position in `points` (metres); arc endpoints are `+infinity`, so they always stay.
    public func vertexImportance(method: SimplificationMethod = .visvalingam) -> [Double] {
        var importance = [Double](repeating: .infinity, count: points.count)
        var scratch = VWScratch()
        points.withUnsafeBufferPointer { all in
            importance.withUnsafeMutableBufferPointer { imp in
                for a in 0 ..< arcCount {
                    let lo = arcOffsets[a], hi = arcOffsets[a + 1]
                    guard hi - lo > 2 else { continue }
                    let p = UnsafeBufferPointer(rebasing: all[lo ..< hi])
                    let out = UnsafeMutableBufferPointer(rebasing: imp[lo ..< hi])
                    switch method {
                    case .visvalingam: visvalingam(p, out, &scratch)
                    case .douglasPeucker: douglasPeucker(p, out)
                    }
                }
            }
        }
        return importance
    }

    /// The topology with every arc simplified to `tolerance` metres (endpoints fixed), so that neighbours still
    /// share exactly the same line. No ring collapses: a ring that would keep fewer than 3 distinct positions
    /// or zero area keeps its most important vertices instead (on its shared arcs too, for both neighbours).
    ///
    /// A good tolerance for a map is about half a pixel: `frame.metresPerPixel * 0.5`.
    public func simplified(tolerance: Double, method: SimplificationMethod = .visvalingam)
        -> (topology: Topology, report: SimplificationReport) {
        simplified(tolerance: tolerance, importance: vertexImportance(method: method))
    }

    /// As `simplified(tolerance:method:)`, with importances computed once by `vertexImportance(method:)` (to
    /// render one topology at several scales).
    public func simplified(tolerance: Double, importance: [Double]) -> (topology: Topology, report: SimplificationReport) {
        precondition(importance.count == points.count, "importance does not belong to this topology")
        var threshold = [Double](repeating: tolerance, count: arcCount)
        var protected = 0

        // Guard every ring against collapse by lowering the thresholds of its arcs.
        for r in rings {
            var lowered = false
            while true {
                var distinct = 0
                var area = 0.0
                var prev: Position?
                var firstPoint: Position?
                for ref in r.arcs {
                    let a = ref.index, lo = arcOffsets[a], hi = arcOffsets[a + 1]
                    let t = threshold[a]
                    // Walk the kept positions in ring order, skipping each arc's first (the previous arc's last).
                    var k = ref.isReversed ? hi - 2 : lo + 1
                    let step = ref.isReversed ? -1 : 1
                    if firstPoint == nil { firstPoint = points[ref.isReversed ? hi - 1 : lo]; prev = firstPoint }
                    while k >= lo && k < hi {
                        if importance[k] >= t {
                            let q = points[k]
                            area += prev!.x * q.y - q.x * prev!.y
                            prev = q
                            distinct += 1
                        }
                        k += step
                    }
                }
                if distinct >= 3 && area != 0 { break }
                // Dropped interior importances of the ring's arcs, most important first.
                var dropped: [Double] = []
                for ref in r.arcs {
                    let a = ref.index
                    for k in arcOffsets[a] + 1 ..< arcOffsets[a + 1] - 1 where importance[k] < threshold[a] {
                        dropped.append(importance[k])
                    }
                }
                if dropped.isEmpty { break }  // nothing left to restore: the ring is degenerate as given
                dropped.sort(by: >)
                let t = dropped[min(max(3 - distinct, 1), dropped.count) - 1]
                for ref in r.arcs { threshold[ref.index] = min(threshold[ref.index], t) }
                lowered = true
            }
            if lowered { protected += 1 }
        }

        var kept: [Position] = []
        kept.reserveCapacity(points.count / 4)
        var offsets = [0]
        offsets.reserveCapacity(arcCount + 1)
        for a in 0 ..< arcCount {
            let t = threshold[a]
            for k in arcOffsets[a] ..< arcOffsets[a + 1] where importance[k] >= t { kept.append(points[k]) }
            offsets.append(kept.count)
        }
        let report = SimplificationReport(tolerance: tolerance, verticesBefore: points.count,
                                          verticesAfter: kept.count, protectedRings: protected)
        return (Topology(points: kept, arcOffsets: offsets, from: self), report)
    }
}

// MARK: - Visvalingam–Whyatt

/// Reusable buffers for one arc: a linked list of remaining vertices and an indexed binary min-heap on area.
package struct VWScratch {
    var prev: [Int32] = [], next: [Int32] = []
    var area: [Double] = []
    var heap: [Int32] = [], slot: [Int32] = []

    mutating func reset(_ n: Int) {
        if prev.count < n {
            prev = .init(repeating: 0, count: n); next = prev; slot = prev
            area = .init(repeating: 0, count: n)
        }
        heap.removeAll(keepingCapacity: true)
    }

    mutating func siftUp(_ i: Int) {
        var i = i
        let v = heap[i], key = area[Int(v)]
        while i > 0 {
            let parent = (i - 1) / 2
            let pv = heap[parent]
            if area[Int(pv)] <= key { break }
            heap[i] = pv; slot[Int(pv)] = Int32(i)
            i = parent
        }
        heap[i] = v; slot[Int(v)] = Int32(i)
    }

    mutating func siftDown(_ i: Int) {
        var i = i
        let n = heap.count
        let v = heap[i], key = area[Int(v)]
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && area[Int(heap[c + 1])] < area[Int(heap[c])] { c += 1 }
            if area[Int(heap[c])] >= key { break }
            heap[i] = heap[c]; slot[Int(heap[i])] = Int32(i)
            i = c
        }
        heap[i] = v; slot[Int(v)] = Int32(i)
    }

    mutating func popMin() -> Int {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty { heap[0] = last; slot[Int(last)] = 0; siftDown(0) }
        slot[Int(top)] = -1
        return Int(top)
    }

    mutating func update(_ v: Int, _ newArea: Double) {
        let old = area[v]
        area[v] = newArea
        let i = Int(slot[v])
        if i < 0 { return }
        if newArea < old { siftUp(i) } else { siftDown(i) }
    }
}

@inline(__always) private func triangleArea(_ a: Position, _ b: Position, _ c: Position) -> Double {
    abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) * 0.5
}

private func visvalingam(_ p: UnsafeBufferPointer<Position>, _ out: UnsafeMutableBufferPointer<Double>,
                         _ s: inout VWScratch) {
    let n = p.count
    s.reset(n)
    for i in 0 ..< n { s.prev[i] = Int32(i - 1); s.next[i] = Int32(i + 1) }
    for i in 1 ..< n - 1 {
        s.area[i] = triangleArea(p[i - 1], p[i], p[i + 1])
        s.heap.append(Int32(i))
        s.slot[i] = Int32(s.heap.count - 1)
        s.siftUp(s.heap.count - 1)
    }
    var maxArea = 0.0
    while !s.heap.isEmpty {
        let i = s.popMin()
        // Monotone: a vertex never counts as less important than one removed before it.
        maxArea = max(maxArea, s.area[i])
        out[i] = maxArea.squareRoot()
        let a = Int(s.prev[i]), b = Int(s.next[i])
        s.next[a] = Int32(b); s.prev[b] = Int32(a)
        if a > 0 { s.update(a, triangleArea(p[Int(s.prev[a])], p[a], p[b])) }
        if b < n - 1 { s.update(b, triangleArea(p[a], p[b], p[Int(s.next[b])])) }
    }
}

// MARK: - Douglas–Peucker

@inline(__always) private func segmentDistance(_ q: Position, _ a: Position, _ b: Position) -> Double {
    let dx = b.x - a.x, dy = b.y - a.y
    let len2 = dx * dx + dy * dy
    var t = len2 > 0 ? ((q.x - a.x) * dx + (q.y - a.y) * dy) / len2 : 0
    t = min(max(t, 0), 1)
    let ex = a.x + t * dx - q.x, ey = a.y + t * dy - q.y
    return (ex * ex + ey * ey).squareRoot()
}

private func douglasPeucker(_ p: UnsafeBufferPointer<Position>, _ out: UnsafeMutableBufferPointer<Double>) {
    var stack: [(lo: Int, hi: Int, cap: Double)] = [(0, p.count - 1, .infinity)]
    while let (lo, hi, cap) = stack.popLast() {
        guard hi - lo > 1 else { continue }
        var best = lo + 1, bestD = -1.0
        for k in lo + 1 ..< hi {
            let d = segmentDistance(p[k], p[lo], p[hi])
            if d > bestD { bestD = d; best = k }
        }
        let imp = min(bestD, cap)
        out[best] = imp
        stack.append((lo, best, imp))
        stack.append((best, hi, imp))
    }
}
