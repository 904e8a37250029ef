import Check
import Foundation
import Zoning

/// The conditions one zone and the whole zoning must meet (art. 18 as the rule set words it), on ELZ sets.
public struct ZoneRules: Sendable {
    public var minPopulation: Int
    /// ELZ sets the rule set lets stay under the minimum (a motivated exception); empty with `--exceptions none`.
    public var exceptions: [UnitSet]
    public var minELZ: Int
    public var maxZones: Int
    /// A number of zones in the counted region asked for (`--zones`), nil: any up to `maxZones`.
    public var exactZones: Int?
    /// rr_congruence is a violation: every block must lie in its referentieregio's RZZ (or be granted).
    public var bindReferentieregios: Bool

    public init(engine: RuleEngine, graph: ELZGraph, motivatedExceptions: Bool) {
        let rules = engine.ruleSet.rules
        bindReferentieregios = rules.rrCongruence.level == .violation
        minPopulation = rules.minPopulation.min
        exceptions = motivatedExceptions ? rules.minPopulation.exceptions.compactMap { e in
            let idx = e.elz.compactMap { graph.index[$0] }
            return idx.count == e.elz.count ? UnitSet(idx) : nil
        } : []
        minELZ = rules.minElz.min
        maxZones = rules.maxZones.max
    }

    /// Population: at least the minimum, or exactly a motivated exception.
    @inline(__always) public func populationOK(_ set: UnitSet, _ population: Int) -> Bool {
        population >= minPopulation || exceptions.contains(set)
    }

    /// Enough ELZ (one where the region allows it: Brussels).
    @inline(__always) public func sizeOK(_ set: UnitSet, graph: ELZGraph) -> Bool {
        set.count >= minELZ || (set.count == 1 && graph.singleAllowed[set.first!])
    }

    public func zoneOK(_ set: UnitSet, population: Int, graph: ELZGraph) -> Bool {
        sizeOK(set, graph: graph) && populationOK(set, population) && graph.isConnected(set)
    }

    /// What a zone breaks, as phrases (empty: nothing).
    public func problems(_ set: UnitSet, graph: ELZGraph) -> [String] {
        var out: [String] = []
        let pop = graph.population(set)
        if !sizeOK(set, graph: graph) { out.append("\(set.count) ELZ, under \(minELZ)") }
        if !populationOK(set, pop) { out.append("\(groupedDigits(pop)) inhabitants, under \(groupedDigits(minPopulation))") }
        if !set.isEmpty && !graph.isConnected(set) { out.append("not contiguous") }
        return out
    }
}

/// A zoning found by a search: its zones (ELZ sets, in order of their first ELZ) and scores.
public struct Candidate: Sendable {
    public var zones: [UnitSet]
    public var scores: Scores
}

/// The best `capacity` candidates seen, cheapest first (ties: the first found stays first).
struct TopList {
    let capacity: Int
    private(set) var items: [Candidate] = []
    private var seen = Set<[UnitSet]>()

    init(capacity: Int) { self.capacity = capacity }

    /// The cost above which a candidate cannot enter (nil while the list is not full).
    var cutoff: Double? { items.count == capacity ? items.last!.scores.cost : nil }

    /// Cheaper first.
    /// Of equal costs: fewer ELZ moved, fewer inhabitants moved, more congruence, more balance.
    static func before(_ a: Scores, _ b: Scores) -> Bool {
        if a.cost != b.cost { return a.cost < b.cost }
        if a.elzMoved != b.elzMoved { return a.elzMoved < b.elzMoved }
        if a.populationMoved != b.populationMoved { return a.populationMoved < b.populationMoved }
        if a.incongruentPopulation != b.incongruentPopulation { return a.incongruentPopulation < b.incongruentPopulation }
        return a.balance < b.balance
    }

    mutating func offer(_ zones: [UnitSet], _ scores: Scores) {
        if items.count == capacity && !Self.before(scores, items.last!.scores) { return }
        let key = zones.sorted()
        guard !seen.contains(key) else { return }
        let at = items.firstIndex { Self.before(scores, $0.scores) } ?? items.count
        items.insert(Candidate(zones: key, scores: scores), at: at)
        seen.insert(key)
        if items.count > capacity { seen.remove(items.removeLast().zones) }
    }
}

/// How a search went, for the report.
public struct SearchSummary: Sendable, Codable {
    /// `referentieregio` (whole referentieregio's, exact) or `elz` (local search).
    public var level: String
    public var method: String
    /// Every zoning of the space was weighed (exact search that ran to the end).
    public var complete: Bool
    /// Zonings that meet every condition (exact search: all of them; local search: distinct ones met).
    public var feasibleZonings: Int
    public var units: Int
    public var seconds: Double
    /// A lower bound of the best cost, when one is known (exact search: the best cost itself).
    public var bound: Double?
    public var seed: UInt64?
    public var restarts: Int?
    public var iterations: Int?
    /// Why the search stopped early, when it did.
    public var stopped: String?
}

/// Enumerates every zoning made of whole referentieregio's (each RZZ the union of the ELZ whose population lies
/// mostly in its referentieregio's; an ELZ with a granted exception may go with any referentieregio it lies
/// in), contiguous, each zone meeting the population and ELZ conditions, with at most the maximum number of
/// zones. Under a rule set where rr_congruence is a violation, these are all the zonings that can pass.
///
/// The units (a referentieregio's ELZ without choice, and each ELZ with a choice) are partitioned into connected
/// groups: the smallest unplaced unit starts a group, the connected groups containing it are enumerated once
/// each (a frontier with a banned set), and the rest is partitioned the same way. A rest whose connected pieces
/// cannot each be a zone (too few inhabitants and not a motivated exception) is not explored.
public struct ExactSearch {
    let graph: ELZGraph
    let rules: ZoneRules
    let evaluator: Evaluator
    let fixed: [UnitSet]
    /// Unit → its ELZ; unit adjacency; a chooser's allowed cores.
    var unitELZ: [UnitSet] = []
    var unitNeighbours: [UInt64] = []
    var mayJoin: [UInt64?] = []
    var unitPopulation: [Int] = []
    var isCore: UInt64 = 0

    public init(graph: ELZGraph, rules: ZoneRules, evaluator: Evaluator, fixed: [UnitSet]) throws(ProposeUsageError) {
        self.graph = graph
        self.rules = rules
        self.evaluator = evaluator
        self.fixed = fixed
        let free = fixed.reduce(graph.all) { $0 - $1 }
        var cores: [Int: UnitSet] = [:]
        var choosers: [Int] = []
        for e in free.indexes {
            if !graph.choices[e].isEmpty { choosers.append(e) } else if let h = graph.homeRR[e] { cores[h, default: UnitSet()].insert(e) }
        }
        let coreRR = cores.keys.sorted()
        unitELZ = coreRR.map { cores[$0]! } + choosers.map { UnitSet([$0]) }
        guard unitELZ.count <= 64 else {
            throw ProposeUsageError("level", "\(unitELZ.count) referentieregio units: the exact search handles at most 64")
        }
        for u in coreRR.indices { isCore |= 1 << UInt64(u) }
        mayJoin = [UInt64?](repeating: nil, count: coreRR.count) + choosers.map { e in
            var mask: UInt64 = 0
            for (u, r) in coreRR.enumerated() where graph.choices[e].contains(r) { mask |= 1 << UInt64(u) }
            return mask
        }
        unitPopulation = unitELZ.map { graph.population($0) }
        unitNeighbours = unitELZ.map { set in
            var reach = UnitSet()
            for e in set.indexes { reach = reach | graph.neighbours[e] }
            var mask: UInt64 = 0
            for (v, other) in unitELZ.enumerated() where other != set && reach.intersects(other) { mask |= 1 << UInt64(v) }
            return mask
        }
    }

    public var unitCount: Int { unitELZ.count }

    /// Calls `visit` once for every connected set of units within `remaining` that contains the unit `start` (a
    /// single bit), until it returns false. A set grows by a frontier unit at a time; after a unit's branch is
    /// done it is banned from its later siblings' branches, so no set comes twice.
    public static func connectedSets(containing start: UInt64, within remaining: UInt64, neighbours: [UInt64],
                                     visit: (UInt64) -> Bool) {
        var going = true
        func grow(_ s: UInt64, _ frontier: UInt64, _ banned: UInt64) {
            guard going else { return }
            if !visit(s) { going = false; return }
            var f = frontier, banned = banned
            while f != 0 && going {
                let w = f & (~f &+ 1)
                f &= ~w
                let add = neighbours[w.trailingZeroBitCount] & remaining & ~s & ~banned & ~w
                grow(s | w, f | add, banned)
                banned |= w
            }
        }
        grow(start, neighbours[start.trailingZeroBitCount] & remaining & ~start, 0)
    }

    /// Runs the enumeration; stops early (and says so) after `timeLimit` seconds.
    public func run(top: Int, timeLimit: Double) -> (candidates: [Candidate], summary: SearchSummary) {
        let clock = ContinuousClock(), start = clock.now
        var list = TopList(capacity: top)
        var feasible = 0
        var stopped: String?
        var ticks = 0
        let fixedStats = fixed.map { evaluator.stats($0) }
        let fixedCounted = fixedStats.filter(\.counted).count
        let all: UInt64 = unitELZ.count == 64 ? ~0 : (1 << UInt64(unitELZ.count)) - 1

        func elz(_ mask: UInt64) -> UnitSet {
            var s = UnitSet(), m = mask
            while m != 0 { s = s | unitELZ[m.trailingZeroBitCount]; m &= m - 1 }
            return s
        }
        func population(_ mask: UInt64) -> Int {
            var p = 0, m = mask
            while m != 0 { p += unitPopulation[m.trailingZeroBitCount]; m &= m - 1 }
            return p
        }
        // Choosers go with a core of one of their referentieregio's.
        func choosersPlaced(_ mask: UInt64) -> Bool {
            var m = mask & ~isCore
            while m != 0 {
                let u = m.trailingZeroBitCount
                if mask & mayJoin[u]! == 0 { return false }
                m &= m - 1
            }
            return true
        }
        // The zones a remaining set can start with: connected groups holding its smallest unit that can be a zone
        // and leave a rest that can still be partitioned. Memoised per remaining set, with the number of ways
        // (an upper bound of the complete zonings below it), so that no dead end is walked twice.
        var groupsMemo: [UInt64: [(mask: UInt64, stats: ZoneStats)]] = [:]
        var waysMemo: [UInt64: Int] = [0: 1]
        var zoneMemo: [UInt64: ZoneStats?] = [:]
        func zone(_ s: UInt64) -> ZoneStats? {
            if let z = zoneMemo[s] { return z }
            var z: ZoneStats?
            if choosersPlaced(s) {
                let set = elz(s)
                if rules.zoneOK(set, population: population(s), graph: graph) { z = evaluator.stats(set) }
            }
            zoneMemo[s] = z
            return z
        }
        func ways(_ remaining: UInt64) -> Int {
            if let w = waysMemo[remaining] { return w }
            var total = 0
            var kept: [(mask: UInt64, stats: ZoneStats)] = []
            let u = remaining & (~remaining &+ 1)
            func consider(_ s: UInt64) {
                ticks += 1
                if ticks & 0xFFF == 0 && (clock.now - start) > .seconds(timeLimit) { stopped = "time limit of \(timeLimit) s reached" }
                if stopped != nil { return }
                guard let z = zone(s) else { return }
                let w = ways(remaining & ~s)
                if w > 0 { total += w; kept.append((s, z)) }
            }
            Self.connectedSets(containing: u, within: remaining, neighbours: unitNeighbours) { s in
                consider(s)
                return stopped == nil
            }
            if stopped == nil { waysMemo[remaining] = total; groupsMemo[remaining] = kept }
            return total
        }
        var chosen: [ZoneStats] = fixedStats
        var countedChosen = fixedCounted
        // Only ELZ with population outside their own referentieregio can pull a referentieregio's RZZ away from
        // that referentieregio's own ELZ: the referentieregio's they lie in are the ones to look at.
        let watched = graph.rr.indices.filter { r in
            graph.elz.indices.contains { e in graph.rrPopulation[e][r] > 0 && (graph.homeRR[e] != r || !graph.choices[e].isEmpty) }
        }
        func leaf() {
            guard countedChosen <= rules.maxZones, rules.exactZones.map({ countedChosen == $0 }) ?? true else { return }
            let homes = evaluator.homes(chosen)
            if rules.bindReferentieregios && !watched.isEmpty && !evaluator.followsReferentieregios(chosen, homes: homes, only: watched) { return }
            feasible += 1
            if let s = evaluator.scores(chosen, homes: homes, cutoff: list.cutoff) { list.offer(chosen.map(\.elz), s) }
        }
        func walk(_ remaining: UInt64) {
            if remaining == 0 { leaf(); return }
            ticks += 1
            if ticks & 0xFFF == 0 && (clock.now - start) > .seconds(timeLimit) { stopped = "time limit of \(timeLimit) s reached" }
            guard stopped == nil, countedChosen <= min(rules.maxZones, rules.exactZones ?? .max) else { return }
            for g in groupsMemo[remaining] ?? [] {
                chosen.append(g.stats)
                if g.stats.counted { countedChosen += 1 }
                walk(remaining & ~g.mask)
                if g.stats.counted { countedChosen -= 1 }
                chosen.removeLast()
                if stopped != nil { return }
            }
        }
        _ = ways(all)
        if stopped == nil { walk(all) }
        let seconds = (clock.now - start) / .seconds(1)
        let best = list.items.first?.scores.cost
        let summary = SearchSummary(level: "referentieregio", method: "exact enumeration of the groupings of whole referentieregio's",
                                    complete: stopped == nil, feasibleZonings: feasible, units: unitELZ.count,
                                    seconds: seconds, bound: stopped == nil ? best : nil, stopped: stopped)
        return (list.items, summary)
    }
}

/// A seeded generator (SplitMix64): the same seed gives the same search on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A search over ELZ zonings that keeps every zone contiguous by construction, for rule sets that do not bind
/// the RZZ to whole referentieregio's: simulated annealing over two moves along the adjacency graph,
///
/// - moving a boundary ELZ to a neighbouring zone when the zone it leaves stays contiguous (AZP's move), and
/// - merging two neighbouring zones and cutting a random spanning tree of the merge where both sides can be
///   zones (GerryChain's ReCom), and now and then merging two zones or cutting one in two, so that the number of
///   zones can change,
///
/// from the base zoning, with restarts and a seed. Zones under the population minimum or with too few ELZ are
/// allowed on the way at a penalty, so the search can start from a base that breaks the rules; only zonings
/// that meet every condition are kept.
public struct LocalSearch {
    let graph: ELZGraph
    let rules: ZoneRules
    let evaluator: Evaluator
    let fixed: [UnitSet]
    let start: [UnitSet]

    public init(graph: ELZGraph, rules: ZoneRules, evaluator: Evaluator, fixed: [UnitSet], start: [UnitSet]) {
        self.graph = graph
        self.rules = rules
        self.evaluator = evaluator
        self.fixed = fixed
        self.start = start
    }

    func penalty(_ zones: [UnitSet], pops: [Int]) -> Double {
        var p = 0.0
        for (z, pop) in zip(zones, pops) {
            if !rules.populationOK(z, pop) { p += Double(rules.minPopulation - pop) / Double(rules.minPopulation) + 0.1 }
            if !rules.sizeOK(z, graph: graph) { p += 1 }
            if !graph.isConnected(z) { p += 1 }
        }
        let counted = zones.filter { z in z.indexes.contains { graph.counted[$0] } }.count + fixed.count
        if counted > rules.maxZones { p += Double(counted - rules.maxZones) }
        if let n = rules.exactZones, counted != n { p += Double(abs(counted - n)) }
        return p
    }

    public func run(top: Int, seed: UInt64, restarts: Int, iterations: Int, timeLimit: Double,
                    bound: Double?) -> (candidates: [Candidate], summary: SearchSummary) {
        let clock = ContinuousClock(), t0 = clock.now
        var list = TopList(capacity: top)
        var rng = SplitMix64(seed: seed)
        var feasibleSeen = Set<[UnitSet]>()
        var stopped: String?
        var done = 0
        let fixedStats = fixed.map { evaluator.stats($0) }
        func evaluate(_ zones: [UnitSet]) -> (cost: Double, penalty: Double, scores: Scores) {
            let stats = zones.map { evaluator.stats($0) }
            let s = evaluator.scores(fixedStats + stats)!
            return (s.cost, penalty(zones, pops: stats.map(\.population)), s)
        }
        outer: for restart in 0..<max(1, restarts) {
            var zones = start.filter { !$0.isEmpty }
            // Restarts after the first begin from the base shaken by random ReCom steps.
            if restart > 0 { for _ in 0..<(4 * zones.count) { if let z = recom(zones, &rng, strict: false) { zones = z } } }
            var current = evaluate(zones)
            let t = (start: 0.05, end: 0.0005)
            for i in 0..<iterations {
                if i & 0xFF == 0 && (clock.now - t0) > .seconds(timeLimit) { stopped = "time limit of \(timeLimit) s reached"; break outer }
                done += 1
                let temperature = t.start * pow(t.end / t.start, Double(i) / Double(max(1, iterations - 1)))
                let r = Double.random(in: 0..<1, using: &rng)
                guard let next = r < 0.55 ? move(zones, &rng) : r < 0.9 ? recom(zones, &rng, strict: true)
                        : r < 0.95 ? merge(zones, &rng) : split(zones, &rng)
                else { continue }
                let e = evaluate(next)
                let delta = (e.cost + 2 * e.penalty) - (current.cost + 2 * current.penalty)
                if delta <= 0 || Double.random(in: 0..<1, using: &rng) < exp(-delta / temperature) {
                    zones = next
                    current = e
                    if e.penalty == 0 {
                        let key = (fixed + zones).sorted()
                        if feasibleSeen.insert(key).inserted { list.offer(fixed + zones, e.scores) }
                    }
                }
            }
        }
        let seconds = (clock.now - t0) / .seconds(1)
        let summary = SearchSummary(level: "elz", method: "simulated annealing over boundary-ELZ moves and ReCom steps (contiguous by construction)",
                                    complete: false, feasibleZonings: feasibleSeen.count, units: graph.count - fixed.reduce(0) { $0 + $1.count },
                                    seconds: seconds, bound: bound, seed: seed, restarts: max(1, restarts), iterations: done, stopped: stopped)
        return (list.items, summary)
    }

    /// Moves a random boundary ELZ to a neighbouring zone; nil when the zone it leaves would fall apart or empty.
    func move(_ zones: [UnitSet], _ rng: inout SplitMix64) -> [UnitSet]? {
        guard zones.count > 1 else { return nil }
        let a = Int.random(in: 0..<zones.count, using: &rng)
        let members = zones[a].indexes
        let e = members[Int.random(in: 0..<members.count, using: &rng)]
        let targets = zones.indices.filter { $0 != a && zones[$0].intersects(graph.neighbours[e]) }
        guard let b = targets.randomElement(using: &rng) else { return nil }
        var left = zones[a]
        left.remove(e)
        guard !left.isEmpty, graph.isConnected(left) else { return nil }
        var out = zones
        out[a] = left
        out[b].insert(e)
        return out
    }

    /// Merges two neighbouring zones and cuts a random spanning tree of the merge in two (ReCom). `strict`: both
    /// sides must meet the population and ELZ conditions.
    func recom(_ zones: [UnitSet], _ rng: inout SplitMix64, strict: Bool) -> [UnitSet]? {
        guard let (a, b) = neighbouringPair(zones, &rng) else { return nil }
        let merged = zones[a] | zones[b]
        guard let side = randomCut(merged, &rng, strict: strict) else { return nil }
        var out = zones
        out[a] = side
        out[b] = merged - side
        return out
    }

    /// Two neighbouring zones merged into one: one zone fewer.
    func merge(_ zones: [UnitSet], _ rng: inout SplitMix64) -> [UnitSet]? {
        guard let (a, b) = neighbouringPair(zones, &rng) else { return nil }
        var out = zones
        out[a] = zones[a] | zones[b]
        out.remove(at: b)
        return out
    }

    /// A zone cut in two along a random spanning tree, both sides able to be zones: one zone more.
    func split(_ zones: [UnitSet], _ rng: inout SplitMix64) -> [UnitSet]? {
        let big = zones.indices.filter { zones[$0].count >= 2 * rules.minELZ && graph.population(zones[$0]) >= 2 * rules.minPopulation }
        guard let a = big.randomElement(using: &rng), let side = randomCut(zones[a], &rng, strict: true) else { return nil }
        var out = zones
        out[a] = zones[a] - side
        out.append(side)
        return out
    }

    func neighbouringPair(_ zones: [UnitSet], _ rng: inout SplitMix64) -> (Int, Int)? {
        guard zones.count > 1 else { return nil }
        let a = Int.random(in: 0..<zones.count, using: &rng)
        var reach = UnitSet()
        for e in zones[a].indexes { reach = reach | graph.neighbours[e] }
        let partners = zones.indices.filter { $0 != a && zones[$0].intersects(reach) }
        guard let b = partners.randomElement(using: &rng) else { return nil }
        return (a, b)
    }

    /// One side of a random cut of `set` (connected) along a random spanning tree (Kruskal over its edges in
    /// random order); both sides are connected. `strict`: both sides meet the population and ELZ conditions.
    func randomCut(_ set: UnitSet, _ rng: inout SplitMix64, strict: Bool) -> UnitSet? {
        let nodes = set.indexes
        guard nodes.count > 1 else { return nil }
        var edges: [(Int, Int)] = []
        for u in nodes { for v in (graph.neighbours[u] & set).indexes where v > u { edges.append((u, v)) } }
        edges.shuffle(using: &rng)
        var parent = Dictionary(uniqueKeysWithValues: nodes.map { ($0, $0) })
        func find(_ x: Int) -> Int { var x = x; while parent[x]! != x { parent[x] = parent[parent[x]!]!; x = parent[x]! }; return x }
        var tree = [Int: [Int]]()
        for (u, v) in edges {
            let ru = find(u), rv = find(v)
            guard ru != rv else { continue }
            parent[ru] = rv
            tree[u, default: []].append(v); tree[v, default: []].append(u)
        }
        // Subtree sets from a root; each tree edge (node, its parent) is a cut.
        let root = nodes[0]
        var order: [Int] = [], up: [Int: Int] = [root: -1], stack = [root]
        while let x = stack.popLast() {
            order.append(x)
            for y in tree[x] ?? [] where up[y] == nil { up[y] = x; stack.append(y) }
        }
        guard order.count == nodes.count else { return nil }
        var below: [Int: UnitSet] = [:]
        for x in order.reversed() {
            var s = UnitSet([x])
            for y in tree[x] ?? [] where up[y] == x { s = s | below[y]! }
            below[x] = s
        }
        var cuts: [UnitSet] = []
        for x in order where x != root {
            let side = below[x]!, other = set - side
            if strict {
                guard rules.sizeOK(side, graph: graph), rules.sizeOK(other, graph: graph),
                      rules.populationOK(side, graph.population(side)), rules.populationOK(other, graph.population(other))
                else { continue }
            }
            cuts.append(side)
        }
        return cuts.randomElement(using: &rng)
    }
}
