import GeoCore

/// Well-known binary (ISO 19125 / OGC Simple Features, little endian, 2D): how shapes cross into GDAL and back,
/// without a text round trip. Hand-written: 2D WKB is a few lines of a fixed layout, and GEOS's reader would bring
/// a second C library into this room.
enum WKB {
    enum Failure: Error, CustomStringConvertible {
        case truncated, unsupported(UInt32)
        var description: String {
            switch self {
            case .truncated: return "the geometry's WKB is truncated"
            case .unsupported(let t): return "WKB geometry type \(t) is not supported (curves are linearised first)"
            }
        }
    }

    // MARK: Writing

    /// `shape` as WKB; polygonal shapes as a MultiPolygon when `promoteToMulti` (one geometry type per layer).
    static func encode(_ shape: Shape, promoteToMulti: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + shape.vertexCount * 16)
        var s = shape
        if promoteToMulti, case .polygon(let p) = shape { s = .multiPolygon([p]) }
        if promoteToMulti, case .lineString(let l) = shape { s = .multiLineString([l]) }
        write(s, into: &out)
        return out
    }

    private static func header(_ type: UInt32, into out: inout [UInt8]) {
        out.append(1)
        append(type, into: &out)
    }

    private static func append(_ v: UInt32, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func append(_ p: Position, into out: inout [UInt8]) {
        withUnsafeBytes(of: p.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: p.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func points(_ ps: [Position], into out: inout [UInt8]) {
        append(UInt32(ps.count), into: &out)
        for p in ps { append(p, into: &out) }
    }

    private static func polygon(_ p: Polygon, into out: inout [UInt8]) {
        header(3, into: &out)
        append(UInt32(p.rings.count), into: &out)
        for r in p.rings { points(r, into: &out) }
    }

    private static func write(_ s: Shape, into out: inout [UInt8]) {
        switch s {
        case .point(let p): header(1, into: &out); append(p, into: &out)
        case .lineString(let l): header(2, into: &out); points(l, into: &out)
        case .polygon(let p): polygon(p, into: &out)
        case .multiPoint(let ps):
            header(4, into: &out); append(UInt32(ps.count), into: &out)
            for p in ps { header(1, into: &out); append(p, into: &out) }
        case .multiLineString(let ls):
            header(5, into: &out); append(UInt32(ls.count), into: &out)
            for l in ls { header(2, into: &out); points(l, into: &out) }
        case .multiPolygon(let ps):
            header(6, into: &out); append(UInt32(ps.count), into: &out)
            for p in ps { polygon(p, into: &out) }
        case .geometryCollection(let gs):
            header(7, into: &out); append(UInt32(gs.count), into: &out)
            for g in gs { write(g, into: &out) }
        }
    }

    // MARK: Reading

    /// A 2D WKB geometry (either byte order; ISO or EWKB-free 2D type codes).
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Shape {
        var r = Reader(bytes: bytes)
        return try r.geometry()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var pos = 0
        var little = true

        mutating func byte() throws -> UInt8 {
            guard pos < bytes.count else { throw Failure.truncated }
            defer { pos += 1 }
            return bytes[pos]
        }

        mutating func uint32() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw Failure.truncated }
            var v: UInt32 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[pos..<pos + 4])) }
            pos += 4
            return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }

        mutating func double() throws -> Double {
            guard pos + 8 <= bytes.count else { throw Failure.truncated }
            var v: UInt64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[pos..<pos + 8])) }
            pos += 8
            return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
        }

        mutating func position() throws -> Position { Position(try double(), try double()) }

        mutating func count() throws -> Int {
            let n = Int(try uint32())
            // Each element takes at least 8 bytes: a count beyond the buffer is a corrupt one, not an allocation.
            guard n <= (bytes.count - pos) / 8 + 1 else { throw Failure.truncated }
            return n
        }

        mutating func positions() throws -> [Position] {
            let n = try count()
            var ps: [Position] = []
            ps.reserveCapacity(n)
            for _ in 0..<n { ps.append(try position()) }
            return ps
        }

        mutating func type() throws -> UInt32 {
            little = try byte() == 1
            return try uint32()
        }

        mutating func polygonBody() throws -> Polygon {
            let n = try count()
            var rings: [Ring] = []
            for _ in 0..<n { rings.append(try positions()) }
            guard let exterior = rings.first else { return Polygon(exterior: []) }
            return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
        }

        mutating func geometry() throws -> Shape {
            let t = try type()
            switch t {
            case 1: return .point(try position())
            case 2: return .lineString(try positions())
            case 3: return .polygon(try polygonBody())
            case 4, 5, 6, 7:
                let n = try count()
                var parts: [Shape] = []
                for _ in 0..<n { parts.append(try geometry()) }
                switch t {
                case 4: return .multiPoint(parts.compactMap { if case .point(let p) = $0 { return p } else { return nil } })
                case 5: return .multiLineString(parts.compactMap { if case .lineString(let l) = $0 { return l } else { return nil } })
                case 6: return .multiPolygon(parts.compactMap { if case .polygon(let p) = $0 { return p } else { return nil } })
                default: return .geometryCollection(parts)
                }
            default: throw Failure.unsupported(t)
            }
        }
    }
}
