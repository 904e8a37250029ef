// JSON values: the in-memory form of parsed JSON (feature properties, ids, foreign members).

/// A JSON value (RFC 8259).
///
/// Numbers are `Double`s: integers are exact up to 2^53. Objects keep their members in document order
/// (see ``JSONObject``), so feature properties round-trip in their original order.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// `true` for `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of a `bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value of a `number`, else nil.
    public var doubleValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// The value of a `number` that is an exact integer representable as `Int`, else nil.
    public var intValue: Int? {
        guard case .number(let d) = self, d.rounded(.towardZero) == d,
              d >= -0x1p63, d < 0x1p63 else { return nil }
        return Int(d)
    }

    /// The value of a `string`, else nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements of an `array`, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members of an `object`, else nil.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The member `key` of an object; nil if absent or if this is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` of an array; nil if out of range or if this is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// "null", "a boolean", "a number", "a string", "an array" or "an object": for messages.
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter().string(self) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

/// A JSON object that keeps its members in insertion (document) order.
///
/// Keys are unique: setting an existing key replaces its value in place, keeping its position.
/// Lookup is linear for small objects; a hash index is kept once an object grows past a few members,
/// so huge objects stay O(1) per lookup. Equality and hashing are order-sensitive (it is an ordered list).
public struct JSONObject: Hashable, Sendable {
    /// The keys, in order.
    public private(set) var keys: [String]
    /// The values, in the order of `keys`.
    public private(set) var values: [JSONValue]
    /// key → position; only kept when `count > JSONObject.indexThreshold`.
    private var lookup: [String: Int]?

    private static let indexThreshold = 12

    /// An empty object.
    public init() {
        keys = []
        values = []
        lookup = nil
    }

    /// An object with the given members in order; for a repeated key, the last value wins
    /// (at the position of the first occurrence).
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        for (k, v) in members { self[k] = v }
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// `true` when there are no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key`, if present.
    public func index(forKey key: String) -> Int? {
        if let lookup { return lookup[key] }
        return keys.firstIndex(of: key)
    }

    /// The value for `key`. Setting a value replaces an existing member in place or appends a new one;
    /// setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return values[i]
        }
        set {
            if let newValue { append(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    /// Adds `key: value` at the end, or replaces the value of an existing `key` in place.
    public mutating func append(_ key: String, _ value: JSONValue) {
        if let i = index(forKey: key) {
            values[i] = value
            return
        }
        keys.append(key)
        values.append(value)
        if lookup != nil {
            lookup![key] = keys.count - 1
        } else if keys.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Removes the member `key`, returning its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = index(forKey: key) else { return nil }
        keys.remove(at: i)
        let old = values.remove(at: i)
        if lookup != nil { rebuildIndex() }
        return old
    }

    private mutating func rebuildIndex() {
        guard keys.count > Self.indexThreshold else {
            lookup = nil
            return
        }
        var d = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { d[k] = i }
        lookup = d
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.keys == b.keys && a.values == b.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension JSONObject: RandomAccessCollection {
    public typealias Element = (key: String, value: JSONValue)
    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> (key: String, value: JSONValue) {
        (keys[position], values[position])
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Members in literal order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter().string(.object(self)) }
}
