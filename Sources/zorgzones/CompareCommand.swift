import ArgumentParser
import Foundation
import GeoJSON
import Zoning

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
    enum Method: String, ExpressibleByArgument, CaseIterable { case voronoi, nearest, table }

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("The zoning: rzz, elz, rr, municipalities, a table name in <data>/zonings, or a zone table CSV.", valueName: "ZONING"))
    var zoning: String = "rzz"

    @Option(name: .customLong("with"), help: ArgumentHelp("The networks: hospital-networks, ggz-adults, ggz-youth, a zoning name, or a file (CSV or GeoJSON).", valueName: "NETWORKS"))
    var networks: String

    @Option(name: .long, help: ArgumentHelp("Service areas of point networks: voronoi, nearest or table.", valueName: "METHOD"))
    var method: Method?

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

    func run() throws {
        guard (0...100).contains(threshold) else { throw ValidationError("--threshold is a percentage between 0 and 100") }
        guard (0...12).contains(precision) else { throw ValidationError("--precision must be between 0 and 12") }
        guard let minimum = Confidence(parsing: minConfidence), minimum != .unspecified else {
            throw ValidationError("--min-confidence must be low, medium or high")
        }
        if catchment != nil && method != .table { throw ValidationError("--catchment goes with --method table") }
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let dataset = try dataOptions.load()
            let zoningValue = try resolveZoning(zoning, dataset: dataset)
            var layer = try resolveNetworks(networks, dataset: dataset).filtered(minimumConfidence: minimum)
            if layer.kind != .points, let method {
                throw ValidationError("\(layer.name) is an area layer (\(layer.kind.rawValue)): it has its own areas, so --method \(method.rawValue) does not apply")
            }
            var catchmentLayer: NetworkLayer?
            if let catchment {
                let url = try locate(catchment, dataset: dataset)
                catchmentLayer = try NetworkLayer.read(contentsOf: url, display: catchment).filtered(minimumConfidence: minimum)
                if catchmentLayer!.kind != .municipalities {
                    throw ValidationError("--catchment \(catchment) must be a CSV of (nis or block_id, network, share)")
                }
            }
            if layer.kind == .points && layer.locatedCampuses.isEmpty && method != .table {
                throw fail(DataError(file: layer.sources.first ?? layer.name, message: "no campus has coordinates"))
            }
            layer.name = layer.name.isEmpty ? "networks" : layer.name
            let comparison = try Comparison.run(
                dataset: dataset, zoning: zoningValue, layer: layer,
                method: method.map { m -> ServiceAreaMethod in
                    switch m { case .voronoi: return .voronoi; case .nearest: return .nearest; case .table: return .table }
                },
                catchment: catchmentLayer, threshold: threshold / 100)
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
        } catch let e as ValidationError {
            throw e
        } catch let e as ExitCode {
            throw e
        } catch let e as CompareUsageError {
            throw ValidationError(e.message)
        } catch {
            throw fail(error)
        }
    }

    /// A file given on the command line: relative to the working directory if it exists there, else to the
    /// data directory.
    func locate(_ path: String, dataset: Dataset) throws -> URL {
        let fm = FileManager.default
        if path.hasPrefix("/") || fm.fileExists(atPath: path) { return URL(fileURLWithPath: path) }
        let inData = dataset.directory.appendingPathComponent(path)
        if fm.fileExists(atPath: inData.path) { return inData }
        throw DataError(file: path, message: "file not found (looked in the working directory and in \(dataset.directory.path))")
    }

    func isFileName(_ s: String) -> Bool {
        s.contains("/") || s.contains(".")
    }

    func resolveZoning(_ name: String, dataset: Dataset) throws -> Zoning {
        if let z = dataset.zonings[name] { return z }
        let named = dataset.directory.appendingPathComponent("zonings/\(name).csv")
        if !isFileName(name) {
            guard FileManager.default.fileExists(atPath: named.path) else {
                let known = dataset.layerNames + zoningTables(dataset)
                throw ValidationError("unknown zoning '\(name)': use one of \(known.joined(separator: ", ")) or a CSV file")
            }
            return try dataset.resolve(ZoneTable(contentsOf: named, name: "zonings/\(name).csv"), name: name)
        }
        let url = try locate(name, dataset: dataset)
        return try dataset.resolve(ZoneTable(contentsOf: url, name: name), name: url.deletingPathExtension().lastPathComponent)
    }

    func resolveNetworks(_ name: String, dataset: Dataset) throws -> NetworkLayer {
        if let builtIn = BuiltInNetworkLayer(rawValue: name) {
            return try builtIn.load(from: dataset.directory)
        }
        if !isFileName(name) {
            if dataset.zonings[name] != nil || FileManager.default.fileExists(atPath: dataset.directory.appendingPathComponent("zonings/\(name).csv").path) {
                return NetworkLayer.from(try resolveZoning(name, dataset: dataset), blocks: dataset.blocks)
            }
            let known = BuiltInNetworkLayer.allCases.map(\.rawValue) + dataset.layerNames + zoningTables(dataset)
            throw ValidationError("unknown network layer '\(name)': use one of \(known.joined(separator: ", ")) or a file")
        }
        let url = try locate(name, dataset: dataset)
        let unlocatedURL = try unlocated.map { try locate($0, dataset: dataset) }
        return try NetworkLayer.read(contentsOf: url, display: name, unlocated: unlocatedURL)
    }

    func zoningTables(_ dataset: Dataset) -> [String] {
        let dir = dataset.directory.appendingPathComponent("zonings")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }
}
