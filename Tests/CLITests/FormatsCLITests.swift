import Foundation
import Testing
import TestSupport
import GeoJSON

// build and dissolve in the GIS formats, opened by GDAL's own tools (ogrinfo, ogr2ogr) and by PostgreSQL (psql)
// on a real PostGIS server. Expected values come from the data package's files.

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-formats-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Zone → members (block ids) from a zone table of the data package (block_id, code columns).
private func membersByZone(_ file: String, code: String) throws -> [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    for row in try CSVRows(RealData.directory.appendingPathComponent(file)) {
        out[row[code]!, default: []].insert(row["block_id"]!)
    }
    return out
}

/// `ogrinfo -ro -q SOURCE -sql SQL -dialect SQLite` as rows of `name = value`.
private func sql(_ source: String, _ query: String) throws -> [[String: String]] {
    let r = try gdal("ogrinfo", ["-ro", "-q", source, "-dialect", "SQLite", "-sql", query])
    #expect(r.status == 0, "\(r.stderr)")
    var rows: [[String: String]] = []
    for line in r.stdout.split(separator: "\n") {
        if line.hasPrefix("OGRFeature") { rows.append([:]); continue }
        let t = line.trimmingCharacters(in: .whitespaces)
        guard let eq = t.range(of: " = "), !rows.isEmpty, let open = t.firstIndex(of: " ") else { continue }
        rows[rows.count - 1][String(t[..<open])] = String(t[eq.upperBound...])
    }
    return rows
}

@Suite(.serialized) struct FormatsCLITests {
    @Test func aGeoPackageOfEveryLayerThatGDALOpensWithoutAWarning() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gpkg = dir.appendingPathComponent("atlas.gpkg").path
        let r = try zorgzones(["build", "--out", gpkg, "--crs", "EPSG:31370", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try gdal("ogrinfo", ["-ro", gpkg])
        #expect(info.status == 0 && info.stderr.isEmpty, "ogrinfo warned: \(info.stderr)")
        let layers = info.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(layers.map { String($0) } == ["1: municipalities (Multi Polygon)", "2: elz (Multi Polygon)", "3: rr (Multi Polygon)", "4: rzz (Multi Polygon)"])
        // GDAL's own validation of the GeoPackage (requirements of the OGC standard).
        let valid = try gdal("ogrinfo", ["-ro", "-q", gpkg, "-sql", "SELECT HasSpatialIndex('elz', 'geom')"])
        #expect(valid.stdout.contains("= 1"), "\(valid.stdout)")
        // Counts and members from the tables; the list column as text plus its count; areas (EPSG:31370) agree
        // with area_km2.
        let elz = try membersByZone("elz.csv", code: "elz_code")
        let rows = try sql(gpkg, "SELECT code, members, members_n, area_km2, ST_Area(geom) / 1e6 AS measured FROM elz")
        #expect(rows.count == elz.count)
        for row in rows {
            let code = try #require(row["code"])
            #expect(Set(row["members"]!.split(separator: ",").map(String.init)) == elz[code], "\(code)")
            #expect(Int(row["members_n"]!) == elz[code]?.count)
            #expect(abs(Double(row["area_km2"]!)! - Double(row["measured"]!)!) < 1e-3, "\(code): \(row)")
        }
        for (layer, file, code) in [("rr", "referentieregio.csv", "rr_code"), ("rzz", "rzz.csv", "rzz_code")] {
            let n = Set(try CSVRows(RealData.directory.appendingPathComponent(file)).compactMap { $0[code] }).count
            #expect(try sql(gpkg, "SELECT count(*) AS n FROM \(layer)").first?["n"] == String(n))
        }
    }

    @Test(arguments: ["fgb", "shp"])
    func aFolderOfFilesPerLayer(_ format: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("atlas").path
        let r = try zorgzones(["build", "--out", out, "--format", format, "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let elz = try membersByZone("elz.csv", code: "elz_code")
        for layer in ["municipalities", "elz", "rr", "rzz"] {
            let info = try gdal("ogrinfo", ["-ro", "-so", "-al", "\(out)/\(layer).\(format)"])
            #expect(info.status == 0 && info.stderr.isEmpty, "\(layer).\(format): \(info.stderr)")
            #expect(info.stdout.contains("Geometry: Multi Polygon") || (format == "shp" && info.stdout.contains("Geometry: Polygon")))
            if layer == "elz" { #expect(info.stdout.contains("Feature Count: \(elz.count)")) }
        }
        let manifest = try JSONParser().parse(Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json")))
        #expect(manifest["layers"]?.arrayValue?.count == 4)
        #expect(manifest["files"]?.arrayValue?.isEmpty == false)
    }

    @Test func blocksInLambert72AndLambert2008DissolveToTheSameZones() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocks = RealData.directory.appendingPathComponent("blocks.geojson").path
        let elz = try membersByZone("elz.csv", code: "elz_code")
        for (crs, file) in [("EPSG:31370", "blocks.gpkg"), ("EPSG:3812", "blocks.shp")] {
            let converted = dir.appendingPathComponent(file).path
            let c = try gdal("ogr2ogr", ["-t_srs", crs, converted, blocks])
            #expect(c.status == 0, "\(c.stderr)")
            let out = dir.appendingPathComponent("out-\(crs.dropFirst(5))").path
            let r = try zorgzones(["build", "--blocks", converted, "--out", out, "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            let fc = try GeoJSONReader().readFeatureCollection(Data(contentsOf: URL(fileURLWithPath: "\(out)/elz.geojson")))
            #expect(fc.features.count == elz.count)
            for f in fc.features {
                let code = f.properties["code"]!.stringValue!
                #expect(Set(f.properties["members"]!.arrayValue!.compactMap(\.stringValue)) == elz[code], "\(crs) \(code)")
                #expect(f.properties["method"]?.stringValue?.hasPrefix("coverage-union") == true || f.properties["method"]?.stringValue == "single-block",
                        "\(crs) \(code): \(f.properties["method"] ?? .null)")
            }
            // And dissolve reads the converted file itself.
            let d = try zorgzones(["dissolve", converted, "--by", "province", "--id", "id"])
            #expect(d.status == 0, "\(d.stderr)")
            #expect(try GeoJSONReader().readFeatureCollection(Data(d.stdout.utf8)).features.count == 5)
        }
    }

    @Test func networkCampusesInAGeoPackageInLambert72CompareAsTheCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gpkg = dir.appendingPathComponent("campuses.gpkg").path
        let c = try gdal("ogr2ogr", ["-f", "GPKG", gpkg, RealData.directory.appendingPathComponent("networks/hospital_campuses.csv").path,
                                     "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-oo", "KEEP_GEOM_COLUMNS=NO",
                                     "-s_srs", "EPSG:4326", "-t_srs", "EPSG:31370", "-nln", "campuses"])
        #expect(c.status == 0, "\(c.stderr)")
        let fromGPKG = try zorgzones(["compare", "--with", gpkg, "--format", "json"])
        let fromCSV = try zorgzones(["compare", "--with", RealData.directory.appendingPathComponent("networks/hospital_campuses.csv").path, "--format", "json"])
        #expect(fromGPKG.status == 0, "\(fromGPKG.stderr)")
        let a = try JSONParser().parse(Data(fromGPKG.stdout.utf8)), b = try JSONParser().parse(Data(fromCSV.stdout.utf8))
        // The same networks and, within the rounding of a projection there and back, the same alignment.
        #expect(a["networks"]?.arrayValue?.count == b["networks"]?.arrayValue?.count)
        for k in ["mutual_majority_share", "adjusted_rand_index", "normalized_mutual_information"] {
            let x = try #require(a["alignment"]?[k]?.doubleValue), y = try #require(b["alignment"]?[k]?.doubleValue)
            #expect(abs(x - y) < 1e-6, "\(k): \(x) vs \(y)")
        }
    }

    @Test func topoJSONThatGDALDecodesToTheGeoJSONLayers() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let topo = dir.appendingPathComponent("atlas.topojson").path, geo = dir.appendingPathComponent("geo").path
        #expect(try zorgzones(["build", "--out", topo, "-q"]).status == 0)
        #expect(try zorgzones(["build", "--out", geo, "-q"]).status == 0)
        for layer in ["elz", "rzz"] {
            // GDAL's TopoJSON driver as the decoder.
            let r = try gdal("ogr2ogr", ["-f", "GeoJSON", "/vsistdout/", topo, layer, "-lco", "COORDINATE_PRECISION=6"])
            #expect(r.status == 0 && !r.stderr.contains("ERROR"), "\(r.stderr)")
            let decoded = try GeoJSONReader().readFeatureCollection(Data(r.stdout.utf8))
            let written = try GeoJSONReader().readFeatureCollection(Data(contentsOf: URL(fileURLWithPath: "\(geo)/\(layer).geojson")))
            #expect(decoded.features.count == written.features.count)
            let byCode = Dictionary(uniqueKeysWithValues: decoded.features.map { ($0.properties["code"]!.stringValue!, $0) })
            var vertices = 0
            for f in written.features {
                let d = try #require(byCode[f.properties["code"]!.stringValue!])
                let a = Set(f.geometry!.polygons.flatMap { $0.rings.flatMap { $0 } }.map { "\($0.x),\($0.y)" })
                let b = Set(d.geometry!.polygons.flatMap { $0.rings.flatMap { $0 } }.map { "\($0.x),\($0.y)" })
                #expect(a == b, "\(layer) \(f.properties["code"]!): \(a.symmetricDifference(b).prefix(3))")
                vertices += a.count
            }
            #expect(vertices > 1000)
        }
    }

    @Test func postGISRoundTripOnARealServer() throws {
        let pg = try PostGIS.connection()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The atlas as tables in EPSG:31370.
        let r = try zorgzones(["build", "--out", pg, "--crs", "EPSG:31370", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let elz = try membersByZone("elz.csv", code: "elz_code")
        let blocks = try GeoJSONReader().readFeatureCollection(Data(contentsOf: RealData.directory.appendingPathComponent("blocks.geojson")))
        let nis = Set(blocks.features.compactMap { $0.properties["nis"]?.stringValue })
        #expect(try PostGIS.query("SELECT count(*) FROM municipalities") == ["\(nis.count)"])
        #expect(try PostGIS.query("SELECT count(*) FROM elz") == ["\(elz.count)"])
        #expect(try PostGIS.query("SELECT count(*) FROM elz WHERE abs(ST_Area(geom) / 1e6 - area_km2) > 0.001") == ["0"])
        #expect(try PostGIS.query("SELECT DISTINCT ST_SRID(geom) || ' ' || GeometryType(geom) FROM rzz") == ["31370 MULTIPOLYGON"])
        #expect(try PostGIS.query("SELECT count(*) FROM pg_indexes WHERE tablename = 'elz' AND indexdef LIKE '%USING gist%'") == ["1"])
        let codes = Set(try PostGIS.query("SELECT code FROM elz"))
        #expect(codes == Set(elz.keys))
        // Blocks read back from a PostGIS table (loaded by ogr2ogr in EPSG:31370) give the same ELZ.
        let load = try gdal("ogr2ogr", ["-f", "PostgreSQL", pg, RealData.directory.appendingPathComponent("blocks.geojson").path,
                                        "-nln", "blocks_31370", "-t_srs", "EPSG:31370", "-overwrite"])
        #expect(load.status == 0, "\(load.stderr)")
        let out = dir.appendingPathComponent("from-pg").path
        let b = try zorgzones(["build", "--blocks", pg, "--blocks-layer", "blocks_31370", "--out", out, "-q"])
        #expect(b.status == 0, "\(b.stderr)")
        let fc = try GeoJSONReader().readFeatureCollection(Data(contentsOf: URL(fileURLWithPath: "\(out)/elz.geojson")))
        #expect(Dictionary(uniqueKeysWithValues: fc.features.map { ($0.properties["code"]!.stringValue!, Set($0.properties["members"]!.arrayValue!.compactMap(\.stringValue))) }) == elz)
        // A dissolve into a table of its own.
        let d = try zorgzones(["dissolve", pg, "--layer", "blocks_31370", "--by", "province", "--out", pg, "--out-layer", "provinces"])
        #expect(d.status == 0, "\(d.stderr)")
        let provinces = Set(blocks.features.compactMap { $0.properties["province"]?.stringValue })
        #expect(Set(try PostGIS.query("SELECT province FROM provinces")) == provinces)
    }
}

/// The PostGIS server of the tests: `$ZORGZONES_TEST_PG` (a GDAL `PG:` string) if set, else the throwaway server
/// of `Scripts/postgis.sh` (started here). PostgreSQL and PostGIS must be installed: without them this fails.
enum PostGIS {
    nonisolated(unsafe) private static var cached: String?
    private static let lock = NSLock()

    static func connection() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        if let env = ProcessInfo.processInfo.environment["ZORGZONES_TEST_PG"], !env.isEmpty { cached = env; return env }
        let script = TestData.repository.appendingPathComponent("Scripts/postgis.sh").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, "start"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let line = String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(p.terminationStatus == 0 && line.hasPrefix("PG:"),
                     "no PostGIS server: Scripts/postgis.sh failed (\(String(decoding: e, as: UTF8.self))); install postgresql-15 and postgresql-15-postgis-3 or set ZORGZONES_TEST_PG")
        cached = line
        return line
    }

    /// The first column of every row of `query`, through psql with the connection's settings.
    static func query(_ query: String) throws -> [String] {
        let pg = try connection()
        var args = ["-X", "-tA", "-c", query]
        for part in pg.dropFirst(3).split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "host": args += ["-h", kv[1]]
            case "port": args += ["-p", kv[1]]
            case "dbname": args += ["-d", kv[1]]
            case "user": args += ["-U", kv[1]]
            default: break
            }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "psql: \(String(decoding: e, as: UTF8.self))")
        return String(decoding: o, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
