import Cartography
import Check
import Compare
import DataPackage
import GeoJSON
import Jobs
import Projection
import Foundation
import Testing
import TestSupport
import GeoCore
import GEOS
@testable import Zoning

/// The 2026 RZZ of the concept note, checked on the real data: the report must say what the note says.
@Suite struct RulesRealDataTests {
    let report = RulesFixture.report

    @Test func theRuleSetMatchesTheData() throws {
        try RulesFixture.ruleSet.validate(against: RulesFixture.dataset)
        let c = RulesFixture.ruleSet.rules.contiguity.exceptedMunicipalities
        #expect(c == [MunicipalityRef(nis: "73109", name: "Voeren"), MunicipalityRef(nis: "13002", name: "Baarle-Hertog")])
        #expect(RulesFixture.ruleSet.rules.rrAlignment.granted.map(\.name) ==
                ["Regio Waregem", "RITS", "Scheldekracht", "Vlaamse Ardennen", "Druivenstreek", "Houtland en Polder"])
    }

    @Test func the2026ZoningPassesWithExcusedFindingsOnly() {
        #expect(report.exitCode == 0)
        #expect(report.totals.violations == 0)
        #expect(report.findings.allSatisfy { $0.level != .violation })
        #expect(report.totals.zones == 14)
        #expect(report.totals.countedZones == 13)
        #expect(report.totals.maxZones == 15)
        #expect(report.populationYear == 2025)
        let count = report.findings(rule: .maxZones)
        #expect(count.count == 1)
        #expect(count.first?.level == .info)
        #expect(count.first?.numbers.zoneCount == 13)
        #expect(count.first?.message.contains("14 in all") == true)
    }

    @Test func vlaamseArdennenIsUnder300000AndExcused() {
        let pop = report.findings(rule: .minPopulation)
        #expect(pop.count == 1, "only RZZ Vlaamse Ardennen is under 300,000 in 2025")
        let f = pop[0]
        #expect(f.zone == ZoneRef(code: "rzz11", name: "Vlaamse Ardennen"))
        #expect(f.level == .excused)
        #expect(f.numbers.population == 214_210)
        #expect(f.numbers.threshold == 300_000)
        #expect(f.exception?.contains("§2.2.2") == true)
        #expect(report.zone(named: "Vlaamse Ardennen")?.elz.map(\.name) == ["Panacea", "Vlaamse Ardennen"])
        #expect(report.zone(named: "Waasland")?.population == 304_108)
    }

    @Test func theSixStraddlingELZAreNamedWithTheirSides() throws {
        let fs = report.findings(rule: .rrAlignment)
        #expect(Set(fs.compactMap { $0.zone?.name }) ==
                ["Regio Waregem", "RITS", "Scheldekracht", "Vlaamse Ardennen", "Druivenstreek", "Houtland en Polder"])
        #expect(fs.allSatisfy { $0.level == .excused && $0.layer == .elz })
        // ELZ → [(RR, municipalities, population, main, RZZ of that RR)].
        let expected: [String: [(String, [String], Int, Bool, String)]] = [
            "Regio Waregem": [("Zuid-West-Vlaanderen", ["Anzegem", "Avelgem", "Deerlijk", "Spiere-Helkijn", "Waregem", "Zwevegem"], 106_745, true, "Zuid-West-Vlaanderen"),
                              ("Midwest", ["Wielsbeke"], 10_256, false, "Westhoek - Midwest")],
            "RITS": [("Midwest", ["Dentergem", "Ingelmunster", "Izegem", "Oostrozebeke", "Pittem", "Tielt", "Wingene"], 117_370, true, "Westhoek - Midwest"),
                     ("Zuid-West-Vlaanderen", ["Lendelede"], 5_849, false, "Zuid-West-Vlaanderen")],
            "Scheldekracht": [("Regio Gent", ["Destelbergen", "Laarne", "Lochristi", "Merelbeke-Melle", "Wetteren"], 126_795, true, "Regio Gent"),
                              ("Denderregio", ["Wichelen"], 12_050, false, "Denderregio")],
            "Druivenstreek": [("Halle-Vilvoorde", ["Kraainem", "Wezembeek-Oppem", "Zaventem"], 65_971, true, "Halle-Vilvoorde"),
                              ("Oost-Brabant", ["Hoeilaart", "Overijse", "Tervuren"], 61_061, false, "Oost-Brabant")],
            "Houtland en Polder": [("Middenkust", ["Gistel", "Ichtegem", "Oudenburg"], 36_970, true, "Regio Brugge en Middenkust"),
                                   ("Westhoek", ["Koekelare", "Kortemark"], 21_683, false, "Westhoek - Midwest"),
                                   ("Regio Brugge", ["Torhout"], 21_159, false, "Regio Brugge en Middenkust")],
        ]
        for (elz, sides) in expected {
            let f = try #require(fs.first { $0.zone?.name == elz })
            let got = try #require(f.sides)
            #expect(got.count == sides.count, "\(elz)")
            for (s, e) in zip(got, sides) {
                #expect(s.zone.name == e.0, "\(elz)")
                #expect(s.municipalities.map(\.name) == e.1, "\(elz) \(e.0)")
                #expect(s.population == e.2, "\(elz) \(e.0)")
                #expect(s.main == e.3, "\(elz) \(e.0)")
                #expect(s.rzz?.name == e.4, "\(elz) \(e.0)")
            }
        }
        let va = try #require(fs.first { $0.zone?.name == "Vlaamse Ardennen" })
        #expect(va.sides?.map(\.population) == [106_621, 13_353])
        #expect(va.municipalities == [MunicipalityRef(nis: "44020", name: "Gavere")])
        // The README's per-RZZ view of Houtland en Polder: Regio Brugge en Middenkust 58,129, Westhoek - Midwest 21,683.
        let hp = try #require(fs.first { $0.zone?.name == "Houtland en Polder" }?.sides)
        #expect(hp.filter { $0.rzz?.name == "Regio Brugge en Middenkust" }.reduce(0) { $0 + $1.population } == 58_129)
    }

    @Test func voerenAndBaarleHertogMakeSeveralPiecesButAreExcused() throws {
        let rzz = report.findings(rule: .contiguity, layer: .rzz)
        #expect(rzz.allSatisfy { $0.level == .excused })
        let limburg = try #require(rzz.first { $0.zone?.name == "Limburg" })
        #expect(limburg.numbers.parts == 2)
        #expect(limburg.numbers.excusedParts == 1)
        #expect(limburg.municipalities == [MunicipalityRef(nis: "73109", name: "Voeren")])
        let kempen = try #require(rzz.first { $0.zone?.name == "Kempen" })
        #expect(kempen.numbers.parts == 23)
        #expect(kempen.numbers.excusedParts == 22)
        #expect(kempen.municipalities == [MunicipalityRef(nis: "13002", name: "Baarle-Hertog")])
        #expect(kempen.blocks == ["13002"])
        #expect(rzz.count == 2)
        #expect(report.zone(named: "Kempen")?.parts == 23)
        #expect(report.zone(named: "Limburg")?.parts == 2)
        #expect(report.zones.filter { $0.parts > 1 }.map(\.zone.name) == ["Limburg", "Kempen"])
        // Two Baarle-Hertog enclaves touch in a point: a distinct finding, excused.
        let points = report.findings(rule: .contiguityPoint, layer: .rzz)
        #expect(points.count == 1)
        #expect(points.first?.level == .excused)
        #expect(points.first?.zone?.name == "Kempen")
        #expect(points.first?.location == [4.939971, 51.436119])
    }

    @Test func elzContiguityIsAWarning() throws {
        let elz = report.findings(rule: .contiguity, layer: .elz)
        #expect(Set(elz.map { $0.zone!.name }) == ["Kempenland", "ZOLim", "Oostkust"])
        let oostkust = try #require(elz.first { $0.zone?.name == "Oostkust" })
        #expect(oostkust.level == .warning)
        #expect(oostkust.numbers.parts == 2)
        #expect(oostkust.municipalities.map(\.name) == ["Blankenberge", "Zuienkerke"])
        #expect(elz.filter { $0.zone?.name != "Oostkust" }.allSatisfy { $0.level == .excused })
        #expect(report.elz.first { $0.zone.name == "Kempenland" }?.parts == 23)
        #expect(report.totals.warnings == 1)
    }

    @Test func bruzelMayHoldOneELZ() throws {
        let f = try #require(report.findings(rule: .minELZ).first)
        #expect(report.findings(rule: .minELZ).count == 1)
        #expect(f.zone?.name == "Bruzel")
        #expect(f.level == .excused)
        #expect(f.numbers.elzCount == 1)
    }

    @Test func rzzCoincideWithReferentieregios() throws {
        let merged = Dictionary(uniqueKeysWithValues: report.zones.map { ($0.zone.name, $0.referentieregios.map(\.name)) })
        #expect(merged["Regio Brugge en Middenkust"] == ["Regio Brugge", "Middenkust"])
        #expect(merged["Westhoek - Midwest"] == ["Westhoek", "Midwest"])
        #expect(merged["Bruzel"] == [])
        #expect(merged["Limburg"] == ["Limburg"])
        let congruence = report.findings(rule: .rrCongruence)
        #expect(congruence.filter { $0.level == .info }.count == 6)
        let hv = try #require(congruence.first { $0.zone?.name == "Halle-Vilvoorde" })
        #expect(hv.level == .excused)
        #expect(hv.municipalities.map(\.name) == ["Hoeilaart", "Overijse", "Tervuren"])
        #expect(hv.numbers.population == 61_061)
    }

    @Test func theBlocksAreACleanCoverage() {
        let c = report.coverage
        #expect(c.clean)
        #expect(c.method == .coverageUnion)
        #expect(c.blocks == 307)
        #expect(c.conflictingSegments == 0)
        #expect(c.unionParts == 24)
        #expect(c.unionHoles == 6)
        #expect(c.blockHoles == 6)
        #expect(abs(c.totalAreaKm2 - 13_788.53) < 0.006)
        let holes = report.findings(rule: .blocksHole)
        #expect(holes.count == 6)
        #expect(holes.allSatisfy { $0.blocks == ["13002"] && $0.level == .info })
        let areas = holes.compactMap(\.numbers.areaM2).sorted()
        #expect(abs(areas.first! - 12_356) < 1 && abs(areas.last! - 53_749) < 1)
        #expect(report.findings.filter { [.blocksGap, .blocksSliver, .blocksOverlap, .blocksInvalid].contains($0.rule) }.isEmpty)
    }

    @Test func aMunicipalityMovedFarAwayBreaksContiguityAndNamesIt() throws {
        let ds = RulesFixture.dataset
        var assignment = ds.rzz.assignment
        assignment["38008"] = "rzz01"   // De Panne, on the French border at the coast, into RZZ Limburg
        let moved = Zoning(name: "moved", zones: ds.rzz.zones, assignment: assignment)
        let r = try RulesFixture.engine.check(moved)
        #expect(r.exitCode == 1)
        let v = r.findings(rule: .contiguity, level: .violation, layer: .rzz)
        #expect(v.count == 1)
        #expect(v.first?.zone?.name == "Limburg")
        #expect(v.first?.municipalities == [MunicipalityRef(nis: "38008", name: "De Panne")])
        #expect(v.first?.blocks == ["38008"])
        #expect(v.first?.numbers.parts == 3)
        #expect(v.first?.message.contains("De Panne") == true)
        #expect(v.first?.message.contains("of border with RZZ Westhoek - Midwest") == true)
        #expect((v.first?.numbers.sharedBorderM ?? 0) > 1000)
        // Limburg's Voeren piece stays excused; the ELZ Westkust&Polder is now split over two RZZ.
        #expect(r.findings(rule: .contiguity, level: .excused, layer: .rzz).contains { $0.zone?.name == "Limburg" })
        let nesting = r.findings(rule: .nesting)
        #expect(nesting.count == 1)
        #expect(nesting.first?.zone?.name == "Westkust&Polder")
        #expect(nesting.first?.municipalities.map(\.name) == ["De Panne"])
    }

    @Test func scenarioA_westkustEnPolderAtTheCoast() throws {
        let (zoning, r) = try RulesFixture.scenario("a-westkust-en-polder-bij-de-kust.csv")
        let table = RulesFixture.repository.appendingPathComponent("GeoData/scenarios/a-westkust-en-polder-bij-de-kust.csv")
        let brugge = try IndependentPopulation.blocks(ofZone: "Regio Brugge en Middenkust", in: table)
        #expect(zoning.zones.count == 14)
        #expect(r.exitCode == 1)
        #expect(r.zone(named: "Regio Brugge en Middenkust")?.population == IndependentPopulation.of(brugge))
        #expect(r.zone(named: "Westhoek - Midwest")?.population
                == IndependentPopulation.of(try IndependentPopulation.blocks(ofZone: "Westhoek - Midwest", in: table)))
        #expect(r.findings(rule: .minPopulation).map(\.zone?.name) == ["Vlaamse Ardennen"])
        #expect(r.findings(rule: .contiguity, level: .violation).isEmpty)
        let v = r.findings.filter { $0.level == .violation }
        #expect(v.map(\.rule) == [.rrCongruence, .rrCongruence])
        #expect(Set(v.compactMap { $0.zone?.name }) == ["Regio Brugge en Middenkust", "Westhoek - Midwest"])
        let westkust = ["Alveringem", "De Panne", "Diksmuide", "Koksijde", "Nieuwpoort", "Veurne"]
        #expect(v.allSatisfy { $0.municipalities.map(\.name) == westkust })
        #expect(v.allSatisfy { $0.message.contains("refused") })
        // RR Westhoek still belongs mainly to Westhoek - Midwest: 102,903 against 100,167.
        #expect(v.first { $0.zone?.name == "Regio Brugge en Middenkust" }?.sides?.first?.population
                == IndependentPopulation.of(brugge.intersection(IndependentPopulation.blocks(ofRR: "Westhoek"))))
        #expect(r.zone(named: "Westhoek - Midwest")?.referentieregios.map(\.name) == ["Westhoek", "Midwest"])
        // What it changes: the two excused congruence findings become violations; nothing is fixed.
        let baseline = RulesFixture.report
        let d = r.delta(from: baseline, baselineName: "rzz.csv")
        #expect(d.introduced.isEmpty)
        #expect(d.resolved.isEmpty)
        #expect(d.changed.count == 2)
        #expect(d.changed.allSatisfy { $0.before.level == .excused && $0.after.level == .violation })
    }

    @Test func scenarioB_regioGentSplit() throws {
        let (zoning, r) = try RulesFixture.scenario("b-regio-gent-gesplitst.csv")
        let table = RulesFixture.repository.appendingPathComponent("GeoData/scenarios/b-regio-gent-gesplitst.csv")
        func population(_ zone: String) throws -> Int { IndependentPopulation.of(try IndependentPopulation.blocks(ofZone: zone, in: table)) }
        #expect(zoning.zones.count == 15)
        #expect(r.exitCode == 1)
        #expect(r.totals.zones == 15)
        #expect(r.totals.countedZones == 14)   // still within 15: the count rule holds
        #expect(r.findings(rule: .maxZones).first?.level == .info)
        let small = try #require(r.findings(rule: .minPopulation).first { $0.zone?.name == "Meetjesland en Leie" })
        #expect(small.level == .violation)
        #expect(small.numbers.population == (try population("Meetjesland en Leie")))
        #expect((small.numbers.population ?? .max) < 300_000)
        #expect(r.zone(named: "Regio Gent")?.population == (try population("Regio Gent")))
        #expect(r.zone(named: "Regio Gent")?.elz.map(\.name) == ["Gent", "Scheldekracht"])
        #expect(r.zone(named: "Meetjesland en Leie")?.elz.count == 3)
        #expect(r.zone(named: "Meetjesland en Leie")?.parts == 1)
        #expect(r.zone(named: "Meetjesland en Leie")?.referentieregios == [])
        let v = r.findings.filter { $0.level == .violation }
        #expect(v.count == 3)
        #expect(v.filter { $0.rule == .rrCongruence }.compactMap { $0.zone?.name }.sorted() == ["Meetjesland en Leie", "Regio Gent"])
        let d = r.delta(from: RulesFixture.report, baselineName: "rzz.csv")
        #expect(d.introduced.map(\.rule).sorted { $0.rawValue < $1.rawValue } == [.minPopulation, .rrCongruence])
        #expect(d.changed.count == 1)
        #expect(d.changed.first?.after.zone?.name == "Regio Gent")
        #expect(d.resolved.isEmpty)
    }

    @Test func with2020PopulationWaaslandFallsUnder300000() throws {
        var o = DatasetOptions(directory: RulesFixture.dataDirectory)
        o.populationFile = "population_2020.csv"
        let ds = try Dataset.load(o)
        let r = try RuleEngine(dataset: ds, ruleSet: RulesFixture.ruleSet, topology: RulesFixture.engine.topology,
                               coverage: RulesFixture.engine.coverage).checkDefault()
        let pop = r.findings(rule: .minPopulation)
        #expect(pop.map { $0.zone!.name } == ["Waasland", "Vlaamse Ardennen"])
        #expect(pop.first?.level == .violation)
        #expect(pop.first?.numbers.population == 291_507)
        #expect(pop.last?.level == .excused)
        #expect(r.exitCode == 1)
    }

    @Test func reportsRenderInEveryFormat() throws {
        let json = try report.rendered(.json)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(obj["rule_set"] as? String == "art18-2026")
        let findings = obj["findings"] as! [[String: Any]]
        let first = findings.first { ($0["rule"] as? String) == "min-population" }!
        #expect(first["level"] as? String == "excused")
        #expect((first["zone"] as? [String: Any])?["name"] as? String == "Vlaamse Ardennen")
        #expect((first["numbers"] as? [String: Any])?["population"] as? Int == 214_210)
        #expect((obj["zones"] as? [Any])?.count == 14)
        let md = report.markdown()
        #expect(md.contains("| rzz11 | Vlaamse Ardennen | 2 | 214,210 |"))
        #expect(md.contains("## Excused"))
        let text = report.text()
        #expect(text.contains("PASS"))
        #expect(text.contains("rzz05  Kempen"))
    }
}

/// Populations computed here from the data package's CSV files (population.csv, elz.csv, referentieregio.csv) and a
/// zoning table, independently of the dissolve and the rule engine, so that the scenario tests do not pin numbers
/// taken from the program's own output.
enum IndependentPopulation {
    static func rows(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let t = try CSVTable(contentsOf: url)
        return (t.header, t.rows)
    }
    static func column(_ t: (header: [String], rows: [[String]]), _ name: String) -> [String] {
        let i = t.header.firstIndex(of: name)!
        return t.rows.map { $0[i] }
    }
    /// Block id → population.
    static let population: [String: Int] = {
        let t = try! rows(RulesFixture.dataDirectory.appendingPathComponent("population.csv"))
        return Dictionary(uniqueKeysWithValues: zip(column(t, "block_id"), column(t, "population").map { Int($0)! }))
    }()
    /// Block id → ELZ code.
    static let elzOfBlock: [String: String] = {
        let t = try! rows(RulesFixture.dataDirectory.appendingPathComponent("elz.csv"))
        return Dictionary(uniqueKeysWithValues: zip(column(t, "block_id"), column(t, "elz_code")))
    }()
    /// NIS code → referentieregio name.
    static let rrOfNIS: [String: String] = {
        let t = try! rows(RulesFixture.dataDirectory.appendingPathComponent("referentieregio.csv"))
        return Dictionary(uniqueKeysWithValues: zip(column(t, "nis"), column(t, "rr_name")))
    }()
    /// The blocks of the zone named `zone` in an RZZ-shaped table (elz_code → rzz_name).
    static func blocks(ofZone zone: String, in table: URL) throws -> Set<String> {
        let t = try rows(table)
        let elz = Set(zip(column(t, "elz_code"), column(t, "rzz_name")).filter { $0.1 == zone }.map(\.0))
        return Set(elzOfBlock.filter { elz.contains($0.value) }.map(\.key))
    }
    static func of(_ blocks: Set<String>) -> Int { blocks.reduce(0) { $0 + population[$1]! } }
    /// The blocks of a referentieregio (a block's NIS code is its id before any "-part" suffix).
    static func blocks(ofRR rr: String) -> Set<String> {
        Set(population.keys.filter { rrOfNIS[String($0.split(separator: "-")[0])] == rr })
    }
}
