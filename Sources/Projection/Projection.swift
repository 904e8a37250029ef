import CPROJ
import Foundation
import GeoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The coordinate reference systems zorgzones works in.
public enum CRS: String, Sendable, CaseIterable, Codable {
    /// WGS 84 longitude, latitude (RFC 7946 GeoJSON).
    case crs84 = "OGC:CRS84"
    /// Belgian Lambert 2008, metres. Used for cartography.
    case lambert2008 = "EPSG:3812"
    /// Belgian Lambert 72, metres. Used for areas: the data package's reference areas are in this CRS.
    case lambert72 = "EPSG:31370"

    /// True for metric, projected systems.
    public var isProjected: Bool { self != .crs84 }
}

/// An error reported by PROJ.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { "PROJ: \(message)" }
}

/// One PROJ transformation between two CRS, on one PROJ context. Not thread-safe: use `Projection.transform`,
/// which keeps one context and one transformation per pair per thread.
final class Transformer {
    let ctx: OpaquePointer
    let pj: OpaquePointer

    /// Creates the transformation on a new context of its own (slow: PROJ looks the operation up in proj.db).
    init(from source: CRS, to target: CRS) throws {
        guard let c = proj_context_create() else { throw ProjectionError(message: "cannot create a PROJ context") }
        proj_log_level(c, PJ_LOG_NONE)
        guard let raw = proj_create_crs_to_crs(c, source.rawValue, target.rawValue, nil) else {
            let msg = String(cString: proj_context_errno_string(c, proj_context_errno(c)))
            proj_context_destroy(c)
            throw ProjectionError(message: "no transformation from \(source.rawValue) to \(target.rawValue): \(msg)")
        }
        // Axis order as GIS users expect it: x = easting / longitude, y = northing / latitude.
        guard let norm = proj_normalize_for_visualization(c, raw) else {
            proj_destroy(raw)
            proj_context_destroy(c)
            throw ProjectionError(message: "cannot normalise the axis order of \(source.rawValue) → \(target.rawValue)")
        }
        proj_destroy(raw)
        ctx = c
        pj = norm
    }

    /// A copy of `prototype` on a new context (fast: no proj.db look-up; same operations, same results).
    init(cloning prototype: Transformer) throws {
        guard let c = proj_context_create() else { throw ProjectionError(message: "cannot create a PROJ context") }
        proj_log_level(c, PJ_LOG_NONE)
        guard let copy = proj_clone(c, prototype.pj) else {
            proj_context_destroy(c)
            throw ProjectionError(message: "cannot copy a PROJ transformation")
        }
        ctx = c
        pj = copy
    }

    deinit {
        proj_destroy(pj)
        proj_context_destroy(ctx)
    }

    /// Transforms positions in place.
    func transform(_ points: inout [Position]) throws {
        let n = points.count
        if n == 0 { return }
        let stride = MemoryLayout<Position>.stride
        proj_errno_reset(pj)
        let done = points.withUnsafeMutableBytes { raw -> Int in
            let base = raw.baseAddress!.assumingMemoryBound(to: Double.self)
            return proj_trans_generic(pj, PJ_FWD, base, stride, n, base + 1, stride, n, nil, 0, 0, nil, 0, 0)
        }
        let err = proj_errno(pj)
        if done != n || err != 0 {
            throw ProjectionError(message: String(cString: proj_context_errno_string(ctx, err)))
        }
        for p in points where !p.x.isFinite || !p.y.isFinite {
            throw ProjectionError(message: "position \(p) is outside the area of use of the transformation")
        }
    }
}

/// Per-thread cache of transformers.
private final class TransformerCache {
    var items: [String: Transformer] = [:]
}

private final class CacheKey: Sendable {
    let key: pthread_key_t
    init() {
        var k = pthread_key_t()
        pthread_key_create(&k) { raw in
            #if canImport(Darwin)
            Unmanaged<TransformerCache>.fromOpaque(raw).release()
            #else
            if let raw { Unmanaged<TransformerCache>.fromOpaque(raw).release() }
            #endif
        }
        key = k
    }
}
private let cacheKey = CacheKey()

/// One transformation per CRS pair for the whole process, never used to transform: each thread gets a clone of it
/// (`proj_clone`), which costs well under a millisecond, where creating one costs 20–60 ms.
private final class Prototypes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: Transformer] = [:]
    func clone(_ key: String, from s: CRS, to t: CRS) throws -> Transformer {
        lock.lock()
        defer { lock.unlock() }
        if let p = items[key] { return try Transformer(cloning: p) }
        let p = try Transformer(from: s, to: t)
        items[key] = p
        return try Transformer(cloning: p)
    }
}
private let prototypes = Prototypes()

/// Coordinate transformation through PROJ.
public enum Projection {
    static func transformer(from s: CRS, to t: CRS) throws -> Transformer {
        let cache: TransformerCache
        if let raw = pthread_getspecific(cacheKey.key) {
            cache = Unmanaged<TransformerCache>.fromOpaque(raw).takeUnretainedValue()
        } else {
            cache = TransformerCache()
            pthread_setspecific(cacheKey.key, Unmanaged.passRetained(cache).toOpaque())
        }
        let k = s.rawValue + ">" + t.rawValue
        if let tr = cache.items[k] { return tr }
        let tr = try prototypes.clone(k, from: s, to: t)
        cache.items[k] = tr
        return tr
    }

    /// Transforms positions from one CRS to another.
    public static func transform(_ points: [Position], from s: CRS, to t: CRS) throws -> [Position] {
        if s == t { return points }
        var out = points
        try transformer(from: s, to: t).transform(&out)
        return out
    }

    public static func transform(_ p: Position, from s: CRS, to t: CRS) throws -> Position {
        try transform([p], from: s, to: t)[0]
    }

    /// Transforms every position of a shape.
    public static func transform(_ shape: Shape, from s: CRS, to t: CRS) throws -> Shape {
        if s == t { return shape }
        let tr = try transformer(from: s, to: t)
        func ring(_ r: [Position]) throws -> [Position] { var c = r; try tr.transform(&c); return c }
        func poly(_ p: Polygon) throws -> Polygon { Polygon(exterior: try ring(p.exterior), holes: try p.holes.map(ring)) }
        switch shape {
        case .point(let p): return .point(try ring([p])[0])
        case .multiPoint(let ps): return .multiPoint(try ring(ps))
        case .lineString(let ps): return .lineString(try ring(ps))
        case .multiLineString(let ls): return .multiLineString(try ls.map(ring))
        case .polygon(let p): return .polygon(try poly(p))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map(poly))
        case .geometryCollection(let gs): return .geometryCollection(try gs.map { try transform($0, from: s, to: t) })
        }
    }

    /// The PROJ version this program runs with, e.g. "9.1.1".
    public static var projVersion: String {
        let info = proj_info()
        return String(cString: info.version)
    }
}
