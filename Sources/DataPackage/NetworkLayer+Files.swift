import Compare
import Foundation
import Zoning

extension NetworkLayer {
    /// Reads a network layer from a file, by its extension and columns: `.geojson` / `.json` (points or
    /// polygons), `.gpkg`, `.shp`, `.fgb` (through GDAL, reprojected from the layer's CRS), or CSV (points when it has latitude and longitude, else an area table). For a point CSV,
    /// `unlocated` (or, if nil, a sibling `<stem>_unlocated.csv` when it exists) adds campuses without
    /// coordinates.
    public static func read(contentsOf url: URL, display: String? = nil, name: String? = nil,
                            unlocated: URL? = nil) throws -> NetworkLayer {
        let shown = display ?? url.lastPathComponent
        let stem = name ?? url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension.lowercased()
        if ["gpkg", "shp", "fgb", "gml", "kml"].contains(ext) {
            // Network areas or campuses in a GIS format, in the CRS the layer declares, through GDAL.
            return try NetworkLayer.read(features: VectorOutput.read(url.path), source: shown, name: stem)
        }
        let data = try Dataset.readFile(url, display: shown)
        if ext == "geojson" || ext == "json" {
            return try readGeoJSON(data, source: shown, name: stem)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: shown, message: "the file is not UTF-8 text")
        }
        let csv = try CSVTable(text: text, name: shown)
        if isPointTable(csv.header) {
            var campuses = try readCampuses(csv: csv)
            var sources = [shown]
            var notes: [String] = []
            let sibling = url.deletingLastPathComponent()
                .appendingPathComponent(url.deletingPathExtension().lastPathComponent + "_unlocated.csv")
            if let extra = unlocated ?? (FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil) {
                let dir = (shown as NSString).deletingLastPathComponent
                let extraName = unlocated != nil ? extra.path
                    : (dir.isEmpty ? extra.lastPathComponent : dir + "/" + extra.lastPathComponent)
                let extraCSV = try CSVTable(contentsOf: extra, name: extraName)
                let more = try readCampuses(csv: extraCSV)
                let located = more.filter { $0.position != nil }.count
                if located > 0 {
                    notes.append("\(extraName): \(located) row\(located == 1 ? " has" : "s have") coordinates; used as located campuses")
                }
                campuses += more
                sources.append(extraName)
            }
            return NetworkLayer(name: stem, kind: .points, sources: sources, campuses: campuses, notes: notes)
        }
        return NetworkLayer(name: stem, kind: .municipalities, sources: [shown], memberships: try readMemberships(csv: csv))
    }
}

extension BuiltInNetworkLayer {
    /// Reads the layer from `directory` (for hospital networks, with `hospital_campuses_unlocated.csv` when
    /// present).
    public func load(from directory: URL) throws -> NetworkLayer {
        try NetworkLayer.read(contentsOf: directory.appendingPathComponent(file), display: file, name: rawValue)
    }
}
