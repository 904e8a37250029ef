import Compare
import Foundation
import Zoning

/// An option of `propose` that is out of range or conflicts with another (the option as the service spells it).
public struct ProposeUsageError: Error, Sendable, CustomStringConvertible {
    public var option: String
    public var message: String
    public init(_ option: String, _ message: String) { self.option = option; self.message = message }
    public var description: String { "\(option) \(message)" }
}

/// What a zoning is weighed by. Every term is a cost between 0 and about 1, so terms can be weighted together:
///
/// - `rr-congruence`: the share of the population of the referentieregio's living where its RZZ is not exactly
///   its referentieregio (an RZZ that merges several, or a referentieregio split over RZZ); inhabitants of
///   municipalities a granted exception lets their ELZ take along count as congruent when their RZZ is one
///   referentieregio;
/// - `alignment`: 1 − the figure (`ari`, `nmi` or `mutual-majority`) `compare` computes against a network layer;
/// - `changes`: the share of the ELZ (or of the population) that moves from the base zoning, the zones of the two
///   matched so that as much as possible stays;
/// - `balance`: the coefficient of variation (standard deviation / mean) of the populations of the zones in the
///   counted region.
public enum ObjectiveKind: String, CaseIterable, Sendable, Codable {
    case rrCongruence = "rr-congruence", alignment, changes, balance
}

public enum AlignmentMetric: String, CaseIterable, Sendable, Codable {
    case ari, nmi, mutualMajority = "mutual-majority"
}

public enum ChangeMeasure: String, CaseIterable, Sendable, Codable {
    case elz, population
}

/// Weights of the objective's terms (a single name is weight 1).
public struct Objective: Sendable, Equatable {
    public var weights: [ObjectiveKind: Double]
    public var metric: AlignmentMetric = .ari
    public var changesBy: ChangeMeasure = .elz

    public init(weights: [ObjectiveKind: Double]) { self.weights = weights }

    /// `rr-congruence`, `alignment`, `changes`, `balance`, or weights: `rr-congruence=1,alignment=0.5`.
    public static func parse(_ text: String) throws(ProposeUsageError) -> Objective {
        var weights: [ObjectiveKind: Double] = [:]
        let names = ObjectiveKind.allCases.map(\.rawValue).joined(separator: ", ")
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard let kind = ObjectiveKind(rawValue: name) else {
                throw ProposeUsageError("objective", "'\(name)' is not an objective: use \(names), or weights such as rr-congruence=1,alignment=0.5")
            }
            var w = 1.0
            if parts.count == 2 {
                guard let v = Double(parts[1].trimmingCharacters(in: .whitespaces)), v.isFinite, v >= 0 else {
                    throw ProposeUsageError("objective", "the weight of \(name) must be a number ≥ 0, not '\(parts[1])'")
                }
                w = v
            }
            guard weights[kind] == nil else { throw ProposeUsageError("objective", "names \(name) twice") }
            weights[kind] = w
        }
        guard weights.values.contains(where: { $0 > 0 }) else {
            throw ProposeUsageError("objective", "needs a weight above 0")
        }
        return Objective(weights: weights)
    }

    public func weight(_ k: ObjectiveKind) -> Double { weights[k] ?? 0 }
    public var uses: Set<ObjectiveKind> { Set(weights.filter { $0.value > 0 }.keys) }

    /// In Dutch, for the maps: "zo weinig mogelijk wijzigingen", "congruentie met de referentieregio's + afstemming".
    public var dutchName: String {
        ObjectiveKind.allCases.filter { weight($0) > 0 }.map { k -> String in
            switch k {
            case .rrCongruence: return "congruentie met de referentieregio's"
            case .alignment: return "afstemming op de netwerken"
            case .changes: return "zo weinig mogelijk wijzigingen"
            case .balance: return "evenwicht in inwoners"
            }
        }.joined(separator: " + ")
    }

    /// "rr-congruence", or "0.5 × rr-congruence + 1 × alignment (ari)".
    public var description: String {
        let kinds = ObjectiveKind.allCases.filter { weight($0) > 0 }
        func term(_ k: ObjectiveKind) -> String {
            switch k {
            case .alignment: return "alignment (1 − \(metric.rawValue))"
            case .changes: return "changes (\(changesBy == .elz ? "share of ELZ moved" : "share of inhabitants moved"))"
            case .rrCongruence: return "rr-congruence (share of inhabitants not in an RZZ that is their referentieregio)"
            case .balance: return "balance (coefficient of variation of zone populations)"
            }
        }
        if kinds.count == 1 && weight(kinds[0]) == 1 { return term(kinds[0]) }
        return kinds.map { "\(formatWeight(weight($0))) × \(term($0))" }.joined(separator: " + ")
    }
}

private func formatWeight(_ w: Double) -> String {
    w == w.rounded() ? String(Int(w)) : String(w)
}

/// What one zone of a candidate adds up to: the sums every objective needs. A class: the exact search holds
/// hundreds of thousands of zonings made of the same few thousand zones, and shares them.
public final class ZoneStats: Sendable {
    public let elz: UnitSet
    public let population: Int
    public let counted: Bool
    /// Per referentieregio: population, and of it the population in granted municipalities.
    public let rr: [Int]
    public let granted: [Int]
    /// Per referentieregio: blocks no granted exception covers.
    public let uncovered: [Int]
    /// Per network: population served; and this zone's parts of the alignment sums (Σ_k C(n), C(a), Σ_k n ln n,
    /// a ln a; see `AlignmentSums`).
    public let network: [Double]
    public let cellPairs: Double, rowPairs: Double, cellNLogN: Double, rowNLogN: Double
    /// Per base zone: ELZ and population in common.
    public let baseELZ: [Int]
    public let basePopulation: [Int]

    init(elz: UnitSet, population: Int, counted: Bool, rr: [Int], granted: [Int], uncovered: [Int], network: [Double],
         baseELZ: [Int], basePopulation: [Int]) {
        self.elz = elz; self.population = population; self.counted = counted; self.rr = rr; self.granted = granted
        self.uncovered = uncovered; self.network = network; self.baseELZ = baseELZ; self.basePopulation = basePopulation
        var cp = 0.0, cn = 0.0, a = 0.0
        for x in network { cp += AlignmentSums.pairs(x); cn += AlignmentSums.nLogN(x); a += x }
        cellPairs = cp; cellNLogN = cn; rowPairs = AlignmentSums.pairs(a); rowNLogN = AlignmentSums.nLogN(a)
    }
}

/// The objective values of a zoning.
public struct Scores: Sendable, Codable, Equatable {
    public var cost: Double
    /// Inhabitants of the referentieregio's who do not live in an RZZ that is exactly their referentieregio.
    public var incongruentPopulation: Int
    public var incongruentShare: Double
    public var mutualMajorityShare: Double?
    public var adjustedRandIndex: Double?
    public var normalizedMutualInformation: Double?
    public var elzMoved: Int
    public var populationMoved: Int
    /// Coefficient of variation of the counted zones' populations.
    public var balance: Double
    /// Zones in the counted region.
    public var countedZones: Int
}

/// Weighs candidates: precomputed per-ELZ sums, then per-zone stats, then the scores.
public struct Evaluator: Sendable {
    public let graph: ELZGraph
    public let objective: Objective
    /// The terms with a weight above 0 (read on every zoning weighed).
    let uses: Set<ObjectiveKind>
    /// [elz][network]: population of the ELZ served by each network (nil without a network layer).
    public let networkPopulation: [[Double]]?
    public let networkNames: [String]
    /// The base zoning: ELZ → base zone index (-1: not in it), and the base zones.
    public let base: [Int]
    public let baseZones: [ZoneRef]
    let totalRRPopulation: Int
    let totalPopulation: Int
    /// The column parts of the alignment sums (the networks' totals; every ELZ is in a zone of every zoning).
    let columnSums: AlignmentSums
    /// ELZ in the base zoning, and their population.
    let baseCount: Int
    let basePopulation: Int

    public init(graph: ELZGraph, objective: Objective, network: (names: [String], population: [[Double]])?,
                base: [Int], baseZones: [ZoneRef]) {
        self.graph = graph
        self.objective = objective
        uses = objective.uses
        networkPopulation = network?.population
        networkNames = network?.names ?? []
        self.base = base
        self.baseZones = baseZones
        totalRRPopulation = graph.rrPopulation.reduce(0) { $0 + $1.reduce(0, +) }
        totalPopulation = graph.population.reduce(0, +)
        var sums = AlignmentSums(total: 0)
        if let np = network?.population, let k = np.first?.count {
            for i in 0..<k {
                let b = np.reduce(0) { $0 + $1[i] }
                sums.total += b
                sums.columnPairs += AlignmentSums.pairs(b)
                sums.columnNLogN += AlignmentSums.nLogN(b)
            }
        }
        columnSums = sums
        baseCount = base.filter { $0 >= 0 }.count
        basePopulation = base.indices.filter { base[$0] >= 0 }.reduce(0) { $0 + graph.population[$1] }
    }

    public func stats(_ set: UnitSet) -> ZoneStats {
        let r = graph.rr.count, k = networkNames.count, b = baseZones.count
        var population = 0, counted = false
        var rr = [Int](repeating: 0, count: r), granted = rr, uncovered = rr
        var network = [Double](repeating: 0, count: k)
        var baseELZ = [Int](repeating: 0, count: b), basePopulation = baseELZ
        for e in set.indexes {
            population += graph.population[e]
            counted = counted || graph.counted[e]
            for i in 0..<r where graph.rrPopulation[e][i] > 0 || graph.rrUncovered[e][i] > 0 {
                rr[i] += graph.rrPopulation[e][i]
                granted[i] += graph.rrGranted[e][i]
                uncovered[i] += graph.rrUncovered[e][i]
            }
            if let np = networkPopulation { for i in 0..<k { network[i] += np[e][i] } }
            let z = base[e]
            if z >= 0 { baseELZ[z] += 1; basePopulation[z] += graph.population[e] }
        }
        return ZoneStats(elz: set, population: population, counted: counted, rr: rr, granted: granted, uncovered: uncovered,
                         network: network, baseELZ: baseELZ, basePopulation: basePopulation)
    }

    /// The scores of a zoning given by its zones' stats. With `cutoff`, returns nil as soon as the cost is known to
    /// be above `cutoff` (the candidate cannot enter the list); `full` computes every figure, weighted or not.
    /// `homes`: the referentieregio's RZZ when the caller has them (`homes(zones)`).
    public func scores(_ zones: [ZoneStats], homes given: [Int]? = nil, cutoff: Double? = nil, full: Bool = false) -> Scores? {
        var cost = 0.0
        var out = Scores(cost: 0, incongruentPopulation: 0, incongruentShare: 0, elzMoved: 0, populationMoved: 0,
                         balance: 0, countedZones: zones.reduce(0) { $0 + ($1.counted ? 1 : 0) })
        // Balance and congruence always: cheap, and the tie-breaks after the changes.
        out.balance = balance(zones)
        cost += objective.weight(.balance) * out.balance
        out.incongruentPopulation = incongruent(zones, homes: given ?? homes(zones))
        out.incongruentShare = totalRRPopulation > 0 ? Double(out.incongruentPopulation) / Double(totalRRPopulation) : 0
        cost += objective.weight(.rrCongruence) * out.incongruentShare
        if let cutoff, !full, cost > cutoff { return nil }
        if (full || uses.contains(.alignment)) && networkPopulation != nil {
            let m: Double
            if full || objective.metric == .mutualMajority {
                // Every figure, from the whole table, as `compare` computes them.
                let k = networkNames.count
                var flat = [Double](repeating: 0, count: zones.count * k)
                for (z, s) in zones.enumerated() { for i in 0..<k { flat[z * k + i] = s.network[i] } }
                let f = AlignmentFigures(flat: flat, rows: zones.count, columns: k)
                out.mutualMajorityShare = f.mutualMajorityShare
                out.adjustedRandIndex = f.adjustedRandIndex
                out.normalizedMutualInformation = f.normalizedMutualInformation
                switch objective.metric {
                case .ari: m = f.adjustedRandIndex
                case .nmi: m = f.normalizedMutualInformation
                case .mutualMajority: m = f.mutualMajorityShare
                }
            } else {
                // ARI and NMI from the zones' parts of the sums: O(zones).
                var sums = columnSums
                for z in zones { sums.cellPairs += z.cellPairs; sums.rowPairs += z.rowPairs; sums.cellNLogN += z.cellNLogN; sums.rowNLogN += z.rowNLogN }
                if objective.metric == .ari { out.adjustedRandIndex = sums.adjustedRandIndex; m = sums.adjustedRandIndex }
                else { out.normalizedMutualInformation = sums.normalizedMutualInformation; m = sums.normalizedMutualInformation }
            }
            cost += objective.weight(.alignment) * (1 - m)
        }
        if let cutoff, !full, cost > cutoff { return nil }
        // Changes always: they are the objective's or the tie-break (of equal costs, the smaller change first).
        let w = objective.weight(.changes)
        let byELZ = objective.changesBy == .elz
        let total = Double(byELZ ? graph.count : totalPopulation)
        let weights = zones.map { byELZ ? $0.baseELZ : $0.basePopulation }
        if let cutoff, !full, w > 0 {
            // A bound first: no matching keeps more than the best cell of every row (or column).
            if cost + w * (total - Double(keptBound(weights))) / total > cutoff { return nil }
        }
        let matching = Matching.maximal(weights)
        let keptELZ = zip(zones, matching).reduce(0) { $0 + ($1.1 >= 0 ? $1.0.baseELZ[$1.1] : 0) }
        let keptPop = zip(zones, matching).reduce(0) { $0 + ($1.1 >= 0 ? $1.0.basePopulation[$1.1] : 0) }
        out.elzMoved = baseCount - keptELZ
        out.populationMoved = basePopulation - keptPop
        cost += w * Double(byELZ ? out.elzMoved : out.populationMoved) / total
        out.cost = cost
        return out
    }

    /// Each referentieregio's RZZ: the zone holding most of its population (-1: none), as the rule engine decides.
    public func homes(_ zones: [ZoneStats]) -> [Int] {
        var out = [Int](repeating: -1, count: graph.rr.count)
        for i in out.indices {
            var best = -1, most = 0
            for z in zones.indices {
                let p = zones[z].rr[i]
                if p > most { most = p; best = z }
            }
            out[i] = best
        }
        return out
    }

    /// Whether every block lies in the RZZ of its referentieregio (the one holding most of its population) or in a
    /// municipality a granted exception covers: what rr_congruence asks when it is a violation.
    /// `only`: the referentieregio's to look at (the others are known to follow).
    public func followsReferentieregios(_ zones: [ZoneStats], homes: [Int], only: [Int]? = nil) -> Bool {
        for i in only ?? Array(0..<graph.rr.count) {
            for z in zones.indices where z != homes[i] && zones[z].uncovered[i] > 0 { return false }
        }
        return true
    }

    func balance(_ zones: [ZoneStats]) -> Double {
        var n = 0.0, sum = 0.0, squares = 0.0
        for z in zones where z.counted {
            let p = Double(z.population)
            n += 1
            sum += p
            squares += p * p
        }
        guard n > 1, sum > 0 else { return 0 }
        let mean: Double = sum / n
        let variance: Double = max(0, squares / n - mean * mean)
        return variance.squareRoot() / mean
    }

    /// Inhabitants of the referentieregio's not living in an RZZ that is exactly their referentieregio. A
    /// referentieregio's RZZ is the one holding most of its population (as the rule engine decides it).
    func incongruent(_ zones: [ZoneStats], homes: [Int]) -> Int {
        var homeCount = [Int](repeating: 0, count: zones.count)
        var homeOf = [Int](repeating: -1, count: zones.count)
        for (i, z) in homes.enumerated() where z >= 0 { homeCount[z] += 1; homeOf[z] = i }
        var out = 0
        for z in zones.indices {
            let s = zones[z]
            if homeCount[z] == 1 {
                let h = homeOf[z]
                for i in s.rr.indices where i != h { out += s.rr[i] - s.granted[i] }
            } else {
                for p in s.rr { out += p }
            }
        }
        return out
    }

    func keptBound(_ w: [[Int]]) -> Int {
        guard let cols = w.first?.count, cols > 0 else { return 0 }
        let rows = w.reduce(0) { $0 + ($1.max() ?? 0) }
        var colMax = [Int](repeating: 0, count: cols)
        for row in w { for (j, x) in row.enumerated() where x > colMax[j] { colMax[j] = x } }
        return min(rows, colMax.reduce(0, +))
    }
}

/// A maximum-weight matching of rows to columns (each used at most once), by the Hungarian method in O(n³):
/// which base zone each proposed zone continues. Hand-written: 40 lines, no library of the stack has one.
public enum Matching {
    /// For each row, its column, or -1.
    public static func maximal(_ w: [[Int]]) -> [Int] {
        let rows = w.count, cols = w.first?.count ?? 0
        guard rows > 0, cols > 0 else { return [Int](repeating: -1, count: rows) }
        let n = max(rows, cols)
        let top = w.reduce(0) { max($0, $1.max() ?? 0) }
        func cost(_ i: Int, _ j: Int) -> Int { i < rows && j < cols ? top - w[i][j] : top }
        // Potentials and the column → row matching, 1-based with 0 as the free root (e-maxx's formulation).
        var u = [Int](repeating: 0, count: n + 1), v = u, p = u, way = u
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Int](repeating: Int.max, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Int.max, j1 = 0
                for j in 1...n where !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...n {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var out = [Int](repeating: -1, count: rows)
        for j in 1...n where p[j] > 0 && p[j] - 1 < rows && j - 1 < cols && w[p[j] - 1][j - 1] > 0 { out[p[j] - 1] = j - 1 }
        return out
    }
}
