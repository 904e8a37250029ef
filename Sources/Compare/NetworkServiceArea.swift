import Foundation
import Zoning
import GeoCore
import GEOS
import Projection

/// How a network got the area it is compared on. Every output states it.
public enum ServiceAreaMethod: String, Codable, Sendable, CaseIterable {
    /// Point networks: Voronoi cells of the campuses, clipped to Flanders + Brussels, dissolved per network.
    case voronoi
    /// Point networks: whole blocks to the network of the nearest campus (from the block's representative point).
    case nearest
    /// Point networks: a catchment table the user supplies (municipality or block → network, share).
    case table
    /// Area networks given as a table of municipalities per network (the GGZ tables, a zoning table).
    case municipalityTable = "municipality-table"
    /// Area networks given as polygons (GeoJSON).
    case polygons

    /// One sentence for reports: what produced the areas.
    public var statement: String {
        switch self {
        case .voronoi:
            return "Voronoi: the plane is split into cells of points nearest to each located campus (straight line, EPSG:31370); the cells are dissolved per network and clipped to Flanders + Brussels (the union of the blocks). A block cut by a cell border is split in proportion to area, its population too. Campuses outside Flanders and Brussels take part (their cells may reach into it); unlocated campuses do not."
        case .nearest:
            return "Nearest campus: each whole block goes to the network of the located campus nearest (straight line, EPSG:31370) to the block's representative point (GEOS point-on-surface, always inside the block). No block is split."
        case .table:
            return "Catchment table supplied by the user: each municipality or block goes to the listed networks with the table's share of its population (the same share of its area). Shares under 100 % leave the rest without a network."
        case .municipalityTable:
            return "Municipality table: each municipality belongs to the networks that list it. A municipality listed by k networks is split equally: 1/k of its population and of its area to each. Municipalities listed by none have no network."
        case .polygons:
            return "Network polygons intersected with the blocks: a block cut by a network border is split in proportion to area, its population too. Where polygons of several networks overlap, the block's shares are scaled down in proportion so that they sum to 100 %."
        }
    }

    /// Whether the method splits blocks by geometry (then the network areas are polygons, not unions of blocks).
    public var isGeometric: Bool { self == .voronoi || self == .polygons }
}

/// The share of one block that goes to one network.
public struct BlockShare: Sendable, Hashable, Codable {
    /// Index into `ServiceAreas.networks`.
    public var network: Int
    /// Fraction (0…1) of the block's area.
    public var area: Double
    /// Fraction (0…1) of the block's population.
    public var population: Double
    /// The part of `population` (same unit: a fraction of the block's population) that comes from rows or
    /// campuses of confidence `low`.
    public var lowConfidence: Double
}

/// Networks given an area over the blocks: for every block, the networks that serve it and with which share.
/// Whatever the method, the overlap measures are sums over these shares.
public struct ServiceAreas: Sendable {
    public var method: ServiceAreaMethod
    public var networks: [String]
    /// Aligned with the blocks the areas were computed for; shares of a block sum to at most 1 (the rest has no
    /// network).
    public var shares: [[BlockShare]]
    /// For geometric methods: each network's area in EPSG:31370, not clipped (Voronoi cell union, given
    /// polygons). Intersecting with the blocks (or zones) clips it. Nil for block-based methods.
    public var areas: [Shape?]?
    /// Municipality-level findings (no network, several, partial, keys outside the study area).
    public var diagnostics: NetworkDiagnostics
    public var notes: [String]

    public init(method: ServiceAreaMethod, networks: [String], shares: [[BlockShare]], areas: [Shape?]? = nil,
                diagnostics: NetworkDiagnostics = NetworkDiagnostics(), notes: [String] = []) {
        self.method = method
        self.networks = networks
        self.shares = shares
        self.areas = areas
        self.diagnostics = diagnostics
        self.notes = notes
    }

    /// Σ over blocks of block area × area share, per network (km²).
    public func areaKm2(blocks: [Block]) -> [Double] {
        var out = [Double](repeating: 0, count: networks.count)
        for (b, ss) in zip(blocks, shares) { for s in ss { out[s.network] += b.areaKm2 * s.area } }
        return out
    }

    /// Σ over blocks of block population × population share, per network.
    public func population(blocks: [Block]) -> [Double] {
        var out = [Double](repeating: 0, count: networks.count)
        for (b, ss) in zip(blocks, shares) { for s in ss { out[s.network] += Double(b.population) * s.population } }
        return out
    }
}

// MARK: - Point networks

extension ServiceAreas {
    /// One campus site: a distinct position with the networks of the campuses there.
    struct Site {
        var position: Position // EPSG:31370
        var owners: [Owner]
    }

    /// A network owning a site (or a cell), and whether only low-confidence campuses of it are there.
    struct Owner: Hashable, Comparable {
        var network: Int
        var low: Bool
        static func < (a: Owner, b: Owner) -> Bool { (a.network, a.low ? 1 : 0) < (b.network, b.low ? 1 : 0) }
    }

    /// Distinct campus positions (EPSG:31370) with their owners. Campuses of one network at one position count
    /// once, with the best confidence among them; campuses of different networks at one position share it
    /// equally.
    static func sites(_ placements: [CampusPlacement], networks: [String]) -> [Site] {
        let index = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [Position] = []
        var byPosition: [Position: [Int: Bool]] = [:] // position -> network -> all low?
        for p in placements {
            guard let xy = p.projected, let n = index[p.campus.network] else { continue }
            if byPosition[xy] == nil { order.append(xy); byPosition[xy] = [:] }
            let low = p.campus.confidence == .low
            byPosition[xy]![n] = (byPosition[xy]![n] ?? true) && low
        }
        return order.map { pos in
            Site(position: pos, owners: byPosition[pos]!.map { Owner(network: $0.key, low: $0.value) }.sorted())
        }
    }

    /// The envelope of the blocks (EPSG:31370) grown by `margin` metres.
    static func envelope(_ blocks: [Block], margin: Double) -> BoundingBox {
        var box: BoundingBox?
        for b in blocks {
            guard let bb = b.projected.bounds else { continue }
            if box == nil { box = bb } else { box!.include(bb) }
        }
        var b = box ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        b.minX -= margin; b.minY -= margin; b.maxX += margin; b.maxY += margin
        return b
    }

    /// Voronoi service areas of point networks (see `ServiceAreaMethod.voronoi`).
    ///
    /// The Voronoi diagram (GEOS) of the distinct campus positions in EPSG:31370 is built over the blocks'
    /// envelope plus 50 km, so the cells cover every block. Cells with the same owners are united; each block
    /// is then intersected with the cell unions whose envelope meets it (a block inside one union is taken whole
    /// without an overlay). Network areas are the unions of their cells.
    public static func voronoi(_ placements: [CampusPlacement], networks: [String], blocks: [Block]) throws -> ServiceAreas {
        let sites = self.sites(placements, networks: networks)
        guard !sites.isEmpty else {
            throw DataError(file: "network layer", message: "no located campus: a Voronoi tessellation needs at least one campus with coordinates")
        }
        let box = envelope(blocks, margin: 50_000)
        var cellOfSite = [Shape?](repeating: nil, count: sites.count)
        if sites.count == 1 {
            cellOfSite[0] = try Geometry.rectangle(box).shape()
        } else {
            let diagram = try Geometry(.multiPoint(sites.map(\.position))).voronoiDiagram(envelope: try Geometry.rectangle(box))
            let cells = try (0..<diagram.numGeometries).map { try diagram.geometry(at: $0) }
            let tree = try SpatialIndex(cells)
            for (i, s) in sites.enumerated() {
                let pt = try Geometry(.point(s.position))
                for c in tree.query(pt) where try cells[c].covers(pt) {
                    cellOfSite[i] = try cells[c].shape()
                    break
                }
                if cellOfSite[i] == nil {
                    throw GeometryError(operation: "voronoiDiagram", message: "no cell found for the campus at \(s.position)")
                }
            }
        }
        // Cells with the same owners, united.
        var groupIndex: [[Owner]: Int] = [:]
        var groupCells: [[Shape]] = []
        var groupOwners: [[Owner]] = []
        for (i, s) in sites.enumerated() {
            if let g = groupIndex[s.owners] { groupCells[g].append(cellOfSite[i]!) } else {
                groupIndex[s.owners] = groupCells.count
                groupCells.append([cellOfSite[i]!])
                groupOwners.append(s.owners)
            }
        }
        let groups = try zip(groupCells, groupOwners).map { cells, owners in
            (shape: Shape.polygonal(try Geometry.collection(of: cells).unaryUnion().polygons()), owners: owners)
        }
        var areas = [Shape?](repeating: nil, count: networks.count)
        for n in networks.indices {
            let cells = zip(groupCells, groupOwners).filter { $0.1.contains { $0.network == n } }.flatMap(\.0)
            if !cells.isEmpty { areas[n] = Shape.polygonal(try Geometry.collection(of: cells).unaryUnion().polygons()) }
        }
        let shares = try allocate(groups: groups, blocks: blocks, disjoint: true)
        var notes: [String] = []
        let outside = placements.filter { $0.status == .outside && $0.campus.position != nil }
        if !outside.isEmpty {
            notes.append("\(outside.count) campus\(outside.count == 1 ? "" : "es") outside Flanders and Brussels take part in the tessellation: \(outside.map { $0.campus.label + " (" + $0.campus.network + ")" }.joined(separator: "; "))")
        }
        let shared = sites.filter { Set($0.owners.map(\.network)).count > 1 }
        if !shared.isEmpty {
            notes.append("\(shared.count) position\(shared.count == 1 ? " is" : "s are") shared by campuses of different networks; their cells are split equally")
        }
        return ServiceAreas(method: .voronoi, networks: networks, shares: shares, areas: areas, notes: notes)
    }

    /// Nearest-campus service areas (see `ServiceAreaMethod.nearest`). Ties (equal distance to two positions)
    /// go to the position listed first in the input.
    public static func nearest(_ placements: [CampusPlacement], networks: [String], blocks: [Block]) throws -> ServiceAreas {
        let sites = self.sites(placements, networks: networks)
        guard !sites.isEmpty else {
            throw DataError(file: "network layer", message: "no located campus: nearest-campus assignment needs at least one campus with coordinates")
        }
        var shares: [[BlockShare]] = []
        shares.reserveCapacity(blocks.count)
        for b in blocks {
            guard case .point(let p) = try Geometry(b.projected).pointOnSurface().shape() else {
                throw GeometryError(operation: "pointOnSurface", message: "no representative point for block \(b.id)")
            }
            var best = 0
            var bestD = Double.infinity
            for (i, s) in sites.enumerated() {
                let dx = s.position.x - p.x, dy = s.position.y - p.y
                let d = dx * dx + dy * dy
                if d < bestD { bestD = d; best = i }
            }
            let owners = sites[best].owners
            let k = Double(Set(owners.map(\.network)).count)
            shares.append(owners.map { o in
                BlockShare(network: o.network, area: 1 / k, population: 1 / k, lowConfidence: o.low ? 1 / k : 0)
            })
        }
        return ServiceAreas(method: .nearest, networks: networks, shares: shares)
    }

    /// Intersects every block with the group areas (EPSG:31370). `disjoint`: the groups do not overlap (a
    /// tessellation), so a block covered by one group needs no further test. Runs in parallel over chunks of
    /// blocks; each chunk builds its own GEOS geometries.
    static func allocate(groups: [(shape: Shape, owners: [Owner])], blocks: [Block], disjoint: Bool) throws -> [[BlockShare]] {
        let boxes = groups.map { $0.shape.bounds }
        let chunkCount = min(blocks.count, max(1, ProcessInfo.processInfo.activeProcessorCount * 2))
        let chunkSize = (blocks.count + chunkCount - 1) / max(chunkCount, 1)
        let slots = ResultSlots<[[BlockShare]]>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            slots.set(chunk, Result {
                var geometries = [Geometry?](repeating: nil, count: groups.count)
                var prepared = [PreparedGeometry?](repeating: nil, count: groups.count)
                func group(_ g: Int) throws -> PreparedGeometry {
                    if let p = prepared[g] { return p }
                    let geom = try Geometry(groups[g].shape)
                    geometries[g] = geom
                    let p = try geom.prepared()
                    prepared[g] = p
                    return p
                }
                var out: [[BlockShare]] = []
                let lo = chunk * chunkSize, hi = min(blocks.count, lo + chunkSize)
                guard lo < hi else { return out }
                for b in blocks[lo..<hi] {
                    guard let bb = b.projected.bounds else { out.append([]); continue }
                    let blockGeom = try Geometry(b.projected)
                    let blockArea = try blockGeom.area()
                    var fractions: [(Int, Double)] = []
                    for g in groups.indices {
                        guard let gb = boxes[g], gb.intersects(bb) else { continue }
                        let p = try group(g)
                        if try p.covers(blockGeom) {
                            fractions.append((g, 1))
                            if disjoint { break } else { continue }
                        }
                        guard try p.intersects(blockGeom) else { continue }
                        let a = try blockGeom.intersection(p.base).area()
                        if blockArea > 0 && a > 0 { fractions.append((g, a / blockArea)) }
                    }
                    var perNetwork: [Int: BlockShare] = [:]
                    for (g, f) in fractions {
                        let owners = groups[g].owners
                        let k = Double(Set(owners.map(\.network)).count)
                        for o in owners {
                            var s = perNetwork[o.network] ?? BlockShare(network: o.network, area: 0, population: 0, lowConfidence: 0)
                            s.area += f / k
                            s.population += f / k
                            if o.low { s.lowConfidence += f / k }
                            perNetwork[o.network] = s
                        }
                    }
                    out.append(perNetwork.values.sorted { $0.network < $1.network })
                }
                return out
            })
        }
        return try slots.results().flatMap { $0 }
    }
}

// MARK: - Area networks

extension ServiceAreas {
    /// Service areas from area-table rows (GGZ tables, catchment tables, zonings): see
    /// `ServiceAreaMethod.municipalityTable` and `.table`.
    ///
    /// A key is a block id or a NIS code (all blocks of the municipality). A key that is a 5-digit code of no
    /// block is outside Flanders and Brussels: reported, not an error. Any other unknown key is an error, as is
    /// a block whose explicit shares add up to more than 100 %. With no share column, a block listed by k
    /// networks goes 1/k to each.
    public static func table(_ memberships: [AreaMembership], networks: [String], blocks: [Block],
                             method: ServiceAreaMethod = .municipalityTable) throws -> ServiceAreas {
        var index = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var networks = networks
        var blockIndex: [String: Int] = [:]
        var blocksOfNIS: [String: [Int]] = [:]
        for (i, b) in blocks.enumerated() {
            blockIndex[b.id] = i
            blocksOfNIS[b.nis, default: []].append(i)
        }
        struct Entry { var network: Int; var share: Double?; var low: Bool; var location: String }
        var entries = [[Entry]](repeating: [], count: blocks.count)
        var errors: [DataError] = []
        var outside: [String] = []
        var notes: [String] = []
        for m in memberships {
            let targets: [Int]
            if let i = blockIndex[m.key] { targets = [i] }
            else if let bs = blocksOfNIS[m.key] { targets = bs }
            else if m.key.count == 5 && m.key.allSatisfy(\.isNumber) {
                if !outside.contains(m.key) { outside.append(m.key) }
                continue
            } else {
                let parts = m.location.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                errors.append(DataError(file: parts.first ?? m.location, location: parts.count > 1 ? parts[1] : nil,
                                        field: "nis", message: "'\(m.key)' matches no block id or municipality NIS code"))
                continue
            }
            if index[m.network] == nil {
                index[m.network] = networks.count
                networks.append(m.network)
                notes.append("network '\(m.network)' of \(m.location) is not in the network layer; added")
            }
            for t in targets {
                if let dup = entries[t].first(where: { $0.network == index[m.network]! }) {
                    let parts = m.location.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    errors.append(DataError(file: parts.first ?? m.location, location: parts.count > 1 ? parts[1] : nil,
                                            field: "nis", message: "block '\(blocks[t].id)' is given to '\(m.network)' twice (also \(dup.location))"))
                    continue
                }
                entries[t].append(Entry(network: index[m.network]!, share: m.share, low: m.confidence == .low,
                                        location: m.location))
            }
        }
        var shares = [[BlockShare]](repeating: [], count: blocks.count)
        for (i, es) in entries.enumerated() where !es.isEmpty {
            let explicit = es.allSatisfy { $0.share != nil }
            if explicit {
                let total = es.reduce(0) { $0 + $1.share! }
                if total > 1 + 1e-6 {
                    let first = es[0].location.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    errors.append(DataError(file: first.first ?? "", location: first.count > 1 ? first[1] : nil,
                                            field: "share",
                                            message: "the shares of block '\(blocks[i].id)' (\(blocks[i].name)) add up to \(formatPercent(total)) (rows: \(es.map(\.location).joined(separator: "; ")))"))
                    continue
                }
            }
            let k = Double(es.count)
            shares[i] = es.map { e in
                let s = explicit ? e.share! : 1 / k
                return BlockShare(network: e.network, area: s, population: s, lowConfidence: e.low ? s : 0)
            }.sorted { $0.network < $1.network }
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if method == .municipalityTable && memberships.contains(where: { $0.share != nil }) {
            notes.append("the table has a share column: municipalities in several networks are split by those shares, not equally")
        }
        var diagnostics = municipalityDiagnostics(shares: shares, networks: networks, blocks: blocks)
        diagnostics.keysOutsideStudyArea = outside
        if !outside.isEmpty {
            notes.append("\(outside.count) NIS code\(outside.count == 1 ? " is" : "s are") of no block (outside Flanders and Brussels) and left out: \(outside.prefix(10).joined(separator: ", "))\(outside.count > 10 ? ", …" : "")")
        }
        return ServiceAreas(method: method, networks: networks, shares: shares, diagnostics: diagnostics, notes: notes)
    }

    /// Service areas from network polygons (CRS84), see `ServiceAreaMethod.polygons`.
    public static func polygons(_ polygons: [NetworkPolygon], networks: [String], blocks: [Block]) throws -> ServiceAreas {
        let index = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Groups: (network, low) → polygons.
        var groupKeys: [Owner] = []
        var groupShapes: [Owner: [Shape]] = [:]
        var errors: [DataError] = []
        for p in polygons {
            guard let n = index[p.network] else { continue }
            let projected: Shape
            do { projected = try Projection.transform(p.shape, from: .crs84, to: .lambert72) } catch {
                let parts = p.location.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                errors.append(DataError(file: parts.first ?? p.location, location: parts.count > 1 ? parts[1] : nil,
                                        field: "geometry", message: "cannot project: \(error)"))
                continue
            }
            let key = Owner(network: n, low: p.confidence == .low)
            if groupShapes[key] == nil { groupKeys.append(key) }
            groupShapes[key, default: []].append(contentsOf: projected.polygons.map(Shape.polygon))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        func union(_ shapes: [Shape]) throws -> Shape {
            // makeValid first: user polygons may self-intersect; a union of valid parts is valid.
            let g = try Geometry.collection(of: shapes)
            let valid = try g.isValid() ? g : try g.makeValid()
            return Shape.polygonal(try valid.unaryUnion().polygons())
        }
        let groups = try groupKeys.sorted().map { (shape: try union(groupShapes[$0]!), owners: [$0]) }
        var areas = [Shape?](repeating: nil, count: networks.count)
        for n in networks.indices {
            let parts = groupKeys.filter { $0.network == n }.flatMap { groupShapes[$0]! }
            if !parts.isEmpty { areas[n] = try union(parts) }
        }
        var shares = try allocate(groups: groups, blocks: blocks, disjoint: false)
        // Overlapping polygons: scale the block's shares down to 100 %.
        var overlapping: [Int: (total: Double, shares: [BlockShare])] = [:]
        for i in shares.indices {
            let total = shares[i].reduce(0) { $0 + $1.area }
            if total > 1 + 1e-9 {
                if total > 1.01 { overlapping[i] = (total, shares[i]) }
                shares[i] = shares[i].map { s in
                    BlockShare(network: s.network, area: s.area / total, population: s.population / total,
                               lowConfidence: s.lowConfidence / total)
                }
            }
        }
        var diagnostics = NetworkDiagnostics()
        var byNIS: [String: [Int]] = [:]
        var nisOrder: [String] = []
        for (i, b) in blocks.enumerated() {
            if byNIS[b.nis] == nil { nisOrder.append(b.nis) }
            byNIS[b.nis, default: []].append(i)
        }
        for nis in nisOrder {
            let members = byNIS[nis]!
            let area = members.reduce(0) { $0 + blocks[$1].areaKm2 }
            let pop = members.reduce(0) { $0 + blocks[$1].population }
            let covered = area > 0 ? members.reduce(0) { acc, i in acc + blocks[i].areaKm2 * shares[i].reduce(0) { $0 + $1.area } } / area : 0
            let name = blocks[members[0]].municipalityName
            if covered < 0.01 {
                diagnostics.municipalitiesWithoutNetwork.append(NetworkMunicipalityRef(nis: nis, name: name, population: pop))
            } else if covered < 0.99 {
                diagnostics.municipalitiesPartlyCovered.append(PartialMunicipality(nis: nis, name: name, population: pop, assignedShare: covered))
            }
            let over = members.filter { overlapping[$0] != nil }
            if !over.isEmpty {
                var perNetwork: [Int: Double] = [:]
                for i in members { for s in shares[i] { perNetwork[s.network, default: 0] += s.area * blocks[i].areaKm2 / area } }
                diagnostics.municipalitiesInSeveralNetworks.append(SharedMunicipality(
                    nis: nis, name: name, population: pop,
                    networks: perNetwork.sorted { $0.key < $1.key }.map { NetworkShareEntry(network: networks[$0.key], share: $0.value) }))
            }
        }
        var notes: [String] = []
        if !overlapping.isEmpty {
            notes.append("network polygons overlap in \(overlapping.count) block\(overlapping.count == 1 ? "" : "s"); their shares were scaled down in proportion to sum to 100 %")
        }
        return ServiceAreas(method: .polygons, networks: networks, shares: shares, areas: areas,
                            diagnostics: diagnostics, notes: notes)
    }

    /// Municipality-level findings of a block allocation: no network, several networks, partly covered.
    static func municipalityDiagnostics(shares: [[BlockShare]], networks: [String], blocks: [Block]) -> NetworkDiagnostics {
        var d = NetworkDiagnostics()
        var byNIS: [String: [Int]] = [:]
        var order: [String] = []
        for (i, b) in blocks.enumerated() {
            if byNIS[b.nis] == nil { order.append(b.nis) }
            byNIS[b.nis, default: []].append(i)
        }
        for nis in order {
            let members = byNIS[nis]!
            let pop = members.reduce(0) { $0 + blocks[$1].population }
            let area = members.reduce(0) { $0 + blocks[$1].areaKm2 }
            // Population-weighted (area-weighted when nobody lives there) share per network.
            func weight(_ i: Int) -> Double { pop > 0 ? Double(blocks[i].population) / Double(pop) : blocks[i].areaKm2 / max(area, 1e-12) }
            var perNetwork: [Int: Double] = [:]
            for i in members { for s in shares[i] { perNetwork[s.network, default: 0] += weight(i) * (pop > 0 ? s.population : s.area) } }
            let name = blocks[members[0]].municipalityName
            let assigned = perNetwork.values.reduce(0, +)
            if perNetwork.isEmpty {
                d.municipalitiesWithoutNetwork.append(NetworkMunicipalityRef(nis: nis, name: name, population: pop))
                continue
            }
            if perNetwork.count > 1 {
                d.municipalitiesInSeveralNetworks.append(SharedMunicipality(
                    nis: nis, name: name, population: pop,
                    networks: perNetwork.sorted { $0.key < $1.key }.map { NetworkShareEntry(network: networks[$0.key], share: $0.value) }))
            }
            if assigned < 1 - 1e-6 {
                d.municipalitiesPartlyCovered.append(PartialMunicipality(nis: nis, name: name, population: pop, assignedShare: assigned))
            }
        }
        return d
    }
}

/// "12.3 %".
package func formatPercent(_ x: Double, decimals: Int = 1) -> String {
    String(format: "%.\(decimals)f %%", x * 100)
}
