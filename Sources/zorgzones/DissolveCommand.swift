import ArgumentParser
import Foundation
import DataPackage
import Formats
import GeoJSON
import Jobs
import Zoning

struct Dissolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dissolve any polygon GeoJSON by a property or an assignment table (like geopandas dissolve).",
        discussion: """
        Groups the features of INPUT by the value of --by, or by looking up --key in --table (a CSV with a key \
        column and a code column, optionally a name column), and unites each group on its own. Each zone is \
        proven (the Swift coverage union, exact predicates: method coverage-union), checked (its result found \
        valid by GEOS: coverage-union-checked) or recomputed by GEOS's overlay union (unary-union: overlaps, \
        gaps, T-junctions, anything the fast path refuses). Each output feature has the group value (or code \
        and name), count, members (with --id), the --sum totals, area_km2 (EPSG:31370, for input inside \
        Belgium), parts and method. The output is reduced to --precision decimals as one layer and checked valid \
        at that precision; a zone that collapses is an error naming it and the precision that keeps it. Invalid \
        polygons are refused with the feature index and GEOS's reason (--make-valid repairs them). Features \
        whose grouping value is null or missing are left out and listed (--keep-null groups them). A --sum or \
        --id property that no feature has, or a summed value that is not a number, is an error.
        """)

    @Argument(help: ArgumentHelp("Input of Polygon/MultiPolygon features: a GeoJSON FeatureCollection (CRS84; '-' reads standard input), or any vector source GDAL opens (GeoPackage, Shapefile, FlatGeobuf, PG:\"dbname=…\") in the CRS it declares, reprojected on read.", valueName: "INPUT"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The layer (or PostGIS table) of INPUT when it has several.", valueName: "NAME"))
    var layer: String?

    @Option(name: .long, help: ArgumentHelp("The CRS of INPUT when it does not say (a Shapefile without .prj), e.g. EPSG:31370.", valueName: "CRS"))
    var sourceCrs: String?

    @Option(name: .long, help: ArgumentHelp("Feature property to group by.", valueName: "PROPERTY"))
    var by: String?

    @Option(name: .long, help: ArgumentHelp("Assignment table (CSV: key, zone code, zone name); needs --key.", valueName: "FILE"))
    var table: String?

    @Option(name: .long, help: ArgumentHelp("Feature property matched against the table's keys.", valueName: "PROPERTY"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("Numeric property to sum per group. Repeatable.", valueName: "PROPERTY"))
    var sum: [String] = []

    @Option(name: .long, help: ArgumentHelp("Property with the feature id, listed per group as members.", valueName: "PROPERTY"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("Output file (written atomically): .geojson, .gpkg, .fgb, .shp, or PG:\"dbname=…\" (a table). Default: GeoJSON on standard output.", valueName: "FILE"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("geojson, gpkg, fgb, shp or postgis. Default: from --out, else geojson.", valueName: "FORMAT"))
    var format: VectorFormat?

    @Option(name: .long, help: ArgumentHelp("CRS of the written coordinates in gpkg, fgb, shp and postgis (e.g. EPSG:31370). Default: CRS84.", valueName: "CRS"))
    var crs: String?

    @Option(name: .long, help: ArgumentHelp("Name of the written layer or table. Default: the output file's name, or 'dissolved'.", valueName: "NAME"))
    var outLayer: String?

    @Flag(name: .long, help: "Write every polygon as a MultiPolygon in GeoJSON too (one geometry type; the other formats always do).")
    var multi = false

    @Option(name: .long, help: "Decimals of the written coordinates.")
    var precision: Int = 6

    @Flag(name: .long, help: "Skip the GEOS validity check of the input polygons (faster; only for input known to be valid: the union of invalid polygons is undefined).")
    var noValidate = false

    @Flag(name: .long, help: "Repair invalid input polygons with GEOS MakeValid (like ST_MakeValid) instead of refusing them; lists the features it changed.")
    var makeValid = false

    @Flag(name: .long, help: "Dissolve the features whose grouping value is null or missing as one group of their own (default: leave them out and say which, like geopandas dropna=True).")
    var keepNull = false

    func validate() throws {
        if by == nil && table == nil { throw ValidationError("give --by PROPERTY or --table FILE --key PROPERTY") }
        if by != nil && table != nil { throw ValidationError("give either --by or --table, not both") }
        if table != nil && key == nil { throw ValidationError("--table needs --key PROPERTY") }
        do throws(UsageError) {
            try job(grouping: .property("")).check()
            if let out { try Checks.output(out, format: outputFormat, crs: crs, folderOrFile: false) }
            else if outputFormat != .geoJSON { throw UsageError("format", "\(outputFormat.rawValue) needs --out") }
            if outputFormat == .topoJSON { throw UsageError("format", "topojson is written by build") }
        } catch { throw ValidationError(error.cliText) }
    }

    var outputFormat: VectorFormat { format ?? out.flatMap(VectorFormat.guess) ?? .geoJSON }

    /// GeoJSON (and standard input) through zorgzones' reader; anything else through GDAL.
    var inputThroughGDAL: Bool {
        input != "-" && (input.hasPrefix("PG:") || VectorFormat.guess(input).map { $0 != .geoJSON } ?? true)
    }

    func run() throws {
        do {
            let source = input == "-" ? "<stdin>" : input.hasPrefix("PG:") ? VectorWriter.redacted(input) : (input as NSString).lastPathComponent
            let fc: FeatureCollection
            if inputThroughGDAL {
                fc = try VectorOutput.read(input, layer: layer, sourceCRS: sourceCrs)
            } else {
                let data: Data
                if input == "-" {
                    data = FileHandle.standardInput.readDataToEndOfFile()
                } else {
                    guard FileManager.default.fileExists(atPath: input) else {
                        throw DataError(file: input, message: "file not found")
                    }
                    data = try Data(contentsOf: URL(fileURLWithPath: input))
                }
                fc = try GeoJSONReader(source: source).readFeatureCollection(data)
            }
            let grouping: FeatureDissolve.Grouping
            if let by {
                grouping = .property(by)
            } else {
                let t = try ZoneTable(contentsOf: URL(fileURLWithPath: table!))
                var map: [String: ZoneRef] = [:]
                for r in t.rows { map[r.key] = ZoneRef(code: r.code, name: r.name) }
                grouping = .table(key: key!, table: map)
            }
            let job = job(grouping: grouping)
            let result = try job.dissolve(fc, source: source)
            var err = StandardError()
            if !result.leftOut.isEmpty {
                let listed = result.leftOut.prefix(10).map { "features[\($0)]" }.joined(separator: ", ")
                print("note: left out \(result.leftOut.count) feature\(result.leftOut.count == 1 ? "" : "s") whose '\(by ?? key!)' is null or missing: \(listed)\(result.leftOut.count > 10 ? ", …" : "") (--keep-null keeps them as a group)", to: &err)
            }
            if !result.withoutGeometry.isEmpty {
                let listed = result.withoutGeometry.prefix(10).map { "features[\($0)]" }.joined(separator: ", ")
                let one = result.withoutGeometry.count == 1
                print("note: \(result.withoutGeometry.count) feature\(one ? " has" : "s have") a null geometry (counted in \(one ? "its group" : "their groups"), no area): \(listed)\(result.withoutGeometry.count > 10 ? ", …" : "")", to: &err)
            }
            for r in result.repaired {
                print("note: repaired features[\(r.feature)] with MakeValid (was: \(r.reason))", to: &err)
            }
            var written = try job.written(result, output: out.map { ($0 as NSString).lastPathComponent } ?? "<stdout>")
            if multi { written = written.promotedToMulti() }
            let methods = result.methods.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
            if let out, outputFormat != .geoJSON {
                let name = outLayer ?? (out.hasPrefix("PG:") ? "dissolved" : ((out as NSString).lastPathComponent as NSString).deletingPathExtension)
                let w = try VectorOutput.write([VectorLayer(name: name, features: written.features)], to: out, format: outputFormat,
                                               crs: crs ?? "EPSG:4326")
                print("wrote \(out.hasPrefix("PG:") ? "table \(name)" : out): \(result.collection.features.count) zones from \(fc.features.count) features (\(methods))", to: &err)
                for m in w.fields where m.field != m.property { print("note: property '\(m.property)' is the column '\(m.field)'", to: &err) }
                return
            }
            let bytes = Data(try GeoJSONWriter(precision: precision).write(written))
            if let out {
                try writeAtomically(bytes, to: URL(fileURLWithPath: out))
                print("wrote \(out): \(result.collection.features.count) zones from \(fc.features.count) features (\(methods))", to: &err)
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        } catch {
            throw reported(error)
        }
    }

    func job(grouping: FeatureDissolve.Grouping) -> DissolveJob {
        var job = DissolveJob(grouping: grouping)
        job.sum = sum
        job.id = id
        job.precision = precision
        job.validate = !noValidate
        job.makeValid = makeValid
        job.keepNull = keepNull
        return job
    }
}
