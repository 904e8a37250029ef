// The byte-level JSON scanner shared by `JSONParser` and `GeoJSONReader`.
//
// It works on an `UnsafeBufferPointer<UInt8>` that is only alive inside a `withContiguousStorage…`
// closure, so the scanner never escapes that scope. Errors are `ReadFailure`s; each level that
// unwinds adds its path component (`features`, `[12]`, `geometry`…), so the happy path pays nothing
// for path tracking.

/// One step of a JSON path.
enum PathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)

    /// Renders components (outermost first) as `features[12].geometry.coordinates[0]`, after `prefix`.
    /// Very deep paths (nesting bombs) are shortened in the middle.
    static func render(_ components: [PathComponent], prefix: String = "") -> String {
        var out = prefix
        func add(_ c: PathComponent) {
            switch c {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if isIdentifier(k) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[" + JSONWriter().string(.string(k)) + "]"
                }
            }
        }
        if components.count > 24 {
            for c in components.prefix(8) { add(c) }
            out += "…(\(components.count - 12) more)…"
            for c in components.suffix(4) { add(c) }
        } else {
            for c in components { add(c) }
        }
        return out
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
}

/// An internal error on its way out: the kind, the message, the path gathered while unwinding
/// (innermost first) and, for syntax and depth errors, the byte offset (turned into line:column).
struct ReadFailure: Error {
    var kind: GeoJSONError.Kind
    var message: String
    var offset: Int?
    var reversedPath: [PathComponent] = []

    init(_ kind: GeoJSONError.Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// The same failure, one level further out.
    @inline(__always)
    func at(_ component: PathComponent) -> ReadFailure {
        var f = self
        f.reversedPath.append(component)
        return f
    }

    /// The path components, outermost first.
    var path: [PathComponent] { reversedPath.reversed() }

    /// The index in the root `features` array, if the failure is inside a feature of a collection.
    var featureIndex: Int? {
        let n = reversedPath.count
        guard n >= 2, case .key("features") = reversedPath[n - 1], case .index(let i) = reversedPath[n - 2]
        else { return nil }
        return i
    }
}

/// 1-based line and column (in Unicode scalars) of a byte offset.
func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    var i = 0
    let end = min(offset, bytes.count)
    while i < end {
        let c = bytes[i]
        if c == 0x0A {
            line += 1
            column = 1
        } else if c & 0xC0 != 0x80 {
            column += 1
        }
        i += 1
    }
    return (line, column)
}

/// Calls `body` with contiguous bytes, copying only when the collection has no contiguous storage.
func withContiguousBytes<C: Collection<UInt8>, R>(_ bytes: C, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = bytes.withContiguousStorageIfAvailable(body) { return r }
    return Array(bytes).withUnsafeBufferPointer(body)
}

// ASCII codes used by the scanner.
extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
}

/// Exact powers of ten for the fast number path (all exactly representable as Double).
private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// A forward-only JSON scanner over UTF-8 bytes.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int
    /// Maximum nesting of arrays and objects; deeper input fails with `.limitExceeded`.
    let maxDepth: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        // An UTF-8 byte order mark is allowed (RFC 8259 §8.1) and skipped.
        pos = (bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ? 3 : 0
    }

    // MARK: Bytes

    /// The current byte, or 0 at the end of input.
    @inline(__always) var current: UInt8 { pos < bytes.count ? bytes[pos] : 0 }

    @inline(__always) var atEnd: Bool { pos >= bytes.count }

    @inline(__always) mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    // MARK: Errors

    func syntax(_ message: String, at offset: Int? = nil) -> ReadFailure {
        ReadFailure(.syntax, message, offset: offset ?? pos)
    }

    /// "expected X, found Y" at the current position.
    func unexpected(_ expected: String) -> ReadFailure {
        if atEnd { return syntax("unexpected end of input, expected \(expected)") }
        return syntax("expected \(expected), found \(describeCurrentByte())")
    }

    /// A short description of the current byte for messages.
    func describeCurrentByte() -> String {
        guard !atEnd else { return "end of input" }
        let c = bytes[pos]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x" + String(c, radix: 16, uppercase: true)
    }

    /// What the value starting at the current position is: "an array", "a string", "null"…
    func describeCurrentValue() -> String {
        switch current {
        case .openBrace: return "an object"
        case .openBracket: return "an array"
        case .quote: return "a string"
        case .minus, .zero ... .nine: return "a number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return describeCurrentByte()
        }
    }

    @inline(__always) func checkDepth(_ depth: Int) throws(ReadFailure) {
        if depth > maxDepth {
            throw ReadFailure(.limitExceeded, "JSON nesting is deeper than \(maxDepth) levels", offset: pos)
        }
    }

    // MARK: Structure

    /// At `{`: checks the depth and consumes the brace.
    mutating func beginObject(depth: Int) throws(ReadFailure) {
        guard current == .openBrace else { throw unexpected("'{'") }
        try checkDepth(depth)
        pos += 1
    }

    /// The next member key of an object opened with `beginObject`, positioned at its value;
    /// nil after the closing brace. `names` must start empty for each object: a name it has seen is refused
    /// (`duplicateKey`, with the offset of the repeated name). RFC 8259 says names SHOULD be unique and leaves a
    /// repeated one to each parser (JavaScript keeps the last, others the first): zorgzones refuses rather than
    /// pick, so that no reader of the same bytes can see another document.
    mutating func nextKey(_ names: inout MemberNames) throws(ReadFailure) -> String? {
        let start = pos
        guard let key = try nextKey(&names.first) else { return nil }
        guard names.insert(key) else {
            var keyStart = start
            while keyStart < bytes.count && bytes[keyStart] != .quote { keyStart += 1 }
            throw ReadFailure(.duplicateKey, "the member \"\(key)\" appears more than once in this object; a repeated name is ambiguous (readers disagree on which value counts)", offset: keyStart).at(.key(key))
        }
        return key
    }

    private mutating func nextKey(_ first: inout Bool) throws(ReadFailure) -> String? {
        skipWhitespace()
        if first {
            first = false
            if current == .closeBrace {
                pos += 1
                return nil
            }
        } else {
            switch current {
            case .comma:
                pos += 1
                skipWhitespace()
            case .closeBrace:
                pos += 1
                return nil
            default:
                throw unexpected("',' or '}' after an object member")
            }
        }
        guard current == .quote else { throw unexpected("a string key") }
        let key = try parseString()
        skipWhitespace()
        guard current == .colon else { throw unexpected("':' after an object key") }
        pos += 1
        skipWhitespace()
        return key
    }

    /// At `[`: checks the depth and consumes the bracket.
    mutating func beginArray(depth: Int) throws(ReadFailure) {
        guard current == .openBracket else { throw unexpected("'['") }
        try checkDepth(depth)
        pos += 1
    }

    /// Moves to the next element of an array opened with `beginArray`; false after the closing bracket.
    mutating func nextElement(_ first: inout Bool) throws(ReadFailure) -> Bool {
        skipWhitespace()
        if first {
            first = false
            if current == .closeBracket {
                pos += 1
                return false
            }
            return true
        }
        switch current {
        case .comma:
            pos += 1
            skipWhitespace()
            return true
        case .closeBracket:
            pos += 1
            return false
        default:
            throw unexpected("',' or ']' after an array element")
        }
    }

    /// Fails unless only whitespace is left.
    mutating func expectEnd() throws(ReadFailure) {
        skipWhitespace()
        if !atEnd { throw syntax("unexpected \(describeCurrentByte()) after the end of the JSON value") }
    }

    // MARK: Values

    /// Parses any value; `depth` is the nesting level of the enclosing container (0 at the root).
    mutating func parseValue(depth: Int) throws(ReadFailure) -> JSONValue {
        skipWhitespace()
        switch current {
        case .openBrace:
            return .object(try parseObject(depth: depth + 1))
        case .openBracket:
            try beginArray(depth: depth + 1)
            var elements: [JSONValue] = []
            var first = true
            while try nextElement(&first) {
                do throws(ReadFailure) { elements.append(try parseValue(depth: depth + 1)) } catch { throw error.at(.index(elements.count)) }
            }
            return .array(elements)
        case .quote:
            return .string(try parseString())
        case .minus, .zero ... .nine:
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            throw unexpected("a JSON value")
        }
    }

    /// At `{`: parses an object whose nesting level is `depth`.
    mutating func parseObject(depth: Int) throws(ReadFailure) -> JSONObject {
        try beginObject(depth: depth)
        var object = JSONObject()
        var names = MemberNames()
        while let key = try nextKey(&names) {
            do throws(ReadFailure) { object.append(key, try parseValue(depth: depth)) } catch { throw error.at(.key(key)) }
        }
        return object
    }

    /// Skips any value, validating it, without building it.
    mutating func skipValue(depth: Int) throws(ReadFailure) {
        skipWhitespace()
        switch current {
        case .openBrace:
            try beginObject(depth: depth + 1)
            var names = MemberNames()
            while let key = try nextKey(&names) {
                do throws(ReadFailure) { try skipValue(depth: depth + 1) } catch { throw error.at(.key(key)) }
            }
        case .openBracket:
            try beginArray(depth: depth + 1)
            var first = true
            var i = 0
            while try nextElement(&first) {
                do throws(ReadFailure) { try skipValue(depth: depth + 1) } catch { throw error.at(.index(i)) }
                i += 1
            }
        default:
            _ = try parseValue(depth: depth)
        }
    }

    private mutating func literal(_ word: StaticString) throws(ReadFailure) {
        let n = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard pos + n <= bytes.count else { throw syntax("invalid literal, expected '\(word)'") }
        for i in 0..<n where bytes[pos + i] != start[i] {
            throw syntax("invalid literal, expected '\(word)'")
        }
        pos += n
    }

    // MARK: Strings

    /// At `"`: parses a string (validating UTF-8 and escapes).
    mutating func parseString() throws(ReadFailure) -> String {
        let open = pos
        pos += 1
        let start = pos
        var high: UInt8 = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == .quote {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<pos])
                pos += 1
                if high < 0x80 { return String(decoding: raw, as: UTF8.self) }
                guard let s = String(validating: raw, as: UTF8.self) else {
                    throw syntax("string is not valid UTF-8", at: open)
                }
                return s
            }
            if c == .backslash { return try parseEscapedString(open: open, start: start) }
            if c < 0x20 { throw controlCharacter(c) }
            high |= c
            pos += 1
        }
        throw syntax("unterminated string", at: open)
    }

    private func controlCharacter(_ c: UInt8) -> ReadFailure {
        let hex = String(c, radix: 16, uppercase: true)
        return syntax("control character U+\(hex.count < 2 ? "000" : "00")\(hex) in a string must be escaped")
    }

    /// The slow path of `parseString` once a backslash is met at `pos`.
    private mutating func parseEscapedString(open: Int, start: Int) throws(ReadFailure) -> String {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == .quote {
                pos += 1
                guard let s = String(validating: buffer, as: UTF8.self) else {
                    throw syntax("string is not valid UTF-8", at: open)
                }
                return s
            }
            if c < 0x20 { throw controlCharacter(c) }
            if c != .backslash {
                buffer.append(c)
                pos += 1
                continue
            }
            let escapeStart = pos
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case .quote, .backslash, UInt8(ascii: "/"): buffer.append(e)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(escapeStart)
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard pos + 1 < bytes.count, bytes[pos] == .backslash, bytes[pos + 1] == UInt8(ascii: "u")
                    else { throw syntax("unpaired surrogate in \\u escape", at: escapeStart) }
                    pos += 2
                    let low = try hex4(escapeStart)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw syntax("unpaired surrogate in \\u escape", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw syntax("unpaired surrogate in \\u escape", at: escapeStart)
                }
                appendUTF8(scalar, to: &buffer)
            default:
                throw syntax("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: escapeStart)
            }
        }
        throw syntax("unterminated string", at: open)
    }

    /// Four hex digits of a `\u` escape.
    private mutating func hex4(_ escapeStart: Int) throws(ReadFailure) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw syntax("incomplete \\u escape", at: escapeStart) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt8
            switch c {
            case .zero ... .nine: d = c - .zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw syntax("invalid hex digit in \\u escape", at: escapeStart)
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    private func appendUTF8(_ v: UInt32, to buffer: inout [UInt8]) {
        switch v {
        case ..<0x80:
            buffer.append(UInt8(v))
        case ..<0x800:
            buffer.append(UInt8(0xC0 | v >> 6))
            buffer.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            buffer.append(UInt8(0xE0 | v >> 12))
            buffer.append(UInt8(0x80 | v >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | v & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | v >> 18))
            buffer.append(UInt8(0x80 | v >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | v >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | v & 0x3F))
        }
    }

    // MARK: Numbers

    /// At `-` or a digit: parses a number with the RFC 8259 grammar
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// Up to 15 significant digits with a small exponent are converted exactly by one multiplication or
    /// division (both operands exact, so the IEEE result is correctly rounded); other numbers go through
    /// the standard library's correctly rounded parser. Out-of-range numbers become ±infinity.
    @inline(__always)
    mutating func parseNumber() throws(ReadFailure) -> Double {
        let start = pos
        let count = bytes.count
        var negative = false
        if pos < count && bytes[pos] == .minus {
            negative = true
            pos += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits in `mantissa`
        var exponent = 0        // decimal exponent to apply to `mantissa`
        var c = current
        if c == .zero {
            pos += 1
            c = current
            if c >= .zero && c <= .nine { throw syntax("invalid number: leading zero", at: start) }
        } else if c > .zero && c <= .nine {
            repeat {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- .zero)
                    digits += 1
                } else {
                    exponent += 1
                }
                pos += 1
                c = current
            } while c >= .zero && c <= .nine
        } else {
            throw syntax("invalid number: expected a digit", at: pos)
        }
        if c == .dot {
            pos += 1
            c = current
            guard c >= .zero && c <= .nine else { throw syntax("invalid number: expected a digit after '.'", at: pos) }
            repeat {
                if digits < 19 {
                    if mantissa != 0 || c != .zero { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(c &- .zero)
                    exponent -= 1
                }
                pos += 1
                c = current
            } while c >= .zero && c <= .nine
        }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            pos += 1
            c = current
            var expNegative = false
            if c == .plus || c == .minus {
                expNegative = c == .minus
                pos += 1
                c = current
            }
            guard c >= .zero && c <= .nine else { throw syntax("invalid number: expected a digit in the exponent", at: pos) }
            var e = 0
            repeat {
                if e < 100_000 { e = e * 10 + Int(c - .zero) }
                pos += 1
                c = current
            } while c >= .zero && c <= .nine
            exponent += expNegative ? -e : e
        }
        if digits <= 15 && exponent >= -22 && exponent <= 22 {
            var v = Double(mantissa)
            if exponent < 0 { v /= powersOfTen[-exponent] } else if exponent > 0 { v *= powersOfTen[exponent] }
            return negative ? -v : v
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let v = Double(text) else { throw syntax("invalid number", at: start) }
        return v
    }
}

/// The member names of one object read so far: a short list (objects are mostly small), a set beyond.
struct MemberNames {
    var first = true
    private var few: [String] = []
    private var many: Set<String>?

    init() {}

    /// False when `name` was seen already.
    mutating func insert(_ name: String) -> Bool {
        if many != nil { return many!.insert(name).inserted }
        if few.contains(name) { return false }
        few.append(name)
        if few.count > 16 { many = Set(few); few = [] }
        return true
    }
}
