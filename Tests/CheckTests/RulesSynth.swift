import Foundation
import Testing
import GeoCore
@testable import Check
import GeoCore
import GEOS
import Projection
@testable import Zoning

/// Small synthetic coverages in CRS84 near (4° E, 51° N): grid cells of 0.01° (about 700 m × 1.1 km).
enum RulesSynth {
    /// The project's rule set, `GeoData/rules/art18-2026.json` (this file is Tests/CheckTests/RulesSynth.swift).
    static let ruleSet: RuleSet = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("GeoData/rules/art18-2026.json")
        return try! RuleSet.decode(Data(contentsOf: url), source: "art18-2026.json")
    }()

    static func p(_ i: Double, _ j: Double) -> Position { Position(4 + i * 0.01, 51 + j * 0.01) }

    /// A counter-clockwise ring through grid points.
    static func ring(_ pts: [(Double, Double)]) -> Ring {
        var r = pts.map { p($0.0, $0.1) }
        r.append(r[0])
        return r
    }

    static func cell(_ i: Double, _ j: Double) -> Polygon {
        Polygon(exterior: ring([(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]))
    }

    static func block(_ id: String, _ polygons: [Polygon], population: Int = 1000, nis: String? = nil,
                      name: String? = nil, region: String = "Vlaams Gewest") -> Block {
        let shape = Shape.polygonal(polygons)
        let projected = try! Projection.transform(shape, from: .crs84, to: .lambert72)
        return Block(id: id, nis: nis ?? id, name: name ?? "Gemeente \(id)", region: region, province: nil, shape: shape,
                     projected: projected, areaKm2: projected.area / 1e6, population: population)
    }

    static func zoning(_ name: String, _ assignment: [String: String], parent: [String: String]? = nil) -> Zoning {
        let codes = Array(Set(assignment.values)).sorted(by: naturalLess)
        return Zoning(name: name, zones: codes.map { ZoneRef(code: $0, name: "Zone \($0)") }, assignment: assignment,
                      parentAssignment: parent, parentName: parent == nil ? nil : "elz")
    }

    /// A dataset of the given blocks. `elz` and `rr` map block id → zone code; `rzz` maps ELZ code → RZZ code.
    static func dataset(_ blocks: [Block], elz: [String: String], rr: [String: String] = [:],
                        rzz: [String: String]) -> Dataset {
        var index: [String: Int] = [:]
        for (i, b) in blocks.enumerated() { index[b.id] = i }
        var rzzBlocks: [String: String] = [:]
        for (b, e) in elz { if let r = rzz[e] { rzzBlocks[b] = r } }
        let zonings: [String: Zoning] = [
            "municipalities": Zoning(name: "municipalities",
                                     zones: blocks.map { ZoneRef(code: $0.nis, name: $0.municipalityName) },
                                     assignment: Dictionary(uniqueKeysWithValues: blocks.map { ($0.id, $0.nis) })),
            "elz": zoning("elz", elz),
            "rr": zoning("rr", rr),
            "rzz": zoning("rzz", rzzBlocks, parent: rzz),
        ]
        return Dataset(directory: URL(fileURLWithPath: "/synthetic"), blocks: blocks,
                       populationYear: 2025, zonings: zonings, layerNames: ["municipalities", "elz", "rr", "rzz"],
                       inputs: [], notes: [])
    }

    /// The real rule set with the thresholds of a toy world: no exceptions, minimum population 0, at most 15 RZZ.
    static func rules(minPopulation: Int = 0, maxZones: Int = 15, excepted: [String] = []) -> RuleSet {
        var r = ruleSet
        r.rules.minPopulation.min = minPopulation
        r.rules.minPopulation.exceptions = []
        r.rules.maxZones.max = maxZones
        r.rules.rrAlignment.granted = []
        r.rules.rrCongruence.refusedRequests = []
        r.rules.contiguity.exceptedMunicipalities = excepted.map { MunicipalityRef(nis: $0, name: "Gemeente \($0)") }
        r.rules.minElz.min = 1
        return r
    }

    static func check(_ ds: Dataset, _ zoning: Zoning? = nil, rules: RuleSet = rules()) throws -> RuleReport {
        let engine = try RuleEngine(dataset: ds, ruleSet: rules)
        return try engine.check(zoning ?? ds.rzz)
    }
}
