import Foundation
import Zoning
import GeoCore
import GEOS

/// One polygon of a block: a node of the adjacency graph. Most blocks have one part; Baarle-Hertog has 26.
public struct BlockPart: Sendable, Hashable {
    /// Index of the block in `Dataset.blocks`.
    public var block: Int
    /// Index of the polygon in the block's shape.
    public var polygon: Int
    /// Bounding box in CRS84.
    public var bounds: BoundingBox
    /// Planar area in EPSG:31370, m² (holes subtracted).
    public var areaM2: Double
}

/// A rook neighbour of a part: the other part and the length of the border they share (EPSG:31370 metres).
public struct PartNeighbour: Sendable, Hashable {
    public var part: Int
    public var sharedLengthM: Double
}

/// An edge used in a way a clean coverage never uses one: twice in the same direction (two blocks overlap along
/// it) or by more than two rings.
public struct EdgeConflict: Sendable, Hashable {
    public var a: Position
    public var b: Position
    public var blocks: [String]
}

/// The topology of the blocks, from their shared edges: which parts share a border of positive length (rook
/// adjacency) and how long it is.
///
/// The blocks share borders with identical vertices, so two parts are rook neighbours exactly when they use a
/// segment in common: a view of the one arc topology (`Topology`, GeoCore), built on the CRS84 coordinates as
/// read; lengths are measured on the EPSG:31370 geometry. Where vertices are not identical (a T-junction, a sliver), segment matching misses the
/// contact; the contiguity check then asks GEOS (`relate`) about the parts it would otherwise call separate.
public struct BlockTopology: Sendable {
    public var parts: [BlockPart]
    /// Part indexes of each block, by block index.
    public var partsOfBlock: [[Int]]
    /// Rook neighbours of each part.
    public var neighbours: [[PartNeighbour]]
    /// Distinct segments, and how many of them two rings share.
    public var segments: Int
    public var sharedSegments: Int
    public var conflicts: [EdgeConflict]

    public init(blocks: [Block]) {
        var parts: [BlockPart] = []
        var partsOfBlock: [[Int]] = []
        partsOfBlock.reserveCapacity(blocks.count)
        for (bi, b) in blocks.enumerated() {
            var mine: [Int] = []
            let projected = b.projected.polygons
            for (pi, p) in b.shape.polygons.enumerated() {
                var box = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                for q in p.exterior { box.include(q) }
                let area = pi < projected.count ? projected[pi].area : 0
                mine.append(parts.count)
                parts.append(BlockPart(block: bi, polygon: pi, bounds: box, areaM2: area))
            }
            partsOfBlock.append(mine)
        }

        // Lengths in EPSG:31370, from each CRS84 vertex's projected position.
        let projected = projectedVertices(of: blocks)
        // The arc topology of the parts (one shape per part), read for segments, conflicts and shared borders.
        let (use, borders) = Topology.segmentReport(
            of: parts.map { .polygon(blocks[$0.block].shape.polygons[$0.polygon]) },
            borders: { p, q in
                guard let a = projected[p], let b = projected[q] else { return approximateMetres(p, q) }
                return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
            })
        let neighbours = borders.map { $0.map { PartNeighbour(part: $0.shape, sharedLengthM: $0.length) } }
        let conflicts = use.conflicts.map { c -> EdgeConflict in
            var ids: [String] = []
            for u in c.users { let id = blocks[parts[u].block].id; if !ids.contains(id) { ids.append(id) } }
            return EdgeConflict(a: c.a, b: c.b, blocks: ids)
        }
        self.parts = parts
        self.partsOfBlock = partsOfBlock
        self.neighbours = neighbours
        self.segments = use.segments
        self.sharedSegments = use.sharedSegments
        self.conflicts = conflicts
    }

    /// Shared border length (m) between two sets of parts.
    public func sharedLength(_ a: [Int], _ b: Set<Int>) -> Double {
        var s = 0.0
        for p in a { for n in neighbours[p] where b.contains(n.part) { s += n.sharedLengthM } }
        return s
    }
}


/// Distance in metres between two CRS84 positions (local equirectangular approximation, fine below ~10 km).
package func approximateMetres(_ p: Position, _ q: Position) -> Double {
    let lat = (p.y + q.y) / 2 * .pi / 180
    let dx = (q.x - p.x) * 111_320 * cos(lat)
    let dy = (q.y - p.y) * 110_574
    return (dx * dx + dy * dy).squareRoot()
}

// MARK: - Components

/// The connected pieces of a set of parts, and where pieces touch only in points.
public struct PartComponents: Sendable {
    /// Each component: part indexes, ascending. Sorted by area, largest first.
    public var components: [[Int]]
    public var areasM2: [Double]
    /// Pairs of components (indexes into `components`) that touch only in points, with one touching point (CRS84).
    public var pointTouches: [(a: Int, b: Int, location: Position)]
}

extension BlockTopology {
    /// The rook-connected components of `partIndexes`.
    ///
    /// First from shared segments (union-find); then, for parts in different components whose boxes meet, GEOS's
    /// DE-9IM matrix decides: a boundary intersection of dimension 1 (or overlapping interiors) joins them, one of
    /// dimension 0 is a point touch, reported but not joined. Geometries are built here and never leave the call.
    public func components(of partIndexes: [Int], blocks: [Block]) throws -> PartComponents {
        let members = partIndexes.sorted()
        var position: [Int: Int] = [:]
        for (i, p) in members.enumerated() { position[p] = i }
        var uf = UnionFind(members.count)
        for (i, p) in members.enumerated() {
            for n in neighbours[p] { if let j = position[n.part] { uf.union(i, j) } }
        }
        var touches: [(Int, Int, Position)] = []
        if uf.count > 1 {
            // Robustness: ask GEOS about pairs in different components whose boxes meet.
            var geoms: [Int: Geometry] = [:]
            func geometry(_ i: Int) throws -> Geometry {
                if let g = geoms[i] { return g }
                let part = parts[members[i]]
                let g = try Geometry(.polygon(blocks[part.block].shape.polygons[part.polygon]))
                geoms[i] = g
                return g
            }
            let eps = 1e-9
            var candidates: [(Int, Int)] = []
            for i in 0..<members.count {
                var bi = parts[members[i]].bounds
                bi.minX -= eps; bi.minY -= eps; bi.maxX += eps; bi.maxY += eps
                for j in (i + 1)..<members.count where uf.find(i) != uf.find(j) {
                    if bi.intersects(parts[members[j]].bounds) { candidates.append((i, j)) }
                }
            }
            var pointPairs: [(Int, Int)] = []
            for (i, j) in candidates {
                switch Contact(try geometry(i).relate(try geometry(j))) {
                case .border: uf.union(i, j)
                case .point: pointPairs.append((i, j))
                case .none: break
                }
            }
            for (i, j) in pointPairs where uf.find(i) != uf.find(j) {
                let x = try geometry(i).intersection(try geometry(j))
                let loc: Position
                switch try x.shape() {
                case .point(let p): loc = p
                case .multiPoint(let ps) where !ps.isEmpty: loc = ps[0]
                default:
                    let c = try x.centroid().shape()
                    if case .point(let p) = c { loc = p } else { continue }
                }
                touches.append((i, j, loc))
            }
        }
        // Group.
        var groups: [Int: [Int]] = [:]
        for i in 0..<members.count { groups[uf.find(i), default: []].append(i) }
        var comps = groups.values.map { idx -> (parts: [Int], area: Double, root: Int) in
            let ps = idx.map { members[$0] }
            return (ps, ps.reduce(0) { $0 + parts[$1].areaM2 }, uf.find(idx[0]))
        }
        comps.sort { $0.area != $1.area ? $0.area > $1.area : $0.parts[0] < $1.parts[0] }
        var compOfRoot: [Int: Int] = [:]
        for (k, c) in comps.enumerated() { compOfRoot[c.root] = k }
        var seenPairs = Set<[Int]>()
        var pointTouches: [(a: Int, b: Int, location: Position)] = []
        for (i, j, loc) in touches {
            let a = compOfRoot[uf.find(i)]!, b = compOfRoot[uf.find(j)]!
            let key = [min(a, b), max(a, b)]
            if a == b || !seenPairs.insert(key).inserted { continue }
            pointTouches.append((key[0], key[1], loc))
        }
        pointTouches.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return PartComponents(components: comps.map(\.parts), areasM2: comps.map(\.area), pointTouches: pointTouches)
    }
}

/// How two parts meet, from their DE-9IM matrix: along a border of positive length (or with overlapping
/// interiors), in points only, or not at all.
enum Contact {
    case border, point, none

    init(_ matrix: String) {
        let c = Array(matrix)
        // DE-9IM: [0] interior/interior, [1] interior/boundary, [3] boundary/interior, [4] boundary/boundary.
        if c[0] == "2" || c[4] == "1" || c[1] == "1" || c[3] == "1" {
            self = .border
        } else if c[0] != "F" || c[1] != "F" || c[3] != "F" || c[4] != "F" {
            self = .point
        } else {
            self = .none
        }
    }
}

extension BlockTopology {
    /// Rook adjacency of groups of parts (the parts of each ELZ, say): two groups are neighbours when a part of
    /// the one shares a border of positive length with a part of the other. Shared segments first; then, for
    /// pairs of groups not yet known as neighbours whose parts' boxes meet, GEOS's DE-9IM decides, as in
    /// `components`, so a T-junction or a sliver does not hide a contact. Sorted neighbour lists by group index.
    public func groupAdjacency(_ groups: [[Int]], blocks: [Block]) throws -> [[Int]] {
        var groupOf = [Int](repeating: -1, count: parts.count)
        for (g, ps) in groups.enumerated() { for p in ps { groupOf[p] = g } }
        var sets = [Set<Int>](repeating: [], count: groups.count)
        for (g, ps) in groups.enumerated() {
            for p in ps {
                for n in neighbours[p] {
                    let h = groupOf[n.part]
                    if h >= 0 && h != g { sets[g].insert(h); sets[h].insert(g) }
                }
            }
        }
        var geoms: [Int: Geometry] = [:]
        func geometry(_ p: Int) throws -> Geometry {
            if let g = geoms[p] { return g }
            let g = try Geometry(.polygon(blocks[parts[p].block].shape.polygons[parts[p].polygon]))
            geoms[p] = g
            return g
        }
        let eps = 1e-9
        for g in groups.indices {
            for h in (g + 1)..<max(g + 1, groups.count) where !sets[g].contains(h) {
                search: for p in groups[g] {
                    var bp = parts[p].bounds
                    bp.minX -= eps; bp.minY -= eps; bp.maxX += eps; bp.maxY += eps
                    for q in groups[h] where bp.intersects(parts[q].bounds) {
                        if case .border = Contact(try geometry(p).relate(try geometry(q))) {
                            sets[g].insert(h); sets[h].insert(g)
                            break search
                        }
                    }
                }
            }
        }
        return sets.map { $0.sorted() }
    }
}

/// Union-find with path halving.
package struct UnionFind {
    private var parent: [Int]
    private(set) var count: Int
    init(_ n: Int) { parent = Array(0..<n); count = n }
    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }
    mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb); count -= 1 }
    }
}
