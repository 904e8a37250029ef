// Coordinates: read straight from bytes (or from a JSONValue) into `Position`s, then checked against the
// geometry type. The reader does not need to know the type while scanning, so "coordinates" may come
// before "type" in a geometry object.

import GeoCore

/// The geometry types of RFC 7946 §3.1.
enum GeometryType: String {
    case point = "Point"
    case multiPoint = "MultiPoint"
    case lineString = "LineString"
    case multiLineString = "MultiLineString"
    case polygon = "Polygon"
    case multiPolygon = "MultiPolygon"
    case geometryCollection = "GeometryCollection"

    static func unknown(_ name: String) -> ReadFailure {
        ReadFailure(.unknownGeometryType, "unknown geometry type \"\(name)\" (RFC 7946 defines Point, MultiPoint, "
            + "LineString, MultiLineString, Polygon, MultiPolygon and GeometryCollection; names are case-sensitive)")
    }
}

/// A `coordinates` array as read, before the geometry type says what it must be.
enum CoordNode {
    /// `[]`
    case empty
    /// `[x, y, …]`
    case position(Position)
    /// `[[x, y], …]`
    case positions([Position])
    /// `[[[…]], …]` or `[[], …]`: an array of arrays (rings, lines, polygons…).
    case nested([CoordNode])

    /// Nesting depth: a position is 1, an array of positions 2…
    var depth: Int {
        switch self {
        case .empty, .position: return 1
        case .positions: return 2
        case .nested(let children): return 1 + (children.first?.depth ?? 1)
        }
    }

    /// "a position", "an array of positions", "an array of arrays of positions"… for messages.
    var summary: String {
        switch self {
        case .empty: return "an empty array"
        case .position: return "a position"
        case .positions: return "an array of positions"
        case .nested(let children):
            if case .empty = children.first { return "an array of empty arrays" }
            return "an array of " + String(repeating: "arrays of ", count: depth - 2) + "positions"
        }
    }
}

/// Checks applied to every position while reading: count (limit), range (CRS84).
struct PositionRules {
    let checkRange: Bool
    let maxPositions: Int
    private(set) var count = 0

    init(checkRange: Bool, maxPositions: Int) {
        self.checkRange = checkRange
        self.maxPositions = maxPositions
    }

    /// The position `(x, y)` read from an array of `numbers` numbers (beyond 2, altitude etc. are dropped).
    @inline(__always)
    mutating func accept(_ x: Double, _ y: Double, numbers: Int) throws(ReadFailure) -> Position {
        guard numbers >= 2 else {
            throw ReadFailure(.invalidPosition,
                "a position needs at least 2 numbers (longitude, latitude), found \(numbers)")
        }
        count += 1
        if count > maxPositions {
            throw ReadFailure(.limitExceeded, "more than \(maxPositions) positions")
        }
        if checkRange && !(x >= -180 && x <= 180 && y >= -90 && y <= 90) {
            throw Self.outOfRange(x, y)
        }
        return Position(x, y)
    }

    static func outOfRange(_ x: Double, _ y: Double) -> ReadFailure {
        if abs(x) > 1000 || abs(y) > 1000 {
            return ReadFailure(.outOfRange,
                "position (\(x), \(y)) is not longitude/latitude: the file seems to be in a projected CRS "
                + "such as Belgian Lambert (EPSG:31370/3812) in metres, but RFC 7946 requires CRS84 "
                + "longitude/latitude; reproject it (e.g. ogr2ogr -t_srs EPSG:4326)")
        }
        if !(x >= -180 && x <= 180) {
            return ReadFailure(.outOfRange, "longitude \(x) is outside [-180, 180] (position (\(x), \(y)))")
        }
        return ReadFailure(.outOfRange, "latitude \(y) is outside [-90, 90] (position (\(x), \(y)))")
    }
}

// MARK: - From JSON values

extension CoordNode {
    /// The coordinates in an already parsed value (same rules and messages as the byte scanner).
    static func from(_ value: JSONValue, rules: inout PositionRules) throws(ReadFailure) -> CoordNode {
        guard case .array(let elements) = value else {
            throw ReadFailure(.wrongNesting, "expected an array, found \(value.kindDescription)")
        }
        guard let first = elements.first else { return .empty }
        guard case .array(let inner) = first else { return .position(try position(elements, rules: &rules)) }
        if inner.isEmpty || inner[0].arrayValue != nil {
            var children: [CoordNode] = []
            children.reserveCapacity(elements.count)
            for (i, e) in elements.enumerated() {
                do throws(ReadFailure) { children.append(try from(e, rules: &rules)) } catch { throw error.at(.index(i)) }
            }
            return .nested(children)
        }
        var positions: [Position] = []
        positions.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            do throws(ReadFailure) {
                guard case .array(let numbers) = e else {
                    throw ReadFailure(.wrongNesting,
                        "expected a position (an array of numbers), found \(e.kindDescription)")
                }
                positions.append(try position(numbers, rules: &rules))
            } catch {
                throw error.at(.index(i))
            }
        }
        return .positions(positions)
    }

    private static func position(_ elements: [JSONValue], rules: inout PositionRules) throws(ReadFailure) -> Position {
        var x = 0.0
        var y = 0.0
        for (k, e) in elements.enumerated() {
            let v: Double
            switch e {
            case .number(let d) where d.isFinite:
                v = d
            case .number:
                throw ReadFailure(.invalidCoordinate, "coordinate is not a finite number").at(.index(k))
            case .array:
                throw ReadFailure(.wrongNesting, "expected a number, found an array").at(.index(k))
            case .string(let s):
                throw ReadFailure(.invalidCoordinate, "expected a number, found the string \(JSONValue.string(s))")
                    .at(.index(k))
            default:
                throw ReadFailure(.invalidCoordinate, "expected a number, found \(e.kindDescription)").at(.index(k))
            }
            if k == 0 { x = v } else if k == 1 { y = v }
        }
        return try rules.accept(x, y, numbers: elements.count)
    }
}

// MARK: - To shapes

/// Turns coordinates into a `Shape` of a given type, enforcing RFC 7946's structural rules.
/// Failure paths are relative to the `coordinates` member.
enum ShapeBuilder {
    static func shape(_ type: GeometryType, _ node: CoordNode) throws(ReadFailure) -> Shape {
        switch type {
        case .point:
            switch node {
            case .position(let p):
                return .point(p)
            case .empty:
                throw ReadFailure(.invalidPosition, "a position needs at least 2 numbers (longitude, latitude), found 0")
            default:
                throw ReadFailure(.wrongNesting, "Point coordinates must be one position [x, y], found \(node.summary)")
            }
        case .multiPoint:
            return .multiPoint(try positions(node))
        case .lineString:
            return .lineString(try line(node, allowEmpty: true))
        case .multiLineString:
            let lines = try children(node, each: "a line (an array of positions)", plural: "lines")
            var result: [[Position]] = []
            result.reserveCapacity(lines.count)
            for (i, l) in lines.enumerated() {
                do throws(ReadFailure) { result.append(try line(l, allowEmpty: false)) } catch { throw error.at(.index(i)) }
            }
            return .multiLineString(result)
        case .polygon:
            // An empty Polygon (`[]`, allowed by RFC 7946 §3.1) has no `Polygon` value: it reads as an
            // empty MultiPolygon.
            guard let p = try polygon(node) else { return .multiPolygon([]) }
            return .polygon(p)
        case .multiPolygon:
            let parts = try children(node, each: "a polygon (an array of rings)", plural: "polygons")
            var result: [Polygon] = []
            result.reserveCapacity(parts.count)
            for (i, part) in parts.enumerated() {
                do throws(ReadFailure) {
                    guard let p = try polygon(part) else {
                        throw ReadFailure(.invalidGeometry, "polygon has no rings")
                    }
                    result.append(p)
                } catch {
                    throw error.at(.index(i))
                }
            }
            return .multiPolygon(result)
        case .geometryCollection:
            preconditionFailure("a GeometryCollection has no coordinates")
        }
    }

    /// A polygon from an array of rings; nil when there are none.
    private static func polygon(_ node: CoordNode) throws(ReadFailure) -> Polygon? {
        let ringNodes = try children(node, each: "a ring (an array of positions)", plural: "rings")
        guard !ringNodes.isEmpty else { return nil }
        var rings: [Ring] = []
        rings.reserveCapacity(ringNodes.count)
        for (i, r) in ringNodes.enumerated() {
            do throws(ReadFailure) { rings.append(try ring(r)) } catch { throw error.at(.index(i)) }
        }
        let exterior = rings.removeFirst()
        return Polygon(exterior: exterior, holes: rings)
    }

    /// A linear ring: at least 4 positions, closed.
    private static func ring(_ node: CoordNode) throws(ReadFailure) -> Ring {
        let ps = try positions(node)
        guard ps.count >= 4 else {
            throw ReadFailure(.ringTooShort,
                "ring has \(ps.count) position\(ps.count == 1 ? "" : "s"); a linear ring needs at least 4 "
                + "(the first repeated as the last)")
        }
        guard ps[0] == ps[ps.count - 1] else {
            throw ReadFailure(.ringNotClosed, "ring is not closed (first \(ps[0]) ≠ last \(ps[ps.count - 1]))")
        }
        return ps
    }

    private static func line(_ node: CoordNode, allowEmpty: Bool) throws(ReadFailure) -> [Position] {
        let ps = try positions(node)
        if ps.count == 1 || (ps.isEmpty && !allowEmpty) {
            throw ReadFailure(.invalidGeometry, "a line needs at least 2 positions, found \(ps.count)")
        }
        return ps
    }

    /// The elements of an array of arrays (rings, lines, polygons).
    private static func children(_ node: CoordNode, each: String, plural: String) throws(ReadFailure) -> [CoordNode] {
        switch node {
        case .empty:
            return []
        case .nested(let c):
            return c
        case .positions:
            throw ReadFailure(.wrongNesting, "expected \(each), found a position").at(.index(0))
        case .position:
            throw ReadFailure(.wrongNesting, "expected an array of \(plural), found a single position")
        }
    }

    /// An array of positions.
    private static func positions(_ node: CoordNode) throws(ReadFailure) -> [Position] {
        switch node {
        case .positions(let ps):
            return ps
        case .empty:
            return []
        case .position:
            throw ReadFailure(.wrongNesting, "expected an array of positions, found a single position")
        case .nested(let c):
            for (i, child) in c.enumerated() {
                switch child {
                case .position:
                    continue
                case .empty:
                    throw ReadFailure(.invalidPosition,
                        "a position needs at least 2 numbers (longitude, latitude), found 0").at(.index(i))
                default:
                    throw ReadFailure(.wrongNesting, "expected a position, found \(child.summary)").at(.index(i))
                }
            }
            return c.compactMap { if case .position(let p) = $0 { p } else { nil } }
        }
    }
}
