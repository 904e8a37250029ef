import Foundation
import Zoning
import GeoCore
import GEOS

/// Checks a zoning of regionale zorgzones (RZZ) against a rule set (art. 18 of the eerstelijnsdecreet): coverage,
/// nesting of the ELZ, at least two ELZ, contiguity, population, the number of RZZ, and alignment with the
/// referentieregio's; contiguity also on the ELZ (at the rule set's ELZ level, a warning).
///
/// Built once per dataset (the block topology and the coverage validation are computed here) and then used for
/// any number of zonings. Everything is a value; GEOS geometries only live inside single calls.
public struct RuleEngine: Sendable {
    public let dataset: Dataset
    public let ruleSet: RuleSet
    public let topology: BlockTopology
    public let coverage: CoverageValidation
    /// Repairs made by `--snap` before the check, reported with the findings.
    public var repairs: [SnapChange]?

    /// Prepares a check. `coverage` is computed when not given.
    public init(dataset: Dataset, ruleSet: RuleSet, topology: BlockTopology? = nil,
                coverage: CoverageValidation? = nil) throws {
        self.dataset = dataset
        self.ruleSet = ruleSet
        let topo = topology ?? BlockTopology(blocks: dataset.blocks)
        self.topology = topo
        self.coverage = try coverage ?? CoverageValidation.run(blocks: dataset.blocks, topology: topo,
                                                                tolerances: ruleSet.coverageCheck)
    }

    /// The 2026 RZZ of the dataset (`rzz.csv`), checked.
    public func checkDefault() throws -> RuleReport { try check(dataset.rzz) }

    /// Checks a zoning (usually RZZ over ELZ; a zoning keyed by blocks or municipalities works too).
    public func check(_ zoning: Zoning, file: String? = nil) throws -> RuleReport {
        var run = CheckRun(engine: self, zoning: zoning)
        try run.evaluate()
        return run.report(file: file)
    }
}

/// The state of one check.
private struct CheckRun {
    let engine: RuleEngine
    let zoning: Zoning
    var findings: [Finding] = []
    var zoneParts: [String: (parts: Int, excused: Int)] = [:]
    var elzParts: [String: Int] = [:]
    var rrHome: [String: String] = [:]

    var dataset: Dataset { engine.dataset }
    var rules: RuleSet.Rules { engine.ruleSet.rules }
    var blocks: [Block] { engine.dataset.blocks }

    init(engine: RuleEngine, zoning: Zoning) {
        self.engine = engine
        self.zoning = zoning
    }

    // MARK: Helpers

    func block(_ id: String) -> Block { blocks[dataset.blockIndex[id]!] }
    func population(_ ids: [String]) -> Int { ids.reduce(0) { $0 + block($1).population } }
    func area(_ ids: [String]) -> Double { ids.reduce(0) { $0 + block($1).areaKm2 } }
    func municipalities(_ ids: [String]) -> [MunicipalityRef] {
        uniqueMunicipalities(ids.map(block)).sorted { $0.name < $1.name }
    }
    func names(_ ms: [MunicipalityRef]) -> String { listText(ms.map(\.name)) }
    func zoneRef(_ z: Zoning, _ code: String) -> ZoneRef { z.zone(code) ?? ZoneRef(code: code, name: code) }

    var inScope: [Block] {
        let regions = Set(engine.ruleSet.scope.regions)
        return blocks.filter { regions.contains($0.region) }
    }

    // MARK: Evaluate

    mutating func evaluate() throws {
        let members = zoning.members(in: blocks)
        let zones = zoning.zones.filter { members[$0.code] != nil }
        let elz = dataset.elz
        let elzMembers = elz.members(in: blocks)

        checkCoverage()
        checkNesting(elzMembers: elzMembers)
        computeHomes(members: members)
        for z in zones {
            let ids = members[z.code]!
            checkSize(z, ids)
            try checkContiguity(z, ids, layer: .rzz, level: rules.contiguity.level)
            checkCongruence(z, ids, members: members)
        }
        checkPopulation(zones: zones, members: members, elzMembers: elzMembers)
        let countOK = checkCount(zones: zones, members: members)
        for z in elz.zones where elzMembers[z.code] != nil {
            try checkContiguity(z, elzMembers[z.code]!, layer: .elz, level: rules.elzContiguity.level)
            checkAlignment(z, elzMembers[z.code]!)
        }
        for f in engine.coverage.findings { findings.append(f) }
        if let repairs = engine.repairs {
            for r in repairs {
                var n = FindingNumbers()
                n.areaChangeM2 = rounded(r.areaChangeM2, 2)
                findings.append(Finding(rule: .blocksSnapped, level: .info, layer: .blocks, blocks: [r.block],
                                        municipalities: [MunicipalityRef(nis: block(r.block).nis, name: block(r.block).municipalityName)],
                                        numbers: n,
                                        message: "--snap changed block \(r.block) (\(r.name)): \(r.verticesMoved) vertices moved, \(r.verticesInserted) inserted, area \(signedAreaText(r.areaChangeM2))"))
            }
        }
        if !countOK && engine.ruleSet.motivatedExceptionsRequireMaxZones { voidMotivatedExceptions() }
        findings.sort { a, b in
            if a.level != b.level { return a.level < b.level }
            if a.layer != b.layer { return layerOrder(a.layer) < layerOrder(b.layer) }
            if a.rule != b.rule { return a.rule.order < b.rule.order }
            let za = a.zone?.code ?? "", zb = b.zone?.code ?? ""
            if za != zb { return naturalLess(za, zb) }
            return a.blocks.lexicographicallyPrecedes(b.blocks)
        }
    }

    // Rule 1.
    mutating func checkCoverage() {
        for (layer, z) in [(FindingLayer.rzz, zoning), (.elz, dataset.elz)] {
            let missing = inScope.filter { z.assignment[$0.id] == nil }
            guard !missing.isEmpty else { continue }
            var n = FindingNumbers()
            n.population = missing.reduce(0) { $0 + $1.population }
            n.areaKm2 = rounded(missing.reduce(0) { $0 + $1.areaKm2 }, 2)
            let ms = uniqueMunicipalities(missing).sorted { $0.name < $1.name }
            findings.append(Finding(rule: .coverage, level: rules.coverage.level, layer: layer,
                                    blocks: missing.map(\.id), municipalities: ms, numbers: n,
                                    message: "\(missing.count) block\(missing.count == 1 ? " is" : "s are") in no \(layer == .rzz ? "zone of \(zoning.name)" : "ELZ"): \(names(ms)) (\(groupedDigits(n.population!)) inhabitants)"))
        }
    }

    // Rule 2.
    mutating func checkNesting(elzMembers: [String: [String]]) {
        for e in dataset.elz.zones {
            guard let ids = elzMembers[e.code] else { continue }
            var byZone: [String: [String]] = [:]
            for id in ids { if let z = zoning.assignment[id] { byZone[z, default: []].append(id) } }
            guard byZone.count > 1 else { continue }
            let mainCode = byZone.max { a, b in
                let pa = population(a.value), pb = population(b.value)
                return pa != pb ? pa < pb : naturalLess(b.key, a.key)
            }!.key
            let sides = byZone.keys.sorted(by: naturalLess).map { code in
                FindingSide(zone: zoneRef(zoning, code), rzz: nil, municipalities: municipalities(byZone[code]!),
                            blocks: byZone[code]!, population: population(byZone[code]!), main: code == mainCode)
            }
            let outside = sides.filter { !$0.main }.flatMap(\.blocks)  // in the sides' order: a dictionary's order changes per run
            var n = FindingNumbers()
            n.population = population(ids)
            n.zoneCount = byZone.count
            let parts = sides.map { "\($0.zone.name) (\(names($0.municipalities)); \(groupedDigits($0.population)))" }
            findings.append(Finding(rule: .nesting, level: rules.nesting.level, layer: .elz, zone: e,
                                    blocks: outside, municipalities: municipalities(outside), numbers: n, sides: sides,
                                    message: "ELZ \(e.name) is split over \(byZone.count) zones: \(parts.joined(separator: "; "))"))
        }
    }

    // Rule 3.
    mutating func checkSize(_ z: ZoneRef, _ ids: [String]) {
        let elzCodes = Set(ids.compactMap { dataset.elz.assignment[$0] })
        let rule = rules.minElz
        guard elzCodes.count < rule.min else { return }
        var n = FindingNumbers()
        n.elzCount = elzCodes.count
        n.threshold = rule.min
        let single = Set(rule.singleElzRegions)
        let elzNames = listText(elzCodes.sorted(by: naturalLess).map { zoneRef(dataset.elz, $0).name })
        if elzCodes.count == 1, ids.allSatisfy({ single.contains(block($0).region) }) {
            findings.append(Finding(rule: .minELZ, level: .excused, layer: .rzz, zone: z, numbers: n,
                                    exception: rule.citation,
                                    message: "RZZ \(z.name) holds 1 ELZ (\(elzNames)); excused: it lies wholly in \(listText(Array(Set(ids.map { block($0).region })).sorted())), which may form one ELZ"))
        } else {
            findings.append(Finding(rule: .minELZ, level: rule.level, layer: .rzz, zone: z, numbers: n,
                                    message: "RZZ \(z.name) holds \(elzCodes.count) ELZ (\(elzNames)); at least \(rule.min) are required"))
        }
    }

    // Rule 4 (and the ELZ warning).
    mutating func checkContiguity(_ z: ZoneRef, _ ids: [String], layer: FindingLayer, level: FindingLevel) throws {
        let partIdx = ids.flatMap { engine.topology.partsOfBlock[dataset.blockIndex[$0]!] }
        let comps = try engine.topology.components(of: partIdx, blocks: blocks)
        let count = comps.components.count
        let excepted = Set(rules.contiguity.exceptedMunicipalities.map(\.nis))
        let kind = layer == .rzz ? "RZZ" : "ELZ"
        // Blocks per component (a block belongs to the component that holds its largest part).
        var compBlocks = [[String]](repeating: [], count: count)
        var compNIS = [Set<String>](repeating: [], count: count)
        var largest: [Int: (comp: Int, area: Double)] = [:]
        for (k, c) in comps.components.enumerated() {
            for p in c {
                let part = engine.topology.parts[p]
                compNIS[k].insert(blocks[part.block].nis)
                if largest[part.block].map({ part.areaM2 > $0.area }) ?? true { largest[part.block] = (k, part.areaM2) }
            }
        }
        for (b, v) in largest { compBlocks[v.comp].append(blocks[b].id) }
        let allExcepted = compNIS.map { $0.isSubset(of: excepted) }
        let main = allExcepted.firstIndex(of: false) ?? 0
        var status = [FindingLevel](repeating: .info, count: count)
        for k in 0..<count where k != main { status[k] = allExcepted[k] ? .excused : level }
        if layer == .rzz { zoneParts[z.code] = (count, status.filter { $0 == .excused }.count) } else { elzParts[z.code] = count }
        guard count > 1 else { return }

        func compMunicipalities(_ k: Int) -> [MunicipalityRef] {
            compNIS[k].sorted().map { nis in
                let b = blocks.first { $0.nis == nis }!
                return MunicipalityRef(nis: nis, name: b.municipalityName)
            }
        }
        func partBlocks(_ k: Int) -> [String] {
            var seen = Set<String>()
            return comps.components[k].compactMap { p in
                let id = blocks[engine.topology.parts[p].block].id
                return seen.insert(id).inserted ? id : nil
            }
        }
        let excusedComps = (0..<count).filter { status[$0] == .excused }
        if !excusedComps.isEmpty {
            let ms = Array(Set(excusedComps.flatMap(compMunicipalities))).sorted { $0.name < $1.name }
            var n = FindingNumbers()
            n.parts = count
            n.excusedParts = excusedComps.count
            n.areaKm2 = rounded(excusedComps.reduce(0) { $0 + comps.areasM2[$1] } / 1e6, 4)
            let bs = Array(Set(excusedComps.flatMap(partBlocks))).sorted()
            findings.append(Finding(rule: .contiguity, level: .excused, layer: layer, zone: z, blocks: bs,
                                    municipalities: ms, numbers: n, exception: rules.contiguity.citation,
                                    message: "\(kind) \(z.name) is in \(count) pieces; \(excusedComps.count == 1 ? "1 of them (\(formatArea(n.areaKm2! * 1e6))) consists" : "\(excusedComps.count) of them (\(formatArea(n.areaKm2! * 1e6)) together) consist") only of \(names(ms)), excepted from contiguity"))
        }
        for k in 0..<count where status[k] != .excused && k != main {
            let ms = compMunicipalities(k)
            let bs = partBlocks(k)
            var n = FindingNumbers()
            n.parts = count
            n.areaKm2 = rounded(comps.areasM2[k] / 1e6, 4)
            n.population = compBlocks[k].reduce(0) { $0 + block($1).population }
            // The zone the piece borders most: where it would fit.
            let owner = layer == .rzz ? zoning : dataset.elz
            var border: [String: Double] = [:]
            let mine = Set(comps.components[k])
            for p in comps.components[k] {
                for nb in engine.topology.neighbours[p] where !mine.contains(nb.part) {
                    if let zc = owner.assignment[blocks[engine.topology.parts[nb.part].block].id], zc != z.code {
                        border[zc, default: 0] += nb.sharedLengthM
                    }
                }
            }
            var neighbourText = ""
            if let best = border.max(by: { $0.value != $1.value ? $0.value < $1.value : naturalLess($1.key, $0.key) }) {
                n.sharedBorderM = rounded(best.value, 1)
                neighbourText = "; it shares \(formatMetres(best.value)) of border with \(kind) \(zoneRef(owner, best.key).name)"
            }
            var f = Finding(rule: .contiguity, level: status[k], layer: layer, zone: z, blocks: bs,
                            municipalities: ms, numbers: n,
                            message: "\(kind) \(z.name) is not contiguous: a piece made of \(names(ms)) (\(formatArea(comps.areasM2[k]))) shares no border with the rest of the zone\(neighbourText)")
            if layer == .rzz {
                f.elz = Set(bs.compactMap { dataset.elz.assignment[$0] }).sorted(by: naturalLess).map { zoneRef(dataset.elz, $0) }
            }
            findings.append(f)
        }
        for t in comps.pointTouches {
            let lv: FindingLevel
            if t.a == main { lv = status[t.b] } else if t.b == main { lv = status[t.a] } else { lv = min(status[t.a], status[t.b]) }
            let ma = compMunicipalities(t.a), mb = compMunicipalities(t.b)
            var n = FindingNumbers()
            n.parts = count
            let what = t.a == main ? "the main territory" : "a piece made of \(names(ma)) (\(formatArea(comps.areasM2[t.a])))"
            findings.append(Finding(rule: .contiguityPoint, level: lv, layer: layer, zone: z,
                                    blocks: Array(Set(partBlocks(t.a) + partBlocks(t.b))).sorted(),
                                    municipalities: Array(Set(ma + mb)).sorted { $0.name < $1.name }, numbers: n,
                                    location: t.location,
                                    exception: lv == .excused ? rules.contiguity.citation : nil,
                                    message: "\(kind) \(z.name): a piece made of \(names(mb)) (\(formatArea(comps.areasM2[t.b]))) touches \(what) only in a point, which is not a shared border"))
        }
    }

    // Rule 5.
    mutating func checkPopulation(zones: [ZoneRef], members: [String: [String]], elzMembers: [String: [String]]) {
        let rule = rules.minPopulation
        for z in zones {
            let ids = members[z.code]!
            let pop = population(ids)
            guard pop < rule.min else { continue }
            var n = FindingNumbers()
            n.population = pop
            n.threshold = rule.min
            let idSet = Set(ids)
            let elzCodes = Set(ids.compactMap { dataset.elz.assignment[$0] })
            let whole = elzCodes.allSatisfy { (elzMembers[$0] ?? []).allSatisfy(idSet.contains) }
            let exception = rule.exceptions.first { Set($0.elz) == elzCodes && whole }
            let elzNames = listText(elzCodes.sorted(by: naturalLess).map { zoneRef(dataset.elz, $0).name })
            if let e = exception {
                findings.append(Finding(rule: .minPopulation, level: .excused, layer: .rzz, zone: z, numbers: n,
                                        exception: e.citation,
                                        message: "RZZ \(z.name) (\(elzNames)) has \(groupedDigits(pop)) inhabitants, under \(groupedDigits(rule.min)); excused: a motivated exception (\(e.citation))"))
            } else {
                findings.append(Finding(rule: .minPopulation, level: rule.level, layer: .rzz, zone: z, numbers: n,
                                        message: "RZZ \(z.name) (\(elzNames)) has \(groupedDigits(pop)) inhabitants, under \(groupedDigits(rule.min))"))
            }
        }
    }

    // Rule 6. Returns whether the count is within the maximum.
    mutating func checkCount(zones: [ZoneRef], members: [String: [String]]) -> Bool {
        let rule = rules.maxZones
        let counted = Set(rule.countedRegions)
        let inCounted = zones.filter { z in members[z.code]!.contains { counted.contains(block($0).region) } }
        var n = FindingNumbers()
        n.zoneCount = inCounted.count
        n.threshold = rule.max
        let ok = inCounted.count <= rule.max
        let outside = zones.count - inCounted.count
        let detail = outside > 0 ? " (\(zones.count) in all; \(outside) outside \(listText(rule.countedRegions)))" : ""
        findings.append(Finding(rule: .maxZones, level: ok ? .info : rule.level, layer: .zoning, numbers: n,
                                message: "\(inCounted.count) RZZ in \(listText(rule.countedRegions))\(detail) \(ok ? "≤" : ">") \(rule.max), \(rule.basis ?? "the maximum")"))
        if dataset.rr.zones.count != rule.max {
            findings.append(Finding(rule: .maxZones, level: .warning, layer: .zoning,
                                    message: "the rule set's maximum is \(rule.max) but the referentieregio table has \(dataset.rr.zones.count) zones"))
        }
        return ok
    }

    // Rule 7, RZZ: the referentieregio's each RZZ merges, and the municipalities that stick out.
    mutating func computeHomes(members: [String: [String]]) {
        var popBy: [String: [String: Int]] = [:]
        for b in blocks {
            guard let r = dataset.rr.assignment[b.id], let z = zoning.assignment[b.id] else { continue }
            popBy[r, default: [:]][z, default: 0] += b.population
        }
        for (r, m) in popBy {
            rrHome[r] = m.max { a, b in a.value != b.value ? a.value < b.value : naturalLess(b.key, a.key) }!.key
        }
    }

    mutating func checkCongruence(_ z: ZoneRef, _ ids: [String], members: [String: [String]]) {
        let rr = dataset.rr
        let merged = rr.zones.filter { rrHome[$0.code] == z.code }
        var n = FindingNumbers()
        n.zoneCount = merged.count
        if merged.isEmpty && ids.allSatisfy({ rr.assignment[$0] == nil }) {
            findings.append(Finding(rule: .rrCongruence, level: .info, layer: .rzz, zone: z,
                                    message: "RZZ \(z.name) lies outside the referentieregio's (\(listText(Array(Set(ids.map { block($0).region })).sorted())))"))
            return
        }
        let idSet = Set(ids)
        // Sticking out: in this zone, but their referentieregio belongs to another zone.
        let foreign = ids.filter { id in rr.assignment[id].map { rrHome[$0] != z.code } ?? false }
        // Missing: of a referentieregio this zone merges, but in another zone.
        let mergedCodes = Set(merged.map(\.code))
        let missing = blocks.filter { b in rr.assignment[b.id].map(mergedCodes.contains) == true && !idSet.contains(b.id) }.map(\.id)
        let grants = Dictionary(rules.rrAlignment.granted.map { ($0.elz, $0) }, uniquingKeysWith: { a, _ in a })
        func covered(_ id: String) -> RuleSet.GrantedException? {
            guard let e = dataset.elz.assignment[id], let g = grants[e] else { return nil }
            return g.municipalities.contains { $0.nis == block(id).nis } ? g : nil
        }
        let mergedText = merged.map(\.name).joined(separator: " + ")
        if foreign.isEmpty && missing.isEmpty {
            findings.append(Finding(rule: .rrCongruence, level: .info, layer: .rzz, zone: z, numbers: n,
                                    message: "RZZ \(z.name) coincides with referentieregio \(mergedText)"))
            return
        }
        let deviating = foreign + missing
        let uncovered = deviating.filter { covered($0) == nil }
        var sides: [FindingSide] = []
        func addSides(_ list: [String]) {
            var groups: [String: [String]] = [:]
            for id in list { groups["\(rr.assignment[id]!)|\(zoning.assignment[id] ?? "")", default: []].append(id) }
            for key in groups.keys.sorted(by: naturalLess) {
                let g = groups[key]!
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                sides.append(FindingSide(zone: zoneRef(rr, parts[0]), rzz: parts[1].isEmpty ? nil : zoneRef(zoning, parts[1]),
                                         municipalities: municipalities(g), blocks: g, population: population(g), main: false))
            }
        }
        addSides(foreign)
        addSides(missing)
        var pieces: [String] = []
        if !foreign.isEmpty {
            let t = sides.filter { s in s.rzz?.code == z.code }
                .map { "\(names($0.municipalities)) of referentieregio \($0.zone.name) (\(groupedDigits($0.population)))" }
            pieces.append("sticking out: \(t.joined(separator: "; "))")
        }
        if !missing.isEmpty {
            let t = sides.filter { s in s.rzz?.code != z.code }
                .map { "\(names($0.municipalities)) (\(groupedDigits($0.population))) in \($0.rzz?.name ?? "no zone")" }
            pieces.append("missing: \(t.joined(separator: "; "))")
        }
        let head = merged.isEmpty ? "RZZ \(z.name) is the main zone of no referentieregio" : "RZZ \(z.name) merges referentieregio \(mergedText)"
        n.population = population(deviating)
        if uncovered.isEmpty {
            let used = Array(Set(deviating.compactMap { covered($0)?.name })).sorted()
            findings.append(Finding(rule: .rrCongruence, level: .excused, layer: .rzz, zone: z, blocks: deviating,
                                    municipalities: municipalities(deviating), numbers: n, sides: sides,
                                    exception: "granted exceptions to the referentieregio's for ELZ \(listText(used)) (\(rules.rrAlignment.granted.first?.citation ?? "rule set"))",
                                    message: "\(head); \(pieces.joined(separator: "; ")); excused by the exceptions granted to ELZ \(listText(used))"))
        } else {
            let uncoveredELZ = Set(uncovered.compactMap { dataset.elz.assignment[$0] })
            let refused = (rules.rrCongruence.refusedRequests ?? []).filter { !Set($0.elz).isDisjoint(with: uncoveredELZ) }
            var msg = "\(head); \(pieces.joined(separator: "; ")); not covered by a granted exception: \(names(municipalities(uncovered)))"
            for r in refused { msg += ". The note refused this: \(r.request) — \(r.decision) (\(r.citation))" }
            findings.append(Finding(rule: .rrCongruence, level: rules.rrCongruence.level, layer: .rzz, zone: z,
                                    blocks: uncovered, municipalities: municipalities(uncovered), numbers: n, sides: sides,
                                    message: msg))
        }
    }

    // Rule 7, ELZ: an ELZ in more than one referentieregio.
    mutating func checkAlignment(_ e: ZoneRef, _ ids: [String]) {
        let rr = dataset.rr
        var byRR: [String: [String]] = [:]
        for id in ids { if let r = rr.assignment[id] { byRR[r, default: []].append(id) } }
        guard byRR.count > 1 else { return }
        let mainRR = byRR.max { a, b in
            let pa = population(a.value), pb = population(b.value)
            return pa != pb ? pa < pb : naturalLess(b.key, a.key)
        }!.key
        let sides = byRR.keys.sorted { a, b in
            let pa = population(byRR[a]!), pb = population(byRR[b]!)
            return pa != pb ? pa > pb : naturalLess(a, b)
        }.map { code in
            FindingSide(zone: zoneRef(rr, code), rzz: rrHome[code].map { zoneRef(zoning, $0) },
                        municipalities: municipalities(byRR[code]!), blocks: byRR[code]!,
                        population: population(byRR[code]!), main: code == mainRR)
        }
        let outside = sides.filter { !$0.main }.flatMap(\.blocks)
        let outsideNIS = Set(outside.map { block($0).nis })
        let grant = rules.rrAlignment.granted.first { $0.elz == e.code }
        let grantedNIS = Set(grant?.municipalities.map(\.nis) ?? [])
        let covered = grant != nil && outsideNIS.isSubset(of: grantedNIS)
        var n = FindingNumbers()
        n.population = population(ids)
        n.zoneCount = byRR.count
        let text = sides.map { s in
            s.main ? "\(s.zone.name) (\(groupedDigits(s.population)), main)"
                   : "\(s.zone.name) (\(names(s.municipalities)): \(groupedDigits(s.population)))"
        }.joined(separator: "; ")
        let head = "ELZ \(e.name) lies in \(byRR.count) referentieregio's: \(text)"
        if covered, let grant {
            findings.append(Finding(rule: .rrAlignment, level: .excused, layer: .elz, zone: e, blocks: outside,
                                    municipalities: municipalities(outside), numbers: n, sides: sides,
                                    exception: grant.citation,
                                    message: "\(head); exception granted (\(grant.citation))"))
        } else {
            let extra = grant == nil ? "no exception granted" :
                "the granted exception does not cover \(names(municipalities(outside.filter { !grantedNIS.contains(block($0).nis) })))"
            findings.append(Finding(rule: .rrAlignment, level: rules.rrAlignment.level, layer: .elz, zone: e,
                                    blocks: outside, municipalities: municipalities(outside), numbers: n, sides: sides,
                                    message: "\(head); \(extra)"))
        }
    }

    /// Art. 18, third paragraph: with more RZZ than allowed, the motivated deviations from 3° (population) and 5°
    /// (referentieregio's) do not hold.
    mutating func voidMotivatedExceptions() {
        let max = rules.maxZones.max
        for i in findings.indices where findings[i].level == .excused {
            let r = findings[i].rule
            guard r == .minPopulation || r == .rrAlignment || r == .rrCongruence else { continue }
            findings[i].level = .violation
            findings[i].message += " — but the exception is void: art. 18, third paragraph, allows deviations only with at most \(max) RZZ in the Dutch language area"
        }
    }

    // MARK: Report

    func report(file: String?) -> RuleReport {
        let members = zoning.members(in: blocks)
        let zones = zoning.zones.filter { members[$0.code] != nil }
        let rr = dataset.rr
        var summaries: [ZoneCheck] = []
        for z in zones {
            let ids = members[z.code]!
            let mine = findings.filter { $0.layer == .rzz && $0.zone?.code == z.code }
            let v = mine.filter { $0.level == .violation }.count
            let e = mine.filter { $0.level == .excused }.count
            let w = mine.filter { $0.level == .warning }.count
            let elzCodes = Array(Set(ids.compactMap { dataset.elz.assignment[$0] })).sorted(by: naturalLess)
            summaries.append(ZoneCheck(
                zone: z, elz: elzCodes.map { zoneRef(dataset.elz, $0) },
                municipalities: Set(ids.map { block($0).nis }).count, blocks: ids.count,
                population: population(ids), areaKm2: rounded(area(ids), 2),
                parts: zoneParts[z.code]?.parts ?? 1, excusedParts: zoneParts[z.code]?.excused ?? 0,
                referentieregios: rr.zones.filter { rrHome[$0.code] == z.code },
                status: v > 0 ? "violation" : e > 0 ? "excused" : w > 0 ? "warning" : "ok",
                violations: v, excused: e, warnings: w))
        }
        let elzMembers = dataset.elz.members(in: blocks)
        let elz = dataset.elz.zones.compactMap { e -> ELZCheck? in
            guard let ids = elzMembers[e.code] else { return nil }
            let zs = Array(Set(ids.compactMap { zoning.assignment[$0] })).sorted(by: naturalLess)
            let rrs = Array(Set(ids.compactMap { rr.assignment[$0] })).sorted(by: naturalLess)
            return ELZCheck(zone: e, rzz: zs.map { zoneRef(zoning, $0) }, referentieregios: rrs.map { zoneRef(rr, $0) },
                            population: population(ids), parts: elzParts[e.code] ?? 1)
        }
        let counted = Set(rules.maxZones.countedRegions)
        let countedZones = zones.filter { z in members[z.code]!.contains { counted.contains(block($0).region) } }.count
        let v = findings.filter { $0.level == .violation }.count
        let totals = CheckTotals(zones: zones.count, countedZones: countedZones, maxZones: rules.maxZones.max,
                                 violations: v, excused: findings.filter { $0.level == .excused }.count,
                                 warnings: findings.filter { $0.level == .warning }.count,
                                 info: findings.filter { $0.level == .info }.count, passes: v == 0)
        return RuleReport(ruleSet: engine.ruleSet.id, ruleSetTitle: engine.ruleSet.title, ruleSetTitleNl: engine.ruleSet.titleNl,
                          ruleSetFile: engine.ruleSet.file,
                          zoning: zoning.name, zoningFile: file, populationYear: dataset.populationYear,
                          totals: totals, zones: summaries, elz: elz, coverage: engine.coverage.summary,
                          repairs: engine.repairs, findings: findings.map { var f = $0; f.summaryNl = f.dutchSummary; return f })
    }
}

private func layerOrder(_ l: FindingLayer) -> Int {
    switch l {
    case .zoning: return 0
    case .rzz: return 1
    case .elz: return 2
    case .blocks: return 3
    }
}

/// "A", "A and B", "A, B and C".
package func listText(_ items: [String]) -> String {
    switch items.count {
    case 0: return "none"
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

private func signedAreaText(_ m2: Double) -> String {
    (m2 >= 0 ? "+" : "−") + formatArea(abs(m2))
}
