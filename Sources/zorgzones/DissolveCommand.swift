import ArgumentParser
import Foundation
import GeoJSON
import Zoning

struct Dissolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dissolve any polygon GeoJSON by a property or an assignment table (like geopandas dissolve).",
        discussion: """
        Groups the features of INPUT by the value of --by, or by looking up --key in --table (a CSV of key, zone \
        code, zone name), and unites each group on its own: a coverage union (edge cancellation, its result \
        proven valid) when the group's features form a clean coverage with shared vertices, else GEOS unary \
        union. Each output feature has the group \
        value (or code and name), count, members (with --id), the --sum totals, area_km2 (EPSG:31370, for input \
        inside Belgium), parts and method. Invalid polygons are refused with the feature index and GEOS's reason.
        """)

    @Argument(help: ArgumentHelp("Input GeoJSON FeatureCollection of Polygon/MultiPolygon features (CRS84). '-' reads standard input.", valueName: "INPUT"))
    var input: String

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

    @Option(name: .long, help: ArgumentHelp("Output file (written atomically). Default: standard output.", valueName: "FILE"))
    var out: String?

    @Option(name: .long, help: "Decimals of the written coordinates.")
    var precision: Int = 6

    @Flag(name: .long, help: "Skip the GEOS validity check of the input polygons (faster; for trusted input).")
    var noValidate = false

    func validate() throws {
        if by == nil && table == nil { throw ValidationError("give --by PROPERTY or --table FILE --key PROPERTY") }
        if by != nil && table != nil { throw ValidationError("give either --by or --table, not both") }
        if table != nil && key == nil { throw ValidationError("--table needs --key PROPERTY") }
        if !(0...12).contains(precision) { throw ValidationError("--precision must be between 0 and 12") }
    }

    func run() throws {
        do {
            let data: Data
            if input == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard FileManager.default.fileExists(atPath: input) else {
                    throw DataError(file: input, message: "file not found")
                }
                data = try Data(contentsOf: URL(fileURLWithPath: input))
            }
            let source = input == "-" ? "<stdin>" : (input as NSString).lastPathComponent
            let fc = try GeoJSONReader(source: source).readFeatureCollection(data)
            let grouping: FeatureDissolve.Grouping
            if let by {
                grouping = .property(by)
            } else {
                let t = try ZoneTable(contentsOf: URL(fileURLWithPath: table!))
                var map: [String: ZoneRef] = [:]
                for r in t.rows { map[r.key] = ZoneRef(code: r.code, name: r.name) }
                grouping = .table(key: key!, table: map)
            }
            var job = FeatureDissolve(grouping: grouping, sum: sum, idProperty: id, source: source)
            job.validate = !noValidate
            let result = try job.run(fc)
            let bytes = Data(try GeoJSONWriter(precision: precision).writeLayer(result.collection, source: out.map { ($0 as NSString).lastPathComponent } ?? "<stdout>"))
            if let out {
                try writeAtomically(bytes, to: URL(fileURLWithPath: out))
                var err = StandardError()
                let methods = result.methods.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
                print("wrote \(out): \(result.collection.features.count) zones from \(fc.features.count) features (\(methods))", to: &err)
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}
