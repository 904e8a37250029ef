// The public JSON parser.

/// A JSON syntax error or a refused nesting depth, with its location.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The text is not valid JSON (RFC 8259) or not valid UTF-8.
        case syntax
        /// Arrays and objects are nested deeper than `JSONParser.maxDepth`.
        case tooDeep
        /// An object has the same member name twice.
        case duplicateKey
    }

    public var kind: Kind
    public var message: String
    /// 1-based line of the error.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the error.
    public var column: Int
    /// Byte offset of the error.
    public var offset: Int
    /// JSON path of the value being read, like `a.b[3]` (empty at the root).
    public var path: String

    public init(kind: Kind, message: String, line: Int, column: Int, offset: Int, path: String = "") {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
    }

    /// `3:17: a.b[3]: expected ',' or ']' after an array element`.
    public var description: String {
        "\(line):\(column): " + (path.isEmpty ? "" : path + ": ") + message
    }
}

/// A fast JSON parser (RFC 8259) working directly on UTF-8 bytes.
///
/// - Accepts exactly one value, with optional surrounding whitespace and an optional UTF-8 byte order mark;
///   trailing characters are an error.
/// - Strings must be valid UTF-8; escapes include `\uXXXX` with surrogate pairs (a lone surrogate is an error).
/// - Numbers follow the RFC grammar (no leading zeros, no `NaN`, no `+1`) and are correctly rounded.
/// - Objects keep member order; a repeated member name is an error (`duplicateKey`), never silently resolved.
/// - Nesting is limited to `maxDepth` arrays/objects, so hostile input such as 100,000 `[` fails cleanly
///   instead of overflowing the stack.
public struct JSONParser: Sendable {
    /// Maximum nesting of arrays and objects (the root container is level 1).
    public var maxDepth: Int

    public init(maxDepth: Int = 256) {
        self.maxDepth = maxDepth
    }

    /// Parses UTF-8 bytes (`[UInt8]`, `Data`, `ArraySlice<UInt8>`, a byte-buffer view…).
    public func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue {
        try withContiguousBytes(bytes) { buffer in parse(buffer: buffer) }.get()
    }

    /// Parses JSON text.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(text.utf8)
    }

    private func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var scanner = JSONScanner(buffer, maxDepth: maxDepth)
        do throws(ReadFailure) {
            let value = try scanner.parseValue(depth: 0)
            try scanner.expectEnd()
            return .success(value)
        } catch {
            let offset = error.offset ?? scanner.pos
            let (line, column) = lineAndColumn(of: offset, in: buffer)
            return .failure(JSONParseError(
                kind: error.kind == .limitExceeded ? .tooDeep : error.kind == .duplicateKey ? .duplicateKey : .syntax,
                message: error.message, line: line, column: column, offset: offset,
                path: PathComponent.render(error.path)))
        }
    }
}
