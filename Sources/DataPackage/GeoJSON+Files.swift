import Foundation
import GeoJSON

extension GeoJSONReader {
    /// Reads a FeatureCollection from a file. When `source` is the default `<input>`, errors name the file.
    public func readFeatureCollection(contentsOfFile path: String) throws(GeoJSONError) -> FeatureCollection {
        var reader = self
        if reader.source == "<input>" { reader.source = path.split(separator: "/").last.map(String.init) ?? path }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GeoJSONError(kind: .io, source: reader.source, path: "", message: "cannot read \(path): \(error)")
        }
        return try reader.readFeatureCollection(data)
    }
}
