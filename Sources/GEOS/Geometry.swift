import CGEOS
import GeoCore

/// An owned GEOS geometry. Created from a `Shape` (or returned by an operation) and freed in `deinit`.
///
/// Not `Sendable`: keep a `Geometry` inside the task that made it and send `Shape` values across tasks.
/// Every operation runs on the calling thread's own GEOS context and throws `GeometryError` with GEOS's
/// message when GEOS fails. The handle is freed with the context that created it (GEOSwift's rule), which the
/// geometry keeps alive, whichever thread the last reference goes away on.
public final class Geometry {
    /// The GEOS handle. Internal: no GEOS type is visible outside this module.
    let ptr: OpaquePointer
    /// The context that created `ptr`.
    let context: GEOSContext

    init(owning ptr: OpaquePointer, context: GEOSContext) {
        self.ptr = ptr
        self.context = context
    }

    deinit { GEOSGeom_destroy_r(context.handle, ptr) }

    /// A copy of the handle, for GEOS functions that take ownership of their arguments.
    fileprivate func cloneHandle(_ ctx: GEOSContext) throws -> OpaquePointer {
        try ctx.call("clone") { GEOSGeom_clone_r($0, ptr) }
    }

    // MARK: - Construction

    /// Builds the GEOS geometry of a shape.
    public convenience init(_ shape: Shape) throws {
        let ctx = GEOSContext.current
        self.init(owning: try Geometry.make(shape, ctx), context: ctx)
    }

    static func coordSeq(_ points: [Position], _ ctx: GEOSContext) throws -> OpaquePointer {
        try points.withUnsafeBufferPointer { buf in
            try buf.withMemoryRebound(to: Double.self) { doubles in
                try ctx.call("coordinate sequence") {
                    GEOSCoordSeq_copyFromBuffer_r($0, doubles.baseAddress, UInt32(points.count), 0, 0)
                }
            }
        }
    }

    static func makeRing(_ points: [Position], _ ctx: GEOSContext) throws -> OpaquePointer {
        let seq = try coordSeq(points, ctx)
        return try ctx.call("linear ring") { GEOSGeom_createLinearRing_r($0, seq) }
    }

    static func makePolygon(_ p: Polygon, _ ctx: GEOSContext) throws -> OpaquePointer {
        let shell = try makeRing(p.exterior, ctx)
        var holes: [OpaquePointer?] = []
        holes.reserveCapacity(p.holes.count)
        do {
            for h in p.holes { holes.append(try makeRing(h, ctx)) }
        } catch {
            GEOSGeom_destroy_r(ctx.handle, shell)
            for h in holes { GEOSGeom_destroy_r(ctx.handle, h) }
            throw error
        }
        return try holes.withUnsafeMutableBufferPointer { hb in
            try ctx.call("polygon") { GEOSGeom_createPolygon_r($0, shell, hb.baseAddress, UInt32(hb.count)) }
        }
    }

    /// The handles of `items`, built one by one; when one fails, those already built are destroyed (no leak).
    static func buildAll<T>(_ items: [T], _ ctx: GEOSContext, _ build: (T) throws -> OpaquePointer) throws -> [OpaquePointer] {
        var built: [OpaquePointer] = []
        built.reserveCapacity(items.count)
        do {
            for item in items { built.append(try build(item)) }
        } catch {
            for h in built { GEOSGeom_destroy_r(ctx.handle, h) }
            throw error
        }
        return built
    }

    static func makeCollection(_ type: Int32, _ parts: [OpaquePointer], _ ctx: GEOSContext) throws -> OpaquePointer {
        var arr: [OpaquePointer?] = parts
        return try arr.withUnsafeMutableBufferPointer { b in
            try ctx.call("collection") { GEOSGeom_createCollection_r($0, type, b.baseAddress, UInt32(b.count)) }
        }
    }

    static func make(_ shape: Shape, _ ctx: GEOSContext) throws -> OpaquePointer {
        switch shape {
        case .point(let p):
            return try ctx.call("point") { GEOSGeom_createPointFromXY_r($0, p.x, p.y) }
        case .multiPoint(let ps):
            let parts = try buildAll(ps, ctx) { p in try ctx.call("point") { GEOSGeom_createPointFromXY_r($0, p.x, p.y) } }
            return try makeCollection(Int32(GEOS_MULTIPOINT.rawValue), parts, ctx)
        case .lineString(let ps):
            let seq = try coordSeq(ps, ctx)
            return try ctx.call("line string") { GEOSGeom_createLineString_r($0, seq) }
        case .multiLineString(let ls):
            let parts = try buildAll(ls, ctx) { ps -> OpaquePointer in
                let seq = try coordSeq(ps, ctx)
                return try ctx.call("line string") { GEOSGeom_createLineString_r($0, seq) }
            }
            return try makeCollection(Int32(GEOS_MULTILINESTRING.rawValue), parts, ctx)
        case .polygon(let p):
            return try makePolygon(p, ctx)
        case .multiPolygon(let ps):
            let parts = try buildAll(ps, ctx) { try makePolygon($0, ctx) }
            return try makeCollection(Int32(GEOS_MULTIPOLYGON.rawValue), parts, ctx)
        case .geometryCollection(let gs):
            let parts = try buildAll(gs, ctx) { try make($0, ctx) }
            return try makeCollection(Int32(GEOS_GEOMETRYCOLLECTION.rawValue), parts, ctx)
        }
    }

    /// A MultiPolygon when every shape is a polygon, else a GeometryCollection, of the given shapes, built
    /// directly without intermediate copies.
    public static func collection(of shapes: [Shape]) throws -> Geometry {
        let ctx = GEOSContext.current
        let allPolygons = shapes.allSatisfy {
            if case .polygon = $0 { return true }
            return false
        }
        let type = allPolygons ? GEOS_MULTIPOLYGON : GEOS_GEOMETRYCOLLECTION
        let parts = try buildAll(shapes, ctx) { try make($0, ctx) }
        return Geometry(owning: try makeCollection(Int32(type.rawValue), parts, ctx), context: ctx)
    }

    /// A collection of copies of the given geometries.
    public static func collection(_ geometries: [Geometry]) throws -> Geometry {
        let ctx = GEOSContext.current
        let parts = try buildAll(geometries, ctx) { try $0.cloneHandle(ctx) }
        return Geometry(owning: try makeCollection(Int32(GEOS_GEOMETRYCOLLECTION.rawValue), parts, ctx), context: ctx)
    }

    /// An axis-aligned rectangle polygon.
    public static func rectangle(_ box: BoundingBox) throws -> Geometry {
        let ring = [Position(box.minX, box.minY), Position(box.maxX, box.minY), Position(box.maxX, box.maxY),
                    Position(box.minX, box.maxY), Position(box.minX, box.minY)]
        return try Geometry(.polygon(Polygon(exterior: ring)))
    }

    /// Reads WKT (mainly for tests).
    public convenience init(wkt: String) throws {
        let ctx = GEOSContext.current
        let reader = try ctx.call("WKT reader") { GEOSWKTReader_create_r($0) }
        defer { GEOSWKTReader_destroy_r(ctx.handle, reader) }
        self.init(owning: try ctx.call("WKT read") { GEOSWKTReader_read_r($0, reader, wkt) }, context: ctx)
    }

    /// WKT text with the given number of decimals (trailing zeros trimmed).
    public func wkt(decimals: Int = 6) throws -> String {
        let ctx = GEOSContext.current
        let writer = try ctx.call("WKT writer") { GEOSWKTWriter_create_r($0) }
        defer { GEOSWKTWriter_destroy_r(ctx.handle, writer) }
        GEOSWKTWriter_setTrim_r(ctx.handle, writer, 1)
        GEOSWKTWriter_setRoundingPrecision_r(ctx.handle, writer, Int32(decimals))
        let s = try ctx.call("WKT write") { GEOSWKTWriter_write_r($0, writer, ptr) }
        defer { GEOSFree_r(ctx.handle, s) }
        return String(cString: s)
    }

    // MARK: - Back to values

    static func positions(_ seq: OpaquePointer?, _ ctx: GEOSContext) throws -> [Position] {
        guard let seq else { return [] }
        var size: UInt32 = 0
        try ctx.status("coordinate sequence size") { GEOSCoordSeq_getSize_r($0, seq, &size) }
        if size == 0 { return [] }
        var out = [Position](repeating: Position(0, 0), count: Int(size))
        try out.withUnsafeMutableBufferPointer { buf in
            try buf.withMemoryRebound(to: Double.self) { d in
                try ctx.status("coordinate copy") { GEOSCoordSeq_copyToBuffer_r($0, seq, d.baseAddress, 0, 0) }
            }
        }
        return out
    }

    static func ringPositions(_ g: OpaquePointer?, _ ctx: GEOSContext) throws -> [Position] {
        guard let g else { return [] }
        return try positions(GEOSGeom_getCoordSeq_r(ctx.handle, g), ctx)
    }

    static func polygonValue(_ g: OpaquePointer, _ ctx: GEOSContext) throws -> Polygon {
        let shell = try ringPositions(GEOSGetExteriorRing_r(ctx.handle, g), ctx)
        let n = GEOSGetNumInteriorRings_r(ctx.handle, g)
        var holes: [Ring] = []
        if n > 0 {
            holes.reserveCapacity(Int(n))
            for i in 0..<n { holes.append(try ringPositions(GEOSGetInteriorRingN_r(ctx.handle, g, i), ctx)) }
        }
        return Polygon(exterior: shell, holes: holes)
    }

    static func shapeValue(_ g: OpaquePointer, _ ctx: GEOSContext) throws -> Shape {
        let type = GEOSGeomTypeId_r(ctx.handle, g)
        func children() -> [OpaquePointer] {
            let n = GEOSGetNumGeometries_r(ctx.handle, g)
            return (0..<max(n, 0)).compactMap { GEOSGetGeometryN_r(ctx.handle, g, $0) }
        }
        switch UInt32(type) {
        case GEOS_POINT.rawValue:
            if GEOSisEmpty_r(ctx.handle, g) == 1 { return .multiPoint([]) }
            let ps = try positions(GEOSGeom_getCoordSeq_r(ctx.handle, g), ctx)
            return .point(ps[0])
        case GEOS_LINESTRING.rawValue, GEOS_LINEARRING.rawValue:
            return .lineString(try positions(GEOSGeom_getCoordSeq_r(ctx.handle, g), ctx))
        case GEOS_POLYGON.rawValue:
            if GEOSisEmpty_r(ctx.handle, g) == 1 { return .multiPolygon([]) }
            return .polygon(try polygonValue(g, ctx))
        case GEOS_MULTIPOINT.rawValue:
            return .multiPoint(try children().map { try positions(GEOSGeom_getCoordSeq_r(ctx.handle, $0), ctx)[0] })
        case GEOS_MULTILINESTRING.rawValue:
            return .multiLineString(try children().map { try positions(GEOSGeom_getCoordSeq_r(ctx.handle, $0), ctx) })
        case GEOS_MULTIPOLYGON.rawValue:
            return .multiPolygon(try children().filter { GEOSisEmpty_r(ctx.handle, $0) == 0 }.map { try polygonValue($0, ctx) })
        default:
            return .geometryCollection(try children().map { try shapeValue($0, ctx) })
        }
    }

    /// The geometry as a value.
    public func shape() throws -> Shape {
        try Geometry.shapeValue(ptr, GEOSContext.current)
    }

    /// The polygons of this geometry (from a Polygon, MultiPolygon or any collection; lines and points dropped).
    public func polygons() throws -> [Polygon] {
        try shape().polygons
    }

    // MARK: - Properties

    public var typeName: String {
        let ctx = GEOSContext.current
        guard let s = GEOSGeomType_r(ctx.handle, ptr) else { return "Unknown" }
        defer { GEOSFree_r(ctx.handle, s) }
        return String(cString: s)
    }

    public var isEmpty: Bool { GEOSisEmpty_r(GEOSContext.current.handle, ptr) == 1 }

    /// Planar area in the units of the coordinates squared.
    public func area() throws -> Double {
        var a = 0.0
        try GEOSContext.current.status("area") { GEOSArea_r($0, ptr, &a) }
        return a
    }

    /// Planar length (perimeter for polygons).
    public func length() throws -> Double {
        var l = 0.0
        try GEOSContext.current.status("length") { GEOSLength_r($0, ptr, &l) }
        return l
    }

    public var numGeometries: Int { Int(GEOSGetNumGeometries_r(GEOSContext.current.handle, ptr)) }
    public var numCoordinates: Int { Int(GEOSGetNumCoordinates_r(GEOSContext.current.handle, ptr)) }

    /// Part `i` of a collection (a copy).
    public func geometry(at i: Int) throws -> Geometry {
        let ctx = GEOSContext.current
        let sub = try ctx.call("geometry at \(i)") { GEOSGetGeometryN_r($0, ptr, Int32(i)) }
        return try ctx.geometry("clone") { GEOSGeom_clone_r($0, sub) }
    }

    public func envelope() throws -> BoundingBox {
        let ctx = GEOSContext.current
        var x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0
        try ctx.status("extent") { GEOSGeom_getExtent_r($0, ptr, &x0, &y0, &x1, &y1) }
        return BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1)
    }

    // MARK: - Validity

    public func isValid() throws -> Bool {
        try GEOSContext.current.predicate("isValid") { GEOSisValid_r($0, ptr) }
    }

    /// "Valid Geometry", or GEOS's reason with a location, e.g. "Self-intersection[4.1 51.2]".
    public func validityReason() throws -> String {
        let ctx = GEOSContext.current
        let s = try ctx.call("isValidReason") { GEOSisValidReason_r($0, ptr) }
        defer { GEOSFree_r(ctx.handle, s) }
        return String(cString: s)
    }

    /// Validity with the reason and the location GEOS reports.
    public func validityDetail() throws -> (valid: Bool, reason: String?, location: Position?) {
        let ctx = GEOSContext.current
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        ctx.lastError = nil
        let r = GEOSisValidDetail_r(ctx.handle, ptr, 0, &reason, &location)
        if r == 2 { throw GeometryError(operation: "isValidDetail", message: ctx.lastError ?? "failed") }
        var text: String?
        if let reason { text = String(cString: reason); GEOSFree_r(ctx.handle, reason) }
        var pos: Position?
        if let location {
            var x = 0.0, y = 0.0
            if GEOSGeomGetX_r(ctx.handle, location, &x) == 1, GEOSGeomGetY_r(ctx.handle, location, &y) == 1 {
                pos = Position(x, y)
            }
            GEOSGeom_destroy_r(ctx.handle, location)
        }
        return (r == 1, text, pos)
    }

    /// nil when valid, else GEOS's reason with its location: "Self-intersection at (4.52, 51.15)".
    public func validityProblem() throws -> String? {
        let d = try validityDetail()
        if d.valid { return nil }
        return (d.reason ?? "invalid") + (d.location.map { " at (\($0.x), \($0.y))" } ?? "")
    }

    public func makeValid() throws -> Geometry {
        try GEOSContext.current.geometry("makeValid") { GEOSMakeValid_r($0, ptr) }
    }

    // MARK: - Overlay

    private func unary(_ name: String, _ f: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        try GEOSContext.current.geometry(name) { f($0, ptr) }
    }

    private func binary(_ name: String, _ other: Geometry,
                        _ f: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        try GEOSContext.current.geometry(name) { f($0, ptr, other.ptr) }
    }

    public func intersection(_ other: Geometry) throws -> Geometry { try binary("intersection", other, GEOSIntersection_r) }
    public func difference(_ other: Geometry) throws -> Geometry { try binary("difference", other, GEOSDifference_r) }
    public func symmetricDifference(_ other: Geometry) throws -> Geometry { try binary("symDifference", other, GEOSSymDifference_r) }
    public func union(_ other: Geometry) throws -> Geometry { try binary("union", other, GEOSUnion_r) }

    /// Union of all parts of this (collection) geometry: robust, for any input.
    public func unaryUnion() throws -> Geometry { try unary("unaryUnion", GEOSUnaryUnion_r) }

    /// Union of all parts on a fixed-precision grid of `gridSize` (robust snapping union).
    public func unaryUnion(gridSize: Double) throws -> Geometry {
        try GEOSContext.current.geometry("unaryUnionPrec") { GEOSUnaryUnionPrec_r($0, ptr, gridSize) }
    }

    /// Coverage union of the parts of this collection: only correct when the parts form a clean coverage
    /// (no overlaps, shared edges with identical vertices). Much faster than `unaryUnion`, since it only removes
    /// edges that occur twice. Callers must validate the coverage first (see Zoning's coverage check).
    public func coverageUnion() throws -> Geometry { try unary("coverageUnion", GEOSCoverageUnion_r) }

    public func boundary() throws -> Geometry { try unary("boundary", GEOSBoundary_r) }

    /// The polygons formed by this (noded) linework, as a GeometryCollection (`GEOSPolygonize`).
    public func polygonize() throws -> Geometry {
        try GEOSContext.current.geometry("polygonize") { ctx in
            var parts: [OpaquePointer?] = [ptr]
            return parts.withUnsafeMutableBufferPointer { GEOSPolygonize_r(ctx, $0.baseAddress, 1) }
        }
    }
    public func centroid() throws -> Geometry { try unary("centroid", GEOSGetCentroid_r) }
    public func pointOnSurface() throws -> Geometry { try unary("pointOnSurface", GEOSPointOnSurface_r) }
    public func convexHull() throws -> Geometry { try unary("convexHull", GEOSConvexHull_r) }
    public func lineMerge() throws -> Geometry { try unary("lineMerge", GEOSLineMerge_r) }
    public func node() throws -> Geometry { try unary("node", GEOSNode_r) }
    public func normalized() throws -> Geometry {
        let ctx = GEOSContext.current
        let c = try ctx.call("clone") { GEOSGeom_clone_r($0, ptr) }
        let g = Geometry(owning: c, context: ctx)
        try ctx.status("normalize") { GEOSNormalize_r($0, c) == 0 ? 1 : 0 }
        return g
    }

    public func buffer(_ width: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try GEOSContext.current.geometry("buffer") { GEOSBuffer_r($0, ptr, width, Int32(quadrantSegments)) }
    }

    /// Douglas-Peucker simplification (may break topology).
    public func simplify(tolerance: Double) throws -> Geometry {
        try GEOSContext.current.geometry("simplify") { GEOSSimplify_r($0, ptr, tolerance) }
    }

    /// Simplification that keeps each ring simple and holes inside shells.
    public func simplifyPreservingTopology(tolerance: Double) throws -> Geometry {
        try GEOSContext.current.geometry("topologyPreserveSimplify") { GEOSTopologyPreserveSimplify_r($0, ptr, tolerance) }
    }

    /// Snaps the vertices and segments of this geometry to those of `reference` within `tolerance`.
    public func snapped(to reference: Geometry, tolerance: Double) throws -> Geometry {
        try GEOSContext.current.geometry("snap") { GEOSSnap_r($0, ptr, reference.ptr, tolerance) }
    }

    /// Rounds coordinates to a grid of `gridSize`, keeping the result valid.
    public func withPrecision(gridSize: Double) throws -> Geometry {
        try GEOSContext.current.geometry("setPrecision") { GEOSGeom_setPrecision_r($0, ptr, gridSize, 0) }
    }

    /// Clip to a rectangle (fast, may return invalid output for invalid input).
    public func clipped(to box: BoundingBox) throws -> Geometry {
        try GEOSContext.current.geometry("clipByRect") {
            GEOSClipByRect_r($0, ptr, box.minX, box.minY, box.maxX, box.maxY)
        }
    }

    /// Voronoi polygons of the vertices of this geometry, clipped to `envelope` if given (else GEOS's default
    /// extent). The cells come back in no particular order.
    public func voronoiDiagram(envelope: Geometry? = nil, tolerance: Double = 0) throws -> Geometry {
        try GEOSContext.current.geometry("voronoiDiagram") {
            GEOSVoronoiDiagram_r($0, ptr, envelope?.ptr, tolerance, 0)
        }
    }

    /// Centre and radius of the largest circle inside this polygon (pole of inaccessibility), to `tolerance`.
    public func maximumInscribedCircle(tolerance: Double) throws -> (center: Position, radius: Double) {
        let line = try unary("maximumInscribedCircle") { GEOSMaximumInscribedCircle_r($0, $1, tolerance) }
        guard case .lineString(let ps) = try line.shape(), ps.count == 2 else {
            throw GeometryError(operation: "maximumInscribedCircle", message: "unexpected result")
        }
        let dx = ps[1].x - ps[0].x, dy = ps[1].y - ps[0].y
        return (ps[0], (dx * dx + dy * dy).squareRoot())
    }

    // MARK: - Predicates and measures

    public func intersects(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("intersects") { GEOSIntersects_r($0, ptr, o.ptr) } }
    public func touches(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("touches") { GEOSTouches_r($0, ptr, o.ptr) } }
    public func contains(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("contains") { GEOSContains_r($0, ptr, o.ptr) } }
    public func covers(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("covers") { GEOSCovers_r($0, ptr, o.ptr) } }
    public func within(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("within") { GEOSWithin_r($0, ptr, o.ptr) } }
    public func overlaps(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("overlaps") { GEOSOverlaps_r($0, ptr, o.ptr) } }
    public func equalsTopologically(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("equals") { GEOSEquals_r($0, ptr, o.ptr) } }

    /// The DE-9IM intersection matrix, e.g. "FF2F11212".
    public func relate(_ o: Geometry) throws -> String {
        let ctx = GEOSContext.current
        let s = try ctx.call("relate") { GEOSRelate_r($0, ptr, o.ptr) }
        defer { GEOSFree_r(ctx.handle, s) }
        return String(cString: s)
    }

    public func relate(_ o: Geometry, pattern: String) throws -> Bool {
        try GEOSContext.current.predicate("relatePattern") { GEOSRelatePattern_r($0, ptr, o.ptr, pattern) }
    }

    public func distance(_ o: Geometry) throws -> Double {
        var d = 0.0
        try GEOSContext.current.status("distance") { GEOSDistance_r($0, ptr, o.ptr, &d) }
        return d
    }

    /// Builds a prepared geometry for repeated predicates against this one.
    public func prepared() throws -> PreparedGeometry { try PreparedGeometry(self) }
}

/// A GEOS prepared geometry: fast repeated predicates (point-in-polygon, intersects) against one geometry.
public final class PreparedGeometry {
    let ptr: OpaquePointer
    /// The context that created `ptr` (it frees it).
    let context: GEOSContext
    /// Keeps the base geometry alive: the prepared geometry refers to it.
    public let base: Geometry

    init(_ base: Geometry) throws {
        self.base = base
        let ctx = GEOSContext.current
        context = ctx
        ptr = try ctx.call("prepare") { GEOSPrepare_r($0, base.ptr) }
    }

    deinit { GEOSPreparedGeom_destroy_r(context.handle, ptr) }

    public func contains(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("preparedContains") { GEOSPreparedContains_r($0, ptr, o.ptr) } }
    public func covers(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("preparedCovers") { GEOSPreparedCovers_r($0, ptr, o.ptr) } }
    public func intersects(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("preparedIntersects") { GEOSPreparedIntersects_r($0, ptr, o.ptr) } }
    public func containsProperly(_ o: Geometry) throws -> Bool { try GEOSContext.current.predicate("preparedContainsProperly") { GEOSPreparedContainsProperly_r($0, ptr, o.ptr) } }

    /// Whether the point (x, y) lies in or on the geometry.
    public func covers(_ p: Position) throws -> Bool {
        let pt = try Geometry(.point(p))
        return try covers(pt)
    }
}

/// A GEOS STR packed R-tree over geometries' envelopes; items are the indexes of the inserted geometries.
public final class SpatialIndex {
    let ptr: OpaquePointer
    /// The context that created `ptr` (it frees it).
    let context: GEOSContext
    private var geometries: [Geometry] = []

    /// Builds the tree over `geometries` (kept alive by the index).
    public init(_ geometries: [Geometry], nodeCapacity: Int = 10) throws {
        let ctx = GEOSContext.current
        context = ctx
        ptr = try ctx.call("STRtree create") { GEOSSTRtree_create_r($0, max(2, nodeCapacity)) }
        self.geometries = geometries
        for (i, g) in geometries.enumerated() {
            GEOSSTRtree_insert_r(ctx.handle, ptr, g.ptr, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, ptr) }

    public var count: Int { geometries.count }
    public subscript(i: Int) -> Geometry { geometries[i] }

    /// Indexes of the geometries whose envelope intersects the envelope of `query`, ascending.
    public func query(_ query: Geometry) -> [Int] {
        final class Box { var hits: [Int] = [] }
        let box = Box()
        let ctx = GEOSContext.current
        withExtendedLifetime(box) {
            GEOSSTRtree_query_r(ctx.handle, ptr, query.ptr, { item, userdata in
                guard let userdata else { return }
                let b = Unmanaged<Box>.fromOpaque(userdata).takeUnretainedValue()
                b.hits.append(Int(bitPattern: item) - 1)
            }, Unmanaged.passUnretained(box).toOpaque())
        }
        return box.hits.sorted()
    }

    /// Indexes of the geometries whose envelope intersects `box`.
    public func query(_ box: BoundingBox) throws -> [Int] {
        try query(Geometry.rectangle(box))
    }
}
