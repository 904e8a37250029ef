// Baselines (benchmark only, not used by the product): the implementations the product replaced, kept so that
// every run measures the replacement against them on the same input. See docs/benchmarks.md.

import GeoCore
import GEOS

/// `EdgeMatch` as it was until the coverage union moved to Swift: one `Dictionary` entry per undirected edge,
/// keyed by its four coordinates (SipHash of 32 bytes), users kept inline. Measured by `zzbench edge-compare`.
struct EdgeMatchDictionary {
    var edges: Int
    var sharedEdges: Int
    var conflicts: Int

    struct Key: Hashable { var ax, ay, bx, by: Double }
    struct Uses {
        var forward: Int32 = 0, backward: Int32 = 0, first: Int32 = -1, second: Int32 = -1
        mutating func add(forward isForward: Bool, block: Int32) {
            if isForward { forward += 1 } else { backward += 1 }
            if first < 0 { first = block } else if second < 0 && block != first { second = block }
        }
    }

    init(blocks: [(id: String, shape: Shape)]) {
        var table: [Key: Uses] = [:]
        table.reserveCapacity(blocks.reduce(0) { $0 + $1.shape.vertexCount })
        for (bi, blk) in blocks.enumerated() {
            for poly in blk.shape.polygons {
                for (ri, ring0) in poly.rings.enumerated() {
                    let ccw = signedArea(ring0) > 0
                    let ring = ccw == (ri == 0) ? ring0 : ring0.reversed()
                    if ring.count < 2 { continue }
                    for k in 0..<(ring.count - 1) {
                        let p = ring[k], q = ring[k + 1]
                        if p == q { continue }
                        let forward = (p.x, p.y) < (q.x, q.y)
                        let key = forward ? Key(ax: p.x, ay: p.y, bx: q.x, by: q.y) : Key(ax: q.x, ay: q.y, bx: p.x, by: p.y)
                        table[key, default: Uses()].add(forward: forward, block: Int32(bi))
                    }
                }
            }
        }
        var shared = 0, conflicts = 0
        for e in table.values {
            if e.forward == 1 && e.backward == 1 { shared += 1; continue }
            if e.forward + e.backward == 1 { continue }
            conflicts += 1
        }
        edges = table.count
        sharedEdges = shared
        self.conflicts = conflicts
    }
}
