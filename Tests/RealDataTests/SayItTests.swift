import Cartography
import Check
import Compare
import DataPackage
import Jobs
import Projection
import Foundation
import Testing
import TestSupport
import GeoCore
import GEOS
import GeoJSON
@testable import Zoning

// "Say it, don't guess it" (issue 11): typos, nulls, tables without their columns, stray quotes, invalid blocks
// and killed runs are reported with the file, the feature or line, and the field.

private func square(_ i: Int, _ properties: JSONObject) -> Feature {
    let x = 4 + Double(i) * 0.01
    let ring = [Position(x, 51), Position(x + 0.01, 51), Position(x + 0.01, 51.01), Position(x, 51.01), Position(x, 51)]
    return Feature(properties: properties, geometry: .polygon(Polygon(exterior: ring)))
}

private func dissolveError(_ job: FeatureDissolve, _ features: [Feature]) -> [DataError] {
    do {
        _ = try job.run(FeatureCollection(features: features))
        return []
    } catch let e as DataErrors {
        return e.errors
    } catch let e as DataError {
        return [e]
    } catch {
        return [DataError(file: "?", message: "\(error)")]
    }
}

/// A temporary folder, removed at the end of the test.
private func withTemporaryFolder(_ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
}

/// The error of loading the data package with some of its files replaced, or nil when it loads.
private func loadError(_ configure: (inout DatasetOptions) -> Void) -> Error? {
    var options = DatasetOptions(directory: RealData.directory)
    configure(&options)
    do { _ = try Dataset.load(options); return nil } catch { return error }
}

@Suite struct SayItTests {
    let features = (0..<6).map { square($0, ["zone": .string($0 < 3 ? "A" : "B"), "pop": .number(Double(10 * ($0 + 1))), "nr": .string("n\($0)")]) }

    @Test func aSumOfAPropertyNoFeatureHasIsAnErrorNamingIt() {
        let errors = dissolveError(FeatureDissolve(grouping: .property("zone"), sum: ["populaton"], source: "in.geojson"), features)
        #expect(errors.count == 1)
        #expect(errors.first?.field == "properties.populaton")
        #expect(errors.first?.file == "in.geojson")
        #expect(errors.first?.message.contains("no feature has the property 'populaton'") == true)
        #expect(errors.first?.message.contains("pop") == true)   // lists what there is
    }

    @Test func nullOrTextInASummedPropertyIsCountedNotTakenAsZero() {
        var f = features
        f[4].properties["pop"] = .null
        f[5].properties["pop"] = .string("n/a")
        let errors = dissolveError(FeatureDissolve(grouping: .property("zone"), sum: ["pop"], source: "in.geojson"), f)
        #expect(errors.count == 1)
        #expect(errors.first?.location == "features[4]")
        #expect(errors.first?.message.contains("2 features without a number") == true)
        // Without them the sum is right: 10 + 20 + 30 and 40 + 50 + 60.
        let r = try? FeatureDissolve(grouping: .property("zone"), sum: ["pop"]).run(FeatureCollection(features: features))
        #expect(r?.collection.features.map { $0.properties["pop"]?.doubleValue } == [60, 150])
    }

    @Test func anIdPropertyWithATypoIsAnError() {
        let errors = dissolveError(FeatureDissolve(grouping: .property("zone"), idProperty: "nummer", source: "in.geojson"), features)
        #expect(errors.count == 1)
        #expect(errors.first?.field == "properties.nummer")
        let r = try? FeatureDissolve(grouping: .property("zone"), idProperty: "nr").run(FeatureCollection(features: features))
        #expect(r?.collection.features.first?.properties["members"]?.arrayValue?.compactMap(\.stringValue) == ["n0", "n1", "n2"])
    }

    @Test func groupingByAPropertyNoFeatureHasIsAnError() {
        let errors = dissolveError(FeatureDissolve(grouping: .property("provincie"), source: "in.geojson"), features)
        #expect(errors.first?.message.contains("no feature has the property 'provincie'") == true)
    }

    @Test func nullGroupKeysAreLeftOutAndNamedOrKeptAsAGroup() throws {
        var f = features
        f[1].properties["zone"] = .null
        f[4].properties.removeValue(forKey: "zone")
        let r = try FeatureDissolve(grouping: .property("zone")).run(FeatureCollection(features: f))
        #expect(r.leftOut == [1, 4])
        #expect(r.collection.features.map { $0.properties["count"]?.intValue } == [2, 2])
        var keep = FeatureDissolve(grouping: .property("zone"), sum: ["pop"])
        keep.keepNull = true
        let k = try keep.run(FeatureCollection(features: f))
        #expect(k.leftOut.isEmpty)
        #expect(k.collection.features.count == 3)
        let nullGroup = k.collection.features.first { $0.properties["zone"] == .null }
        #expect(nullGroup?.properties["count"]?.intValue == 2)
        #expect(nullGroup?.properties["pop"]?.doubleValue == 70.0)   // 20 + 50
        #expect(nullGroup?.id == nil)
        // The null group's values are checked like any other group's.
        f[4].properties["pop"] = .null
        let errors = dissolveError(keep, f)
        #expect(errors.first?.location == "features[4]")
    }

    @Test func anEmptyPolygonJoinsItsGroupWithoutArea() throws {
        var f = features
        f[1].geometry = .multiPolygon([])
        let r = try FeatureDissolve(grouping: .property("zone")).run(FeatureCollection(features: f))
        #expect(r.collection.features[0].properties["count"]?.intValue == 3)
        #expect(abs(try Geometry(r.collection.features[0].geometry!).area() - 2e-4) < 1e-12)
        // A null geometry (an unlocated feature) is counted too, adds no area, and is listed.
        f[2].geometry = nil
        let n = try FeatureDissolve(grouping: .property("zone")).run(FeatureCollection(features: f))
        #expect(n.withoutGeometry == [2])
        #expect(n.collection.features[0].properties["count"]?.intValue == 3)
        #expect(abs(try Geometry(n.collection.features[0].geometry!).area() - 1e-4) < 1e-12)
        // A group of nothing but empty geometries is an empty zone, not an error.
        let empty = try FeatureDissolve(grouping: .property("zone")).run(FeatureCollection(features: [
            Feature(properties: ["zone": .string("E")], geometry: .multiPolygon([])),
            Feature(properties: ["zone": .string("E")], geometry: .multiPolygon([])),
        ]))
        #expect(empty.collection.features.first?.geometry?.polygons.isEmpty == true)
    }

    @Test func makeValidRepairsABowTieAndSaysSo() throws {
        var f = features
        let x = 4.2
        let bowTie = [Position(x, 51), Position(x + 0.01, 51.01), Position(x + 0.01, 51), Position(x, 51.01), Position(x, 51)]
        f[2].geometry = .polygon(Polygon(exterior: bowTie))
        let refused = dissolveError(FeatureDissolve(grouping: .property("zone"), source: "in.geojson"), f)
        #expect(refused.first?.location == "features[2]")
        #expect(refused.first?.message.contains("Self-intersection") == true)
        var job = FeatureDissolve(grouping: .property("zone"))
        job.makeValid = true
        let r = try job.run(FeatureCollection(features: f))
        #expect(r.repaired.map(\.feature) == [2])
        // The bow-tie becomes its two triangles: zone A is two squares and two triangles (half a square).
        let a = try Geometry(r.collection.features[0].geometry!).area()
        #expect(abs(a - 2.5e-4) < 1e-12)
    }

    @Test func aZoneTableWithoutItsCodeColumnIsAnErrorNamingTheFileAndColumns() throws {
        let csv = try CSVTable(text: "elz_code,elz_name,rzz_name,basis\nELZ1,A,Regio,x\n", name: "rzz.csv")
        #expect(throws: DataError.self) { try ZoneTable(csv: csv, codeColumn: "rzz_code") }
        do { _ = try ZoneTable(csv: csv, codeColumn: "rzz_code") } catch let e as DataError {
            #expect(e.file == "rzz.csv")
            #expect(e.field == "rzz_code")
            #expect(e.message.contains("elz_code, elz_name, rzz_name, basis"))
        }
        // Without a code column of any name: no guessing by position.
        let generic = try CSVTable(text: "nis,zone,label\n11001,Z1,Zone 1\n", name: "mine.csv")
        #expect(throws: DataError.self) { try ZoneTable(csv: generic) }
        // Named columns work in any order.
        let ok = try ZoneTable(csv: try CSVTable(text: "name,code,nis\nZone 1,Z1,11001\n", name: "ok.csv"))
        #expect(ok.rows.map { [$0.key, $0.code, $0.name] } == [["11001", "Z1", "Zone 1"]])
    }

    @Test func theDataPackageTablesMissingTheirCodeColumnsNameTheirOwnFile() throws {
        try withTemporaryFolder { dir in
            let original = try String(contentsOf: RealData.directory.appendingPathComponent("elz.csv"), encoding: .utf8)
            let broken = dir.appendingPathComponent("elz.csv")
            try original.replacingOccurrences(of: "block_id,elz_code,elz_name", with: "block_id,code_elz,elz_name").write(to: broken, atomically: true, encoding: .utf8)
            let e = loadError { $0.elzFile = broken.path } as? DataError
            #expect(e?.file.hasSuffix("elz.csv") == true, "elz.csv without elz_code: \(String(describing: e))")
            #expect(e?.message.contains("no 'elz_code' column") == true)
        }
    }

    @Test func strayQuotesInACSVAreErrorsWithTheirLine() {
        let cases = [
            ("a,b\n\"x,y\n1,2\n", "line 2"),              // never closed
            ("a,b\nx\"y,1\n", "line 2"),                 // quote inside an unquoted field
            ("a,b\n1,2\n\"x\"y,1\n", "line 3"),          // text after the closing quote
        ]
        for (text, line) in cases {
            do {
                _ = try CSVTable(text: text, name: "t.csv")
                Issue.record("accepted: \(text.debugDescription)")
            } catch let e as DataError {
                #expect(e.location == line, "\(text.debugDescription): \(e)")
                #expect(e.message.contains("malformed CSV"))
            } catch { Issue.record("\(error)") }
        }
        // Proper quoting is fine: embedded commas, doubled quotes, newlines in a quoted field.
        let ok = try? CSVTable(text: "a,b\n\"KOM (Kust, Ommeland)\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\n", name: "t.csv")
        #expect(ok?.rows == [["KOM (Kust, Ommeland)", "say \"hi\""], ["two\nlines", "3"]])
    }

    @Test func anInvalidBlockIsNamedWithFileFeatureIdNameAndReason() throws {
        try withTemporaryFolder { dir in
            let data = try Data(contentsOf: RealData.directory.appendingPathComponent("blocks.geojson"))
            var fc = try GeoJSONReader().readFeatureCollection(data)
            let victim = 5
            var ring = fc.features[victim].geometry!.polygons[0].exterior
            ring.swapAt(3, ring.count / 2)   // a self-intersecting ring
            fc.features[victim].geometry = .polygon(Polygon(exterior: ring))
            let file = dir.appendingPathComponent("blocks.geojson")
            try Data(GeoJSONWriter(precision: 9).write(fc)).write(to: file)
            guard let e = loadError({ $0.blocksFile = file.path }) as? DataErrors else {
                Issue.record("an invalid block was loaded, or reported otherwise"); return
            }
            let id = fc.features[victim].properties["id"]!.stringValue!
            #expect(e.errors.count == 1)
            #expect(e.errors[0].file == file.path)
            #expect(e.errors[0].location == "features[\(victim)]")
            #expect(e.errors[0].message.contains("block '\(id)'"))
            #expect(e.errors[0].message.contains("Self-intersection"))
        }
    }

    @Test func anOutputFolderIsReplacedWholeAndLeftoversOfKilledRunsAreRemoved() throws {
        try withTemporaryFolder { dir in
            let out = dir.appendingPathComponent("out")
            try OutputFolder.publish([("a.geojson", Data("1".utf8)), ("manifest.json", Data(#"{"layers":[{"file":"a.geojson"}]}"#.utf8))], to: out)
            // Leftovers of a run that was killed (a process id that does not exist).
            let dead = dir.appendingPathComponent(".out.staging-999999999-1")
            try FileManager.default.createDirectory(at: dead, withIntermediateDirectories: true)
            try Data("half".utf8).write(to: dead.appendingPathComponent("a.geojson"))
            try Data("x".utf8).write(to: out.appendingPathComponent(".a.geojson.tmp-999999999-7"))
            try OutputFolder.publish([("b.geojson", Data("2".utf8)), ("manifest.json", Data(#"{"layers":[{"file":"b.geojson"}]}"#.utf8))], to: out)
            let now = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(now == ["b.geojson", "manifest.json"])   // nothing of the old run, no temporaries
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
            // A folder with files zorgzones did not write is not replaced.
            try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
            #expect(throws: DataError.self) { try OutputFolder.publish([("c.geojson", Data())], to: out) }
            // compare --out keeps the other files of the folder.
            try OutputFolder.publish([("c.csv", Data("3".utf8))], to: out, keepOthers: true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["b.geojson", "c.csv", "manifest.json", "notes.txt"])
        }
    }
}
