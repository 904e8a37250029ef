import Foundation
import GeoCore
import GEOS
import Check
import Compare
import Zoning

/// The blocks of a dataset prepared for drawing, once per dataset: the shared-arc topology of the projected
/// blocks (EPSG:31370), the importance of every vertex for simplification, and simplified copies per scale.
/// Immutable apart from the lock-protected cache of simplified topologies; safe to share between threads.
final class MapBase: @unchecked Sendable {
    let blocks: [Block]
    let topology: Topology
    let bounds: BoundingBox
    /// Block id → shape index.
    let shapeIndex: [String: Int]
    private var importance: [SimplificationMethod: [Double]] = [:]
    private var simplified: [String: (topology: Topology, report: SimplificationReport)] = [:]
    private var simplifiedOrder: [String] = []
    private let lock = NSLock()

    init(blocks: [Block]) {
        self.blocks = blocks
        topology = Topology(shapes: blocks.map(\.projected))
        var b = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for p in topology.points { b.include(p) }
        bounds = b
        var index: [String: Int] = [:]
        for (i, block) in blocks.enumerated() { index[block.id] = i }
        shapeIndex = index
    }

    /// The topology simplified to `tolerance` metres (cached: the last few scales are kept).
    func simplified(tolerance: Double, method: SimplificationMethod) -> (topology: Topology, report: SimplificationReport) {
        let key = "\(method.rawValue):\(Int((tolerance * 100).rounded()))"
        lock.lock()
        if let hit = simplified[key] { lock.unlock(); return hit }
        let imp: [Double]
        if let i = importance[method] { imp = i } else {
            lock.unlock()
            let computed = topology.vertexImportance(method: method)
            lock.lock()
            importance[method] = computed
            imp = computed
        }
        lock.unlock()
        let result = topology.simplified(tolerance: tolerance, importance: imp)
        lock.lock()
        simplified[key] = result
        simplifiedOrder.append(key)
        if simplifiedOrder.count > 6 { simplified[simplifiedOrder.removeFirst()] = nil }
        lock.unlock()
        return result
    }

    /// The grouping of the blocks by a zoning (blocks outside it: nil).
    func grouping(_ zoning: Zoning) -> Grouping {
        Grouping(blocks.map { zoning.assignment[$0.id] })
    }
}

extension Topology {
    /// The class of every arc for drawing borders once: the index of the first grouping (most important first)
    /// whose groups differ on the two sides; `-1` for an arc on the outline of the coverage (one side empty);
    /// `Int.max` for an arc no grouping separates.
    func borderClasses(_ levels: [Grouping]) -> [Int] {
        (0 ..< arcCount).map { a in
            let l = Int(left[a]), r = Int(right[a])
            if l < 0 || r < 0 { return -1 }
            for (k, g) in levels.enumerated() where g.groupOfShape[l] != g.groupOfShape[r] { return k }
            return Int.max
        }
    }

    /// The outer shells of the whole coverage, with the shape on the left of each (for finding exclaves), as
    /// (ring positions, shape index, area).
    func coverageShells() -> [(ring: Ring, shape: Int, area: Double)] {
        let all = boundaries(Grouping(Array(repeating: "all", count: shapeCount)))
        var out: [(Ring, Int, Double)] = []
        for refs in all.rings.first ?? [] {
            let r = ring(refs)
            let a = signedArea(r)
            guard a > 0, let first = refs.first else { continue }
            let shape = Int(first.isReversed ? right[first.index] : left[first.index])
            out.append((r, shape, a))
        }
        return out
    }
}
