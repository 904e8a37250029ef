import DataPackage
import Foundation
import Testing
import TestSupport
import Zoning

// `zorgzones propose` as a user runs it, and every proposal it prints fed back into `zorgzones check --zoning`.
// Expected figures come from the data package's tables (rzz.csv, elz.csv, population*.csv, referentieregio.csv),
// summed here, and from the independent figure for the 2026 RZZ's ARI (0.528, Voronoi).

private func table(_ name: String) throws -> CSVTable {
    let url = RealData.directory.appendingPathComponent(name)
    return try CSVTable(text: String(contentsOf: url, encoding: .utf8), name: name)
}

private func column(_ t: CSVTable, _ name: String) throws -> [String] {
    let i = try #require(t.header.firstIndex(of: name), "\(t.name) has no column \(name)")
    return t.rows.map { $0[i] }
}

/// Population of each RZZ of rzz.csv and the ELZ of each, from the package's tables.
private struct PackageZones {
    var population: [String: Int] = [:]
    var elz: [String: [String]] = [:]
    var elzPopulation: [String: Int] = [:]
    var names: [String: String] = [:]

    init(populationFile: String) throws {
        let elzTable = try table("elz.csv"), rzzTable = try table("rzz.csv"), pop = try table(populationFile)
        let blockELZ = Dictionary(uniqueKeysWithValues: zip(try column(elzTable, "block_id"), try column(elzTable, "elz_code")))
        let elzRZZ = Dictionary(uniqueKeysWithValues: zip(try column(rzzTable, "elz_code"), try column(rzzTable, "rzz_code")))
        for (code, name) in zip(try column(rzzTable, "rzz_code"), try column(rzzTable, "rzz_name")) { names[code] = name }
        for (e, z) in elzRZZ { elz[z, default: []].append(e) }
        for (b, p) in zip(try column(pop, "block_id"), try column(pop, "population")) {
            let e = try #require(blockELZ[b]), z = try #require(elzRZZ[e])
            population[z, default: 0] += try #require(Int(p))
            elzPopulation[e, default: 0] += try #require(Int(p))
        }
    }

    func code(named name: String) throws -> String { try #require(names.first { $0.value == name }?.key) }
}

/// The proposals of a `--format json` answer, as far as these tests read them.
private struct Answer: Decodable {
    struct Search: Decodable { var level: String; var complete: Bool; var feasible_zonings: Int; var bound: Double? }
    struct Scores: Decodable {
        var cost: Double; var incongruent_population: Int; var elz_moved: Int; var population_moved: Int
        var adjusted_rand_index: Double?
    }
    struct Zone: Decodable { var code: String; var name: String; var population: Int; var elz: [Ref]; var referentieregios: [Ref] }
    struct Ref: Decodable { var code: String; var name: String }
    struct Moved: Decodable { var elz: Ref; var population: Int }
    struct Proposal: Decodable { var rank: Int; var scores: Scores; var zones: [Zone]; var moved: [Moved]; var csv: String }
    struct Base: Decodable { var scores: Scores; var problems: [String] }
    var search: Search
    var base: Base
    var proposals: [Proposal]
}

private func scratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zorgzones-propose-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs propose with `--format json --out DIR`, then checks every written proposal with `check --zoning` and the
/// same population and rule set. Returns the answer.
private func proposeAndCheck(_ arguments: [String], checkArguments: [String] = []) throws -> Answer {
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("proposals")
    let run = try zorgzones(["propose", "--format", "json", "--out", out.path] + arguments)
    try #require(run.status == 0, "propose failed: \(run.stderr)")
    let answer = try JSONDecoder().decode(Answer.self, from: Data(run.stdout.utf8))
    #expect(!answer.proposals.isEmpty)
    for p in answer.proposals {
        let file = out.appendingPathComponent("proposal-\(p.rank).csv")
        #expect(try String(contentsOf: file, encoding: .utf8) == p.csv)
        let check = try zorgzones(["check", "--zoning", file.path, "--format", "json"] + checkArguments)
        #expect(check.status == 0, "proposal \(p.rank) fails check: \(check.stdout.prefix(2000))")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("proposal-\(p.rank).svg").path))
    }
    return answer
}

@Suite(.serialized) struct ProposeCLITests {
    @Test func smallestChangeWhenWaaslandFallsUnder300000In2020() throws {
        let zones = try PackageZones(populationFile: "population_2020.csv")
        let waasland = try zones.code(named: "Waasland")
        let waaslandPopulation = try #require(zones.population[waasland])
        #expect(waaslandPopulation == 291_507)   // the package README's figure
        let answer = try proposeAndCheck(["--population", "population_2020.csv", "--objective", "changes", "--from", "rzz.csv"],
                                         checkArguments: ["--population", "population_2020.csv"])
        #expect(answer.search.complete)
        #expect(answer.base.problems.contains { $0.contains("Waasland") && $0.contains("291,507") })
        let best = answer.proposals[0]
        // Waasland's ELZ move into a neighbouring RZZ: fewer cannot pass, since it has to merge whole referentieregio's.
        #expect(best.scores.elz_moved == zones.elz[waasland]!.count)
        #expect(best.scores.population_moved == waaslandPopulation)
        #expect(Set(best.moved.map(\.elz.code)) == Set(zones.elz[waasland]!))
        // Smallest change first.
        let moved = answer.proposals.map(\.scores.elz_moved)
        #expect(moved == moved.sorted())
        // The text says how many ELZ and inhabitants move.
        let text = try zorgzones(["propose", "--population", "population_2020.csv", "--objective", "changes", "--top", "1"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("moves \(zones.elz[waasland]!.count) ELZ and 291,507 inhabitants"))
    }

    @Test func congruenceWithoutTheVlaamseArdennenException() throws {
        let zones = try PackageZones(populationFile: "population.csv")
        // The 2026 RZZ: the two West-Flemish zones merge two referentieregio's each; everyone else lives in an
        // RZZ that is exactly their referentieregio (the ELZ exceptions granted).
        let merged = try ["Regio Brugge en Middenkust", "Westhoek - Midwest"].map { try #require(zones.population[try zones.code(named: $0)]) }
        let answer = try proposeAndCheck(["--objective", "rr-congruence", "--exceptions", "none", "--top", "3"])
        #expect(answer.search.complete && answer.search.level == "referentieregio")
        #expect(answer.search.feasible_zonings > 1)
        #expect(answer.base.scores.incongruent_population == merged.reduce(0, +))
        #expect(answer.base.problems.contains { $0.contains("Vlaamse Ardennen") })
        let va = try zones.code(named: "Vlaamse Ardennen")
        for p in answer.proposals {
            // Vlaamse Ardennen's ELZ are merged with another referentieregio's, in a zone of at least 300,000.
            let zone = try #require(p.zones.first { Set(zones.elz[va]!).isSubset(of: Set($0.elz.map(\.code))) })
            #expect(zone.elz.count > zones.elz[va]!.count)
            #expect(zone.population >= 300_000)
            #expect(zone.referentieregios.count >= 2)
        }
        let text = try zorgzones(["propose", "--objective", "rr-congruence", "--exceptions", "none", "--top", "1"])
        #expect(text.stdout.contains("complete:"))
        #expect(text.stdout.contains("Vlaamse Ardennen - ") || text.stdout.contains(" - Vlaamse Ardennen"))
    }

    @Test func alignmentWithHospitalNetworksRankedByARI() throws {
        let answer = try proposeAndCheck(["--objective", "alignment", "--with", "hospital-networks", "--top", "4"])
        let base = try #require(answer.base.scores.adjusted_rand_index)
        #expect(abs(base - 0.528) < 0.0005)   // the figure for the 2026 RZZ (Voronoi)
        let ari = answer.proposals.map { $0.scores.adjusted_rand_index ?? -1 }
        #expect(ari == ari.sorted(by: >))
        #expect(ari[0] >= base)
        // The same figure as `compare` computes for the 2026 RZZ.
        let compare = try zorgzones(["compare", "--with", "hospital-networks", "--format", "json"])
        struct C: Decodable { struct A: Decodable { var adjusted_rand_index: Double }; var alignment: A }
        let c = try JSONDecoder().decode(C.self, from: Data(compare.stdout.utf8))
        #expect(abs(c.alignment.adjusted_rand_index - base) < 1e-6)
    }

    @Test func localSearchAcrossReferentieregiosUnderTheDecreeRuleSet() throws {
        let rules = TestData.repository.appendingPathComponent("GeoData/rules/art18-decree.json").path
        let answer = try proposeAndCheck(["--rules", rules, "--level", "elz", "--population", "population_2020.csv",
                                          "--objective", "changes", "--iterations", "1500", "--restarts", "2"],
                                         checkArguments: ["--rules", rules, "--population", "population_2020.csv"])
        #expect(answer.search.level == "elz")
        // One ELZ into Waasland from a neighbour that stays above 300,000 is the least any zoning can move.
        #expect(answer.proposals[0].scores.elz_moved == 1)
        #expect(answer.search.bound != nil)
    }

    /// The rule engine as the oracle of the exact search: every grouping of West-Vlaanderen's ELZ by referentieregio
    /// (each ELZ in several referentieregio's tried with each) posted to /v1/check; /v1/propose with the other RZZ
    /// kept must count exactly the zonings that pass, and propose only those (Scripts/propose/oracle.py).
    @Test func theExactSearchCountsWhatTheRuleEnginePasses() throws {
        let service = try RunningService(maps: false)
        defer { service.stop() }
        let (status, text) = try runScript("python3", "Scripts/propose/oracle.py", [service.base, RealData.directory.path])
        #expect(status == 0, "\(text)")
        #expect(text.components(separatedBy: "ok ").count == 4, "\(text)")
    }

    @Test func keepZonesAndRefusals() throws {
        let zones = try PackageZones(populationFile: "population_2020.csv")
        let gent = try zones.code(named: "Regio Gent")
        let answer = try proposeAndCheck(["--population", "population_2020.csv", "--objective", "changes", "--keep", gent],
                                         checkArguments: ["--population", "population_2020.csv"])
        for p in answer.proposals {
            #expect(p.zones.contains { Set($0.elz.map(\.code)) == Set(zones.elz[gent]!) })
        }
        // Usage errors name the option (exit 64).
        for (args, option) in [(["--objective", "happiness"], "--objective"), (["--objective", "alignment"], "--with"),
                               (["--level", "elz"], "--level"), (["--keep", "rzz99"], "--keep"), (["--top", "0"], "--top"),
                               (["--exceptions", "some"], "--exceptions"), (["--zones", "16"], "--zones")] {
            let r = try zorgzones(["propose"] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(option), "\(args): \(r.stderr)")
        }
    }
}
