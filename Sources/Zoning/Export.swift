import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Geometry
import GeoJSON
import Projection

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

/// Writes `data` to `url` atomically: a temporary file in the same directory, then a rename, so a reader
/// never sees a half-written file and a failure leaves no partial output.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    do {
        try data.write(to: tmp)
        // rename(2) replaces the target atomically on POSIX file systems.
        if rename(tmp.path, url.path) != 0 {
            throw DataError(file: url.path, message: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
        }
    } catch let e as DataError {
        try? FileManager.default.removeItem(at: tmp)
        throw e
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw DataError(file: url.path, message: "cannot write: \(error.localizedDescription)")
    }
}
