import Foundation
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
}

extension Atlas {
    /// Encodes the layers and the manifest: file name → bytes. Nothing is written here.
    public static func files(_ dataset: Dataset, layers: [Layer], edgeMatch: EdgeMatch,
                             writer: GeoJSONWriter = GeoJSONWriter()) throws -> [(name: String, data: Data)] {
        var out: [(String, Data)] = []
        var entries: [Manifest.LayerEntry] = []
        for layer in layers {
            let data = Data(try writer.writeLayer(layer.featureCollection(populationYear: dataset.populationYear), source: "\(layer.name).geojson", knownValid: true))
            let file = "\(layer.name).geojson"
            var methods: [String: Int] = [:]
            for f in layer.features { methods[f.method.rawValue, default: 0] += 1 }
            entries.append(.init(name: layer.name, file: file, features: layer.features.count,
                                 sha256: Dataset.sha256(data), bytes: data.count, methods: methods))
            out.append((file, data))
        }
        let formatter = ISO8601DateFormatter()
        let manifest = Manifest(
            created: formatter.string(from: Date()),
            versions: .init(zorgzones: zorgzonesVersion, geos: geosVersion, proj: Projection.projVersion),
            dataDirectory: dataset.directory.path,
            populationYear: dataset.populationYear,
            totalPopulation: dataset.totalPopulation,
            blocks: dataset.blocks.count,
            coverage: .init(edges: edgeMatch.edges, sharedEdges: edgeMatch.sharedEdges,
                            conflictingEdges: edgeMatch.conflicts.count, clean: edgeMatch.isClean),
            inputs: dataset.inputs, layers: entries, notes: dataset.notes)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.keyEncodingStrategy = .convertToSnakeCase
        out.append(("manifest.json", try enc.encode(manifest)))
        return out
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
