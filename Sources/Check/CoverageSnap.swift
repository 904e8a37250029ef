import Foundation
import Zoning
import GeoCore
import GEOS
import Projection

/// Repairs slivers and small overlaps between blocks by snapping their vertices together (`check --snap M`).
///
/// Works on the CRS84 coordinates as read, so repaired borders get vertices identical to their neighbours' (the
/// property the rest of zorgzones relies on), and measures distances in metres. Only the given blocks (those next
/// to a sliver, gap or overlap) are changed:
/// 1. Each of their vertices within `M` metres of a vertex of another block moves to the best vertex of that
///    cluster: the one used by most blocks, ties broken by coordinates, so both sides of a sliver agree on it.
/// 2. A vertex of a neighbouring block within `M` metres of one of their segments (but not of its ends) is
///    inserted into that segment, so a border with extra vertices on one side matches on both.
/// A block whose rings become invalid is made valid (GEOS make-valid, polygons kept).
public enum CoverageRepair {
    public static func snap(blocks: [Block], only ids: Set<String>, toleranceM: Double) throws -> (blocks: [Block], changes: [SnapChange]) {
        guard toleranceM > 0, !ids.isEmpty else { return (blocks, []) }
        let snapper = Snapper(blocks: blocks, affected: blocks.indices.filter { ids.contains(blocks[$0].id) },
                              toleranceM: toleranceM)
        var out = blocks
        var changes: [SnapChange] = []
        for a in snapper.affected {
            let b = blocks[a]
            let (polys, moved, inserted) = snapper.snapped(a)
            guard moved > 0 || inserted > 0 else { continue }
            var shape = Shape.polygonal(polys)
            let g = try Geometry(shape)
            if !(try g.isValid()) { shape = Shape.polygonal(try g.makeValid().polygons()) }
            let projected = try Projection.transform(shape, from: .crs84, to: .lambert72)
            var nb = b
            nb.shape = shape
            nb.projected = projected
            nb.areaKm2 = projected.area / 1e6
            out[a] = nb
            changes.append(SnapChange(block: b.id, name: b.name, verticesMoved: moved, verticesInserted: inserted,
                                      areaBeforeM2: rounded(b.projected.area, 3),
                                      areaAfterM2: rounded(projected.area, 3)))
        }
        return (out, changes)
    }

    /// The blocks near the affected ones, a grid of their vertices, and step 1's target of every vertex.
    struct Snapper {
        struct Cell: Hashable { var x: Int, y: Int }
        let blocks: [Block]
        let affected: [Int]
        let affectedSet: Set<Int>
        let toleranceM: Double
        let cellX: Double, cellY: Double
        /// Bounding boxes grown by a cell.
        let boxes: [BoundingBox]
        /// The affected blocks and those whose box meets one of theirs.
        let near: Set<Int>
        /// Which blocks use each position.
        let users: [Position: Set<Int>]
        let grid: [Cell: [Position]]
        /// Step 1: where each vertex of an affected block moves (chains followed by `resolve`).
        private(set) var target: [Position: Position] = [:]
        /// Vertices of the near blocks (after moving), for step 2.
        private(set) var neighbourVertices: [Int: [Position]] = [:]

        init(blocks: [Block], affected: [Int], toleranceM: Double) {
            self.blocks = blocks
            self.affected = affected
            self.affectedSet = Set(affected)
            self.toleranceM = toleranceM
            // Degrees per metre at the data's latitude: generous cells so that no pair within M metres is missed.
            let maxLat = blocks.compactMap { $0.shape.bounds?.maxY }.max() ?? 51
            let cellX = toleranceM / (111_320 * cos(min(abs(maxLat), 89) * .pi / 180))
            let cellY = toleranceM / 110_574
            self.cellX = cellX
            self.cellY = cellY
            var boxes: [BoundingBox] = blocks.map { $0.shape.bounds ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0) }
            for i in boxes.indices { boxes[i].minX -= cellX; boxes[i].maxX += cellX; boxes[i].minY -= cellY; boxes[i].maxY += cellY }
            self.boxes = boxes
            var near = Set<Int>(affected)
            for a in affected { for j in blocks.indices where boxes[j].intersects(boxes[a]) { near.insert(j) } }
            self.near = near
            var users: [Position: Set<Int>] = [:]
            var grid: [Cell: [Position]] = [:]
            func cell(_ p: Position) -> Cell { Cell(x: Int((p.x / cellX).rounded(.down)), y: Int((p.y / cellY).rounded(.down))) }
            for j in near {
                for p in blocks[j].shape.polygons { for r in p.rings { for q in r {
                    if users[q, default: []].insert(j).inserted, users[q]!.count == 1 { grid[cell(q), default: []].append(q) }
                } } }
            }
            self.users = users
            self.grid = grid
            target = targets()
            for j in near {
                var vs = Set<Position>()
                for p in blocks[j].shape.polygons { for r in p.rings { for q in r { vs.insert(affectedSet.contains(j) ? resolve(q) : q) } } }
                neighbourVertices[j] = Array(vs)
            }
        }

        func cell(_ p: Position) -> Cell { Cell(x: Int((p.x / cellX).rounded(.down)), y: Int((p.y / cellY).rounded(.down))) }

        /// The vertex both sides should agree on: the one used by most blocks, ties broken by coordinates.
        func better(_ a: Position, _ b: Position) -> Bool {
            let ua = users[a]?.count ?? 0, ub = users[b]?.count ?? 0
            return ua != ub ? ua > ub : (a.x, a.y) < (b.x, b.y)
        }

        func nearby(_ p: Position) -> [Position] {
            let c = cell(p)
            var out: [Position] = []
            for dx in -1...1 { for dy in -1...1 {
                for q in grid[Cell(x: c.x + dx, y: c.y + dy)] ?? [] where q != p && approximateMetres(p, q) <= toleranceM { out.append(q) }
            } }
            return out
        }

        /// Step 1: the target of every vertex of an affected block.
        func targets() -> [Position: Position] {
            var target: [Position: Position] = [:]
            for a in affected {
                for p in blocks[a].shape.polygons { for r in p.rings { for q in r where target[q] == nil {
                    // A vertex shared with a block that is not repaired stays, or that block's border would open.
                    guard users[q]!.isSubset(of: affectedSet) else { continue }
                    var best = q
                    for o in nearby(q) where !(users[o]!.isSubset(of: [a])) && better(o, best) { best = o }
                    if best != q { target[q] = best }
                } } }
            }
            return target
        }

        func resolve(_ p: Position) -> Position {
            var p = p
            var steps = 0
            while let t = target[p], steps < 64 { p = t; steps += 1 }
            return p
        }

        /// The polygons of affected block `a` after both steps, and how many vertices moved and were inserted.
        func snapped(_ a: Int) -> (polygons: [Polygon], moved: Int, inserted: Int) {
            var moved = 0, inserted = 0
            let others: [Position] = near.filter { $0 != a && boxes[$0].intersects(boxes[a]) }.flatMap { neighbourVertices[$0]! }
            var polys: [Polygon] = []
            for p in blocks[a].shape.polygons {
                var rings: [Ring] = []
                for r in p.rings {
                    var ring: Ring = []
                    for (k, q) in r.enumerated() {
                        let t = resolve(q)
                        if t != q && k < r.count - 1 { moved += 1 }
                        if ring.last != t { ring.append(t) }
                    }
                    let withInserts = insertingNeighbours(into: ring, from: others, inserted: &inserted)
                    if withInserts.count >= 4 { rings.append(withInserts) }
                    else if rings.isEmpty { break }
                }
                if let ext = rings.first { polys.append(Polygon(exterior: ext, holes: Array(rings.dropFirst()))) }
            }
            return (polys, moved, inserted)
        }

        /// Step 2: neighbours' vertices that lie on a segment of `ring` within the tolerance, inserted in order.
        func insertingNeighbours(into ring: Ring, from others: [Position], inserted: inout Int) -> Ring {
            var withInserts: Ring = []
            let own = Set(ring)
            for k in 0..<max(0, ring.count - 1) {
                let s = ring[k], e = ring[k + 1]
                withInserts.append(s)
                // A segment shared with a block that is not repaired keeps its vertices.
                let fixedUsers = (users[s] ?? []).intersection(users[e] ?? []).subtracting(affectedSet)
                guard fixedUsers.isEmpty else { continue }
                let lat = (s.y + e.y) / 2 * .pi / 180
                let kx = 111_320 * cos(lat), ky = 110_574.0
                let ex = (e.x - s.x) * kx, ey = (e.y - s.y) * ky
                let len2 = ex * ex + ey * ey
                guard len2 > 0 else { continue }
                let minX = min(s.x, e.x) - cellX, maxX = max(s.x, e.x) + cellX
                let minY = min(s.y, e.y) - cellY, maxY = max(s.y, e.y) + cellY
                var onSegment: [(t: Double, p: Position)] = []
                for o in others where o.x >= minX && o.x <= maxX && o.y >= minY && o.y <= maxY && !own.contains(o) {
                    let ox = (o.x - s.x) * kx, oy = (o.y - s.y) * ky
                    let t = (ox * ex + oy * ey) / len2
                    guard t > 0, t < 1 else { continue }
                    let dx = ox - t * ex, dy = oy - t * ey
                    if (dx * dx + dy * dy).squareRoot() <= toleranceM { onSegment.append((t, o)) }
                }
                onSegment.sort { $0.t < $1.t }
                for o in onSegment where withInserts.last != o.p { withInserts.append(o.p); inserted += 1 }
            }
            if let last = ring.last { withInserts.append(last) }
            return withInserts
        }
    }
}
