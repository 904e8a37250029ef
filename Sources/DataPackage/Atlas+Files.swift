import Foundation
import Formats
import GeoCore
import GEOS
import GeoJSON
import Projection
import Zoning

/// The manifest written next to the layers by `build`.
public struct Manifest: Codable, Sendable {
    public struct LayerEntry: Codable, Sendable {
        public var name: String
        public var file: String
        public var features: Int
        public var sha256: String
        public var bytes: Int
        public var methods: [String: Int]
    }
    public struct Versions: Codable, Sendable {
        public var zorgzones: String
        public var geos: String
        public var proj: String
    }
    public struct Coverage: Codable, Sendable {
        public var edges: Int
        public var sharedEdges: Int
        public var conflictingEdges: Int
        public var clean: Bool
    }
    public var tool = "zorgzones"
    public var created: String
    public var versions: Versions
    public var dataDirectory: String
    public var crs = "OGC:CRS84"
    public var areaCRS = "EPSG:31370"
    public var populationYear: Int
    public var totalPopulation: Int
    public var blocks: Int
    public var coverage: Coverage
    public var inputs: [InputFile]
    public var layers: [LayerEntry]
    public var notes: [String]
    /// Every file of a run in a format with side files (Shapefile: .shx, .dbf, .prj, .cpg); nil for GeoJSON.
    public var files: [FileEntry]?
    public struct FileEntry: Codable, Sendable {
        public var file: String
        public var sha256: String
        public var bytes: Int
    }
}

extension Atlas {
    /// Encodes the layers and the manifest: file name → bytes. Nothing is written here.
    public static func files(_ dataset: Dataset, layers: [Layer], edgeMatch: EdgeMatch,
                             writer: GeoJSONWriter = GeoJSONWriter(), multi: Bool = false,
                             simplify: Simplify? = nil) throws -> [(name: String, data: Data)] {
        var out: [(String, Data)] = []
        var entries: [Manifest.LayerEntry] = []
        var notes = dataset.notes
        for layer in layers {
            let collection = try written(layer, dataset: dataset, multi: multi, simplify: simplify, notes: &notes)
            // Simplified geometry is checked valid at the precision (the full geometry is known valid).
            let data = Data(try writer.writeLayer(collection, source: "\(layer.name).geojson", knownValid: simplify == nil))
            let file = "\(layer.name).geojson"
            var methods: [String: Int] = [:]
            for f in layer.features { methods[f.method.rawValue, default: 0] += 1 }
            entries.append(.init(name: layer.name, file: file, features: layer.features.count,
                                 sha256: Dataset.sha256(data), bytes: data.count, methods: methods))
            out.append((file, data))
        }
        out.append(("manifest.json", try manifest(dataset, layers: entries, edgeMatch: edgeMatch, notes: notes)))
        return out
    }

    /// A layer as written: its features, simplified when asked (a note says how much).
    static func written(_ layer: Layer, dataset: Dataset, multi: Bool, simplify: Simplify?, notes: inout [String]) throws -> FeatureCollection {
        var collection = layer.featureCollection(populationYear: dataset.populationYear)
        if let simplify {
            let (c, report) = try LayerSimplification.simplified(collection, toleranceM: simplify.toleranceM, method: simplify.method)
            collection = c
            notes.append("\(layer.name): borders simplified to \(simplify.toleranceM) m (\(simplify.method.rawValue)), \(report.verticesBefore) → \(report.verticesAfter) vertices; areas and populations are those of the full geometry")
        }
        if multi { collection = collection.promotedToMulti() }
        return collection
    }

    /// The manifest of a run as JSON.
    static func manifest(_ dataset: Dataset, layers entries: [Manifest.LayerEntry], edgeMatch: EdgeMatch,
                         files: [Manifest.FileEntry]? = nil, crs: String = "OGC:CRS84", notes: [String]? = nil) throws -> Data {
        let formatter = ISO8601DateFormatter()
        var manifest = Manifest(
            created: formatter.string(from: Date()),
            versions: .init(zorgzones: zorgzonesVersion, geos: geosVersion, proj: Projection.projVersion),
            dataDirectory: dataset.directory.path,
            populationYear: dataset.populationYear,
            totalPopulation: dataset.totalPopulation,
            blocks: dataset.blocks.count,
            coverage: .init(edges: edgeMatch.edges, sharedEdges: edgeMatch.sharedEdges,
                            conflictingEdges: edgeMatch.conflicts.count, clean: edgeMatch.isClean),
            inputs: dataset.inputs, layers: entries, notes: notes ?? dataset.notes, files: files)
        manifest.crs = crs
        return try snakeCaseJSON(manifest)
    }

    /// Builds and writes everything into `directory` (created if needed), only after every layer has been
    /// computed and encoded, as one folder swapped in whole (`OutputFolder`): a reader sees all of the old run or
    /// all of the new one, and a failure or a kill leaves the old folder as it was.
    @discardableResult
    public static func build(_ dataset: Dataset, to directory: URL, writer: GeoJSONWriter = GeoJSONWriter()) throws -> [(name: String, data: Data)] {
        let dissolver = Dissolver(dataset)
        let layers = try layers(dataset, dissolver: dissolver)
        let files = try files(dataset, layers: layers, edgeMatch: dissolver.edgeMatch(), writer: writer)
        try OutputFolder.publish(files, to: directory)
        return files
    }
}

/// How `build` writes its layers.
public struct AtlasOutput: Sendable {
    public var format: VectorFormat = .geoJSON
    /// The CRS of the coordinates in GDAL formats (GeoJSON is CRS84 by RFC 7946).
    public var crs = "EPSG:4326"
    /// Polygons as one-part MultiPolygons in GeoJSON too (the GDAL formats always are).
    public var multi = false
    public var writer = GeoJSONWriter()
    /// Borders simplified on the arc topology (web layers); nil: the full geometry.
    public var simplify: Simplify?
    public init() {}
}

/// A simplification of written borders: tolerance in metres (EPSG:31370) and method.
public struct Simplify: Sendable, Equatable {
    public var toleranceM: Double
    public var method: SimplificationMethod
    public init(toleranceM: Double, method: SimplificationMethod = .visvalingam) {
        self.toleranceM = toleranceM
        self.method = method
    }
}

extension Atlas {
    /// Builds and writes every layer to `destination` in the chosen format: a GeoJSON folder (as `build(_:to:)`),
    /// one GeoPackage, a folder of FlatGeobuf or Shapefile files with a manifest, or PostGIS tables.
    public static func write(_ dataset: Dataset, to destination: String, output: AtlasOutput)
        throws -> (files: [(name: String, bytes: Int)], fields: [FieldMapping]) {
        let dissolver = Dissolver(dataset)
        let layers = try layers(dataset, dissolver: dissolver)
        let edgeMatch = dissolver.edgeMatch()
        if output.format == .geoJSON {
            let files = try files(dataset, layers: layers, edgeMatch: edgeMatch, writer: output.writer, multi: output.multi,
                                  simplify: output.simplify)
            try OutputFolder.publish(files, to: URL(fileURLWithPath: destination))
            return (files.map { ($0.name, $0.data.count) }, [])
        }
        let ext = output.format.fileExtension
        var notes = dataset.notes
        var vectorLayers: [VectorLayer] = []
        for layer in layers {
            let collection = try Atlas.written(layer, dataset: dataset, multi: output.multi, simplify: output.simplify, notes: &notes)
            vectorLayers.append(VectorLayer(name: layer.name, features: try collection
                .reducedToPrecision(output.writer.precision, source: "\(layer.name).\(ext)", knownValid: output.simplify == nil).features))
        }
        if output.format == .topoJSON {
            let bytes = try TopoJSONWriter(precision: min(output.writer.precision, 9))
                .write(zip(layers, vectorLayers).map { ($0.0.name, FeatureCollection(name: $0.0.name, features: $0.1.features)) })
            try writeAtomically(Data(bytes), to: URL(fileURLWithPath: destination))
            return ([((destination as NSString).lastPathComponent, bytes.count)], [])
        }
        let gpkgName = (destination as NSString).lastPathComponent
        func manifest(_ files: [Manifest.FileEntry]) throws -> Data {
            let entries = layers.map { layer -> Manifest.LayerEntry in
                var methods: [String: Int] = [:]
                for f in layer.features { methods[f.method.rawValue, default: 0] += 1 }
                let file = output.format == .geoPackage ? gpkgName : "\(layer.name).\(ext)"
                // A GeoPackage holds its own manifest, so it cannot hold its own hash: the file entries are empty.
                let entry = files.first { $0.file == file }
                return .init(name: layer.name, file: file, features: layer.features.count,
                             sha256: entry?.sha256 ?? "", bytes: entry?.bytes ?? 0, methods: methods)
            }
            return try Atlas.manifest(dataset, layers: entries, edgeMatch: edgeMatch, files: files.isEmpty ? nil : files, crs: output.crs, notes: notes)
        }
        let written = try VectorOutput.write(vectorLayers, to: destination, format: output.format, crs: output.crs,
                                             manifest: output.format == .postGIS ? nil : manifest)
        return (written.files, written.fields)
    }
}
