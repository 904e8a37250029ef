import GeoJSON

extension Layer {
    /// The layer as GeoJSON features (CRS84). Properties: `code`, `name`, `members`, `municipalities`,
    /// `population`, `area_km2`, `parts`, `method`, and for a zoning of zones the member zone codes under the
    /// parent's name (for RZZ: `elz`), plus the table's extra columns (e.g. `basis`).
    public func featureCollection(populationYear: Int? = nil) -> FeatureCollection {
        let features = self.features.map { z -> Feature in
            var p: JSONObject = [:]
            p["code"] = .string(z.zone.code)
            p["name"] = .string(z.zone.name)
            p["members"] = .array(z.members.map(JSONValue.string))
            p["municipalities"] = .array(z.municipalities.map(JSONValue.string))
            p["population"] = .number(Double(z.population))
            if let populationYear { p["population_year"] = .number(Double(populationYear)) }
            p["area_km2"] = .number((z.areaKm2 * 10_000).rounded() / 10_000)
            p["parts"] = .number(Double(z.parts))
            if let mz = z.memberZones {
                p[zoning.parentName ?? "member_zones"] = .array(mz.map(JSONValue.string))
            }
            if let extra = zoning.attributes[z.zone.code], zoning.parentAssignment == nil {
                for (k, v) in extra.sorted(by: { $0.key < $1.key }) where p[k] == nil { p[k] = .string(v) }
            }
            p["method"] = .string(z.method.rawValue)
            return Feature(id: .string(z.zone.code), properties: p, geometry: z.shape)
        }
        return FeatureCollection(name: name, features: features)
    }
}
