// JSON serialisation.

/// Serialises a `JSONValue` to UTF-8 JSON text.
///
/// - Strings: `"` and `\` are escaped, control characters use `\n`, `\t`… or `\u00XX`; everything else
///   (including non-ASCII) is written as UTF-8.
/// - Numbers: integers (up to 2^53) without a fraction (`3`, not `3.0`; `-0` as `0`), other values with the
///   shortest text that reads back to the same `Double`. JSON has no NaN or infinity: those are written `null`.
public struct JSONWriter: Sendable {
    /// The order in which object members are written.
    public enum KeyOrder: Sendable, Hashable {
        /// The order of the `JSONObject` (document or insertion order).
        case insertion
        /// Sorted by key.
        case sorted
    }

    /// Multi-line output with indentation, `"key": value` and one element per line.
    public var pretty: Bool
    public var keyOrder: KeyOrder
    /// Spaces per level when `pretty`.
    public var indentWidth: Int

    public init(pretty: Bool = false, keyOrder: KeyOrder = .insertion, indentWidth: Int = 2) {
        self.pretty = pretty
        self.keyOrder = keyOrder
        self.indentWidth = indentWidth
    }

    /// The JSON text of `value` as UTF-8 bytes.
    public func write(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    /// Appends the JSON text of `value` to `output`.
    public func write(_ value: JSONValue, into output: inout [UInt8]) {
        write(value, level: 0, into: &output)
    }

    /// The JSON text of `value`.
    public func string(_ value: JSONValue) -> String {
        String(decoding: write(value), as: UTF8.self)
    }

    private func newline(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: level * indentWidth))
    }

    private func write(_ value: JSONValue, level: Int, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d):
            JSONEncoding.appendNumber(d, to: &out)
        case .string(let s):
            JSONEncoding.appendString(s, to: &out)
        case .array(let elements):
            out.append(.openBracket)
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(.comma) }
                if pretty { newline(level + 1, &out) }
                write(e, level: level + 1, into: &out)
            }
            if pretty && !elements.isEmpty { newline(level, &out) }
            out.append(.closeBracket)
        case .object(let object):
            out.append(.openBrace)
            var order = Array(object.indices)
            if keyOrder == .sorted { order.sort { object.keys[$0] < object.keys[$1] } }
            for (n, i) in order.enumerated() {
                if n > 0 { out.append(.comma) }
                if pretty { newline(level + 1, &out) }
                JSONEncoding.appendString(object.keys[i], to: &out)
                out.append(.colon)
                if pretty { out.append(0x20) }
                write(object.values[i], level: level + 1, into: &out)
            }
            if pretty && !object.isEmpty { newline(level, &out) }
            out.append(.closeBrace)
        }
    }
}

/// Low-level appenders shared by `JSONWriter` and `GeoJSONWriter`.
enum JSONEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Appends `s` as a quoted, escaped JSON string.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(.quote)
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c < 0x20 || c == .quote || c == .backslash else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                out.append(.backslash)
                switch c {
                case .quote, .backslash: out.append(c)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigits[Int(c >> 4)])
                    out.append(hexDigits[Int(c & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(.quote)
    }

    /// Appends a number: integers without fraction, others shortest round-trip, non-finite as `null`.
    static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if d.rounded(.towardZero) == d && abs(d) < 9_007_199_254_740_992 {
            appendInteger(Int64(d), to: &out)
        } else {
            out.append(contentsOf: d.description.utf8)
        }
    }

    /// Appends the decimal digits of `v`.
    @inline(__always)
    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(.minus) }
        appendDigits(v.magnitude, to: &out)
    }

    /// Appends the decimal digits of `v` (at least one digit).
    @inline(__always)
    static func appendDigits(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 {
            out.append(.zero &+ UInt8(v))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            var v = v
            repeat {
                i -= 1
                buf[i] = .zero &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            } while v != 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    /// Appends a fixed-point number `v / 10^precision` (`unit == 10^precision`), trimming trailing zeros:
    /// `4350000` at precision 6 is `4.35`; `0` is `0` (never `-0`).
    static func appendFixed(_ v: Int64, precision: Int, unit: UInt64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFixedLength) { buf in
            let n = writeFixed(v, precision: precision, unit: unit, to: buf.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buf.baseAddress!, count: n))
        }
    }

    /// The longest text `writeFixed` produces: sign, 19 integer digits, point, 15 decimals.
    static let maxFixedLength = 40

    /// Writes a fixed-point number (see `appendFixed`) at `p`; returns the number of bytes written.
    @inline(__always)
    static func writeFixed(_ v: Int64, precision: Int, unit: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if v < 0 {
            p[0] = .minus
            n = 1
        }
        let m = v.magnitude
        var whole = m / unit
        var fraction = m % unit
        var digits = 1
        var t = whole
        while t >= 10 {
            t /= 10
            digits += 1
        }
        n += digits
        var i = n
        repeat {
            i -= 1
            p[i] = .zero &+ UInt8(truncatingIfNeeded: whole % 10)
            whole /= 10
        } while whole != 0
        guard fraction != 0 else { return n }
        var fd = precision
        while fraction % 10 == 0 {
            fraction /= 10
            fd -= 1
        }
        p[n] = .dot
        n += 1
        var j = n + fd
        while j > n {
            j -= 1
            p[j] = .zero &+ UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
        }
        return n + fd
    }
}
