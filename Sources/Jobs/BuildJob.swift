import DataPackage
import Formats
import Foundation
import GeoCore
import GeoJSON
import Zoning

/// `zorgzones build`: every layer of the dataset dissolved, written as GeoJSON with a manifest.
public struct BuildJob: Sendable {
    public var data: DataRequest
    /// The output folder (swapped in whole).
    public var out: String
    /// Extra layers: `NAME=FILE` zone tables.
    public var zonings: [String]
    public var precision: Int
    public var bbox: Bool
    /// The format; nil: from the extension of `out` (`.gpkg`, `.fgb`, `.shp`, `PG:…`), else a GeoJSON folder.
    public var format: VectorFormat?
    /// The CRS of the written coordinates, for the GDAL formats (nil: CRS84).
    public var crs: String?
    /// One geometry type per layer in GeoJSON too.
    public var multi = false
    /// Borders simplified to this many metres on the arc topology (nil: full geometry).
    public var simplify: Double?
    public var simplifyMethod: SimplificationMethod = .visvalingam

    public init(data: DataRequest = DataRequest(), out: String, zonings: [String] = [], precision: Int = 6, bbox: Bool = true) {
        self.data = data
        self.out = out
        self.zonings = zonings
        self.precision = precision
        self.bbox = bbox
    }

    /// The format written: `format`, else what `out` names, else a GeoJSON folder.
    public var resolvedFormat: VectorFormat { format ?? VectorFormat.guess(out).flatMap { $0 == .geoJSON ? nil : $0 } ?? .geoJSON }

    /// `NAME=FILE`, with a layer name of letters, digits, `-` and `_`.
    public static func zoningOption(_ s: String) throws(UsageError) -> (name: String, path: String) {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex, s.index(after: eq) != s.endIndex else {
            throw UsageError("zoning", "expects NAME=FILE, got '\(s)'")
        }
        let name = String(s[..<eq]), file = String(s[s.index(after: eq)...])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw UsageError("zoning", "layer name '\(name)' may only use letters, digits, '-' and '_'")
        }
        return (name, file)
    }

    public func validate() throws(UsageError) {
        try Checks.precision(precision)
        for z in zonings { _ = try Self.zoningOption(z) }
        try Checks.output(out, format: resolvedFormat, crs: crs, folderOrFile: true)
        try Checks.simplify(simplify)
        if resolvedFormat == .topoJSON && precision > 9 { throw UsageError("precision", "TopoJSON keeps at most 9 decimals") }
    }

    public struct Outcome: Sendable {
        public var files: [(name: String, bytes: Int)]
        public var fields: [FieldMapping]
        public var notes: [String]
    }

    public func run() throws -> Outcome {
        try validate()
        let extras = try zonings.map { z throws(UsageError) in try Self.zoningOption(z) }
        let dataset = try data.load(extraZonings: extras)
        var output = AtlasOutput()
        output.format = resolvedFormat
        output.crs = crs ?? "EPSG:4326"
        output.multi = multi
        output.writer = GeoJSONWriter(precision: precision, includeBBox: bbox)
        output.simplify = simplify.map { Simplify(toleranceM: $0, method: simplifyMethod) }
        let written = try Atlas.write(dataset, to: out, output: output)
        return Outcome(files: written.files, fields: written.fields, notes: dataset.notes)
    }
}
