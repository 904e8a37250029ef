// Option checks, written once for the CLI and the service. A `UsageError` names the option the way both front
// ends spell it (snake_case: `min_confidence`); the CLI shows it as `--min-confidence`, the service as the request
// member `"min_confidence"` with a problem+json `field`.

import Formats

/// An option or request member that is out of range or conflicts with another.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option as the service spells it (`threshold`, `min_confidence`).
    public var option: String
    /// What is wrong, as a phrase that follows the option's name ("must be between 0 and 12").
    public var message: String

    public init(_ option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    /// The option as the CLI spells it: `--min-confidence`.
    public var flag: String { "--" + option.replacingOccurrences(of: "_", with: "-") }
    /// "--precision must be between 0 and 12".
    public var cliText: String { "\(flag) \(message)" }
    /// "'precision' must be between 0 and 12".
    public var requestText: String { "'\(option)' \(message)" }
    public var description: String { cliText }
}

/// Checks shared by several jobs.
public enum Checks {
    /// Decimals of written coordinates: 0 … 12 (RFC 7946 suggests 6, about 10 cm).
    public static func precision(_ p: Int, option: String = "precision") throws(UsageError) {
        guard (0...12).contains(p) else { throw UsageError(option, "must be a whole number from 0 to 12") }
    }

    /// A simplification tolerance in metres: above 0, at most 10 km.
    public static func simplify(_ metres: Double?, option: String = "simplify") throws(UsageError) {
        guard let metres else { return }
        guard metres > 0 && metres <= 10_000 else { throw UsageError(option, "must be a number of metres above 0 and at most 10000") }
    }

    /// An output and its format: a CRS only where the format can say it (GeoJSON is CRS84 by RFC 7946), TopoJSON
    /// and GeoJSON as folders (`build`) or files, PostGIS as a `PG:` connection.
    public static func output(_ out: String, format: VectorFormat, crs: String?, folderOrFile: Bool) throws(UsageError) {
        if crs != nil && (format == .geoJSON || format == .topoJSON) {
            throw UsageError("crs", "\(format.rawValue) is written in CRS84 (RFC 7946); --crs is for gpkg, fgb, shp and postgis")
        }
        if format == .postGIS && !out.hasPrefix("PG:") {
            throw UsageError("out", "postgis writes to a connection: --out PG:\"dbname=… host=…\"")
        }
        if out.hasPrefix("PG:") && format != .postGIS {
            throw UsageError("format", "a PG: output is a PostGIS database; leave --format out or say postgis")
        }
        if format == .geoPackage && !out.lowercased().hasSuffix(".gpkg") {
            throw UsageError("out", "a GeoPackage is one file: --out NAME.gpkg")
        }
        if format == .topoJSON && !out.lowercased().hasSuffix(".topojson") {
            throw UsageError("out", "TopoJSON is one file with every layer: --out NAME.topojson")
        }
    }
}
