// GeoJSON module: RFC 7946 reading and writing over a hand-written JSON layer.
//
// - `JSONValue`, `JSONObject` (order-preserving), `JSONParser`, `JSONWriter`: JSON in general.
// - `GeoJSONReader` → `FeatureCollection` / `Feature` / `Shape`, with `GeoJSONError`s that name the file,
//   the feature and the JSON path of the offending element.
// - `GeoJSONWriter`: one feature per line, fixed precision, right-hand rule, bboxes.
//
// This file holds the Foundation conveniences (Data output, reading a file).

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

extension GeoJSONWriter {
    /// The collection as GeoJSON `Data`.
    public func writeData(_ collection: FeatureCollection) throws(GeoJSONError) -> Data {
        Data(try write(collection))
    }
}
