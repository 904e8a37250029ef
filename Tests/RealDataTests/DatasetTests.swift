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

/// A small synthetic data directory: blocks in a row of unit squares near Brussels, with tables.
struct TinyData {
    let dir: URL

    init(blocks: [(id: String, nis: String, region: String)] = [("A", "10001", "Vlaams Gewest"), ("B", "10002", "Vlaams Gewest"),
                                                                ("C1", "10003", "Vlaams Gewest"), ("C2", "10003", "Vlaams Gewest"),
                                                                ("D", "21001", "Brussels Hoofdstedelijk Gewest")],
         population: String? = nil, elz: String? = nil, rr: String? = nil, rzz: String? = nil,
         duplicateFeature: Bool = false) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var features: [String] = []
        var all = blocks
        if duplicateFeature { all.append(blocks[0]) }
        for (i, b) in all.enumerated() {
            let x = 4.0 + 0.01 * Double(i)
            let ring = "[[\(x),50.8],[\(x + 0.01),50.8],[\(x + 0.01),50.81],[\(x),50.81],[\(x),50.8]]"
            features.append(#"{"type":"Feature","properties":{"id":"\#(b.id)","nis":"\#(b.nis)","name":"Block \#(b.id)","region":"\#(b.region)","province":null},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#)
        }
        try #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ",\n"))]}"#
            .write(to: dir.appendingPathComponent("blocks.geojson"), atomically: true, encoding: .utf8)
        let pop = population ?? "block_id,population,year,method\n" + blocks.enumerated().map { "\($1.id),\(100 * ($0 + 1)),2025,test" }.joined(separator: "\n") + "\n"
        try pop.write(to: dir.appendingPathComponent("population.csv"), atomically: true, encoding: .utf8)
        try (elz ?? "block_id,elz_code,elz_name\nA,e1,One\nB,e1,One\nC1,e2,Two\nC2,e3,Three\nD,e7,Bruzel\n")
            .write(to: dir.appendingPathComponent("elz.csv"), atomically: true, encoding: .utf8)
        try (rr ?? "nis,rr_code,rr_name\n10001,R1,Region 1\n10002,R1,Region 1\n10003,R2,Region 2\n")
            .write(to: dir.appendingPathComponent("referentieregio.csv"), atomically: true, encoding: .utf8)
        try (rzz ?? "elz_code,elz_name,rzz_code,rzz_name,basis,note\ne1,One,z1,Zone 1,stated,\ne2,Two,z2,Zone 2,stated,\ne3,Three,z2,Zone 2,stated,\ne7,Bruzel,z3,Bruzel,stated,\n")
            .write(to: dir.appendingPathComponent("rzz.csv"), atomically: true, encoding: .utf8)
    }

    func load() throws -> Dataset { try Dataset.load(DatasetOptions(directory: dir)) }

    /// The messages of the data errors thrown by `load`.
    func errors() -> [String] {
        do {
            _ = try load()
            return []
        } catch let e as DataErrors {
            return e.errors.map(\.description)
        } catch let e as DataError {
            return [e.description]
        } catch {
            return ["\(error)"]
        }
    }
}

@Suite struct DatasetTests {
    @Test func tinyDatasetLoadsAndDissolves() throws {
        let ds = try TinyData().load()
        #expect(ds.blocks.count == 5)
        #expect(ds.municipalities.zones.count == 4)
        #expect(ds.rzz.zones.map(\.code) == ["z1", "z2", "z3"])
        #expect(ds.rzz.parentName == "elz")
        #expect(ds.rzz.assignment["C2"] == "z2")
        let layer = try Dissolver(ds).dissolve(ds.rzz)
        let z1 = try #require(layer.feature("z1"))
        #expect(z1.members == ["A", "B"])
        #expect(z1.population == 300)
        #expect(z1.parts == 1)
        #expect(z1.method == .coverageUnion)
        let z2 = try #require(layer.feature("z2"))
        #expect(z2.municipalities == ["10003"])
        #expect(z2.memberZones == ["e2", "e3"])
        // The RR leave Brussels out of scope.
        #expect(ds.rr.assignment["D"] == nil)
        #expect(ds.notes.count == 1)
    }

    @Test func blockInNoZoneAndInTwoZones() {
        let errs = (try? TinyData(elz: "block_id,elz_code,elz_name\nA,e1,One\nA2,e1,One\nB,e1,One\nC1,e2,Two\n10003,e3,Three\nD,e7,Bruzel\n").errors()) ?? []
        #expect(errs.contains("elz.csv: line 3, field 'block_id': 'A2' matches no block id or municipality NIS code"))
        // 10003 stands for both C1 and C2; C1 is already in e2.
        #expect(errs.contains { $0.contains("line 6") && $0.contains("block 'C1' is in two zones: 'e2' (via 'C1') and 'e3' (via '10003')") })
        let missing = (try? TinyData(elz: "block_id,elz_code,elz_name\nA,e1,One\nB,e1,One\nC1,e2,Two\nD,e7,Bruzel\n").errors()) ?? []
        #expect(missing.contains("elz.csv, field 'block_id': block 'C2' (Block C2) is in no zone"))
    }

    @Test func duplicateKeysAndUnknownParentCodes() {
        let errs = (try? TinyData(rzz: "elz_code,elz_name,rzz_code,rzz_name\ne1,One,z1,Zone 1\ne1,One,z2,Zone 2\ne2,Two,z2,Zone 2\ne3,Three,z2,Zone 2\ne7,B,z3,Bruzel\ne99,X,z3,Bruzel\n").errors()) ?? []
        #expect(errs.contains("rzz.csv: line 3, field 'elz_code': duplicate key 'e1' (also on line 2)"))
        #expect(errs.contains("rzz.csv: line 7, field 'elz_code': 'e99' matches no elz zone code"))
        let unlisted = (try? TinyData(rzz: "elz_code,elz_name,rzz_code,rzz_name\ne1,One,z1,Zone 1\ne2,Two,z2,Zone 2\ne7,B,z3,Bruzel\n").errors()) ?? []
        #expect(unlisted.contains("rzz.csv, field 'elz_code': elz zone 'e3' (Three) is in no zone of this table"))
    }

    @Test func duplicateBlockIDs() {
        let errs = (try? TinyData(duplicateFeature: true).errors()) ?? []
        #expect(errs == ["blocks.geojson: features[5], field 'properties.id': duplicate block id 'A' (also features[0])"])
    }

    @Test func missingAndBadPopulation() {
        let errs = (try? TinyData(population: "block_id,population,year\nA,100,2025\nB,-5,2025\nC1,abc,2025\nZ,1,2025\nA,3,2025\n10003,9,2025\n").errors()) ?? []
        #expect(errs.contains("population.csv: line 3, field 'population': '-5' is not a non-negative whole number"))
        #expect(errs.contains("population.csv: line 4, field 'population': 'abc' is not a non-negative whole number"))
        #expect(errs.contains("population.csv: line 5, field 'block_id': 'Z' matches no block"))
        #expect(errs.contains("population.csv: line 6, field 'block_id': duplicate population row for block 'A'"))
        #expect(errs.contains("population.csv: line 7, field 'block_id': '10003' is a municipality split into several blocks; give a population per block"))
        #expect(errs.contains("population.csv, field 'block_id': missing population for block 'D' (Block D)"))
    }

    @Test func malformedCSVAndMissingColumns() {
        let short = (try? TinyData(rr: "nis,rr_code,rr_name\n10001,R1\n").errors()) ?? []
        #expect(short == ["referentieregio.csv: line 2: row has 2 fields, the header has 3"])
        let cols = (try? TinyData(population: "block,people\nA,1\n").errors()) ?? []
        #expect(cols == ["population.csv: line 1, field 'block_id': missing column 'block_id' (columns are: block, people)"])
        let empty = (try? TinyData(elz: "").errors()) ?? []
        #expect(empty == ["elz.csv: the file is empty (a CSV header row is expected)"])
    }

    @Test func anyOtherZoningTableWorksTheSameWay() throws {
        let ds = try TinyData().load()
        let table = try ZoneTable(csv: CSVTable(text: "nis,code,name\n10001,p1,Police 1\n10002,p1,Police 1\n10003,p2,Police 2\n21001,p3,Brussels\n", name: "police.csv"))
        let z = try ds.resolve(table, name: "police")
        #expect(z.zones.map(\.name) == ["Police 1", "Police 2", "Brussels"])
        #expect(z.assignment["C2"] == "p2")
        let layer = try Dissolver(ds).dissolve(z)
        #expect(layer.feature("p2")?.members == ["C1", "C2"])
        #expect(layer.feature("p1")?.population == 300)
    }

    @Test func naturalOrderOfCodes() {
        #expect(["elz10", "elz2", "elz1", "elzantw1", "REFREG10", "REFREG02"].sorted(by: naturalLess)
                == ["REFREG02", "REFREG10", "elz1", "elz2", "elz10", "elzantw1"])
    }

    @Test func buildWritesNothingWhenAnInputIsBad() throws {
        let tiny = try TinyData(population: "block_id,population,year\nA,1,2025\n")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zz-out-\(UUID().uuidString)")
        #expect(throws: DataErrors.self) {
            try Atlas.build(try tiny.load(), to: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A good build writes all files and leaves no temporary file behind.
        try Atlas.build(try TinyData().load(), to: out)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["elz.geojson", "manifest.json", "municipalities.geojson", "rr.geojson", "rzz.geojson"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect(manifest["population_year"] as? Int == 2025)
        #expect((manifest["inputs"] as? [[String: Any]])?.count == 5)
        #expect(((manifest["inputs"] as? [[String: Any]])?.first?["sha256"] as? String)?.count == 64)
    }
}

@Suite struct ZoneTableScopeTests {
    @Test func manyUnassignedBlocksAreOneMessage() throws {
        let ds = RealData.dataset
        let table = try ZoneTable(csv: CSVTable(text: "nis,code,name\n11001,a,A\n", name: "partial.csv"))
        do {
            _ = try ds.resolve(table, name: "partial")
            Issue.record("expected an error")
        } catch let e as DataErrors {
            #expect(e.errors.count == 1)
            // 307 blocks less Aartselaar and the 19 Brussels blocks (Brussels is then out of scope).
            #expect(e.errors[0].message.hasPrefix("287 blocks of Vlaams Gewest are in no zone, e.g. '11002-1'"))
        }
    }
}
