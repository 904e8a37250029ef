import Foundation
import Zoning
import GeoCore
import GEOS
import Projection

// Overlap between a zoning (ELZ, RZZ, RR, municipalities or any zone table) and a network layer (hospital
// networks, GGZ networks, any network table or polygons).
//
// Everything is a sum over blocks: block b of zone z gives network n the area `area(b) · s_area(b, n)` and the
// population `pop(b) · s_pop(b, n)`, where the shares s come from the service-area method (`ServiceAreas`).
// For geometric methods a cut block's population is split in proportion to area; for tables a municipality in
// k networks is split 1/k each (or by the table's shares). The part of a block with no network goes to the
// "(no network)" column, so every row of the matrix sums to 100 %.

/// An error in how the comparison was asked for (not in the data): e.g. a Voronoi method for an area layer.
/// `option` is the parameter at fault (`method`, `catchment`, `threshold`); `message` a phrase that follows it.
public struct CompareUsageError: Error, CustomStringConvertible, Sendable {
    public var option: String
    public var message: String
    public init(_ option: String, _ message: String) { self.option = option; self.message = message }
    public var description: String { "\(option) \(message)" }
}

/// The column name used for the population and area with no network.
public let noNetworkLabel = "(no network)"

// MARK: - Report values

/// A zone's part of a network.
public struct ZoneShare: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var population: Double
    /// Share of the network's population (in this zoning's scope) living in the zone.
    public var share: Double
    public var areaKm2: Double
    /// Share of the network's area lying in the zone.
    public var areaShare: Double
}

/// A network's part of a zone.
public struct NetworkShare: Sendable, Codable, Hashable {
    public var network: String
    public var population: Double
    /// Share of the zone's population served by the network.
    public var share: Double
    public var areaKm2: Double
    /// Share of the zone's area.
    public var areaShare: Double
    /// Population of this part that comes from low-confidence rows or campuses.
    public var lowConfidencePopulation: Double
    /// Campuses of the network located in the zone.
    public var campuses: Int
}

/// Campuses of a network in one zone.
public struct ZoneCount: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var campuses: Int
}

/// One cell of the zone × network matrix (only cells with area or population or campuses are listed).
public struct OverlapCell: Sendable, Codable, Hashable {
    public var zone: String
    public var zoneName: String
    /// Network name, or `(no network)`.
    public var network: String
    public var areaKm2: Double
    public var population: Double
    /// Row shares: of the zone's area / population (each row sums to 1 over all its cells).
    public var shareOfZoneArea: Double
    public var shareOfZonePopulation: Double
    /// Column shares: of the network's area / population within the zoning's scope (nil for `(no network)`).
    public var shareOfNetworkArea: Double?
    public var shareOfNetworkPopulation: Double?
    public var lowConfidencePopulation: Double
    public var campuses: Int
}

/// Per network: where its population lives among the zones.
public struct NetworkOverlap: Sendable, Codable, Hashable {
    public var network: String
    public var population: Double
    public var areaKm2: Double
    /// The zone holding the largest share of the network's population.
    public var dominantZone: ZoneShare?
    /// Zones holding at least the threshold share of the network's population, largest first.
    public var zonesAboveThreshold: [ZoneShare]
    /// Number of zones the network touches at all (any area).
    public var zonesTouched: Int
    /// Located campuses in the zoning's blocks, and per zone.
    public var campuses: Int
    public var campusesPerZone: [ZoneCount]
    /// Located campuses outside the zoning's scope (outside Flanders and Brussels, or in an out-of-scope region).
    public var campusesOutsideZoning: Int
    public var campusesUnlocated: Int
    /// Input rows of confidence `low`, and the share of the network's population that rests on them.
    public var lowConfidenceRows: Int
    public var lowConfidenceShare: Double
    /// Input rows by confidence.
    public var rowsByConfidence: [String: Int]
}

/// Per zone: which networks serve it.
public struct ZoneOverlap: Sendable, Codable, Hashable {
    public var zone: ZoneRef
    public var population: Int
    public var areaKm2: Double
    /// Networks with any population or area in the zone, largest population first.
    public var networks: [NetworkShare]
    /// The network serving the largest share of the zone's population, and that share.
    public var mainNetwork: String?
    public var mainNetworkShare: Double
    /// Networks serving at least the threshold share of the zone's population.
    public var networksAboveThreshold: Int
    /// Share of the zone's population with no network.
    public var withoutNetworkShare: Double
    public var campuses: Int
    /// Share of the zone's population whose network rests on low-confidence rows or campuses.
    public var lowConfidenceShare: Double
}

/// A zone and a network that are each other's main partner (see `Alignment.mutualMajorityShare`).
public struct MatchedPair: Sendable, Codable, Hashable {
    public var zone: String
    public var zoneName: String
    public var network: String
    public var population: Double
}

/// Overall alignment of a zoning Z and a network layer N, on the population contingency table
/// n[z][k] = population of zone z served by network k (split populations included, the population with no
/// network left out). N = Σ n[z][k], a[z] = Σ_k n[z][k], b[k] = Σ_z n[z][k].
///
/// - `mutualMajorityShare` (A): the zone's main network is M(z) = argmax_k n[z][k] and the network's main zone
///   is D(k) = argmax_z n[z][k] (ties: the first in natural order). A = Σ n[z][k] over the pairs with
///   M(z) = k and D(k) = z, divided by N: the share of people who live where the zone's main network and the
///   network's main zone agree. A = 1 exactly when each zone is served by one network and each network serves
///   one zone (the partitions coincide up to names); it falls as networks straddle zones or zones share
///   networks.
/// - `adjustedRandIndex` (ARI, Hubert & Arabie 1985) on population weights: with C(x) = x(x − 1)/2,
///   ARI = (Σ C(n[z][k]) − E) / (½ (Σ C(a[z]) + Σ C(b[k])) − E), E = Σ C(a[z]) · Σ C(b[k]) / C(N). It is the
///   chance-corrected share of pairs of inhabitants that both partitions treat alike (together in both, or
///   apart in both): 1 for identical partitions, about 0 for unrelated ones, negative for worse than chance.
/// - `normalizedMutualInformation` (NMI, arithmetic normalisation, as scikit-learn's default):
///   NMI = I(Z; N) / ((H(Z) + H(N)) / 2), with p = n/N, H the Shannon entropies of a/N and b/N and
///   I = Σ p[z][k] ln(p[z][k] / (p[z] p[k])). 1 for identical partitions, 0 for independent ones.
public struct Alignment: Sendable, Codable, Hashable {
    /// N: the population with a network, within the zoning's scope.
    public var coveredPopulation: Double
    /// N divided by the zoning's whole population.
    public var coveredShare: Double
    public var mutualMajorityShare: Double
    public var adjustedRandIndex: Double
    public var normalizedMutualInformation: Double
    /// The mutual-majority pairs, largest first.
    public var matchedPairs: [MatchedPair]

    /// Short definitions, written into every report.
    public static let definitions: [String: String] = [
        "mutual_majority_share": "share of the population (with a network) living in a zone-network pair where the network is the zone's main network and the zone is the network's main zone (by population)",
        "adjusted_rand_index": "adjusted Rand index of the two partitions of the population (zones, networks), computed on the population-weighted contingency table; 1 = identical, 0 = chance",
        "normalized_mutual_information": "mutual information of zone and network of a random inhabitant, divided by the mean of the two entropies; 1 = identical, 0 = independent",
        "population_split": "a block cut by a network area is split in proportion to area; a municipality in k networks of a table is split 1/k to each (or by the table's shares)",
    ]

    /// Computes the three figures from a population matrix [zone][network] (no "(no network)" column).
    /// `zoneNames`/`networkNames` label the matched pairs; `totalPopulation` gives `coveredShare`.
    public static func compute(population n: [[Double]], zones: [ZoneRef], networks: [String],
                               totalPopulation: Double? = nil) -> Alignment {
        let rows = n.count, cols = n.first?.count ?? 0
        let f = AlignmentFigures(flat: n.flatMap { $0 }, rows: rows, columns: cols)
        guard f.covered > 0 else {
            return Alignment(coveredPopulation: 0, coveredShare: 0, mutualMajorityShare: 0, adjustedRandIndex: 0,
                             normalizedMutualInformation: 0, matchedPairs: [])
        }
        var matched = f.mutualPairs.map { z, k in
            MatchedPair(zone: zones[z].code, zoneName: zones[z].name, network: networks[k], population: n[z][k])
        }
        matched.sort { $0.population > $1.population }
        return Alignment(coveredPopulation: f.covered, coveredShare: totalPopulation.map { $0 > 0 ? f.covered / $0 : 0 } ?? 1,
                         mutualMajorityShare: f.mutualMajorityShare, adjustedRandIndex: f.adjustedRandIndex,
                         normalizedMutualInformation: f.normalizedMutualInformation, matchedPairs: matched)
    }
}

/// The three figures of `Alignment` (see there) from a row-major population matrix [zone × network], without
/// names: the one computation, used by `compare` once and by `propose` for every zoning it weighs.
public struct AlignmentFigures: Sendable {
    /// N = Σ n[z][k].
    public var covered: Double
    public var mutualMajorityShare: Double
    public var adjustedRandIndex: Double
    public var normalizedMutualInformation: Double
    /// (zone, network) pairs that are each other's main partner, in zone order.
    public var mutualPairs: [(Int, Int)]

    @inlinable public init(flat n: [Double], rows: Int, columns cols: Int) {
        precondition(n.count == rows * cols, "the matrix must have rows × columns cells")
        var a = [Double](repeating: 0, count: rows), b = [Double](repeating: 0, count: cols)
        var total = 0.0
        for z in 0..<rows { for k in 0..<cols { let x = n[z * cols + k]; a[z] += x; b[k] += x; total += x } }
        covered = total
        guard total > 0 else {
            mutualMajorityShare = 0; adjustedRandIndex = 0; normalizedMutualInformation = 0; mutualPairs = []
            return
        }
        // Mutual majority (ties: the first in order).
        var mainNetwork = [Int](repeating: -1, count: rows), mainZone = [Int](repeating: -1, count: cols)
        for z in 0..<rows {
            for k in 0..<cols {
                let x = n[z * cols + k]
                guard x > 0 else { continue }
                if mainNetwork[z] < 0 || x > n[z * cols + mainNetwork[z]] { mainNetwork[z] = k }
                if mainZone[k] < 0 || x > n[mainZone[k] * cols + k] { mainZone[k] = z }
            }
        }
        var pairs: [(Int, Int)] = []
        var agree = 0.0
        for z in 0..<rows {
            let k = mainNetwork[z]
            guard k >= 0, mainZone[k] == z else { continue }
            agree += n[z * cols + k]
            pairs.append((z, k))
        }
        mutualPairs = pairs
        mutualMajorityShare = agree / total
        // Adjusted Rand index and normalised mutual information, from sums over the cells, rows and columns.
        var sums = AlignmentSums(total: total)
        for x in n { sums.cellPairs += AlignmentSums.pairs(x); sums.cellNLogN += AlignmentSums.nLogN(x) }
        for x in a { sums.rowPairs += AlignmentSums.pairs(x); sums.rowNLogN += AlignmentSums.nLogN(x) }
        for x in b { sums.columnPairs += AlignmentSums.pairs(x); sums.columnNLogN += AlignmentSums.nLogN(x) }
        adjustedRandIndex = sums.adjustedRandIndex
        normalizedMutualInformation = sums.normalizedMutualInformation
    }
}

/// What the ARI and the NMI of a contingency table n[z][k] (row sums a, column sums b, total N) are made of:
/// Σ C(n), Σ C(a), Σ C(b) with C(x) = x(x − 1)/2, and Σ n ln n, Σ a ln a, Σ b ln b. Every sum but the columns'
/// is a sum over rows, so a zoning's figures follow from per-zone parts (`propose` weighs a million zonings so).
///
/// ARI = (Σ C(n) − E) / (½ (Σ C(a) + Σ C(b)) − E), E = Σ C(a) Σ C(b) / C(N);
/// H(Z) = ln N − Σ a ln a / N, H(K) = ln N − Σ b ln b / N, I = (Σ n ln n − Σ a ln a − Σ b ln b) / N + ln N,
/// NMI = I / ((H(Z) + H(K)) / 2).
public struct AlignmentSums: Sendable {
    public var total: Double
    public var cellPairs = 0.0, rowPairs = 0.0, columnPairs = 0.0
    public var cellNLogN = 0.0, rowNLogN = 0.0, columnNLogN = 0.0

    @inlinable public init(total: Double) { self.total = total }

    @inlinable public static func pairs(_ x: Double) -> Double { x * (x - 1) / 2 }
    @inlinable public static func nLogN(_ x: Double) -> Double { x > 0 ? x * log(x) : 0 }

    @inlinable public var adjustedRandIndex: Double {
        let expected = rowPairs * columnPairs / Self.pairs(total)
        let maxIndex = (rowPairs + columnPairs) / 2
        return maxIndex == expected ? 1 : (cellPairs - expected) / (maxIndex - expected)
    }

    @inlinable public var normalizedMutualInformation: Double {
        let logN = log(total)
        let hz = logN - rowNLogN / total, hk = logN - columnNLogN / total
        let mi = (cellNLogN - rowNLogN - columnNLogN) / total + logN
        return hz + hk <= 1e-15 ? 1 : min(1, max(0, mi) / ((hz + hk) / 2))
    }
}

/// A campus in the report, with its block and zone.
public struct PlacedCampus: Sendable, Codable, Hashable {
    public var network: String
    public var hospital: String
    public var campus: String
    public var confidence: Confidence
    /// `in-block`, `outside` or `unlocated`.
    public var status: CampusPlacement.Status
    public var block: String?
    public var zone: String?
    public var zoneName: String?
    public var latitude: Double?
    public var longitude: Double?
    public var location: String
}

/// The comparison of a zoning with a network layer, as a value: JSON, CSV and text are views of it.
public struct ComparisonReport: Sendable, Codable {
    public var tool = "zorgzones compare"
    public var version = zorgzonesVersion
    public var zoning: String
    public var networkLayer: String
    public var networkLayerKind: NetworkLayerKind
    public var sources: [String]
    /// The method that gave the networks their areas, and what it means.
    public var method: ServiceAreaMethod
    public var methodStatement: String
    public var populationYear: Int
    public var areaCrs = "EPSG:31370"
    /// The share above which a zone counts as "touched" by a network (and a network as serving a zone).
    public var threshold: Double
    /// Blocks in the zoning's scope, their population and area.
    public var blocks: Int
    public var population: Int
    public var areaKm2: Double
    public var populationWithoutNetwork: Double
    public var alignment: Alignment
    public var alignmentDefinitions: [String: String] = Alignment.definitions
    public var networks: [NetworkOverlap]
    public var zones: [ZoneOverlap]
    /// The matrix, long form.
    public var cells: [OverlapCell]
    /// Point layers: every campus with its block and zone.
    public var campuses: [PlacedCampus]
    public var diagnostics: NetworkDiagnostics
    public var notes: [String]
}

// MARK: - The comparison

/// A zoning compared with a network layer: the matrices (zones × networks, plus a last column for the
/// population and area with no network) and the report built from them.
public struct Comparison: Sendable {
    public var report: ComparisonReport
    public var zoning: Zoning
    /// Zones in scope (with at least one block), row order.
    public var zones: [ZoneRef]
    /// Network names, column order. Column `networks.count` is "(no network)".
    public var networks: [String]
    /// [zone][network], last column "(no network)".
    public var areaKm2: [[Double]]
    public var population: [[Double]]
    public var lowConfidencePopulation: [[Double]]
    /// [zone][network]: located campuses (no "(no network)" column).
    public var campuses: [[Int]]
    public var serviceAreas: ServiceAreas
    public var placements: [CampusPlacement]

    /// Compares `zoning` with `layer`.
    ///
    /// - `method`: for point layers `.voronoi` (default), `.nearest` or `.table` (then `catchment` is the table);
    ///   for area tables and polygon layers leave it nil (or give `.municipalityTable` / `.polygons`).
    /// - `threshold`: the share (0…1) above which a zone counts for a network and a network for a zone.
    public static func run(dataset: Dataset, zoning: Zoning, layer: NetworkLayer, method: ServiceAreaMethod? = nil,
                           catchment: NetworkLayer? = nil, threshold: Double = 0.05) throws -> Comparison {
        guard (0...1).contains(threshold) else { throw CompareUsageError("threshold", "must be between 0 and 1 (0 % and 100 %)") }
        let (areas, placements) = try serviceAreas(dataset: dataset, layer: layer, method: method, catchment: catchment)
        return build(dataset: dataset, zoning: zoning, layer: layer, areas: areas, placements: placements,
                     catchment: catchment, threshold: threshold)
    }

    /// The service areas of a network layer over the dataset's blocks, whatever the zoning: for point layers by
    /// `method` (`.voronoi` when nil, `.nearest`, or `.table` with `catchment`), for area layers their own areas.
    /// Shared by `run` and by whatever measures many zonings against one layer (`propose`).
    public static func serviceAreas(dataset: Dataset, layer: NetworkLayer, method: ServiceAreaMethod? = nil,
                                    catchment: NetworkLayer? = nil) throws -> (areas: ServiceAreas, placements: [CampusPlacement]) {
        let blocks = dataset.blocks
        var placements: [CampusPlacement] = []
        let areas: ServiceAreas
        switch layer.kind {
        case .points:
            placements = try CampusLocator.place(layer.campuses, in: blocks)
            switch method ?? .voronoi {
            case .voronoi: areas = try ServiceAreas.voronoi(placements, networks: layer.networks, blocks: blocks)
            case .nearest: areas = try ServiceAreas.nearest(placements, networks: layer.networks, blocks: blocks)
            case .table:
                guard let catchment else {
                    throw CompareUsageError("method", "table needs a catchment table (municipality or block → network, share)")
                }
                guard catchment.kind == .municipalities else {
                    throw CompareUsageError("catchment", "\(catchment.sources.first ?? "") must be a CSV of (nis or block_id, network, share), not \(catchment.kind.rawValue)")
                }
                areas = try ServiceAreas.table(catchment.memberships, networks: layer.networks, blocks: blocks, method: .table)
            case .municipalityTable, .polygons:
                throw CompareUsageError("method", "\(method!.rawValue) is for area layers; for campuses use voronoi, nearest or table")
            }
        case .municipalities:
            if let method, method != .municipalityTable {
                throw CompareUsageError("method", "\(method.rawValue) does not apply: \(layer.name) is an area layer (municipalities per network) with its own areas")
            }
            areas = try ServiceAreas.table(layer.memberships, networks: layer.networks, blocks: blocks, method: .municipalityTable)
        case .polygons:
            if let method, method != .polygons {
                throw CompareUsageError("method", "\(method.rawValue) does not apply: \(layer.name) is an area layer (polygons) with its own areas")
            }
            areas = try ServiceAreas.polygons(layer.polygons, networks: layer.networks, blocks: blocks)
        }
        return (areas, placements)
    }

    /// Builds the matrices and the report from computed service areas.
    static func build(dataset: Dataset, zoning: Zoning, layer: NetworkLayer, areas: ServiceAreas,
                      placements: [CampusPlacement], catchment: NetworkLayer?, threshold: Double) -> Comparison {
        let blocks = dataset.blocks
        let members = zoning.members(in: blocks)
        let zones = zoning.zones.filter { members[$0.code] != nil }
        var zoneIndex: [String: Int] = [:]
        for (i, z) in zones.enumerated() { zoneIndex[z.code] = i }
        let networks = areas.networks
        let nn = networks.count
        var area = [[Double]](repeating: [Double](repeating: 0, count: nn + 1), count: zones.count)
        var pop = area, low = area
        var zonePop = [Int](repeating: 0, count: zones.count)
        var zoneArea = [Double](repeating: 0, count: zones.count)
        var touched = [[Bool]](repeating: [Bool](repeating: false, count: nn), count: zones.count)
        var scopeBlocks = 0
        for (i, b) in blocks.enumerated() {
            guard let code = zoning.assignment[b.id], let z = zoneIndex[code] else { continue }
            scopeBlocks += 1
            zonePop[z] += b.population
            zoneArea[z] += b.areaKm2
            var sa = 0.0, sp = 0.0
            for s in areas.shares[i] {
                area[z][s.network] += b.areaKm2 * s.area
                pop[z][s.network] += Double(b.population) * s.population
                low[z][s.network] += Double(b.population) * s.lowConfidence
                if s.area > 0 || s.population > 0 { touched[z][s.network] = true }
                sa += s.area; sp += s.population
            }
            // Leftovers under a millionth of a block are slivers of the overlay or of reprojected polygons
            // (a 100 km² block: under 100 m²), not a gap.
            area[z][nn] += b.areaKm2 * (1 - sa > 1e-6 ? 1 - sa : 0)
            pop[z][nn] += Double(b.population) * (1 - sp > 1e-6 ? 1 - sp : 0)
        }
        // Campuses per zone.
        var campusCount = [[Int]](repeating: [Int](repeating: 0, count: nn), count: zones.count)
        let netIndex = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var outsideZoning = [Int](repeating: 0, count: nn), unlocated = [Int](repeating: 0, count: nn)
        var placed: [PlacedCampus] = []
        for p in placements {
            let n = netIndex[p.campus.network]
            var zone: ZoneRef?
            if let block = p.block, let code = zoning.assignment[block], let z = zoneIndex[code] {
                zone = zones[z]
                if let n { campusCount[z][n] += 1 }
            } else if let n {
                if p.status == .unlocated { unlocated[n] += 1 } else { outsideZoning[n] += 1 }
            }
            placed.append(PlacedCampus(network: p.campus.network, hospital: p.campus.hospital, campus: p.campus.name,
                                       confidence: p.campus.confidence, status: p.status, block: p.block,
                                       zone: zone?.code, zoneName: zone?.name, latitude: p.campus.latitude,
                                       longitude: p.campus.longitude, location: p.campus.location))
        }
        let netPop = (0..<nn).map { k in zones.indices.reduce(0) { $0 + pop[$1][k] } }
        let netArea = (0..<nn).map { k in zones.indices.reduce(0) { $0 + area[$1][k] } }
        let netLow = (0..<nn).map { k in zones.indices.reduce(0) { $0 + low[$1][k] } }

        let (diagnostics, lowRows, byConfidence) = Self.diagnostics(areas: areas, placements: placements, dataset: dataset,
                                                                     layer: layer, catchment: catchment, netIndex: netIndex)

        // Per network.
        var perNetwork: [NetworkOverlap] = []
        for k in 0..<nn {
            let shares = zones.indices.map { z in
                ZoneShare(code: zones[z].code, name: zones[z].name, population: rounded(pop[z][k], 1),
                          share: rounded(netPop[k] > 0 ? pop[z][k] / netPop[k] : 0, 6),
                          areaKm2: rounded(area[z][k], 4), areaShare: rounded(netArea[k] > 0 ? area[z][k] / netArea[k] : 0, 6))
            }
            let byPop = zones.indices.sorted { (pop[$0][k], -$0) > (pop[$1][k], -$1) }
            let dominant = byPop.first.flatMap { pop[$0][k] > 0 ? shares[$0] : nil }
            let above = byPop.filter { netPop[k] > 0 && pop[$0][k] / netPop[k] >= threshold }.map { shares[$0] }
            let perZone = zones.indices.filter { campusCount[$0][k] > 0 }
                .map { ZoneCount(code: zones[$0].code, name: zones[$0].name, campuses: campusCount[$0][k]) }
            perNetwork.append(NetworkOverlap(
                network: networks[k], population: rounded(netPop[k], 1), areaKm2: rounded(netArea[k], 4),
                dominantZone: dominant, zonesAboveThreshold: above,
                zonesTouched: zones.indices.filter { touched[$0][k] && area[$0][k] > 1e-9 }.count,
                campuses: perZone.reduce(0) { $0 + $1.campuses }, campusesPerZone: perZone,
                campusesOutsideZoning: outsideZoning[k], campusesUnlocated: unlocated[k],
                lowConfidenceRows: lowRows[k], lowConfidenceShare: rounded(netPop[k] > 0 ? netLow[k] / netPop[k] : 0, 6),
                rowsByConfidence: byConfidence[k]))
        }
        // Per zone.
        var perZone: [ZoneOverlap] = []
        for z in zones.indices {
            let zp = Double(zonePop[z]), za = zoneArea[z]
            let list = (0..<nn).filter { pop[z][$0] > 0 || area[z][$0] > 1e-9 }
                .sorted { (pop[z][$0], area[z][$0], -$0) > (pop[z][$1], area[z][$1], -$1) }
                .map { k in
                    NetworkShare(network: networks[k], population: rounded(pop[z][k], 1),
                                 share: rounded(zp > 0 ? pop[z][k] / zp : 0, 6), areaKm2: rounded(area[z][k], 4),
                                 areaShare: rounded(za > 0 ? area[z][k] / za : 0, 6),
                                 lowConfidencePopulation: rounded(low[z][k], 1), campuses: campusCount[z][k])
                }
            let main = list.first.flatMap { $0.population > 0 ? $0 : nil }
            perZone.append(ZoneOverlap(
                zone: zones[z], population: zonePop[z], areaKm2: rounded(za, 4), networks: list,
                mainNetwork: main?.network, mainNetworkShare: main?.share ?? 0,
                networksAboveThreshold: (0..<nn).filter { zp > 0 && pop[z][$0] / zp >= threshold }.count,
                withoutNetworkShare: rounded(zp > 0 ? pop[z][nn] / zp : 0, 6),
                campuses: campusCount[z].reduce(0, +),
                lowConfidenceShare: rounded(zp > 0 ? low[z].reduce(0, +) / zp : 0, 6)))
        }
        // Cells.
        var cells: [OverlapCell] = []
        for z in zones.indices {
            let zp = Double(zonePop[z]), za = zoneArea[z]
            for k in 0...nn {
                let campusesHere = k < nn ? campusCount[z][k] : 0
                guard pop[z][k] > 0 || area[z][k] > 1e-9 || campusesHere > 0 else { continue }
                cells.append(OverlapCell(
                    zone: zones[z].code, zoneName: zones[z].name, network: k < nn ? networks[k] : noNetworkLabel,
                    areaKm2: rounded(area[z][k], 4), population: rounded(pop[z][k], 1),
                    shareOfZoneArea: rounded(za > 0 ? area[z][k] / za : 0, 6),
                    shareOfZonePopulation: rounded(zp > 0 ? pop[z][k] / zp : 0, 6),
                    shareOfNetworkArea: k < nn ? rounded(netArea[k] > 0 ? area[z][k] / netArea[k] : 0, 6) : nil,
                    shareOfNetworkPopulation: k < nn ? rounded(netPop[k] > 0 ? pop[z][k] / netPop[k] : 0, 6) : nil,
                    lowConfidencePopulation: rounded(low[z][k], 1), campuses: campusesHere))
            }
        }
        let totalPop = zonePop.reduce(0, +)
        var alignment = Alignment.compute(population: pop.map { Array($0.prefix(nn)) }, zones: zones, networks: networks,
                                          totalPopulation: Double(totalPop))
        alignment.coveredPopulation = rounded(alignment.coveredPopulation, 1)
        alignment.coveredShare = rounded(alignment.coveredShare, 6)
        alignment.mutualMajorityShare = rounded(alignment.mutualMajorityShare, 6)
        alignment.adjustedRandIndex = rounded(alignment.adjustedRandIndex, 6)
        alignment.normalizedMutualInformation = rounded(alignment.normalizedMutualInformation, 6)
        alignment.matchedPairs = alignment.matchedPairs.map { var m = $0; m.population = rounded(m.population, 1); return m }

        let notes = Self.notes(layer: layer, areas: areas, catchment: catchment, blocks: blocks, scopeBlocks: scopeBlocks,
                               zoning: zoning, diagnostics: diagnostics)
        let report = ComparisonReport(
            zoning: zoning.name, networkLayer: layer.name, networkLayerKind: layer.kind,
            sources: layer.sources + (catchment?.sources ?? []), method: areas.method,
            methodStatement: areas.method.statement, populationYear: dataset.populationYear, threshold: threshold,
            blocks: scopeBlocks, population: totalPop, areaKm2: rounded(zoneArea.reduce(0, +), 4),
            populationWithoutNetwork: rounded(zones.indices.reduce(0) { $0 + pop[$1][nn] }, 1),
            alignment: alignment, networks: perNetwork, zones: perZone, cells: cells, campuses: placed,
            diagnostics: diagnostics, notes: notes)
        return Comparison(report: report, zoning: zoning, zones: zones, networks: networks, areaKm2: area,
                          population: pop, lowConfidencePopulation: low, campuses: campusCount, serviceAreas: areas,
                          placements: placements)
    }


    /// The diagnostics: the service areas' municipality findings plus the layer's campuses and confidence; rows of
    /// low confidence and rows by confidence per network (by `netIndex`).
    static func diagnostics(areas: ServiceAreas, placements: [CampusPlacement], dataset: Dataset, layer: NetworkLayer,
                            catchment: NetworkLayer?, netIndex: [String: Int])
        -> (NetworkDiagnostics, lowRows: [Int], byConfidence: [[String: Int]]) {
        let blocks = dataset.blocks
        let nn = areas.networks.count
        var diagnostics = areas.diagnostics
        for p in placements {
            switch p.status {
            case .outside: diagnostics.campusesOutside.append(CampusRef(p, note: "outside Flanders and Brussels (in no block)"))
            case .unlocated: diagnostics.campusesUnlocated.append(CampusRef(p, note: "no coordinates; not placed and not used for service areas"))
            case .inBlock:
                if p.blocks.count > 1 {
                    diagnostics.campusesOnBorder.append(CampusRef(p, note: "on the border of \(p.blocks.joined(separator: " and ")); placed in \(p.blocks[0])"))
                }
                if p.matchesDeclaredBlock == false {
                    diagnostics.campusesBlockMismatch.append(CampusRef(p, note: "the point lies in block \(p.block ?? "none"), the input says \(p.campus.declaredBlock ?? "none")"))
                }
                if let other = p.pointMunicipality {
                    let name = dataset.blocks.first { $0.nis == other }?.municipalityName ?? other
                    diagnostics.campusesAddressElsewhere.append(CampusRef(p, note: "the point lies in \(name) (\(other)), the address in \(p.campus.municipalityNIS ?? "?"); placed by the point"))
                }
            }
        }
        var lowRows = [Int](repeating: 0, count: nn)
        var byConfidence = [[String: Int]](repeating: [:], count: nn)
        var totals: [String: Int] = [:]
        var nisName: [String: String] = [:]
        for b in blocks where nisName[b.nis] == nil { nisName[b.nis] = b.municipalityName }
        for (n, counts) in layer.confidenceCounts {
            for (c, k) in counts {
                totals[c.rawValue, default: 0] += k
                if let i = netIndex[n] { byConfidence[i][c.rawValue, default: 0] += k }
            }
        }
        for c in layer.campuses where c.confidence == .low {
            diagnostics.lowConfidenceRows.append(LowConfidenceRow(network: c.network, item: c.label, location: c.location, note: c.notes))
            if let i = netIndex[c.network] { lowRows[i] += 1 }
        }
        for m in layer.memberships where m.confidence == .low {
            let name = nisName[m.key] ?? blocks.first { $0.id == m.key }?.name ?? ""
            diagnostics.lowConfidenceRows.append(LowConfidenceRow(network: m.network, item: "\(m.key) \(name)".trimmingCharacters(in: .whitespaces),
                                                                  location: m.location, note: m.via))
            if let i = netIndex[m.network] { lowRows[i] += 1 }
        }
        for p in layer.polygons where p.confidence == .low {
            diagnostics.lowConfidenceRows.append(LowConfidenceRow(network: p.network, item: "polygon", location: p.location, note: nil))
            if let i = netIndex[p.network] { lowRows[i] += 1 }
        }
        if let catchment {
            for m in catchment.memberships where m.confidence == .low {
                diagnostics.lowConfidenceRows.append(LowConfidenceRow(network: m.network, item: "\(m.key) \(nisName[m.key] ?? "")".trimmingCharacters(in: .whitespaces),
                                                                      location: m.location, note: m.via))
            }
        }
        diagnostics.rowsByConfidence = totals
        return (diagnostics, lowRows, byConfidence)
    }
    /// What a reader of the report should know: the layer's and the method's notes, blocks outside the zoning,
    /// municipalities in several networks or in none, rows of low confidence.
    static func notes(layer: NetworkLayer, areas: ServiceAreas, catchment: NetworkLayer?, blocks: [Block], scopeBlocks: Int,
                      zoning: Zoning, diagnostics: NetworkDiagnostics) -> [String] {
        var notes = layer.notes + areas.notes
        if let catchment { notes += catchment.notes }
        let outOfScope = blocks.count - scopeBlocks
        if outOfScope > 0 {
            let regions = Set(blocks.filter { zoning.assignment[$0.id] == nil }.map(\.region)).sorted()
            notes.append("\(outOfScope) block\(outOfScope == 1 ? " is" : "s are") outside the scope of zoning '\(zoning.name)' (\(regions.joined(separator: ", "))) and left out of the matrix; network totals count only the zoning's blocks")
        }
        if !diagnostics.municipalitiesInSeveralNetworks.isEmpty && areas.method != .polygons {
            let shared = diagnostics.municipalitiesInSeveralNetworks
            let p = shared.reduce(0) { $0 + $1.population }
            let how = shared.contains { m in m.networks.contains { abs($0.share - 1 / Double(m.networks.count)) > 1e-9 } }
                ? "split by the table's shares" : "split equally between them"
            notes.append("\(shared.count) municipalit\(shared.count == 1 ? "y is" : "ies are") in two or more networks (\(shared.prefix(3).map(\.name).joined(separator: ", "))\(shared.count > 3 ? ", …" : "")); their population (\(p)) is \(how)")
        }
        if !diagnostics.municipalitiesWithoutNetwork.isEmpty {
            let none = diagnostics.municipalitiesWithoutNetwork
            notes.append("\(none.count) municipalit\(none.count == 1 ? "y is" : "ies are") in no network (\(none.prefix(10).map(\.name).joined(separator: ", "))\(none.count > 10 ? ", …" : "")); their population (\(none.reduce(0) { $0 + $1.population })) is in the column '\(noNetworkLabel)'")
        }
        if !diagnostics.lowConfidenceRows.isEmpty {
            notes.append("\(diagnostics.lowConfidenceRows.count) input row\(diagnostics.lowConfidenceRows.count == 1 ? " has" : "s have") confidence 'low' (listed under diagnostics.low_confidence_rows; the population resting on them is given per cell as low_confidence_population)")
        }
        return notes
    }
}

