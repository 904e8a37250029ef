import Foundation
import Testing
import GeoCore
@testable import Check
import GeoCore
import GEOS
@testable import Zoning

/// Each rule on a small synthetic coverage, with the exact finding it must produce.
@Suite struct RulesSyntheticTests {
    typealias S = RulesSynth

    /// A row of cells 0…4; zone Z1 = cells 0, 1 and 3, zone Z2 = cells 2 and 4 (each in two pieces).
    func row() -> Dataset {
        let blocks = (0..<5).map { S.block("b\($0)", [S.cell(Double($0), 0)], population: 100 * ($0 + 1)) }
        return S.dataset(blocks, elz: ["b0": "e0", "b1": "e1", "b2": "e2", "b3": "e3", "b4": "e4"],
                         rzz: ["e0": "Z1", "e1": "Z1", "e3": "Z1", "e2": "Z2", "e4": "Z2"])
    }

    @Test func aZoneInTwoPiecesIsAViolationNamingThePiece() throws {
        let r = try S.check(row())
        let v = r.findings(rule: .contiguity, layer: .rzz)
        #expect(v.count == 2)
        let z1 = try #require(v.first { $0.zone?.code == "Z1" })
        #expect(z1.level == .violation)
        #expect(z1.blocks == ["b3"])
        #expect(z1.municipalities == [MunicipalityRef(nis: "b3", name: "Gemeente b3")])
        #expect(z1.numbers.parts == 2)
        #expect(z1.numbers.population == 400)
        #expect(z1.message.hasPrefix("RZZ Zone Z1 is not contiguous: a piece made of Gemeente b3 ("))
        // Cell 3 lies between cells 2 and 4 of Z2: it shares both its east and west edges (2 × 1.11 km) with Z2.
        #expect(z1.message.hasSuffix("shares no border with the rest of the zone; it shares 2.22 km of border with RZZ Zone Z2"))
        #expect(abs((z1.numbers.sharedBorderM ?? 0) - 2224) < 5)
        // Z2 = cells 2 and 4: one of the two is the main territory, the other is named.
        let z2 = try #require(v.first { $0.zone?.code == "Z2" })
        #expect(z2.blocks.count == 1)
        #expect(r.exitCode == 1)
        #expect(r.zones.first { $0.zone.code == "Z1" }?.parts == 2)
        #expect(r.findings(rule: .contiguityPoint).isEmpty)
    }

    @Test func aPieceMadeOnlyOfAnExceptedMunicipalityIsExcused() throws {
        let r = try S.check(row(), rules: S.rules(excepted: ["b3", "b2"]))
        let z1 = try #require(r.findings(rule: .contiguity, layer: .rzz).first { $0.zone?.code == "Z1" })
        #expect(z1.level == .excused)
        #expect(z1.numbers.parts == 2)
        #expect(z1.numbers.excusedParts == 1)
        #expect(z1.blocks == ["b3"])
        #expect(z1.exception?.contains("Voeren en Baarle-Hertog") == true)
        // Z2 = b2 (excepted) + b4 (not): the piece that is not excepted is the main territory, b2 is excused.
        let z2 = try #require(r.findings(rule: .contiguity, layer: .rzz).first { $0.zone?.code == "Z2" })
        #expect(z2.level == .excused)
        #expect(z2.blocks == ["b2"])
        #expect(r.findings(level: .violation).isEmpty)
        #expect(r.exitCode == 0)
    }

    @Test func aPieceWithAnExceptedAndAnOrdinaryMunicipalityIsNotExcused() throws {
        // Z1 = cells 0, 3, 4; cells 3 and 4 form a piece with one excepted (b3) and one ordinary (b4) municipality.
        let blocks = (0..<5).map { S.block("b\($0)", [S.cell(Double($0), 0)]) }
        let ds = S.dataset(blocks, elz: ["b0": "e0", "b1": "e1", "b2": "e2", "b3": "e3", "b4": "e4"],
                           rzz: ["e0": "Z1", "e3": "Z1", "e4": "Z1", "e1": "Z2", "e2": "Z2"])
        let r = try S.check(ds, rules: S.rules(excepted: ["b3"]))
        let f = try #require(r.findings(rule: .contiguity, layer: .rzz).first)
        #expect(f.level == .violation)
        #expect(f.blocks == ["b0"])   // the piece {b3, b4} is larger, so it is the main territory
    }

    /// Checkerboard: Z1 = cells (0,0) and (1,1), Z2 = cells (1,0) and (0,1); Z3 = cells (2,2), (3,2) touches Z1 at
    /// the point (2,2) only.
    @Test func twoZonesTouchingInAPoint() throws {
        let blocks = [S.block("a", [S.cell(0, 0)]), S.block("b", [S.cell(1, 1)]),
                      S.block("c", [S.cell(1, 0)]), S.block("d", [S.cell(0, 1)]),
                      S.block("e", [S.cell(2, 2)]), S.block("f", [S.cell(3, 2)])]
        let ds = S.dataset(blocks, elz: ["a": "ea", "b": "eb", "c": "ec", "d": "ed", "e": "ee", "f": "ef"],
                           rzz: ["ea": "Z1", "eb": "Z1", "ec": "Z2", "ed": "Z2", "ee": "Z3", "ef": "Z3"])
        let r = try S.check(ds)
        let points = r.findings(rule: .contiguityPoint, layer: .rzz)
        #expect(points.count == 2)
        let z1 = try #require(points.first { $0.zone?.code == "Z1" })
        #expect(z1.level == .violation)
        #expect(z1.location == [4.01, 51.01])
        #expect(z1.blocks == ["a", "b"])
        #expect(z1.numbers.parts == 2)
        #expect(z1.message.contains("only in a point"))
        let z2 = try #require(points.first { $0.zone?.code == "Z2" })
        #expect(z2.location == [4.01, 51.01])
        #expect(z2.blocks == ["c", "d"])
        // The pieces are also not contiguous: one contiguity violation per zone.
        #expect(r.findings(rule: .contiguity, level: .violation, layer: .rzz).compactMap { $0.zone?.code } == ["Z1", "Z2"])
        // Z3 touches Z1 in a point but is itself one piece: nothing to report about it.
        #expect(!r.findings.contains { $0.zone?.code == "Z3" && $0.level != .info })
    }

    @Test func holesDoNotBreakContiguity() throws {
        // Zone Z1 = the 8 cells around the centre; zone Z2 = the centre cell (an enclave in Z1).
        var blocks: [Block] = []
        var elz: [String: String] = [:]
        var rzz: [String: String] = [:]
        for i in 0..<3 { for j in 0..<3 {
            let id = "c\(i)\(j)"
            blocks.append(S.block(id, [S.cell(Double(i), Double(j))]))
            elz[id] = "e\(id)"
            rzz["e\(id)"] = (i == 1 && j == 1) ? "Z2" : "Z1"
        } }
        let r = try S.check(S.dataset(blocks, elz: elz, rzz: rzz))
        #expect(r.findings(rule: .contiguity).isEmpty)
        #expect(r.zones.allSatisfy { $0.parts == 1 })
        #expect(r.coverage.unionHoles == 0)
        // A block with a hole that another block fills is one piece with it.
        let ring = S.ring([(0, 0), (3, 0), (3, 3), (0, 3)])
        let hole = Array(S.ring([(1, 1), (1, 2), (2, 2), (2, 1)]))
        let donut = S.block("donut", [Polygon(exterior: ring, holes: [hole])])
        let centre = S.block("centre", [S.cell(1, 1)])
        let ds = S.dataset([donut, centre], elz: ["donut": "e1", "centre": "e2"], rzz: ["e1": "Z", "e2": "Z"])
        let r2 = try S.check(ds)
        #expect(r2.findings(rule: .contiguity).isEmpty)
        #expect(r2.zones.first?.parts == 1)
        #expect(r2.coverage.clean)
        #expect(r2.coverage.method == .coverageUnion)
    }

    @Test func coverageNestingSizePopulationAndCount() throws {
        let blocks = (0..<4).map { S.block("b\($0)", [S.cell(Double($0), 0)], population: 1000) }
        // ELZ e01 = b0 + b1; e2 = b2; e3 = b3.
        let ds = S.dataset(blocks, elz: ["b0": "e01", "b1": "e01", "b2": "e2", "b3": "e3"],
                           rzz: ["e01": "Z1", "e2": "Z2", "e3": "Z2"])
        // A zoning by block: b1 in Z2 splits ELZ e01; b3 in no zone.
        let zoning = S.zoning("proposal", ["b0": "Z1", "b1": "Z2", "b2": "Z2"])
        var rules = S.rules(minPopulation: 1500)
        rules.rules.minElz.min = 2
        let r = try S.check(ds, zoning, rules: rules)
        let cov = try #require(r.findings(rule: .coverage, layer: .rzz).first)
        #expect(cov.level == .violation)
        #expect(cov.blocks == ["b3"])
        #expect(cov.numbers.population == 1000)
        let nest = try #require(r.findings(rule: .nesting).first)
        #expect(nest.zone?.code == "e01")
        #expect(nest.sides?.map(\.zone.code) == ["Z1", "Z2"])
        #expect(nest.sides?.map(\.population) == [1000, 1000])
        let size = r.findings(rule: .minELZ)
        #expect(size.map { $0.zone!.code } == ["Z1"])
        #expect(size.first?.level == .violation)
        #expect(size.first?.numbers.elzCount == 1)
        let pop = r.findings(rule: .minPopulation)
        #expect(pop.map { $0.zone!.code } == ["Z1"])
        #expect(pop.first?.numbers.population == 1000)
        #expect(pop.first?.level == .violation)

        // Count: at most 1 RZZ, and an exception for Z1's population is then void.
        var strict = S.rules(minPopulation: 2500, maxZones: 1)
        strict.rules.minPopulation.exceptions = [.init(zoneName: "Zone Z1", elz: ["e01"], elzNames: nil, status: nil,
                                                       motivation: nil, citation: "test exception")]
        let r2 = try S.check(ds, rules: strict)
        let count = try #require(r2.findings(rule: .maxZones).first)
        #expect(count.level == .violation)
        #expect(count.numbers.zoneCount == 2)
        let z1 = try #require(r2.findings(rule: .minPopulation).first { $0.zone?.code == "Z1" })
        #expect(z1.level == .violation)
        #expect(z1.message.contains("void"))
        // With room for two RZZ the same exception excuses Z1.
        strict.rules.maxZones.max = 2
        let r3 = try S.check(ds, rules: strict)
        #expect(r3.findings(rule: .minPopulation).first { $0.zone?.code == "Z1" }?.level == .excused)
        #expect(r3.findings(rule: .minPopulation).first { $0.zone?.code == "Z1" }?.exception == "test exception")
    }

    @Test func brusselsMayFormAnRZZOfOneELZ() throws {
        let blocks = [S.block("bxl", [S.cell(0, 0)], region: "Brussels Hoofdstedelijk Gewest"),
                      S.block("vl", [S.cell(1, 0)])]
        let ds = S.dataset(blocks, elz: ["bxl": "e1", "vl": "e2"], rzz: ["e1": "Z1", "e2": "Z2"])
        var rules = S.rules()
        rules.rules.minElz.min = 2
        let r = try S.check(ds, rules: rules)
        let f = r.findings(rule: .minELZ)
        #expect(f.map { "\($0.zone!.code) \($0.level.rawValue)" } == ["Z2 violation", "Z1 excused"])
        #expect(r.findings(rule: .maxZones, level: .info).first?.numbers.zoneCount == 1)   // Brussels is not counted
    }

    @Test func referentieregioAlignmentAndGrants() throws {
        let blocks = (0..<4).map { S.block("b\($0)", [S.cell(Double($0), 0)], population: 1000 + $0) }
        // ELZ e1 = b0, b1, b2 straddles r1 (b0, b1) and r2 (b2); e2 = b3 in r2.
        let ds = S.dataset(blocks, elz: ["b0": "e1", "b1": "e1", "b2": "e1", "b3": "e2"],
                           rr: ["b0": "r1", "b1": "r1", "b2": "r2", "b3": "r2"],
                           rzz: ["e1": "Z1", "e2": "Z2"])
        let r = try S.check(ds)
        let f = try #require(r.findings(rule: .rrAlignment).first)
        #expect(f.level == .violation)
        #expect(f.zone?.code == "e1")
        #expect(f.blocks == ["b2"])
        #expect(f.sides?.map(\.zone.code) == ["r1", "r2"])
        #expect(f.sides?.map(\.population) == [2001, 1002])
        #expect(f.sides?.map(\.main) == [true, false])
        #expect(f.sides?.map { $0.rzz?.code } == ["Z1", "Z2"])
        #expect(f.message.contains("no exception granted"))
        // RZZ view: Z1 merges r1, b2 of r2 sticks out; Z2 misses it.
        let c = r.findings(rule: .rrCongruence, level: .violation)
        #expect(c.compactMap { $0.zone?.code } == ["Z1", "Z2"])
        #expect(c.allSatisfy { $0.blocks == ["b2"] })

        var granted = S.rules()
        granted.rules.rrAlignment.granted = [.init(elz: "e1", name: "Zone e1", municipalities: [MunicipalityRef(nis: "b2", name: "Gemeente b2")],
                                                   text: nil, citation: "grant 1")]
        let r2 = try S.check(ds, rules: granted)
        #expect(r2.findings(rule: .rrAlignment).first?.level == .excused)
        #expect(r2.findings(rule: .rrAlignment).first?.exception == "grant 1")
        #expect(r2.findings(rule: .rrCongruence).filter { $0.level == .excused }.count == 2)
        #expect(r2.exitCode == 0)

        granted.rules.rrAlignment.granted[0].municipalities = [MunicipalityRef(nis: "b1", name: "Gemeente b1")]
        let r3 = try S.check(ds, rules: granted)
        #expect(r3.findings(rule: .rrAlignment).first?.level == .violation)
        #expect(r3.findings(rule: .rrAlignment).first?.message.contains("does not cover Gemeente b2") == true)
    }
}

extension RuleReport {
    func findings(level: FindingLevel) -> [Finding] { findings.filter { $0.level == level } }
}
