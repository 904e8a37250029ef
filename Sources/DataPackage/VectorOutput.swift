import Formats
import Foundation
import GeoJSON
import Zoning
#if canImport(Glibc)
import Glibc
#endif

/// Writing layers in the formats GDAL writes, with the same promise as the GeoJSON folder: a reader sees the old
/// output or the new one, never a mix. A GeoPackage is written to a temporary file beside the target and renamed
/// into place; FlatGeobuf and Shapefile files are written in a temporary folder and published as one folder with
/// a manifest (`OutputFolder`); PostGIS tables are replaced in one transaction.
public enum VectorOutput {
    public struct Written: Sendable {
        /// Files written (name, bytes), or the tables of a database.
        public var files: [(name: String, bytes: Int)]
        public var fields: [FieldMapping]
    }

    /// Writes `layers` to `destination` in `format` (not GeoJSON or TopoJSON: zorgzones writes those itself).
    /// `manifest` (for folders and GeoPackage metadata) is given the file entries and returns the manifest JSON.
    public static func write(_ layers: [VectorLayer], to destination: String, format: VectorFormat, crs: String,
                             metadata: [String: String] = [:],
                             manifest: (([Manifest.FileEntry]) throws -> Data)? = nil) throws -> Written {
        var options = VectorWriteOptions()
        options.crs = crs
        options.metadata = metadata
        let fm = FileManager.default
        switch format {
        case .postGIS:
            let fields = try VectorWriter.write(layers, to: destination, format: format, options: options)
            return Written(files: layers.map { ($0.name, $0.features.count) }, fields: fields)
        case .geoPackage:
            let url = URL(fileURLWithPath: destination)
            let dir = url.deletingLastPathComponent()
            try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).gpkg")
            if let manifest { options.metadata["zorgzones_manifest"] = String(decoding: try manifest([]), as: UTF8.self) }
            do {
                let fields = try VectorWriter.write(layers, to: tmp.path, format: format, options: options)
                guard rename(tmp.path, url.path) == 0 else {
                    throw DataError(file: url.path, message: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
                }
                let size = (try? fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                return Written(files: [(url.lastPathComponent, size)], fields: fields)
            } catch {
                try? fm.removeItem(at: tmp)
                throw error
            }
        case .flatGeobuf where layers.count == 1 && destination.lowercased().hasSuffix(".fgb"),
             .shapefile where layers.count == 1 && destination.lowercased().hasSuffix(".shp"):
            // One layer to one file (with a Shapefile's side files): written in a temporary folder beside the
            // target, then each file renamed into place (a Shapefile's files one after the other).
            let url = URL(fileURLWithPath: destination)
            let dir = url.deletingLastPathComponent()
            try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
            let work = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try fm.createDirectory(at: work, withIntermediateDirectories: false)
            defer { try? fm.removeItem(at: work) }
            let fields = try VectorWriter.write(layers, to: work.appendingPathComponent(url.lastPathComponent).path, format: format, options: options)
            var files: [(name: String, bytes: Int)] = []
            for name in try fm.contentsOfDirectory(atPath: work.path).sorted() {
                let from = work.appendingPathComponent(name), to = dir.appendingPathComponent(name)
                guard rename(from.path, to.path) == 0 else {
                    throw DataError(file: to.path, message: "cannot move into place: \(String(cString: strerror(errno)))")
                }
                files.append((name, (try? fm.attributesOfItem(atPath: to.path)[.size] as? Int) ?? 0))
            }
            return Written(files: files, fields: fields)
        case .flatGeobuf, .shapefile:
            let work = fm.temporaryDirectory.appendingPathComponent("zorgzones-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? fm.removeItem(at: work) }
            let fields = try VectorWriter.write(layers, to: work.path, format: format, options: options)
            var files: [(name: String, data: Data)] = []
            for name in try fm.contentsOfDirectory(atPath: work.path).sorted() {
                files.append((name, try Data(contentsOf: work.appendingPathComponent(name))))
            }
            if let manifest {
                let entries = files.map { Manifest.FileEntry(file: $0.name, sha256: Dataset.sha256($0.data), bytes: $0.data.count) }
                files.append(("manifest.json", try manifest(entries)))
            }
            try OutputFolder.publish(files, to: URL(fileURLWithPath: destination))
            return Written(files: files.map { ($0.name, $0.data.count) }, fields: fields)
        case .geoJSON, .topoJSON:
            throw DataError(file: destination, message: "\(format.rawValue) is written by zorgzones itself, not through GDAL")
        }
    }

    /// Reads a dissolve input, blocks or network areas from any source GDAL opens, in CRS84.
    public static func read(_ source: String, layer: String? = nil, sourceCRS: String? = nil) throws -> FeatureCollection {
        if !source.hasPrefix("PG:") && !FileManager.default.fileExists(atPath: source) {
            throw DataError(file: source, message: "file not found")
        }
        return try VectorReader.read(source, layer: layer, sourceCRS: sourceCRS,
                                     display: source.hasPrefix("PG:") ? nil : (source as NSString).lastPathComponent)
    }
}
