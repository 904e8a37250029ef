import CGDAL
import GeoCore
import GeoJSON
import Zoning

/// A layer to write: a name and GeoJSON features (CRS84).
public struct VectorLayer: Sendable {
    public var name: String
    public var features: [Feature]
    public init(name: String, features: [Feature]) {
        self.name = name
        self.features = features
    }
}

/// How a GeoJSON property became a column: lists become text joined by `separator` plus a `<name>_n` count,
/// objects JSON text; Shapefile names are cut to 10 characters.
public struct FieldMapping: Sendable, Equatable, Codable {
    public var layer: String
    public var property: String
    public var field: String
    /// `string`, `integer`, `real`, `boolean`, `list`, `json`.
    public var kind: String
    /// For lists: the separator of the joined text, and the count column.
    public var separator: String?
    public var countField: String?
}

public struct VectorWriteOptions: Sendable {
    /// The CRS of the written coordinates (GDAL/PROJ input: `EPSG:4326`, `EPSG:31370`, `EPSG:3812` …).
    public var crs = "EPSG:4326"
    /// Dataset metadata, in the domain `zorgzones` (GeoPackage: `gpkg_metadata`; `ogrinfo -mdd zorgzones` shows it).
    public var metadata: [String: String] = [:]
    public init() {}
}

/// Writes layers through GDAL: one GeoPackage or PostGIS dataset with every layer, or one FlatGeobuf or Shapefile
/// per layer. Each layer gets one geometry type (Polygon and MultiPolygon promoted to MultiPolygon, as ogr2ogr's
/// `-nlt PROMOTE_TO_MULTI`), typed columns, a spatial index, and its CRS; nothing is cut or dropped silently:
/// a value a Shapefile cannot hold (text over 254 bytes) is an error naming the layer, feature and field.
public enum VectorWriter {
    /// Writes `layers` to `destination`: a `.gpkg` file (created; it must not exist), a `PG:` connection (tables
    /// replaced), or, for FlatGeobuf and Shapefile, the file of a single layer or a folder of one file per layer.
    @discardableResult
    public static func write(_ layers: [VectorLayer], to destination: String, format: VectorFormat,
                             options: VectorWriteOptions = VectorWriteOptions()) throws -> [FieldMapping] {
        guard let driverName = format.gdalDriver else {
            throw DataError(file: destination, message: "\(format.rawValue) is not written through GDAL")
        }
        return try GDALSession.quietly {
            guard let driver = GDALGetDriverByName(driverName) else {
                throw DataError(file: destination, message: "this GDAL (\(GDALSession.version)) has no \(driverName) driver")
            }
            let target = try SpatialReference(userInput: options.crs)
            let wgs84 = try SpatialReference(epsg: 4326)
            let transform = target.isSame(as: wgs84) ? nil : try Transformation(from: wgs84, to: target)
            var mappings: [FieldMapping] = []
            if format.filePerLayer {
                let single = layers.count == 1 && destination.lowercased().hasSuffix(".\(format.fileExtension)")
                for layer in layers {
                    let path = single ? destination : destination + "/" + layer.name + "." + format.fileExtension
                    let ds = try create(driver, path)
                    defer { GDALClose(ds) }
                    mappings += try write(layer, into: ds, format: format, target: target, transform: transform, display: path)
                }
            } else {
                let ds: GDALDatasetH
                if format == .postGIS {
                    guard let h = GDALOpenEx(destination, UInt32(GDAL_OF_VECTOR | GDAL_OF_UPDATE), nil, nil, nil) else {
                        throw DataError(file: redacted(destination), message: "cannot connect: \(GDALSession.lastError() ?? "GDAL could not open it")")
                    }
                    ds = h
                } else {
                    ds = try create(driver, destination)
                }
                defer { GDALClose(ds) }
                let display = redacted(destination)
                for (k, v) in options.metadata.sorted(by: { $0.key < $1.key }) where format == .geoPackage {
                    GDALSetMetadataItem(ds, k, v, "zorgzones")
                }
                guard GDALDatasetStartTransaction(ds, 0) == OGRERR_NONE else {
                    throw DataError(file: display, message: "cannot start a transaction: \(GDALSession.lastError() ?? "?")")
                }
                do {
                    for layer in layers {
                        mappings += try write(layer, into: ds, format: format, target: target, transform: transform, display: display)
                    }
                } catch {
                    GDALDatasetRollbackTransaction(ds)
                    throw error
                }
                guard GDALDatasetCommitTransaction(ds) == OGRERR_NONE else {
                    throw DataError(file: display, message: "cannot commit: \(GDALSession.lastError() ?? "?")")
                }
            }
            return mappings
        }
    }

    /// A `PG:` string without its password, for messages.
    public static func redacted(_ s: String) -> String {
        guard s.hasPrefix("PG:") else { return s }
        return s.split(separator: " ").map { $0.lowercased().hasPrefix("password=") ? "password=…" : String($0) }.joined(separator: " ")
    }

    private static func create(_ driver: GDALDriverH, _ path: String) throws -> GDALDatasetH {
        guard let ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
            throw DataError(file: path, message: "cannot create: \(GDALSession.lastError() ?? "GDAL could not create it")")
        }
        return ds
    }

    // MARK: One layer

    struct Column {
        var property: String
        var name: String
        var kind: Kind
        var separator = ","
        var countName: String?
        var width = 0
        enum Kind: String { case string, integer, real, boolean, list, json }
    }

    /// Column kinds from the values: numbers integer while whole, strings where kinds are mixed.
    static func columns(of features: [Feature], format: VectorFormat) -> [Column] {
        var order: [String] = []
        var kinds: [String: Column.Kind] = [:]
        var separators: [String: String] = [:]
        var widths: [String: Int] = [:]
        for f in features {
            for (k, v) in f.properties {
                if kinds[k] == nil && !order.contains(k) { order.append(k) }
                let kind: Column.Kind?
                switch v {
                case .null: kind = nil
                case .string(let s): kind = .string; widths[k] = max(widths[k] ?? 0, s.utf8.count)
                case .number(let n): kind = n == n.rounded() && abs(n) < 9.0e15 ? .integer : .real
                case .bool: kind = .boolean
                case .array(let a):
                    kind = .list
                    let texts = a.map(text)
                    if texts.contains(where: { $0.contains(",") }) { separators[k] = texts.contains { $0.contains(";") } ? "|" : ";" }
                case .object: kind = .json
                }
                guard let kind else { continue }
                switch (kinds[k], kind) {
                case (nil, _): kinds[k] = kind
                case (.integer?, .real), (.real?, .integer): kinds[k] = .real
                case (let a?, let b) where a != b: kinds[k] = .string
                default: break
                }
            }
        }
        var used = Set<String>()
        func unique(_ name: String) -> String {
            let limit = format == .shapefile ? 10 : 63
            var n = String(name.prefix(limit))
            var i = 1
            while used.contains(n.lowercased()) {
                let suffix = "_\(i)"
                n = String(name.prefix(limit - suffix.count)) + suffix
                i += 1
            }
            used.insert(n.lowercased())
            return n
        }
        var out: [Column] = []
        for k in order {
            var c = Column(property: k, name: unique(k), kind: kinds[k] ?? .string)
            c.width = widths[k] ?? 0
            if c.kind == .list {
                c.separator = separators[k] ?? ","
                c.countName = unique(k + "_n")
            }
            out.append(c)
        }
        return out
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        default: return String(decoding: JSONWriter().write(v), as: UTF8.self)
        }
    }

    private static func write(_ layer: VectorLayer, into ds: GDALDatasetH, format: VectorFormat, target: SpatialReference,
                              transform: Transformation?, display: String) throws -> [FieldMapping] {
        let types = Set(layer.features.compactMap { $0.geometry?.typeName })
        let geometryType: OGRwkbGeometryType
        if types.isSubset(of: ["Polygon", "MultiPolygon"]) { geometryType = wkbMultiPolygon }
        else if types == ["Point"] { geometryType = wkbPoint }
        else if types.isSubset(of: ["LineString", "MultiLineString"]) { geometryType = wkbMultiLineString }
        else if format == .shapefile {
            throw DataError(file: display, location: "layer \(layer.name)", field: "geometry",
                            message: "a Shapefile holds one geometry type; this layer mixes \(types.sorted().joined(separator: ", "))")
        } else { geometryType = wkbUnknown }

        var creation: [String] = []
        switch format {
        case .geoPackage: creation = ["GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", "OVERWRITE=YES"]
        case .postGIS: creation = ["GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=GIST", "OVERWRITE=YES", "LAUNDER=NO", "PRECISION=NO"]
        case .shapefile: creation = ["ENCODING=UTF-8", "SPATIAL_INDEX=YES"]
        case .flatGeobuf: creation = ["SPATIAL_INDEX=YES"]
        default: break
        }
        let layerHandle: OGRLayerH? = withStringList(creation) { list in
            GDALDatasetCreateLayer(ds, layer.name, target.handle, geometryType, list)
        }
        guard let ogrLayer = layerHandle else {
            throw DataError(file: display, location: "layer \(layer.name)", message: "cannot create the layer: \(GDALSession.lastError() ?? "?")")
        }

        let columns = Self.columns(of: layer.features, format: format)
        for c in columns {
            try addField(ogrLayer, c.name, c.kind, width: c.width, format: format, display: display, layer: layer.name)
            if let count = c.countName { try addField(ogrLayer, count, .integer, width: 0, format: format, display: display, layer: layer.name) }
        }
        let defn = OGR_L_GetLayerDefn(ogrLayer)
        let index = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, Int32(OGR_FD_GetFieldIndex(defn, $0.name))) })
        let countIndex = Dictionary(uniqueKeysWithValues: columns.compactMap { c in c.countName.map { (c.name, Int32(OGR_FD_GetFieldIndex(defn, $0))) } })

        for (i, f) in layer.features.enumerated() {
            guard let feature = OGR_F_Create(defn) else { throw DataError(file: display, message: "GDAL could not make a feature") }
            defer { OGR_F_Destroy(feature) }
            for c in columns {
                let k = index[c.name]!
                guard let v = f.properties[c.property], v != .null else { OGR_F_SetFieldNull(feature, k); continue }
                switch (c.kind, v) {
                case (.integer, .number(let n)): OGR_F_SetFieldInteger64(feature, k, GIntBig(n))
                case (.real, .number(let n)): OGR_F_SetFieldDouble(feature, k, n)
                case (.boolean, .bool(let b)): OGR_F_SetFieldInteger(feature, k, b ? 1 : 0)
                case (.list, .array(let a)):
                    let joined = a.map(text).joined(separator: c.separator)
                    try checkWidth(joined, c, format, display, layer.name, i)
                    OGR_F_SetFieldString(feature, k, joined)
                    OGR_F_SetFieldInteger(feature, countIndex[c.name]!, Int32(a.count))
                default:
                    let t = text(v)
                    try checkWidth(t, c, format, display, layer.name, i)
                    OGR_F_SetFieldString(feature, k, t)
                }
            }
            if let shape = f.geometry {
                let wkb = WKB.encode(shape, promoteToMulti: geometryType != wkbUnknown)
                var geometry: OGRGeometryH?
                let err = wkb.withUnsafeBytes { OGR_G_CreateFromWkb($0.baseAddress, nil, &geometry, Int32($0.count)) }
                guard err == OGRERR_NONE, let g = geometry else {
                    throw DataError(file: display, location: "layer \(layer.name), feature \(i)", field: "geometry", message: "GDAL could not read the geometry")
                }
                if let transform {
                    guard OGR_G_Transform(g, transform.handle) == OGRERR_NONE else {
                        OGR_G_DestroyGeometry(g)
                        throw DataError(file: display, location: "layer \(layer.name), feature \(i)", field: "geometry",
                                        message: "cannot transform to \(target.label): \(GDALSession.lastError() ?? "?")")
                    }
                }
                OGR_F_SetGeometryDirectly(feature, g)
            }
            guard OGR_L_CreateFeature(ogrLayer, feature) == OGRERR_NONE else {
                throw DataError(file: display, location: "layer \(layer.name), feature \(i)", message: "cannot write: \(GDALSession.lastError() ?? "?")")
            }
        }
        if let w = GDALSession.lastError(warnings: true), CPLGetLastErrorType() == CE_Warning {
            throw DataError(file: display, location: "layer \(layer.name)", message: "GDAL warned while writing: \(w)")
        }
        return columns.map { FieldMapping(layer: layer.name, property: $0.property, field: $0.name, kind: $0.kind.rawValue,
                                          separator: $0.kind == .list ? $0.separator : nil, countField: $0.countName) }
    }

    private static func checkWidth(_ s: String, _ c: Column, _ format: VectorFormat, _ display: String, _ layer: String, _ feature: Int) throws {
        guard format == .shapefile, s.utf8.count > 254 else { return }
        throw DataError(file: display, location: "layer \(layer), feature \(feature)", field: c.property,
                        message: "\(s.utf8.count) bytes of text do not fit a Shapefile column (254 at most); write a GeoPackage instead")
    }

    private static func addField(_ layer: OGRLayerH, _ name: String, _ kind: Column.Kind, width: Int, format: VectorFormat,
                                 display: String, layer layerName: String) throws {
        let type: OGRFieldType
        switch kind {
        case .integer: type = OFTInteger64
        case .real: type = OFTReal
        case .boolean: type = OFTInteger
        case .string, .list, .json: type = OFTString
        }
        guard let field = OGR_Fld_Create(name, type) else { throw DataError(file: display, message: "GDAL could not make a field") }
        defer { OGR_Fld_Destroy(field) }
        if kind == .boolean { OGR_Fld_SetSubType(field, OFSTBoolean) }
        if format == .shapefile && type == OFTString { OGR_Fld_SetWidth(field, 254) }
        if format == .shapefile && type == OFTInteger64 { OGR_Fld_SetWidth(field, 18) }
        guard OGR_L_CreateField(layer, field, 1) == OGRERR_NONE else {
            throw DataError(file: display, location: "layer \(layerName)", field: name, message: "cannot create the column: \(GDALSession.lastError() ?? "?")")
        }
    }
}

/// Runs `body` with a NULL-terminated C string list (GDAL's `char **` options).
func withStringList<T>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> T) -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
