import Check
import Compare
import Foundation
import Zoning

/// Which space `propose` searches.
public enum ProposeLevel: String, CaseIterable, Sendable, Codable {
    /// `referentieregio` when the rule set makes rr_congruence a violation, else `elz`.
    case auto
    /// Whole referentieregio's, enumerated exactly.
    case referentieregio
    /// Any contiguous grouping of whole ELZ, by local search.
    case elz
}

/// Where and how long to search, and what to keep: the options `propose` passes through as given.
public struct SearchOptions: Sendable {
    public var level: ProposeLevel = .auto
    /// Zones in the counted region (nil: any number up to the maximum; the balance objective takes the base's).
    public var zones: Int?
    /// Codes of base zones to keep as they are.
    public var keep: [String] = []
    public var top = 5
    public var seed: UInt64 = 1
    public var restarts = 8
    public var iterations = 4000
    /// Seconds; the exact search says it is incomplete when it stops here.
    public var timeLimit = 60.0

    public init() {}
}

/// What `propose` is asked.
public struct ProposeSettings: Sendable {
    public var objective: Objective
    /// The rule set's motivated population exceptions hold (`--exceptions rule-set`) or not (`none`).
    public var motivatedExceptions = true
    public var search = SearchOptions()

    public init(objective: Objective) { self.objective = objective }
}

/// The network layer the alignment is measured against, with its service areas over the dataset's blocks.
public struct AlignmentInput: Sendable {
    public var name: String
    /// The service-area method, as `compare` names it.
    public var method: String
    public var areas: ServiceAreas

    public init(name: String, method: String, areas: ServiceAreas) {
        self.name = name
        self.method = method
        self.areas = areas
    }
}

/// One zone of a proposal.
public struct ProposedZone: Sendable, Codable {
    public var code: String
    public var name: String
    public var population: Int
    public var elz: [ZoneRef]
    /// The referentieregio's whose RZZ this is (most of their population lives here).
    public var referentieregios: [ZoneRef]
    /// The base zone it continues (matched so that most stays), nil for a new zone.
    public var continues: ZoneRef?
    /// Same ELZ as that base zone.
    public var unchanged: Bool
}

/// An ELZ that changes zone against the base.
public struct MovedELZ: Sendable, Codable {
    public var elz: ZoneRef
    public var population: Int
    public var from: ZoneRef?
    public var to: ZoneRef
}

/// One proposal: its zones, scores, the difference from the base and its check.
public struct Proposal: Sendable, Codable {
    public var rank: Int
    public var scores: Scores
    public var zones: [ProposedZone]
    public var moved: [MovedELZ]
    /// The rule engine's verdict on the proposal (every proposal shown passes).
    public var check: CheckTotals
    /// The RZZ table (the shape of rzz.csv).
    public var csv: String
}

/// The base zoning weighed the same way.
public struct BaseFigures: Sendable, Codable {
    public var name: String
    public var scores: Scores
    /// Zones that break a condition as `propose` weighs them (with `--exceptions none`, say).
    public var problems: [String]
}

/// With `--exceptions none`: what the rule set's motivated population exceptions are worth, from a second
/// search with them.
public struct ExceptionsWorth: Sendable, Codable {
    /// The zones the rule set lets stay under the minimum.
    public var exceptions: [String]
    public var bestWith: Scores?
    public var bestWithout: Scores?
}

/// Everything `propose` answers.
public struct ProposalReport: Sendable, Codable {
    public var tool = "zorgzones propose"
    public var objective: String
    public var alignmentWith: String?
    public var ruleSet: String
    public var populationYear: Int
    public var motivatedExceptions: Bool
    /// Zones asked for in the counted region, when a number was.
    public var zones: Int?
    public var kept: [ZoneRef]
    public var base: BaseFigures
    public var search: SearchSummary
    public var exceptionsWorth: ExceptionsWorth?
    public var proposals: [Proposal]
}

/// The ELZ graph a search ran on, for other tools (`Scripts/bench/propose_field.py` gives it to spopt and
/// GerryChain): the ELZ with population, referentieregio and base zone, the rook adjacency (the contiguity
/// exceptions left out), and the population each network serves in each ELZ.
public struct ELZGraphDocument: Sendable, Codable {
    public struct Node: Sendable, Codable {
        public var code: String
        public var name: String
        public var population: Int
        /// In the counted region (Vlaams Gewest); the others are zones of their own in every proposal.
        public var counted: Bool
        public var rr: String?
        public var base: String?
        public var networkPopulation: [Double]?
    }
    public var nodes: [Node]
    /// Index pairs into `nodes`, each once.
    public var edges: [[Int]]
    public var networks: [String]?
    public var minPopulation: Int
    public var maxZones: Int
}

/// A proposal the rule engine refuses: a bug of the search, never shown.
public struct ProposalFailsRules: Error, CustomStringConvertible {
    public var description: String
}

/// Runs a search and turns its candidates into checked proposals.
public struct Proposer {
    public let engine: RuleEngine
    public let graph: ELZGraph
    public let base: Zoning
    public let settings: ProposeSettings
    public let alignment: AlignmentInput?
    let baseIndex: [Int]
    let baseZones: [ZoneRef]
    /// The ELZ of each base zone, by index of `baseZones`.
    let baseSets: [UnitSet]
    /// The objective's weighing, with each network's population per ELZ (summed once).
    let evaluator: Evaluator

    public init(engine: RuleEngine, base: Zoning, settings: ProposeSettings, alignment: AlignmentInput?) throws {
        self.engine = engine
        self.base = base
        self.settings = settings
        self.alignment = alignment
        if settings.objective.weight(.alignment) > 0 && alignment == nil {
            throw ProposeUsageError("with", "is needed for the alignment objective: hospital-networks, ggz-adults, ggz-youth or a file")
        }
        let graph = try ELZGraph(engine: engine)
        self.graph = graph
        // Each ELZ's base zone: where most of its population is.
        let blocks = engine.dataset.blocks
        let members = base.members(in: blocks)
        let zones = base.zones.filter { members[$0.code] != nil }
        let zoneIndex = Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.code, $0) })
        baseZones = zones
        baseIndex = graph.blocks.map { bs in
            var pop: [Int: Int] = [:]
            for b in bs { if let z = base.assignment[blocks[b].id].flatMap({ zoneIndex[$0] }) { pop[z, default: 0] += blocks[b].population + 1 } }
            return pop.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? -1
        }
        baseSets = zones.indices.map { [baseIndex] z in UnitSet(graph.elz.indices.filter { baseIndex[$0] == z }) }
        let network = alignment.map { a -> (names: [String], population: [[Double]]) in
            let k = a.areas.networks.count
            let pop = graph.blocks.map { bs in
                var row = [Double](repeating: 0, count: k)
                for b in bs { for s in a.areas.shares[b] { row[s.network] += Double(blocks[b].population) * s.population } }
                return row
            }
            return (a.areas.networks, pop)
        }
        evaluator = Evaluator(graph: graph, objective: settings.objective, network: network, base: baseIndex, baseZones: zones)
    }

    /// The level searched: the rule set decides `auto`.
    public var level: ProposeLevel {
        if settings.search.level != .auto { return settings.search.level }
        return engine.ruleSet.rules.rrCongruence.level == .violation ? .referentieregio : .elz
    }

    /// Searches, builds and checks the top proposals.
    public func run() throws -> (report: ProposalReport, checks: [RuleReport]) {
        try refuseImpossible()
        var rules = ZoneRules(engine: engine, graph: graph, motivatedExceptions: settings.motivatedExceptions)
        rules.exactZones = try zoneCount(rules: rules)
        let fixed = try fixedZones(rules: rules)
        for z in fixed.zones {
            let problems = rules.problems(z, graph: graph)
            guard problems.isEmpty else {
                let names = z.indexes.map { graph.elz[$0].name }.joined(separator: ", ")
                throw DataError(file: engine.ruleSet.id, message: "no zoning can pass: the ELZ outside every referentieregio (\(names)) form a zone of their own, which breaks the rules: \(problems.joined(separator: "; "))")
            }
        }
        let found: (candidates: [Candidate], summary: SearchSummary)
        switch level {
        case .referentieregio, .auto:
            let search = try ExactSearch(graph: graph, rules: rules, evaluator: evaluator, fixed: fixed.zones)
            found = search.run(top: settings.search.top, timeLimit: settings.search.timeLimit)
        case .elz:
            if engine.ruleSet.rules.rrCongruence.level == .violation {
                throw ProposeUsageError("level", "elz searches groupings across referentieregio's, but \(engine.ruleSet.id) makes rr_congruence a violation, so only whole referentieregio's can pass: use --level referentieregio, or a rule set where rr_congruence is a warning (GeoData/rules/art18-decree.json)")
            }
            let start = baseSets
                .map { $0 - fixed.zones.reduce(UnitSet()) { $0 | $1 } }.filter { !$0.isEmpty }
            let search = LocalSearch(graph: graph, rules: rules, evaluator: evaluator, fixed: fixed.zones, start: start)
            found = search.run(top: settings.search.top, seed: settings.search.seed, restarts: settings.search.restarts,
                               iterations: settings.search.iterations, timeLimit: settings.search.timeLimit,
                               bound: changesBound(rules: rules))
        }
        var proposals: [Proposal] = [], checks: [RuleReport] = []
        for (i, c) in found.candidates.enumerated() {
            let (p, report) = try proposal(c, rank: i + 1)
            proposals.append(p)
            checks.append(report)
        }
        let baseZoneSets = baseSets.filter { !$0.isEmpty }
        let baseScores = evaluator.scores(baseZoneSets.map { evaluator.stats($0) }, full: true)!
        var problems: [String] = []
        for (z, set) in zip(baseZones, baseSets) where !set.isEmpty {
            let p = rules.problems(set, graph: graph)
            if !p.isEmpty { problems.append("\(z.name): \(p.joined(separator: "; "))") }
        }
        if baseScores.countedZones > rules.maxZones { problems.append("\(baseScores.countedZones) zones, over \(rules.maxZones)") }
        var worth: ExceptionsWorth?
        let granted = engine.ruleSet.rules.minPopulation.exceptions
        if !settings.motivatedExceptions && !granted.isEmpty && level != .elz {
            let withRules = ZoneRules(engine: engine, graph: graph, motivatedExceptions: true)
            let again = try ExactSearch(graph: graph, rules: withRules, evaluator: evaluator, fixed: fixed.zones)
                .run(top: 1, timeLimit: settings.search.timeLimit)
            worth = ExceptionsWorth(exceptions: granted.map { "\($0.zoneName) (\($0.elz.joined(separator: " + ")))" },
                                    bestWith: again.candidates.first?.scores, bestWithout: found.candidates.first?.scores)
        }
        let report = ProposalReport(
            objective: settings.objective.description,
            alignmentWith: alignment.map { "\($0.name) (\($0.method))" },
            ruleSet: engine.ruleSet.id, populationYear: engine.dataset.populationYear,
            motivatedExceptions: settings.motivatedExceptions, zones: rules.exactZones, kept: fixed.kept,
            base: BaseFigures(name: base.name, scores: baseScores, problems: problems),
            search: found.summary, exceptionsWorth: worth, proposals: proposals)
        return (report, checks)
    }

    /// The graph, populations and network shares the search weighs.
    public func graphDocument() -> ELZGraphDocument {
        let nodes = graph.elz.indices.map { e in
            ELZGraphDocument.Node(code: graph.elz[e].code, name: graph.elz[e].name, population: graph.population[e],
                                  counted: graph.counted[e], rr: graph.homeRR[e].map { graph.rr[$0].code },
                                  base: baseIndex[e] >= 0 ? baseZones[baseIndex[e]].code : nil,
                                  networkPopulation: evaluator.networkPopulation?[e])
        }
        var edges: [[Int]] = []
        for e in graph.elz.indices { for f in graph.neighbours[e].indexes where f > e { edges.append([e, f]) } }
        let rules = engine.ruleSet.rules
        return ELZGraphDocument(nodes: nodes, edges: edges, networks: alignment.map { _ in evaluator.networkNames },
                                minPopulation: rules.minPopulation.min, maxZones: rules.maxZones.max)
    }

    /// The number of zones asked for: `zones`, else for the balance objective the base's (a single zone has no
    /// spread at all, so balance compares zonings of one size).
    func zoneCount(rules: ZoneRules) throws -> Int? {
        if let n = settings.search.zones {
            guard (1...rules.maxZones).contains(n) else {
                throw ProposeUsageError("zones", "must be a whole number from 1 to \(rules.maxZones) (the rule set's maximum)")
            }
            return n
        }
        guard settings.objective.weight(.balance) > 0 else { return nil }
        let counted = Set(graph.elz.indices.filter { graph.counted[$0] && baseIndex[$0] >= 0 }.map { baseIndex[$0] })
        return counted.count
    }

    /// Findings no zoning can change (an ELZ across referentieregio's without a granted exception, blocks that
    /// overlap): no proposal could pass, so none is sought.
    func refuseImpossible() throws {
        let report = try engine.check(base, file: base.name)
        let fixedFindings = report.findings.filter { $0.level == .violation && ($0.layer == .elz || $0.layer == .blocks) }
        guard fixedFindings.isEmpty else {
            throw DataError(file: engine.ruleSet.id, message: "no zoning can pass: \(fixedFindings.map(\.message).joined(separator: "; "))")
        }
    }

    /// Zones the search does not touch: each connected group of ELZ outside every referentieregio (Brussels), and
    /// the base zones to keep.
    func fixedZones(rules: ZoneRules) throws -> (zones: [UnitSet], kept: [ZoneRef]) {
        var zones = graph.components(UnitSet(graph.elz.indices.filter { graph.homeRR[$0] == nil }))
        var kept: [ZoneRef] = []
        for code in settings.search.keep {
            guard let z = baseZones.firstIndex(where: { $0.code == code }) else {
                throw ProposeUsageError("keep", "'\(code)' is not a zone of \(base.name): use one of \(baseZones.map(\.code).joined(separator: ", "))")
            }
            let set = baseSets[z]
            let problems = rules.problems(set, graph: graph)
            guard problems.isEmpty else {
                throw ProposeUsageError("keep", "cannot keep \(baseZones[z].name) (\(code)): \(problems.joined(separator: "; "))")
            }
            if level != .elz {
                // The exact search's units: a referentieregio's ELZ without choice, or one ELZ with a choice.
                func unit(_ e: Int) -> Int { graph.choices[e].isEmpty ? graph.homeRR[e] ?? -1 : graph.rr.count + e }
                let units = Set(set.indexes.map(unit))
                guard graph.elz.indices.allSatisfy({ !units.contains(unit($0)) || set.contains($0) }) else {
                    throw ProposeUsageError("keep", "cannot keep \(baseZones[z].name) (\(code)) in a search over whole referentieregio's: it does not consist of whole referentieregio's")
                }
            }
            zones.removeAll { $0.intersects(set) && $0 != set }
            if !zones.contains(set) { zones.append(set) }
            kept.append(baseZones[z])
        }
        return (zones, kept)
    }

    /// For the changes objective alone (counted in ELZ): every base zone that breaks a condition must gain or lose
    /// an ELZ, and one move changes two zones, so at least ⌈k / 2⌉ ELZ move.
    func changesBound(rules: ZoneRules) -> Double? {
        let o = settings.objective
        guard o.uses == [.changes], o.changesBy == .elz else { return nil }
        let broken = baseSets.filter { !$0.isEmpty && !rules.problems($0, graph: graph).isEmpty }.count
        return o.weight(.changes) * Double((broken + 1) / 2) / Double(graph.count)
    }

    /// Names, codes, the RZZ table, the difference from the base, and the rule engine's check.
    func proposal(_ c: Candidate, rank: Int) throws -> (Proposal, RuleReport) {
        let stats = c.zones.map { evaluator.stats($0) }
        let scores = evaluator.scores(stats, full: true)!
        let byELZ = settings.objective.changesBy == .elz
        let match = Matching.maximal(stats.map { byELZ ? $0.baseELZ : $0.basePopulation })
        // The referentieregio's each zone is the RZZ of, as the rule engine decides them.
        var homes = [[ZoneRef]](repeating: [], count: c.zones.count)
        for (r, z) in evaluator.homes(stats).enumerated() where z >= 0 { homes[z].append(graph.rr[r]) }
        let prefix = codePrefix()
        var nextNumber = (baseZones.compactMap { Int($0.code.dropFirst(prefix.count)) }.max() ?? 0) + 1
        var zones: [ProposedZone] = []
        for (z, set) in c.zones.enumerated() {
            let matched = match[z] >= 0 ? baseZones[match[z]] : nil
            let baseSet = match[z] >= 0 ? baseSets[match[z]] : nil
            let unchanged = baseSet == set
            let code: String
            if let m = matched { code = m.code } else { code = prefix + (nextNumber < 10 ? "0" : "") + String(nextNumber); nextNumber += 1 }
            let name: String
            if unchanged, let m = matched { name = m.name }
            else if !homes[z].isEmpty { name = homes[z].map(\.name).joined(separator: " - ") }
            else { name = set.indexes.map { graph.elz[$0].name }.joined(separator: " - ") }
            zones.append(ProposedZone(code: code, name: name, population: stats[z].population,
                                      elz: set.indexes.map { graph.elz[$0] }, referentieregios: homes[z],
                                      continues: matched, unchanged: unchanged))
        }
        zones.sort { naturalLess($0.code, $1.code) }
        var moved: [MovedELZ] = []
        var rows: [[String]] = []
        for z in zones {
            for e in z.elz {
                let i = graph.index[e.code]!
                let from = baseIndex[i] >= 0 ? baseZones[baseIndex[i]] : nil
                let stays = from != nil && z.continues == from
                if !stays {
                    moved.append(MovedELZ(elz: e, population: graph.population[i], from: from, to: ZoneRef(code: z.code, name: z.name)))
                }
                rows.append([e.code, e.name, z.code, z.name, "zorgzones propose, proposal \(rank)",
                             stays ? "" : "moved from \(from?.name ?? "no zone")"])
            }
        }
        rows.sort { naturalLess($0[0], $1[0]) }
        let header = ["elz_code", "elz_name", "rzz_code", "rzz_name", "basis", "note"]
        let csv = ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        let fileName = "proposal-\(rank).csv"
        let table = try ZoneTable(csv: CSVTable(name: fileName, header: header, rows: rows, lines: rows.indices.map { $0 + 2 }))
        let zoning = try engine.dataset.resolve(table, name: "proposal-\(rank)")
        let report = try engine.check(zoning, file: fileName)
        guard report.totals.violations == 0 else {
            let v = report.findings.filter { $0.level == .violation }.map(\.message)
            throw ProposalFailsRules(description: "proposal \(rank) fails \(engine.ruleSet.id), which is a bug of the search: \(v.joined(separator: "; "))")
        }
        moved.sort { naturalLess($0.elz.code, $1.elz.code) }
        return (Proposal(rank: rank, scores: scores, zones: zones, moved: moved, check: report.totals, csv: csv), report)
    }

    /// The letters the base zone codes share (`rzz`), for new codes.
    func codePrefix() -> String {
        let letters = baseZones.map { String($0.code.prefix { !$0.isNumber }) }
        return letters.allSatisfy({ $0 == letters.first }) && !(letters.first ?? "").isEmpty ? letters.first! : "rzz"
    }
}
