import Foundation

// Plain Swift geometry values: what crosses module, task and thread borders.
// A `Geometry` (a GEOS handle) is built from a `Shape` when an operation needs GEOS and turned
// back into a `Shape` for storage, output or sending to another task.

/// A coordinate pair: (longitude, latitude) in CRS84, or (easting, northing) in metres in a projected CRS.
public struct Position: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    @inlinable public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    @inlinable public init(x: Double, y: Double) { self.x = x; self.y = y }
    public var description: String { "(\(x), \(y))" }
}

/// A closed linear ring: first position equals the last.
public typealias Ring = [Position]

/// A polygon: exterior ring followed by zero or more holes.
public struct Polygon: Hashable, Sendable {
    public var exterior: Ring
    public var holes: [Ring]
    public init(exterior: Ring, holes: [Ring] = []) {
        self.exterior = exterior
        self.holes = holes
    }
    public var rings: [Ring] { [exterior] + holes }

    /// Calls `body` with each ring and its index (0: the exterior), without building `rings`.
    @inlinable public func forEachRing(_ body: (Int, Ring) throws -> Void) rethrows {
        try body(0, exterior)
        for (k, h) in holes.enumerated() { try body(k + 1, h) }
    }
    public var vertexCount: Int { exterior.count + holes.reduce(0) { $0 + $1.count } }
}

/// A geometry as a value. Mirrors the RFC 7946 geometry types.
public indirect enum Shape: Hashable, Sendable {
    case point(Position)
    case multiPoint([Position])
    case lineString([Position])
    case multiLineString([[Position]])
    case polygon(Polygon)
    case multiPolygon([Polygon])
    case geometryCollection([Shape])

    /// The polygons of a polygonal shape (empty for points and lines).
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): return [p]
        case .multiPolygon(let ps): return ps
        case .geometryCollection(let gs): return gs.flatMap { $0.polygons }
        default: return []
        }
    }

    /// Calls `body` with each polygon and its index in `polygons`, without building the array.
    public func forEachPolygon(_ body: (Int, Polygon) throws -> Void) rethrows {
        var k = 0
        func visit(_ s: Shape) throws {
            switch s {
            case .polygon(let p): try body(k, p); k += 1
            case .multiPolygon(let ps): for p in ps { try body(k, p); k += 1 }
            case .geometryCollection(let gs): for g in gs { try visit(g) }
            default: break
            }
        }
        try visit(self)
    }

    /// Whether this is a Polygon or a MultiPolygon (empty or not).
    public var isPolygonal: Bool {
        switch self {
        case .polygon, .multiPolygon: return true
        default: return false
        }
    }

    /// `.polygon` for one part, `.multiPolygon` otherwise (the convention of the data package).
    public static func polygonal(_ polygons: [Polygon]) -> Shape {
        polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }

    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .multiPoint: return "MultiPoint"
        case .lineString: return "LineString"
        case .multiLineString: return "MultiLineString"
        case .polygon: return "Polygon"
        case .multiPolygon: return "MultiPolygon"
        case .geometryCollection: return "GeometryCollection"
        }
    }

    public var vertexCount: Int {
        switch self {
        case .point: return 1
        case .multiPoint(let ps), .lineString(let ps): return ps.count
        case .multiLineString(let ls): return ls.reduce(0) { $0 + $1.count }
        case .polygon(let p): return p.vertexCount
        case .multiPolygon(let ps): return ps.reduce(0) { $0 + $1.vertexCount }
        case .geometryCollection(let gs): return gs.reduce(0) { $0 + $1.vertexCount }
        }
    }

    /// Applies `f` to every position.
    public func mapPositions(_ f: (Position) throws -> Position) rethrows -> Shape {
        func ring(_ r: [Position]) throws -> [Position] { try r.map(f) }
        func poly(_ p: Polygon) throws -> Polygon {
            Polygon(exterior: try ring(p.exterior), holes: try p.holes.map(ring))
        }
        switch self {
        case .point(let p): return .point(try f(p))
        case .multiPoint(let ps): return .multiPoint(try ring(ps))
        case .lineString(let ps): return .lineString(try ring(ps))
        case .multiLineString(let ls): return .multiLineString(try ls.map(ring))
        case .polygon(let p): return .polygon(try poly(p))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map(poly))
        case .geometryCollection(let gs): return .geometryCollection(try gs.map { try $0.mapPositions(f) })
        }
    }

    /// Bounding box (minX, minY, maxX, maxY), or nil for an empty shape.
    public var bounds: BoundingBox? {
        var box: BoundingBox?
        _ = mapPositions { p in
            if box == nil { box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) } else { box!.include(p) }
            return p
        }
        return box
    }
}

/// Fixed slots filled from concurrent iterations (`DispatchQueue.concurrentPerform`): each index written once, by
/// one thread; read once all are written.
public final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    public init(count: Int) { slots = Array(repeating: nil, count: count) }
    public func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    /// Every slot's value (all must have been set).
    public var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// An axis-aligned box.
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    public mutating func include(_ p: Position) {
        minX = Swift.min(minX, p.x); minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x); maxY = Swift.max(maxY, p.y)
    }
    public mutating func include(_ b: BoundingBox) {
        minX = Swift.min(minX, b.minX); minY = Swift.min(minY, b.minY)
        maxX = Swift.max(maxX, b.maxX); maxY = Swift.max(maxY, b.maxY)
    }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    /// The box of a non-empty list of positions (a ring, a line).
    public init(of positions: [Position]) {
        self.init(minX: positions[0].x, minY: positions[0].y, maxX: positions[0].x, maxY: positions[0].y)
        for p in positions { include(p) }
    }
    public func intersects(_ o: BoundingBox) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }
    /// Whether `o` lies within this box (boundaries included).
    public func contains(_ o: BoundingBox) -> Bool {
        o.minX >= minX && o.maxX <= maxX && o.minY >= minY && o.maxY <= maxY
    }
}

