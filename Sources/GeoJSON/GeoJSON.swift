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

extension GeoJSONWriter {
    /// The collection as GeoJSON `Data`.
    public func writeData(_ collection: FeatureCollection) throws(GeoJSONError) -> Data {
        Data(try write(collection))
    }
}
