import CGDAL
import GeoCore
import GeoJSON
import Zoning

/// Reads any vector source GDAL opens (GeoPackage, Shapefile, FlatGeobuf, GeoJSON, a `PG:` connection …) as a
/// GeoJSON FeatureCollection in CRS84, reprojected on read from the layer's CRS (PROJ through GDAL). Curves are
/// linearised, heights dropped. A layer without a CRS is refused unless `sourceCRS` says what it is.
public enum VectorReader {
    /// The layers of a source.
    public static func layerNames(_ source: String) throws -> [String] {
        try GDALSession.quietly {
            let ds = try open(source)
            defer { GDALClose(ds) }
            return (0..<GDALDatasetGetLayerCount(ds)).compactMap { i in
                GDALDatasetGetLayer(ds, i).map { String(cString: OGR_L_GetName($0)) }
            }
        }
    }

    /// The features of `layer` (nil: the only layer of the source), in CRS84. `display` names the source in
    /// messages (a `PG:` string is shown without its password).
    public static func read(_ source: String, layer: String? = nil, sourceCRS: String? = nil,
                            display: String? = nil) throws -> FeatureCollection {
        let name = display ?? VectorWriter.redacted(source)
        return try GDALSession.quietly {
            let ds = try open(source)
            defer { GDALClose(ds) }
            let count = GDALDatasetGetLayerCount(ds)
            let handle: OGRLayerH
            if let layer {
                guard let h = GDALDatasetGetLayerByName(ds, layer) else {
                    throw DataError(file: name, field: "layer", message: "no layer '\(layer)'; the layers are \(names(ds).joined(separator: ", "))")
                }
                handle = h
            } else {
                guard count == 1, let h = GDALDatasetGetLayer(ds, 0) else {
                    throw DataError(file: name, field: "layer", message: count == 0 ? "no vector layer"
                                    : "\(count) layers (\(names(ds).joined(separator: ", "))); say which with --layer")
                }
                handle = h
            }
            let layerName = String(cString: OGR_L_GetName(handle))
            let source: SpatialReference
            if let sourceCRS {
                source = try SpatialReference(userInput: sourceCRS)
            } else if let srs = OGR_L_GetSpatialRef(handle) {
                source = SpatialReference(cloning: srs)
            } else {
                throw DataError(file: name, location: "layer \(layerName)", field: "crs",
                                message: "the layer has no CRS (a Shapefile without .prj?); say which with --source-crs (e.g. EPSG:31370)")
            }
            let wgs84 = try SpatialReference(epsg: 4326)
            let transform = source.isSame(as: wgs84) ? nil : try Transformation(from: source, to: wgs84)
            let defn = OGR_L_GetLayerDefn(handle)
            let fieldCount = OGR_FD_GetFieldCount(defn)
            let fields: [(name: String, type: OGRFieldType, subtype: OGRFieldSubType)] = (0..<fieldCount).map { i in
                let f = OGR_FD_GetFieldDefn(defn, i)
                return (String(cString: OGR_Fld_GetNameRef(f)), OGR_Fld_GetType(f), OGR_Fld_GetSubType(f))
            }
            var features: [Feature] = []
            OGR_L_ResetReading(handle)
            var k = 0
            while let f = OGR_L_GetNextFeature(handle) {
                defer { OGR_F_Destroy(f); k += 1 }
                var properties = JSONObject()
                for (i, field) in fields.enumerated() {
                    let idx = Int32(i)
                    guard OGR_F_IsFieldSetAndNotNull(f, idx) != 0 else { properties.append(field.name, .null); continue }
                    switch field.type {
                    case OFTInteger where field.subtype == OFSTBoolean: properties.append(field.name, .bool(OGR_F_GetFieldAsInteger(f, idx) != 0))
                    case OFTInteger, OFTInteger64: properties.append(field.name, .number(Double(OGR_F_GetFieldAsInteger64(f, idx))))
                    case OFTReal: properties.append(field.name, .number(OGR_F_GetFieldAsDouble(f, idx)))
                    default: properties.append(field.name, .string(String(cString: OGR_F_GetFieldAsString(f, idx))))
                    }
                }
                let fid = OGR_F_GetFID(f)
                let location = "layer \(layerName), feature \(fid >= 0 ? "FID \(fid)" : "\(k)")"
                var shape: Shape?
                if let g = OGR_F_GetGeometryRef(f) {
                    shape = try convert(g, transform: transform, display: name, location: location)
                }
                features.append(Feature(properties: properties, geometry: shape))
            }
            if let e = GDALSession.lastError() {
                throw DataError(file: name, location: "layer \(layerName)", message: "GDAL could not read every feature: \(e)")
            }
            return FeatureCollection(name: layerName, features: features)
        }
    }

    private static func open(_ source: String) throws -> GDALDatasetH {
        guard let ds = GDALOpenEx(source, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), nil, nil, nil) else {
            throw DataError(file: VectorWriter.redacted(source), message: "GDAL cannot open it as a vector source: \(GDALSession.lastError() ?? "not found or not a vector format")")
        }
        return ds
    }

    private static func names(_ ds: GDALDatasetH) -> [String] {
        (0..<GDALDatasetGetLayerCount(ds)).compactMap { GDALDatasetGetLayer(ds, $0).map { String(cString: OGR_L_GetName($0)) } }
    }

    /// A copy of `g`, linearised, flattened to 2D, in CRS84, as a Shape.
    private static func convert(_ g: OGRGeometryH, transform: Transformation?, display: String, location: String) throws -> Shape {
        guard let linear = OGR_G_GetLinearGeometry(g, 0, nil) else {
            throw DataError(file: display, location: location, field: "geometry", message: "GDAL could not copy the geometry")
        }
        defer { OGR_G_DestroyGeometry(linear) }
        OGR_G_FlattenTo2D(linear)
        if let transform, OGR_G_Transform(linear, transform.handle) != OGRERR_NONE {
            throw DataError(file: display, location: location, field: "geometry",
                            message: "cannot reproject to CRS84: \(GDALSession.lastError() ?? "PROJ failed")")
        }
        let size = Int(OGR_G_WkbSize(linear))
        var bytes = [UInt8](repeating: 0, count: size)
        guard OGR_G_ExportToIsoWkb(linear, wkbNDR, &bytes) == OGRERR_NONE else {
            throw DataError(file: display, location: location, field: "geometry", message: "GDAL could not export the geometry")
        }
        do {
            return try bytes.withUnsafeBytes { try WKB.decode($0) }
        } catch {
            throw DataError(file: display, location: location, field: "geometry", message: "\(error)")
        }
    }
}
