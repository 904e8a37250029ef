/// The vector formats zorgzones writes (and, through GDAL, reads): GeoJSON and TopoJSON by its own writers, the
/// others through GDAL's drivers, as `ogr2ogr` users know them.
public enum VectorFormat: String, CaseIterable, Sendable {
    case geoJSON = "geojson"
    /// One `.topojson` file: every layer an object over shared arcs.
    case topoJSON = "topojson"
    /// One `.gpkg` with every layer (the single-file default for GIS teams).
    case geoPackage = "gpkg"
    /// One `.fgb` per layer (in the output folder).
    case flatGeobuf = "fgb"
    /// One `.shp` (with `.shx`, `.dbf`, `.prj`, `.cpg`) per layer (in the output folder).
    case shapefile = "shp"
    /// Tables in a PostgreSQL/PostGIS database (`PG:"dbname=…"`).
    case postGIS = "postgis"

    /// GDAL's driver, nil for the formats zorgzones writes itself.
    public var gdalDriver: String? {
        switch self {
        case .geoJSON, .topoJSON: return nil
        case .geoPackage: return "GPKG"
        case .flatGeobuf: return "FlatGeobuf"
        case .shapefile: return "ESRI Shapefile"
        case .postGIS: return "PostgreSQL"
        }
    }

    /// Whether a multi-layer output is a folder with a file per layer (FlatGeobuf, Shapefile, GeoJSON) rather
    /// than one dataset (GeoPackage, PostGIS).
    public var filePerLayer: Bool {
        switch self {
        case .geoJSON, .flatGeobuf, .shapefile: return true
        case .geoPackage, .postGIS, .topoJSON: return false
        }
    }

    public var fileExtension: String {
        switch self {
        case .geoJSON: return "geojson"
        case .topoJSON: return "topojson"
        case .geoPackage: return "gpkg"
        case .flatGeobuf: return "fgb"
        case .shapefile: return "shp"
        case .postGIS: return ""
        }
    }

    /// The format an output path names, as ogr2ogr guesses it: `PG:` is PostGIS, else the extension.
    public static func guess(_ path: String) -> VectorFormat? {
        if path.hasPrefix("PG:") { return .postGIS }
        let lower = path.lowercased()
        if lower.hasSuffix(".gpkg") { return .geoPackage }
        if lower.hasSuffix(".fgb") { return .flatGeobuf }
        if lower.hasSuffix(".shp") { return .shapefile }
        if lower.hasSuffix(".topojson") { return .topoJSON }
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") { return .geoJSON }
        return nil
    }

    /// Accepts the names users type: `gpkg`, `GeoPackage`, `FlatGeobuf`, `shapefile`, `ESRI Shapefile`, `PG`, …
    public init?(name: String) {
        switch name.lowercased() {
        case "geojson", "json": self = .geoJSON
        case "topojson": self = .topoJSON
        case "gpkg", "geopackage": self = .geoPackage
        case "fgb", "flatgeobuf": self = .flatGeobuf
        case "shp", "shapefile", "esri shapefile": self = .shapefile
        case "pg", "postgis", "postgresql": self = .postGIS
        default: return nil
        }
    }
}
