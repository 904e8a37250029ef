import GeoCore
import GEOS
import GeoJSON

extension FeatureCollection {
    /// The collection with its polygonal features reduced to `decimals` as one layer (`LayerPrecision`): valid at
    /// that precision, neighbours still sharing their vertices, `parts` updated. A zone that collapses, or that
    /// cannot be made valid, is an error naming the layer (`source`), the feature and the smallest number of
    /// decimals that keeps it.
    /// `knownValid`: the polygons were proven or checked valid already (a dissolve's output).
    public func reducedToPrecision(_ decimals: Int, source: String, knownValid: Bool = false) throws -> FeatureCollection {
        let polygonalIndex = features.indices.filter { features[$0].geometry?.isPolygonal == true }
        if polygonalIndex.isEmpty { return self }
        let zones = polygonalIndex.map { features[$0].geometry!.polygons }
        let outcomes = LayerPrecision.reduce(zones, to: PrecisionGrid(decimals: decimals), knownValid: knownValid)
        var out = self
        var errors: [DataError] = []
        for (k, i) in polygonalIndex.enumerated() {
            let f = features[i]
            let name = Self.zoneName(f)
            func works(_ d: Int?) -> String {
                d.map { "; \($0) decimals keep it (--precision \($0))" } ?? "; no precision up to 15 decimals keeps it"
            }
            switch outcomes[k] {
            case .reduced(let polys, _):
                out.features[i].geometry = Shape.polygonal(polys)
                if out.features[i].properties["parts"] != nil {
                    out.features[i].properties["parts"] = .number(Double(polys.count))
                }
            case .collapsed(let d):
                errors.append(DataError(file: source, location: "features[\(i)]", field: "geometry",
                                        message: "zone \(name) has no area left at \(decimals) decimals\(works(d))"))
            case .invalid(let reason, let d):
                errors.append(DataError(file: source, location: "features[\(i)]", field: "geometry",
                                        message: "zone \(name) cannot be written valid at \(decimals) decimals (\(reason))\(works(d))"))
            }
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        return out
    }

    static func zoneName(_ f: Feature) -> String {
        var parts: [String] = []
        if let id = f.id { parts.append(FeatureDissolve.key(id) ?? "\(id)") }
        for key in ["name", "naam", "code"] {
            if let v = f.properties[key], let s = FeatureDissolve.key(v), !parts.contains(s) { parts.append(s); break }
        }
        return parts.isEmpty ? "(no id)" : "'" + parts.joined(separator: " ") + "'"
    }
}

extension GeoJSONWriter {
    /// The collection as GeoJSON at this writer's precision, with its polygons reduced as one layer first
    /// (`FeatureCollection.reducedToPrecision`), so that what is written is valid at the precision it is written.
    public func writeLayer(_ collection: FeatureCollection, source: String, knownValid: Bool = false) throws -> [UInt8] {
        try write(collection.reducedToPrecision(precision, source: source, knownValid: knownValid))
    }
}
