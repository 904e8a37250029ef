// Reading GeoJSON (RFC 7946).

import GeoCore

/// Reads GeoJSON into `FeatureCollection`s and `Shape`s, refusing anything RFC 7946 does not allow with an
/// error that names the file, the feature and the JSON path of the offending element.
///
/// Geometry coordinates are scanned straight from the bytes into `Position` arrays (no intermediate
/// `JSONValue`s). Positions with more than two numbers (altitude…) are accepted; the extra numbers are dropped.
public struct GeoJSONReader: Sendable {
    /// The file (or other source) name shown in errors.
    public var source: String
    /// Check that positions are longitude/latitude (within [-180, 180] × [-90, 90]) and that a `crs` member,
    /// if any, names CRS84 (`OGC:CRS84`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:4326`…).
    /// Set to `false` for internal projected data: both checks are skipped.
    public var validateCRS84: Bool
    /// Most features accepted in a collection (`.limitExceeded` beyond).
    public var maxFeatures: Int
    /// Most positions accepted in the whole document (`.limitExceeded` beyond).
    public var maxPositions: Int
    /// Deepest nesting of JSON arrays/objects accepted (`.limitExceeded` beyond). The parser recurses once per
    /// level, so keep this in the hundreds.
    public var maxDepth: Int

    public init(
        source: String = "<input>", validateCRS84: Bool = true,
        maxFeatures: Int = .max, maxPositions: Int = .max, maxDepth: Int = 256
    ) {
        self.source = source
        self.validateCRS84 = validateCRS84
        self.maxFeatures = maxFeatures
        self.maxPositions = maxPositions
        self.maxDepth = maxDepth
    }

    /// Reads a FeatureCollection from UTF-8 bytes (`[UInt8]`, `Data`, a byte-buffer view…).
    /// A single Feature is wrapped in a collection; so is a bare geometry (as a feature with no properties).
    public func readFeatureCollection<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(GeoJSONError) -> FeatureCollection {
        try withContiguousBytes(bytes) { buffer -> Result<FeatureCollection, GeoJSONError> in
            var scanner = GeoJSONScanner(buffer, reader: self)
            do throws(ReadFailure) {
                return .success(try scanner.readDocument())
            } catch {
                return .failure(makeError(error, buffer: buffer))
            }
        }.get()
    }

    /// Reads a FeatureCollection (or a Feature or a geometry, wrapped) from text.
    public func readFeatureCollection(_ text: String) throws(GeoJSONError) -> FeatureCollection {
        try readFeatureCollection(text.utf8)
    }

    /// Reads a geometry object from an already parsed value. `path` is where the value sits in its document
    /// (for example `features[3].geometry`); error paths continue from it.
    public func readGeometry(_ value: JSONValue, path: String = "") throws(GeoJSONError) -> Shape {
        var rules = PositionRules(checkRange: validateCRS84, maxPositions: maxPositions)
        do throws(ReadFailure) {
            return try geometry(from: value, rules: &rules, depth: 1)
        } catch {
            throw makeError(error, prefix: path)
        }
    }

    private func geometry(from value: JSONValue, rules: inout PositionRules, depth: Int) throws(ReadFailure) -> Shape {
        guard depth <= maxDepth else { throw ReadFailure(.limitExceeded, "geometries nested deeper than \(maxDepth) levels") }
        guard case .object(let object) = value else {
            throw ReadFailure(.wrongType, "a geometry must be an object, found \(value.kindDescription)")
        }
        guard let typeValue = object["type"] else { throw ReadFailure(.missingMember, "geometry has no \"type\" member") }
        guard case .string(let name) = typeValue else {
            throw ReadFailure(.wrongType, "geometry \"type\" must be a string, found \(typeValue.kindDescription)")
                .at(.key("type"))
        }
        guard let type = GeometryType(rawValue: name) else { throw GeometryType.unknown(name).at(.key("type")) }
        if validateCRS84, let crs = object["crs"] {
            do throws(ReadFailure) { try CRSCheck.check(crs) } catch { throw error.at(.key("crs")) }
        }
        if type == .geometryCollection {
            guard let members = object["geometries"] else {
                throw ReadFailure(.missingMember, "GeometryCollection has no \"geometries\" member")
            }
            guard case .array(let elements) = members else {
                throw ReadFailure(.wrongType, "\"geometries\" must be an array, found \(members.kindDescription)")
                    .at(.key("geometries"))
            }
            var shapes: [Shape] = []
            for (i, e) in elements.enumerated() {
                do throws(ReadFailure) { shapes.append(try geometry(from: e, rules: &rules, depth: depth + 1)) } catch {
                    throw error.at(.index(i)).at(.key("geometries"))
                }
            }
            return .geometryCollection(shapes)
        }
        guard let coordinates = object["coordinates"] else {
            throw ReadFailure(.missingMember, "\(name) has no \"coordinates\" member")
        }
        do throws(ReadFailure) {
            return try ShapeBuilder.shape(type, try CoordNode.from(coordinates, rules: &rules))
        } catch {
            throw error.at(.key("coordinates"))
        }
    }

    private func makeError(_ f: ReadFailure, prefix: String = "", buffer: UnsafeBufferPointer<UInt8>? = nil) -> GeoJSONError {
        var line: Int?
        var column: Int?
        if let offset = f.offset, let buffer {
            (line, column) = lineAndColumn(of: offset, in: buffer)
        }
        var featureIndex = f.featureIndex
        if featureIndex == nil, prefix.hasPrefix("features["),
           let close = prefix.firstIndex(of: "]") {
            featureIndex = Int(prefix[prefix.index(prefix.startIndex, offsetBy: 9)..<close])
        }
        return GeoJSONError(
            kind: f.kind, source: source, featureIndex: featureIndex,
            path: PathComponent.render(f.path, prefix: prefix), message: f.message, line: line, column: column)
    }
}

/// The `crs` rule: absent, null, or naming CRS84.
enum CRSCheck {
    static func check(_ crs: JSONValue) throws(ReadFailure) {
        if crs.isNull { return }
        guard let name = crs["properties"]?["name"]?.stringValue else {
            throw ReadFailure(.unsupportedCRS,
                "crs member \(crs) is not understood: RFC 7946 GeoJSON has no crs member and is always "
                + "CRS84 longitude/latitude")
        }
        if isCRS84(name) { return }
        var hint = ""
        if name.hasSuffix("31370") { hint = " (Belgian Lambert 72, in metres)" }
        if name.hasSuffix("3812") { hint = " (Belgian Lambert 2008, in metres)" }
        throw ReadFailure(.unsupportedCRS,
            "crs \"\(name)\"\(hint) is not supported: RFC 7946 GeoJSON must be in CRS84 longitude/latitude "
            + "(OGC:CRS84 or EPSG:4326); reproject it (e.g. ogr2ogr -t_srs EPSG:4326)")
    }

    /// `OGC:CRS84`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `http://www.opengis.net/def/crs/OGC/1.3/CRS84`,
    /// `EPSG:4326`, `urn:ogc:def:crs:EPSG::4326`…
    static func isCRS84(_ name: String) -> Bool {
        let parts = name.uppercased().split { $0 == ":" || $0 == "/" }
        guard let last = parts.last else { return false }
        return last == "CRS84" || (last == "4326" && parts.contains("EPSG"))
    }
}

/// The GeoJSON walk over the bytes: the document, features and geometries, with coordinates scanned
/// directly into positions. Member order is free: a geometry's `type` is looked up first (cheap, it is
/// usually the first member).
struct GeoJSONScanner {
    var json: JSONScanner
    var rules: PositionRules
    let validateCRS84: Bool
    let maxFeatures: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, reader: GeoJSONReader) {
        json = JSONScanner(bytes, maxDepth: reader.maxDepth)
        rules = PositionRules(checkRange: reader.validateCRS84, maxPositions: reader.maxPositions)
        validateCRS84 = reader.validateCRS84
        maxFeatures = reader.maxFeatures
    }

    // MARK: Document, features, geometries

    mutating func readDocument() throws(ReadFailure) -> FeatureCollection {
        json.skipWhitespace()
        guard json.current == .openBrace else {
            let found = json.describeCurrentValue()
            _ = try json.parseValue(depth: 0)  // a syntax error wins over "not GeoJSON"
            throw ReadFailure(.notGeoJSON,
                "expected a GeoJSON object (FeatureCollection, Feature or geometry), found \(found)")
        }
        let result: FeatureCollection
        switch try peekType(depth: 1) {
        case .missing:
            throw ReadFailure(.notGeoJSON,
                "the root object has no \"type\" member: expected a FeatureCollection, Feature or geometry")
        case .notString(let found):
            throw ReadFailure(.notGeoJSON, "\"type\" must be a string, found \(found)").at(.key("type"))
        case .string("FeatureCollection"):
            result = try readCollection()
        case .string("Feature"):
            result = FeatureCollection(features: [try readFeature(depth: 1)])
        case .string(let name):
            guard let type = GeometryType(rawValue: name) else {
                throw ReadFailure(.notGeoJSON,
                    "\"\(name)\" is not a GeoJSON type: expected FeatureCollection, Feature or a geometry type")
                    .at(.key("type"))
            }
            result = FeatureCollection(features: [Feature(geometry: try readGeometry(type, depth: 1))])
        }
        try json.expectEnd()
        return result
    }

    enum TypeMember {
        case missing
        case notString(String)
        case string(String)
    }

    /// At `{`: the object's `type` member, looked up without moving.
    mutating func peekType(depth: Int) throws(ReadFailure) -> TypeMember {
        let start = json.pos
        defer { json.pos = start }
        try json.beginObject(depth: depth)
        var names = MemberNames()
        while let key = try json.nextKey(&names) {
            if key == "type" {
                guard json.current == .quote else { return .notString(json.describeCurrentValue()) }
                return .string(try json.parseString())
            }
            do throws(ReadFailure) { try json.skipValue(depth: depth) } catch { throw error.at(.key(key)) }
        }
        return .missing
    }

    mutating func readCollection() throws(ReadFailure) -> FeatureCollection {
        try json.beginObject(depth: 1)
        var collection = FeatureCollection()
        var sawFeatures = false
        var names = MemberNames()
        while let key = try json.nextKey(&names) {
            do throws(ReadFailure) {
                switch key {
                case "type", "bbox":
                    try json.skipValue(depth: 1)
                case "features":
                    sawFeatures = true
                    collection.features = try readFeatures()
                case "name" where json.current == .quote:
                    collection.name = try json.parseString()
                case "crs":
                    try checkCRS(depth: 1)
                default:
                    collection.foreignMembers.append(key, try json.parseValue(depth: 1))
                }
            } catch {
                throw error.at(.key(key))
            }
        }
        guard sawFeatures else { throw ReadFailure(.missingMember, "FeatureCollection has no \"features\" member") }
        return collection
    }

    private mutating func readFeatures() throws(ReadFailure) -> [Feature] {
        guard json.current == .openBracket else {
            throw ReadFailure(.wrongType, "\"features\" must be an array, found \(json.describeCurrentValue())")
        }
        try json.beginArray(depth: 2)
        var features: [Feature] = []
        var first = true
        while try json.nextElement(&first) {
            let i = features.count
            do throws(ReadFailure) {
                guard i < maxFeatures else { throw ReadFailure(.limitExceeded, "more than \(maxFeatures) features") }
                features.append(try readFeature(depth: 3))
            } catch {
                throw error.at(.index(i))
            }
        }
        return features
    }

    /// At a value that must be a Feature object whose nesting level is `depth`.
    mutating func readFeature(depth: Int) throws(ReadFailure) -> Feature {
        guard json.current == .openBrace else {
            throw ReadFailure(.wrongType, "a feature must be an object, found \(json.describeCurrentValue())")
        }
        try json.beginObject(depth: depth)
        var feature = Feature(geometry: nil)
        var sawType = false
        var sawGeometry = false
        var names = MemberNames()
        while let key = try json.nextKey(&names) {
            do throws(ReadFailure) {
                switch key {
                case "type":
                    sawType = true
                    guard json.current == .quote else {
                        throw ReadFailure(.wrongType, "\"type\" must be \"Feature\", found \(json.describeCurrentValue())")
                    }
                    let type = try json.parseString()
                    guard type == "Feature" else {
                        throw ReadFailure(.wrongType, "expected a Feature, found type \"\(type)\"")
                    }
                case "id":
                    feature.id = try json.parseValue(depth: depth)
                case "properties":
                    switch json.current {
                    case .openBrace: feature.properties = try json.parseObject(depth: depth + 1)
                    case UInt8(ascii: "n"): _ = try json.parseValue(depth: depth)
                    default:
                        throw ReadFailure(.wrongType,
                            "\"properties\" must be an object or null, found \(json.describeCurrentValue())")
                    }
                case "geometry":
                    sawGeometry = true
                    switch json.current {
                    case .openBrace: feature.geometry = try readGeometryObject(depth: depth + 1)
                    case UInt8(ascii: "n"): _ = try json.parseValue(depth: depth)
                    default:
                        throw ReadFailure(.wrongType,
                            "\"geometry\" must be a geometry object or null, found \(json.describeCurrentValue())")
                    }
                case "crs":
                    try checkCRS(depth: depth)
                default:
                    try json.skipValue(depth: depth)
                }
            } catch {
                throw error.at(.key(key))
            }
        }
        guard sawType else { throw ReadFailure(.missingMember, "feature has no \"type\" member") }
        guard sawGeometry else {
            throw ReadFailure(.missingMember,
                "feature has no \"geometry\" member (RFC 7946 requires one; use null for a feature without geometry)")
        }
        return feature
    }

    /// At `{`: a geometry object whose nesting level is `depth`.
    mutating func readGeometryObject(depth: Int) throws(ReadFailure) -> Shape {
        switch try peekType(depth: depth) {
        case .missing:
            throw ReadFailure(.missingMember, "geometry has no \"type\" member")
        case .notString(let found):
            throw ReadFailure(.wrongType, "geometry \"type\" must be a string, found \(found)").at(.key("type"))
        case .string(let name):
            guard let type = GeometryType(rawValue: name) else { throw GeometryType.unknown(name).at(.key("type")) }
            return try readGeometry(type, depth: depth)
        }
    }

    /// At `{`: a geometry object of a known type.
    mutating func readGeometry(_ type: GeometryType, depth: Int) throws(ReadFailure) -> Shape {
        try json.beginObject(depth: depth)
        var coordinates: CoordNode?
        var geometries: [Shape]?
        var names = MemberNames()
        while let key = try json.nextKey(&names) {
            do throws(ReadFailure) {
                switch key {
                case "coordinates" where type != .geometryCollection:
                    coordinates = try scanCoordinates(depth: depth + 1)
                case "geometries" where type == .geometryCollection:
                    geometries = try readGeometries(depth: depth + 1)
                case "crs":
                    try checkCRS(depth: depth)
                default:
                    try json.skipValue(depth: depth)
                }
            } catch {
                throw error.at(.key(key))
            }
        }
        if type == .geometryCollection {
            guard let geometries else {
                throw ReadFailure(.missingMember, "GeometryCollection has no \"geometries\" member")
            }
            return .geometryCollection(geometries)
        }
        guard let coordinates else {
            throw ReadFailure(.missingMember, "\(type.rawValue) has no \"coordinates\" member")
        }
        do throws(ReadFailure) { return try ShapeBuilder.shape(type, coordinates) } catch { throw error.at(.key("coordinates")) }
    }

    private mutating func readGeometries(depth: Int) throws(ReadFailure) -> [Shape] {
        guard json.current == .openBracket else {
            throw ReadFailure(.wrongType, "\"geometries\" must be an array, found \(json.describeCurrentValue())")
        }
        try json.beginArray(depth: depth)
        var shapes: [Shape] = []
        var first = true
        while try json.nextElement(&first) {
            do throws(ReadFailure) {
                guard json.current == .openBrace else {
                    throw ReadFailure(.wrongType, "a geometry must be an object, found \(json.describeCurrentValue())")
                }
                shapes.append(try readGeometryObject(depth: depth + 1))
            } catch {
                throw error.at(.index(shapes.count))
            }
        }
        return shapes
    }

    private mutating func checkCRS(depth: Int) throws(ReadFailure) {
        let crs = try json.parseValue(depth: depth)
        if validateCRS84 { try CRSCheck.check(crs) }
    }

    // MARK: Coordinates (the hot path)

    /// At a `coordinates` value: an array nested at level `depth`.
    mutating func scanCoordinates(depth: Int) throws(ReadFailure) -> CoordNode {
        guard json.current == .openBracket else {
            throw ReadFailure(.wrongNesting, "expected an array, found \(json.describeCurrentValue())")
        }
        try json.checkDepth(depth)
        json.pos += 1
        json.skipWhitespace()
        let c = json.current
        if c == .closeBracket {
            json.pos += 1
            return .empty
        }
        if c != .openBracket { return .position(try scanPositionBody()) }
        // Look past the inner `[`: a number means an array of positions, `[` or `]` deeper nesting.
        var q = json.pos + 1
        let bytes = json.bytes
        while q < bytes.count, bytes[q] == 0x20 || bytes[q] == 0x0A || bytes[q] == 0x0D || bytes[q] == 0x09 { q += 1 }
        if q < bytes.count && (bytes[q] == .openBracket || bytes[q] == .closeBracket) {
            var children: [CoordNode] = []
            repeat {
                do throws(ReadFailure) { children.append(try scanCoordinates(depth: depth + 1)) } catch { throw error.at(.index(children.count)) }
            } while try nextInArray()
            return .nested(children)
        }
        var positions: [Position] = []
        repeat {
            do throws(ReadFailure) { positions.append(try scanPosition(depth: depth + 1)) } catch { throw error.at(.index(positions.count)) }
        } while try nextInArray()
        return .positions(positions)
    }

    /// After an array element: true after `,` (positioned at the next element), false after `]`.
    @inline(__always)
    private mutating func nextInArray() throws(ReadFailure) -> Bool {
        json.skipWhitespace()
        switch json.current {
        case .comma:
            json.pos += 1
            json.skipWhitespace()
            return true
        case .closeBracket:
            json.pos += 1
            return false
        default:
            throw json.unexpected("',' or ']' after an array element")
        }
    }

    /// At a value that must be a position `[x, y, …]` nested at level `depth`.
    @inline(__always)
    private mutating func scanPosition(depth: Int) throws(ReadFailure) -> Position {
        guard json.current == .openBracket else {
            throw ReadFailure(.wrongNesting, "expected a position (an array of numbers), found \(json.describeCurrentValue())")
        }
        try json.checkDepth(depth)
        json.pos += 1
        json.skipWhitespace()
        if json.current == .closeBracket {
            json.pos += 1
            return try rules.accept(0, 0, numbers: 0)
        }
        return try scanPositionBody()
    }

    /// Inside a non-empty position, at its first element: the numbers up to and including `]`.
    @inline(__always)
    private mutating func scanPositionBody() throws(ReadFailure) -> Position {
        var x = 0.0
        var y = 0.0
        var n = 0
        while true {
            json.skipWhitespace()
            let v: Double
            do throws(ReadFailure) { v = try scanCoordinate() } catch { throw error.at(.index(n)) }
            if n == 0 { x = v } else if n == 1 { y = v }
            n += 1
            json.skipWhitespace()
            let c = json.current
            if c == .comma {
                json.pos += 1
            } else if c == .closeBracket {
                json.pos += 1
                break
            } else {
                throw json.unexpected("',' or ']' after a coordinate")
            }
        }
        return try rules.accept(x, y, numbers: n)
    }

    /// One coordinate: a finite number.
    @inline(__always)
    private mutating func scanCoordinate() throws(ReadFailure) -> Double {
        let c = json.current
        guard c == .minus || (c >= .zero && c <= .nine) else { throw nonNumericCoordinate() }
        let start = json.pos
        if c == .minus, start + 1 < json.bytes.count, json.bytes[start + 1] == UInt8(ascii: "I") {
            throw ReadFailure(.invalidCoordinate, "-Infinity is not a valid coordinate (JSON has no infinity)")
        }
        let v = try json.parseNumber()
        guard v.isFinite else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: json.bytes[start..<json.pos]), as: UTF8.self)
            throw ReadFailure(.invalidCoordinate, "coordinate \(text) is not a finite number")
        }
        return v
    }

    /// Why the value at the current position is not a coordinate.
    private mutating func nonNumericCoordinate() -> ReadFailure {
        switch json.current {
        case UInt8(ascii: "N"):
            return ReadFailure(.invalidCoordinate, "NaN is not a valid coordinate (JSON has no NaN)")
        case UInt8(ascii: "I"):
            return ReadFailure(.invalidCoordinate, "Infinity is not a valid coordinate (JSON has no infinity)")
        case .openBracket:
            return ReadFailure(.wrongNesting, "expected a number, found an array")
        case .quote:
            if let s = try? json.parseString() {
                return ReadFailure(.invalidCoordinate, "expected a number, found the string \(JSONValue.string(s))")
            }
            return ReadFailure(.invalidCoordinate, "expected a number, found a string")
        case .openBrace, UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"):
            return ReadFailure(.invalidCoordinate, "expected a number, found \(json.describeCurrentValue())")
        default:
            return json.unexpected("a number")
        }
    }
}
