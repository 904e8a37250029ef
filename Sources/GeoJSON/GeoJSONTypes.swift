import GeoCore

/// A GeoJSON Feature: a geometry with properties.
public struct Feature: Hashable, Sendable {
    /// The optional `id` member (RFC 7946: a string or a number).
    public var id: JSONValue?
    /// The properties, in document order. A `null` properties member reads as an empty object.
    public var properties: JSONObject
    /// The geometry; nil for an unlocated feature (`"geometry": null`).
    public var geometry: Shape?

    public init(id: JSONValue? = nil, properties: JSONObject = [:], geometry: Shape?) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
    }
}

/// A GeoJSON FeatureCollection.
public struct FeatureCollection: Hashable, Sendable {
    /// The `name` member written by GDAL and the data package (a foreign member, but a common one).
    public var name: String?
    public var features: [Feature]
    /// Other top-level members, in document order (not `type`, `features`, `name`, `bbox` or `crs`).
    public var foreignMembers: JSONObject

    public init(name: String? = nil, features: [Feature] = [], foreignMembers: JSONObject = [:]) {
        self.name = name
        self.features = features
        self.foreignMembers = foreignMembers
    }
}

/// Why a GeoJSON document was refused, and where.
///
/// `description` reads like `blocks.geojson: features[12].geometry.coordinates[0]: ring is not closed (…)`;
/// syntax errors also carry the line and column: `blocks.geojson:3:17: features[2].properties: …`.
public struct GeoJSONError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The text is not valid JSON (see `line` and `column`).
        case syntax
        /// An object has the same member name twice (`{"type": "Feature", "type": "Polygon"}`): refused, since
        /// readers disagree on which value counts.
        case duplicateKey
        /// The root is not a FeatureCollection, a Feature or a Geometry.
        case notGeoJSON
        /// A required member is absent (`type`, `features`, `geometry`, `coordinates`, `geometries`).
        case missingMember
        /// A member has the wrong JSON type or value (`features` not an array, `geometry` not an object,
        /// `properties` not an object, an element of `features` that is not a Feature…).
        case wrongType
        /// A geometry `type` that RFC 7946 does not define (`Polygon3D`, `Circle`, `polygon`…).
        case unknownGeometryType
        /// Coordinates nested wrongly for the geometry type (positions where rings are expected,
        /// a number where an array is expected…).
        case wrongNesting
        /// A position with fewer than two numbers.
        case invalidPosition
        /// A coordinate that is not a finite number (a string, null, NaN, Infinity, 1e999).
        case invalidCoordinate
        /// A polygon ring whose last position differs from its first.
        case ringNotClosed
        /// A polygon ring with fewer than 4 positions.
        case ringTooShort
        /// Another geometry rule: a LineString with one position, a polygon without rings.
        case invalidGeometry
        /// A longitude outside [-180, 180] or a latitude outside [-90, 90].
        case outOfRange
        /// A `crs` member naming something other than CRS84 / EPSG:4326.
        case unsupportedCRS
        /// A reader limit was exceeded (`maxFeatures`, `maxPositions`, `maxDepth`): refuse with 413/422.
        case limitExceeded
        /// A property has a missing or wrong value (for callers that validate properties).
        case invalidProperty
        /// The file could not be read.
        case io
    }

    public var kind: Kind
    /// The file (or other source) name given to the reader.
    public var source: String
    /// The index in the root `features` array, when the problem is inside a feature of a collection.
    public var featureIndex: Int?
    /// JSON path of the offending element, like `features[12].geometry.coordinates[0]` (empty: the root).
    public var path: String
    public var message: String
    /// 1-based line, for syntax and depth errors.
    public var line: Int?
    /// 1-based column (in Unicode scalars), for syntax and depth errors.
    public var column: Int?

    public init(
        kind: Kind, source: String, featureIndex: Int? = nil, path: String, message: String,
        line: Int? = nil, column: Int? = nil
    ) {
        self.kind = kind
        self.source = source
        self.featureIndex = featureIndex
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        var s = source
        if let line, let column { s += ":\(line):\(column)" }
        s += ": "
        if !path.isEmpty { s += path + ": " }
        return s + message
    }
}

extension FeatureCollection {
    /// Every Polygon as a one-part MultiPolygon and every LineString as a one-part MultiLineString: one geometry
    /// type per layer, which GDAL, QGIS and GeoPackage want (ogr2ogr's `-nlt PROMOTE_TO_MULTI`).
    public func promotedToMulti() -> FeatureCollection {
        var out = self
        for i in out.features.indices {
            switch out.features[i].geometry {
            case .polygon(let p)?: out.features[i].geometry = .multiPolygon([p])
            case .lineString(let l)?: out.features[i].geometry = .multiLineString([l])
            default: break
            }
        }
        return out
    }
}
