// Writing GeoJSON (RFC 7946).

import GeoCore

/// Writes RFC 7946 GeoJSON: one feature per line (so files diff well), coordinates rounded to `precision`
/// decimals, right-hand rule winding, optional `bbox`es and no `crs` member.
///
/// Output layout:
/// ```
/// {"type":"FeatureCollection","name":"blocks","bbox":[…],"features":[
/// {"type":"Feature","id":…,"properties":{…},"bbox":[…],"geometry":{…}},
/// …
/// ]}
/// ```
///
/// Geometry clean-up, done on the rounded coordinates:
/// - consecutive duplicate positions are dropped (in lines and rings), rings stay closed;
/// - a ring with fewer than 4 positions or zero area after rounding is dropped: a hole alone, or the whole
///   polygon if it is the exterior (a Polygon with nothing left is written with empty coordinates `[]`);
/// - exterior rings are written counter-clockwise, holes clockwise;
/// - a line that collapses to one position is written with that position twice.
///
/// Numbers are fixed-point: `4.35`, not `4.350000`; a value that rounds to zero is `0`, never `-0`.
/// Non-finite coordinates (or coordinates too large for the precision) cannot be written and throw
/// `.invalidCoordinate`.
public struct GeoJSONWriter: Sendable {
    /// Decimals kept in coordinates and bboxes (0...15). 6 decimals of a degree are about 0.1 m.
    public var precision: Int {
        didSet { precondition((0...15).contains(precision), "precision must be in 0...15") }
    }
    /// Write a `bbox` on each feature and on the collection.
    public var includeBBox: Bool

    public init(precision: Int = 6, includeBBox: Bool = true) {
        precondition((0...15).contains(precision), "precision must be in 0...15")
        self.precision = precision
        self.includeBBox = includeBBox
    }

    /// The collection as UTF-8 GeoJSON text, ending with a newline.
    public func write(_ collection: FeatureCollection) throws(GeoJSONError) -> [UInt8] {
        var encoder = GeometryEncoder(precision: precision)
        var body: [UInt8] = []
        body.reserveCapacity(collection.features.reduce(0) { $0 + 64 + ($1.geometry?.vertexCount ?? 0) * 22 })
        var total: FixedBox?
        for (i, feature) in collection.features.enumerated() {
            if i > 0 { body.append(.comma) }
            body.append(0x0A)
            let box = try self.feature(feature, index: i, encoder: &encoder, into: &body)
            if let box { total = total.map { $0.union(box) } ?? box }
        }

        var out: [UInt8] = []
        out.reserveCapacity(body.count + 256)
        out.append(contentsOf: #"{"type":"FeatureCollection""#.utf8)
        if let name = collection.name {
            out.append(contentsOf: #","name":"#.utf8)
            JSONEncoding.appendString(name, to: &out)
        }
        let reserved: Set<String> = ["type", "features", "bbox", "crs", "name"]
        for (key, value) in collection.foreignMembers where !reserved.contains(key) {
            out.append(.comma)
            JSONEncoding.appendString(key, to: &out)
            out.append(.colon)
            JSONWriter().write(value, into: &out)
        }
        if includeBBox, let total {
            out.append(contentsOf: #","bbox":"#.utf8)
            encoder.appendBox(total, to: &out)
        }
        out.append(contentsOf: #","features":["#.utf8)
        out.append(contentsOf: body)
        if !collection.features.isEmpty { out.append(0x0A) }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }

    /// One Feature object as UTF-8 GeoJSON text (no trailing newline).
    public func writeFeature(_ feature: Feature) throws(GeoJSONError) -> [UInt8] {
        var encoder = GeometryEncoder(precision: precision)
        var out: [UInt8] = []
        _ = try self.feature(feature, index: nil, encoder: &encoder, into: &out)
        return out
    }

    /// One geometry object as UTF-8 GeoJSON text (no bbox, no trailing newline).
    public func writeGeometry(_ shape: Shape) throws(GeoJSONError) -> [UInt8] {
        var encoder = GeometryEncoder(precision: precision)
        do {
            try encoder.geometry(shape)
        } catch {
            throw error.geoJSONError(path: "", featureIndex: nil)
        }
        return encoder.out
    }

    /// Appends a Feature object; returns the bbox of what was written.
    private func feature(
        _ feature: Feature, index: Int?, encoder: inout GeometryEncoder, into out: inout [UInt8]
    ) throws(GeoJSONError) -> FixedBox? {
        out.append(contentsOf: #"{"type":"Feature""#.utf8)
        if let id = feature.id {
            out.append(contentsOf: #","id":"#.utf8)
            JSONWriter().write(id, into: &out)
        }
        out.append(contentsOf: #","properties":"#.utf8)
        JSONWriter().write(.object(feature.properties), into: &out)
        var box: FixedBox?
        if let shape = feature.geometry {
            encoder.reset()
            do {
                try encoder.geometry(shape)
            } catch {
                throw error.geoJSONError(path: index.map { "features[\($0)].geometry" } ?? "geometry", featureIndex: index)
            }
            box = encoder.box
            if includeBBox, let box {
                out.append(contentsOf: #","bbox":"#.utf8)
                encoder.appendBox(box, to: &out)
            }
            out.append(contentsOf: #","geometry":"#.utf8)
            out.append(contentsOf: encoder.out)
        } else {
            out.append(contentsOf: #","geometry":null"#.utf8)
        }
        out.append(.closeBrace)
        return box
    }
}

/// A position in units of 10^-precision.
struct FixedPoint: Equatable {
    var x: Int64
    var y: Int64
}

/// A bbox in units of 10^-precision.
struct FixedBox {
    var minX: Int64, minY: Int64, maxX: Int64, maxY: Int64

    func union(_ o: FixedBox) -> FixedBox {
        FixedBox(minX: min(minX, o.minX), minY: min(minY, o.minY), maxX: max(maxX, o.maxX), maxY: max(maxY, o.maxY))
    }
}

/// A coordinate the writer cannot represent.
struct UnwritableCoordinate: Error {
    var position: Position
    var precision: Int

    func geoJSONError(path: String, featureIndex: Int?) -> GeoJSONError {
        GeoJSONError(kind: .invalidCoordinate, source: "<output>", featureIndex: featureIndex, path: path,
            message: "cannot write position \(position): not finite, or too large for \(precision) decimals")
    }
}

/// Writes geometry objects into `out`, tracking their bbox; reuses its scratch buffers between geometries.
struct GeometryEncoder {
    let precision: Int
    let scale: Double
    let unit: UInt64
    var out: [UInt8] = []
    var box: FixedBox?
    private var scratch: [FixedPoint] = []

    init(precision: Int) {
        self.precision = precision
        var u: UInt64 = 1
        for _ in 0..<precision { u *= 10 }
        unit = u
        scale = Double(u)
    }

    mutating func reset() {
        out.removeAll(keepingCapacity: true)
        box = nil
    }

    @inline(__always)
    private func fixed(_ p: Position) throws(UnwritableCoordinate) -> FixedPoint {
        let sx = (p.x * scale).rounded()
        let sy = (p.y * scale).rounded()
        // NaN fails both comparisons.
        guard abs(sx) < 9.0e18 && abs(sy) < 9.0e18 else {
            throw UnwritableCoordinate(position: p, precision: precision)
        }
        return FixedPoint(x: Int64(sx), y: Int64(sy))
    }

    func appendBox(_ b: FixedBox, to out: inout [UInt8]) {
        out.append(.openBracket)
        JSONEncoding.appendFixed(b.minX, precision: precision, unit: unit, to: &out)
        out.append(.comma)
        JSONEncoding.appendFixed(b.minY, precision: precision, unit: unit, to: &out)
        out.append(.comma)
        JSONEncoding.appendFixed(b.maxX, precision: precision, unit: unit, to: &out)
        out.append(.comma)
        JSONEncoding.appendFixed(b.maxY, precision: precision, unit: unit, to: &out)
        out.append(.closeBracket)
    }

    @inline(__always)
    private mutating func appendPoint(_ f: FixedPoint) {
        if var b = box {
            if f.x < b.minX { b.minX = f.x }
            if f.x > b.maxX { b.maxX = f.x }
            if f.y < b.minY { b.minY = f.y }
            if f.y > b.maxY { b.maxY = f.y }
            box = b
        } else {
            box = FixedBox(minX: f.x, minY: f.y, maxX: f.x, maxY: f.y)
        }
        // "[x,y]" formatted on the stack, appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * JSONEncoding.maxFixedLength + 3) { buf in
            let p = buf.baseAddress!
            p[0] = .openBracket
            var n = 1 + JSONEncoding.writeFixed(f.x, precision: precision, unit: unit, to: p + 1)
            p[n] = .comma
            n += 1
            n += JSONEncoding.writeFixed(f.y, precision: precision, unit: unit, to: p + n)
            p[n] = .closeBracket
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n + 1))
        }
    }

    private mutating func appendScratch() {
        out.append(.openBracket)
        for (i, f) in scratch.enumerated() {
            if i > 0 { out.append(.comma) }
            appendPoint(f)
        }
        out.append(.closeBracket)
    }

    private mutating func header(_ type: String) {
        out.append(contentsOf: #"{"type":""#.utf8)
        out.append(contentsOf: type.utf8)
        out.append(contentsOf: #"","coordinates":"#.utf8)
    }

    /// Appends a geometry object.
    mutating func geometry(_ shape: Shape) throws(UnwritableCoordinate) {
        switch shape {
        case .point(let p):
            header("Point")
            appendPoint(try fixed(p))
        case .multiPoint(let ps):
            header("MultiPoint")
            scratch.removeAll(keepingCapacity: true)
            for p in ps { scratch.append(try fixed(p)) }
            appendScratch()
        case .lineString(let ps):
            header("LineString")
            try line(ps)
        case .multiLineString(let lines):
            header("MultiLineString")
            out.append(.openBracket)
            for (i, l) in lines.enumerated() {
                if i > 0 { out.append(.comma) }
                try line(l)
            }
            out.append(.closeBracket)
        case .polygon(let p):
            header("Polygon")
            if !(try polygon(p, leadingComma: false)) { out.append(contentsOf: "[]".utf8) }
        case .multiPolygon(let ps):
            header("MultiPolygon")
            out.append(.openBracket)
            var first = true
            for p in ps where try polygon(p, leadingComma: !first) { first = false }
            out.append(.closeBracket)
        case .geometryCollection(let shapes):
            out.append(contentsOf: #"{"type":"GeometryCollection","geometries":["#.utf8)
            for (i, s) in shapes.enumerated() {
                if i > 0 { out.append(.comma) }
                try geometry(s)
            }
            out.append(.closeBracket)
        }
        out.append(.closeBrace)
    }

    /// A line with consecutive duplicates dropped (a collapsed line keeps two equal positions).
    private mutating func line(_ ps: [Position]) throws(UnwritableCoordinate) {
        scratch.removeAll(keepingCapacity: true)
        for p in ps {
            let f = try fixed(p)
            if scratch.last != f { scratch.append(f) }
        }
        if ps.count >= 2 && scratch.count == 1 { scratch.append(scratch[0]) }
        appendScratch()
    }

    /// Appends `[exterior, holes…]` (preceded by a comma if asked); false, writing nothing, when the
    /// exterior collapses.
    private mutating func polygon(_ p: Polygon, leadingComma: Bool) throws(UnwritableCoordinate) -> Bool {
        guard try prepareRing(p.exterior, counterClockwise: true) else { return false }
        if leadingComma { out.append(.comma) }
        out.append(.openBracket)
        appendScratch()
        for hole in p.holes where try prepareRing(hole, counterClockwise: false) {
            out.append(.comma)
            appendScratch()
        }
        out.append(.closeBracket)
        return true
    }

    /// Rounds `ring` into `scratch`, drops consecutive duplicates, closes it and winds it as asked.
    /// False when it collapses (fewer than 4 positions, or zero area).
    private mutating func prepareRing(_ ring: Ring, counterClockwise: Bool) throws(UnwritableCoordinate) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        for p in ring {
            let f = try fixed(p)
            if scratch.last != f { scratch.append(f) }
        }
        guard let first = scratch.first else { return false }
        if scratch[scratch.count - 1] != first { scratch.append(first) }
        guard scratch.count >= 4 else { return false }
        let area = twiceSignedArea()
        guard area != 0 else { return false }
        if (area > 0) != counterClockwise { scratch.reverse() }
        return true
    }

    /// Twice the signed area of the closed ring in `scratch` (positive when counter-clockwise), computed
    /// relative to its first position — the shoelace formula of `Geometry.signedArea` on the rounded ring.
    private func twiceSignedArea() -> Double {
        let o = scratch[0]
        var s = 0.0
        var px = 0.0
        var py = 0.0
        for f in scratch.dropFirst() {
            let x = Double(f.x &- o.x)
            let y = Double(f.y &- o.y)
            s += px * y - x * py
            px = x
            py = y
        }
        return s
    }
}
