import Check
import Foundation
import Zoning

/// A set of unit indexes (ELZ, or the referentieregio units of the exact search) below 128, as two words: the
/// search compares, unions and walks millions of these.
public struct UnitSet: Hashable, Sendable, Comparable {
    public var low: UInt64 = 0
    public var high: UInt64 = 0

    public static let capacity = 128

    public init() {}
    public init<S: Sequence>(_ indexes: S) where S.Element == Int { for i in indexes { insert(i) } }

    @inline(__always) public func contains(_ i: Int) -> Bool {
        i < 64 ? low & (1 << UInt64(i)) != 0 : high & (1 << UInt64(i - 64)) != 0
    }
    @inline(__always) public mutating func insert(_ i: Int) {
        if i < 64 { low |= 1 << UInt64(i) } else { high |= 1 << UInt64(i - 64) }
    }
    @inline(__always) public mutating func remove(_ i: Int) {
        if i < 64 { low &= ~(1 << UInt64(i)) } else { high &= ~(1 << UInt64(i - 64)) }
    }
    @inline(__always) public var isEmpty: Bool { low == 0 && high == 0 }
    @inline(__always) public var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }
    /// The smallest index, nil when empty.
    @inline(__always) public var first: Int? {
        low != 0 ? low.trailingZeroBitCount : high != 0 ? 64 + high.trailingZeroBitCount : nil
    }
    @inline(__always) public static func | (a: Self, b: Self) -> Self { var s = a; s.low |= b.low; s.high |= b.high; return s }
    @inline(__always) public static func & (a: Self, b: Self) -> Self { var s = a; s.low &= b.low; s.high &= b.high; return s }
    @inline(__always) public static func - (a: Self, b: Self) -> Self { var s = a; s.low &= ~b.low; s.high &= ~b.high; return s }
    @inline(__always) public func intersects(_ b: Self) -> Bool { low & b.low != 0 || high & b.high != 0 }
    @inline(__always) public func isSubset(of b: Self) -> Bool { low & ~b.low == 0 && high & ~b.high == 0 }

    /// The indexes, ascending.
    public var indexes: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        var w = low
        while w != 0 { out.append(w.trailingZeroBitCount); w &= w - 1 }
        w = high
        while w != 0 { out.append(64 + w.trailingZeroBitCount); w &= w - 1 }
        return out
    }

    public static func < (a: Self, b: Self) -> Bool { (a.first ?? Int.max) < (b.first ?? Int.max) }
}

/// The ELZ of a dataset as the units of a zoning, with what the rules and the objectives need of them: population,
/// region, the referentieregio's they lie in, the granted exceptions, and the ELZ adjacency graph.
///
/// Adjacency leaves out the municipalities the contiguity rule excepts (Voeren, Baarle-Hertog): a piece made only
/// of them is excused wherever it lies, so it must neither connect nor separate zones.
public struct ELZGraph: Sendable {
    public var elz: [ZoneRef]
    public var index: [String: Int]
    /// Block indexes of each ELZ.
    public var blocks: [[Int]]
    public var population: [Int]
    /// In a region the maximum number of zones counts (Vlaams Gewest).
    public var counted: [Bool]
    /// In a region where one ELZ may be a zone of its own (Brussels).
    public var singleAllowed: [Bool]
    public var neighbours: [UnitSet]
    /// The referentieregio's, in table order.
    public var rr: [ZoneRef]
    /// [elz][rr]: population of the ELZ in each referentieregio.
    public var rrPopulation: [[Int]]
    /// [elz][rr]: of that, the population in municipalities a granted exception lets this ELZ take along.
    public var rrGranted: [[Int]]
    /// [elz][rr]: blocks of the ELZ in each referentieregio that no granted exception of the ELZ covers.
    public var rrUncovered: [[Int]]
    /// The referentieregio holding most of the ELZ's population (nil outside every referentieregio).
    public var homeRR: [Int?]
    /// An ELZ may go with a referentieregio when every block it has outside it lies in a municipality its granted
    /// exception covers; the ELZ with more than one such referentieregio (Houtland en Polder, Druivenstreek) have
    /// them as choices, the others none (their `homeRR` is the one they may go with).
    public var choices: [[Int]]
    /// The ELZ that lie in several referentieregio's without a granted exception that covers them.
    public var unexcusedStraddles: [Int]

    public var count: Int { elz.count }
    public var all: UnitSet { UnitSet(0..<count) }

    /// Builds the graph of `dataset`'s ELZ under `ruleSet`. Throws when there are more ELZ than `UnitSet` holds.
    public init(engine: RuleEngine) throws {
        let dataset = engine.dataset, rules = engine.ruleSet.rules
        let blocks = dataset.blocks
        let elzZoning = dataset.elz
        let members = elzZoning.members(in: blocks)
        let zones = elzZoning.zones.filter { members[$0.code] != nil }
        guard zones.count <= UnitSet.capacity else {
            throw DataError(file: "elz", message: "\(zones.count) ELZ: propose works with at most \(UnitSet.capacity) ELZ")
        }
        elz = zones
        index = Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.code, $0) })
        let blocksOf = zones.map { z in members[z.code]!.map { dataset.blockIndex[$0]! } }
        self.blocks = blocksOf
        population = blocksOf.map { $0.reduce(0) { $0 + blocks[$1].population } }
        let countedRegions = Set(rules.maxZones.countedRegions), single = Set(rules.minElz.singleElzRegions)
        counted = blocksOf.map { bs in bs.contains { countedRegions.contains(blocks[$0].region) } }
        singleAllowed = blocksOf.map { bs in bs.allSatisfy { single.contains(blocks[$0].region) } }

        // Adjacency, the excepted municipalities left out.
        let excepted = Set(rules.contiguity.exceptedMunicipalities.map(\.nis))
        let topology = engine.topology
        let groups = blocksOf.map { bs in
            bs.filter { !excepted.contains(blocks[$0].nis) }.flatMap { topology.partsOfBlock[$0] }
        }
        neighbours = try topology.groupAdjacency(groups, blocks: blocks).map { UnitSet($0) }

        // Referentieregio's and granted exceptions.
        let rrZoning = dataset.rr
        let rr = rrZoning.zones
        self.rr = rr
        let rrIndex = Dictionary(uniqueKeysWithValues: rr.enumerated().map { ($1.code, $0) })
        let grants = Dictionary(rules.rrAlignment.granted.map { ($0.elz, Set($0.municipalities.map(\.nis))) },
                                uniquingKeysWith: { a, b in a.union(b) })
        var rrPop = [[Int]](repeating: [Int](repeating: 0, count: rr.count), count: zones.count)
        var rrGrant = rrPop
        var touchedRR = [Set<Int>](repeating: [], count: zones.count)
        var uncovered = rrPop
        for (e, bs) in blocksOf.enumerated() {
            let granted = grants[zones[e].code] ?? []
            for b in bs {
                guard let code = rrZoning.assignment[blocks[b].id], let r = rrIndex[code] else { continue }
                touchedRR[e].insert(r)
                rrPop[e][r] += blocks[b].population
                if granted.contains(blocks[b].nis) { rrGrant[e][r] += blocks[b].population } else { uncovered[e][r] += 1 }
            }
        }
        rrPopulation = rrPop
        rrGranted = rrGrant
        rrUncovered = uncovered
        var home: [Int?] = [], choices: [[Int]] = [], straddles: [Int] = []
        for e in zones.indices {
            let touched = touchedRR[e].sorted()
            let h = touched.max { a, b in rrPop[e][a] != rrPop[e][b] ? rrPop[e][a] < rrPop[e][b] : a > b }
            home.append(h)
            // The referentieregio's the ELZ may go with: those outside which every block it has lies in a
            // municipality its granted exception covers (or outside every referentieregio).
            let granted = grants[zones[e].code] ?? []
            let allowed = touched.filter { r in
                blocksOf[e].allSatisfy { b in
                    let code = rrZoning.assignment[blocks[b].id]
                    return code == nil || code == rr[r].code || granted.contains(blocks[b].nis)
                }
            }
            if touched.count > 1 && allowed.isEmpty { straddles.append(e) }
            choices.append(allowed.count > 1 ? allowed : [])
            if allowed.count == 1 { home[home.count - 1] = allowed[0] }
        }
        homeRR = home
        self.choices = choices
        unexcusedStraddles = straddles
    }

    /// The ELZ of `set` reachable from `start` within it.
    @inline(__always) public func component(of start: Int, within set: UnitSet) -> UnitSet {
        var reached = UnitSet([start]), frontier = reached
        while !frontier.isEmpty {
            var next = UnitSet()
            for i in frontier.indexes { next = next | neighbours[i] }
            next = (next & set) - reached
            reached = reached | next
            frontier = next
        }
        return reached
    }

    /// Whether `set` is connected in the ELZ graph (the empty set is not).
    @inline(__always) public func isConnected(_ set: UnitSet) -> Bool {
        guard let start = set.first else { return false }
        return component(of: start, within: set) == set
    }

    /// The connected components of `set`, in order of their smallest ELZ.
    public func components(_ set: UnitSet) -> [UnitSet] {
        var left = set, out: [UnitSet] = []
        while let start = left.first {
            let c = component(of: start, within: left)
            out.append(c)
            left = left - c
        }
        return out
    }

    public func population(_ set: UnitSet) -> Int { set.indexes.reduce(0) { $0 + population[$1] } }
}
