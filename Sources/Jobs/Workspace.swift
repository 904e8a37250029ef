import Compare
import DataPackage
import Foundation
import Zoning

/// Which data files a job reads: the data directory and the tables that replace the data package's own. Paths
/// are as the user typed them; `resolve` is the one place that turns them into files.
public struct DataRequest: Sendable, Equatable {
    /// The data directory; nil: `$ZORGZONES_DATA`, else `../shared/geodata` next to the repository.
    public var directory: String?
    public var population: String?
    public var elz: String?
    public var rr: String?
    public var rzz: String?
    /// The blocks: a GeoJSON file, or any source GDAL opens (GeoPackage, Shapefile, FlatGeobuf, `PG:…`) in any
    /// CRS it declares; nil: `blocks.geojson` of the data directory.
    public var blocks: String?
    /// The layer of `blocks` when the source has several.
    public var blocksLayer: String?

    public init(directory: String? = nil, population: String? = nil, elz: String? = nil, rr: String? = nil, rzz: String? = nil,
                blocks: String? = nil, blocksLayer: String? = nil) {
        self.directory = directory
        self.population = population
        self.elz = elz
        self.rr = rr
        self.rzz = rzz
        self.blocks = blocks
        self.blocksLayer = blocksLayer
    }

    /// The dataset options: the directory located, each table resolved (the working directory first, then the
    /// data directory), extra zonings (`NAME=FILE`) resolved the same way.
    public func options(extraZonings: [(name: String, path: String)] = []) throws -> DatasetOptions {
        var o = DatasetOptions(directory: try DatasetOptions.locateDataDirectory(explicit: directory))
        let dir = o.directory
        // A table that exists relative to the working directory wins; else it is read relative to the data
        // directory (where `Dataset.load` reports it missing with both places).
        func table(_ p: String?) -> String? {
            guard let p else { return nil }
            if p.hasPrefix("/") { return p }
            let cwd = FileManager.default.currentDirectoryPath + "/" + p
            return FileManager.default.fileExists(atPath: cwd) ? cwd : p
        }
        if let p = table(population) { o.populationFile = p }
        if let p = table(elz) { o.elzFile = p }
        if let p = table(rr) { o.rrFile = p }
        if let p = table(rzz) { o.rzzFile = p }
        if let b = blocks { o.blocksFile = b.hasPrefix("PG:") ? b : table(b)! }
        o.blocksLayer = blocksLayer
        o.extraZonings = extraZonings.map { name, path in
            (name, Workspace.existing(path, dataDirectory: dir) ?? URL(fileURLWithPath: path))
        }
        return o
    }

    public func load(extraZonings: [(name: String, path: String)] = []) throws -> Dataset {
        try Dataset.load(options(extraZonings: extraZonings))
    }
}

/// A loaded dataset and what a job may name in it: layers, the zone tables of `<data>/zonings`, the data
/// package's network layers, and files (relative to the working directory, else to the data directory).
public struct Workspace: Sendable {
    public var dataset: Dataset

    public init(dataset: Dataset) { self.dataset = dataset }

    public init(_ request: DataRequest, extraZonings: [(name: String, path: String)] = []) throws {
        dataset = try request.load(extraZonings: extraZonings)
    }

    /// `path` as a file that exists: absolute, or relative to the working directory, or to the data directory.
    static func existing(_ path: String, dataDirectory: URL) -> URL? {
        let fm = FileManager.default
        if path.hasPrefix("/") { return fm.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil }
        if fm.fileExists(atPath: path) { return URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(path) }
        let inData = dataDirectory.appendingPathComponent(path)
        return fm.fileExists(atPath: inData.path) ? inData : nil
    }

    /// A file named by the user: relative to the working directory if it exists there, else to the data directory.
    public func file(_ path: String) throws -> URL {
        if let url = Self.existing(path, dataDirectory: dataset.directory) { return url }
        throw DataError(file: path, message: "file not found (looked in the working directory and in \(dataset.directory.path))")
    }

    /// Names of the zone tables in `<data>/zonings` (without `.csv`), sorted.
    public var zoningTableNames: [String] {
        let dir = dataset.directory.appendingPathComponent("zonings")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Every zoning name a job accepts: the dataset's layers, then the tables of `<data>/zonings`.
    public var zoningNames: [String] { dataset.layerNames + zoningTableNames.filter { dataset.zonings[$0] == nil } }

    static func isFileName(_ s: String) -> Bool { s.contains("/") || s.contains(".") }

    /// A zoning: a layer of the dataset, a table of `<data>/zonings`, or a zone table file.
    public func zoning(_ name: String) throws -> Zoning {
        if let z = dataset.zonings[name] { return z }
        if !Self.isFileName(name) {
            let named = dataset.directory.appendingPathComponent("zonings/\(name).csv")
            guard FileManager.default.fileExists(atPath: named.path) else {
                throw UsageError("zoning", "'\(name)' is not a zoning: use one of \(zoningNames.joined(separator: ", ")) or a CSV file")
            }
            return try dataset.resolve(ZoneTable(contentsOf: named, name: "zonings/\(name).csv"), name: name)
        }
        return try zoningFile(name)
    }

    /// A zone table file (a proposal), resolved against the dataset; named after the file.
    public func zoningFile(_ path: String) throws -> Zoning {
        let url = try file(path)
        return try dataset.resolve(ZoneTable(contentsOf: url, name: path), name: url.deletingPathExtension().lastPathComponent)
    }

    /// A network layer: one of the data package's (`hospital-networks`, `ggz-adults`, `ggz-youth`), a zoning seen
    /// as networks, or a file (campus CSV, municipality table, GeoJSON). `unlocated`: campuses without coordinates.
    public func networks(_ name: String, unlocated: String? = nil) throws -> NetworkLayer {
        if let builtIn = BuiltInNetworkLayer(rawValue: name) { return try builtIn.load(from: dataset.directory) }
        if !Self.isFileName(name) {
            if dataset.zonings[name] != nil || zoningTableNames.contains(name) {
                return NetworkLayer.from(try zoning(name), blocks: dataset.blocks)
            }
            let known = BuiltInNetworkLayer.allCases.map(\.rawValue) + zoningNames
            throw UsageError("with", "'\(name)' is not a network layer: use one of \(known.joined(separator: ", ")) or a file")
        }
        return try NetworkLayer.read(contentsOf: file(name), display: name, unlocated: unlocated.map(file))
    }
}
