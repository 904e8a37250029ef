import ArgumentParser
import Foundation
import Compare
import DataPackage
import GeoJSON
import Jobs

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how a zoning lines up with hospital networks, GGZ networks or any other network layer.",
        discussion: """
        ZONING is rzz, elz, rr, municipalities, the name of a table in <data>/zonings (gezondheidsmakers, \
        politiezone, vervoerregio) or a CSV of (block id or NIS code, zone code, zone name). \
        NETWORKS is hospital-networks, ggz-adults, ggz-youth, any ZONING name (to compare two zonings), or a file: \
        a CSV of campuses (network, latitude, longitude[, hospital, campus, confidence, block_id]), a CSV of \
        municipalities per network (network, nis[, confidence, share]), or GeoJSON points or polygons with a \
        'network' property.

        Point networks need a service area: --method voronoi (default; Voronoi cells of the campuses clipped to \
        Flanders + Brussels), nearest (whole blocks to the nearest campus) or table (--catchment FILE). Area \
        networks use their own areas. Every output names the method.

        With --out DIR, writes <zoning>-<networks>-<method>.matrix.csv (long form with row and column shares), \
        .matrix-area.csv and .matrix-population.csv (wide), .report.json, .pieces.geojson (zone × network \
        intersection pieces), .networks.geojson and, for campuses, .campuses.geojson. Files are written \
        atomically after everything has been computed. Areas are planar in EPSG:31370.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("The zoning: rzz, elz, rr, municipalities, a table name in <data>/zonings, or a zone table CSV.", valueName: "ZONING"))
    var zoning: String = "rzz"

    @Option(name: .customLong("with"), help: ArgumentHelp("The networks: hospital-networks, ggz-adults, ggz-youth, a zoning name, or a file (CSV, GeoJSON, or a GeoPackage, Shapefile or FlatGeobuf in the CRS it declares).", valueName: "NETWORKS"))
    var networks: String

    @Option(name: .long, help: ArgumentHelp("Service areas of point networks: voronoi, nearest or table.", valueName: "METHOD"))
    var method: CampusMethod?

    @Option(name: .long, help: ArgumentHelp("Catchment table for --method table: CSV of (nis or block_id, network, share).", valueName: "FILE"))
    var catchment: String?

    @Option(name: .long, help: ArgumentHelp("Campuses without coordinates to report, for a campus CSV given as a file (default: <file>_unlocated.csv when it exists).", valueName: "FILE"))
    var unlocated: String?

    @Option(name: .long, help: ArgumentHelp("Share in percent above which a zone counts for a network and a network for a zone.", valueName: "PERCENT"))
    var threshold: Double = 5

    @Option(name: .long, help: ArgumentHelp("Leave out network rows below this confidence: low (keep all), medium, high.", valueName: "LEVEL"))
    var minConfidence: String = "low"

    @Option(name: .long, help: "What to print: text (a summary), json (the report) or csv (the matrix, long form).")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Write the matrices, the report and the GeoJSON layers into this directory (created if needed).", valueName: "DIR"))
    var out: String?

    @Option(name: .long, help: "Decimals of the written GeoJSON coordinates.")
    var precision: Int = 6

    func validate() throws {
        do throws(UsageError) {
            try CompareJob.check(thresholdPercent: threshold)
            try Checks.precision(precision)
            _ = try CompareJob.confidence(minConfidence)
            try CompareJob.check(catchmentGiven: catchment != nil, method: method?.serviceAreaMethod)
        } catch { throw ValidationError(error.cliText) }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let workspace = try Workspace(dataOptions.request)
            var job = CompareJob(zoning: try workspace.zoning(zoning),
                                 networks: try workspace.networks(networks, unlocated: unlocated))
            job.method = method?.serviceAreaMethod
            // Its kind (a table of municipalities or blocks per network) is checked by the comparison.
            job.catchment = try catchment.map { try NetworkLayer.read(contentsOf: workspace.file($0), display: $0) }
            job.thresholdPercent = threshold
            job.minimumConfidence = try CompareJob.confidence(minConfidence)
            let dataset = workspace.dataset
            let comparison = try job.run(dataset: dataset)
            var written: [String] = []
            if let out {
                let files = try comparison.files(dataset: dataset, writer: GeoJSONWriter(precision: precision))
                // One step for all files of this comparison; other files in the folder are kept.
                try OutputFolder.publish(files, to: URL(fileURLWithPath: out), keepOthers: true)
                for f in files { written.append("wrote \(out)/\(f.name) (\(f.data.count) bytes)") }
            }
            switch format {
            case .text:
                print(comparison.report.textSummary(), terminator: "")
                if !written.isEmpty { print(""); written.forEach { print($0) } }
                let elapsed = clock.now - start
                print("done in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
            case .json:
                FileHandle.standardOutput.write(try comparison.reportJSON())
                print("")
                var stderr = StandardError()
                written.forEach { print($0, to: &stderr) }
            case .csv:
                print(comparison.matrixCSV(), terminator: "")
                var stderr = StandardError()
                written.forEach { print($0, to: &stderr) }
            }
        } catch {
            throw reported(error)
        }
    }
}

/// The service-area methods of a campus layer, as the CLI names them.
enum CampusMethod: String, ExpressibleByArgument, CaseIterable {
    case voronoi, nearest, table
    var serviceAreaMethod: ServiceAreaMethod {
        switch self { case .voronoi: return .voronoi; case .nearest: return .nearest; case .table: return .table }
    }
}
