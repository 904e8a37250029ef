import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Zoning
@testable import ZorgzonesService

/// SplitMix64: a small seeded generator, so a failing body can be reproduced from the seed and the index.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of GeoJSON bodies: byte edits, JSON tokens spliced in, and edits of the parsed tree (wrong types,
/// extreme numbers, deep nesting, shuffled rings, removed members).
struct Mutator {
    var rng: SeededRandom

    static let tokens: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-0", "1e999", "-1e308", "1e-400", "NaN",
        "\"Polygon\"", "\"MultiPolygon\"", "\"Point\"", "\"GeometryCollection\"", "\"type\"", "\"coordinates\"",
        "\"features\"", "\"properties\"", "\"geometry\"", "[[[", "]]]", "\\u0000", "\\ud800", "\u{FEFF}", "\u{0}",
        "123456789012345678901234567890", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:31370\"}},",
        "\"dissolve\":{\"by\":\"id\"},", String(repeating: "[", count: 300), "\"\u{E9}\u{1F600}\"",
    ]

    mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    mutating func mutate(_ base: [UInt8]) -> [UInt8] {
        var b = base
        let rounds = 1 + int(3)
        for _ in 0..<rounds {
            switch int(9) {
            case 0 where !b.isEmpty:  // flip a byte
                b[int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 1 where !b.isEmpty:  // delete a range
                let i = int(b.count), n = min(b.count - i, 1 + int(40))
                b.removeSubrange(i..<(i + n))
            case 2 where !b.isEmpty:  // duplicate a range
                let i = int(b.count), n = min(b.count - i, 1 + int(200))
                b.insert(contentsOf: b[i..<(i + n)], at: int(b.count))
            case 3:  // splice a token
                let t = Self.tokens[int(Self.tokens.count)]
                b.insert(contentsOf: Array(t.utf8), at: int(b.count + 1))
            case 4 where !b.isEmpty:  // truncate
                b.removeLast(int(b.count))
            case 5:  // replace a number
                b = replaceNumber(b)
            default:  // an edit of the parsed tree
                b = treeEdit(b)
            }
        }
        return b
    }

    mutating func replaceNumber(_ b: [UInt8]) -> [UInt8] {
        let digits = b.indices.filter { (0x30...0x39).contains(b[$0]) }
        guard let start = digits.isEmpty ? nil : digits[int(digits.count)] else { return b }
        var end = start
        while end < b.count, (0x30...0x39).contains(b[end]) || b[end] == 0x2E || b[end] == 0x65 || b[end] == 0x2D { end += 1 }
        let replacements = ["1e300", "-1e300", "181", "-91", "0", "4.0000000000000001", "1e999", "-", "1.", "01", "9007199254740993"]
        var out = b
        out.replaceSubrange(start..<end, with: Array(replacements[int(replacements.count)].utf8))
        return out
    }

    mutating func treeEdit(_ b: [UInt8]) -> [UInt8] {
        guard let root = try? JSONParser(maxDepth: 64).parse(b) else { return b }
        var value = root
        edit(&value, depth: 0)
        return JSONWriter().write(value)
    }

    mutating func randomValue() -> JSONValue {
        switch int(10) {
        case 0: return .null
        case 1: return .number(1e300)
        case 2: return .string("")
        case 3: return .array([])
        case 4: return .object([:])
        case 5: return .bool(true)
        case 6:
            var v: JSONValue = .number(4)
            for _ in 0..<(10 + int(100)) { v = .array([v]) }
            return v
        case 7: return .array([.number(4), .number(51)])
        case 8: return .array([.array([.number(4), .number(51)]), .array([.number(4.1), .number(51.1)])])
        default: return .number(Double(int(1000)) - 500)
        }
    }

    mutating func edit(_ v: inout JSONValue, depth: Int) {
        switch v {
        case .object(var o) where !o.isEmpty:
            let i = int(o.count)
            let key = o.keys[i]
            switch int(4) {
            case 0: _ = o.removeValue(forKey: key)
            case 1: o[key] = randomValue()
            default:
                var child = o.values[i]
                edit(&child, depth: depth + 1)
                o[key] = child
            }
            v = .object(o)
        case .array(var a) where !a.isEmpty:
            let i = int(a.count)
            switch int(5) {
            case 0: a.remove(at: i)
            case 1: a[i] = randomValue()
            case 2: a.shuffle(using: &rng)  // e.g. a ring's positions: a self-intersecting polygon
            case 3: a.append(a[i])
            default: edit(&a[i], depth: depth + 1)
            }
            v = .array(a)
        default:
            v = randomValue()
        }
    }
}

@Suite("Fuzz")
struct FuzzTests {
    @Test("2000 mutated GeoJSON bodies at /v1/dissolve: every answer 2xx or 4xx, never 5xx, and the service stays up")
    func mutatedBodies() async throws {
        // Seeds: the test grid, a table dissolve, and a few real blocks.
        let blocks = try readCollection(try fileBytes("blocks.geojson"))
        let some = FeatureCollection(features: Array(blocks.features.prefix(6)))
        let real = try GeoJSONWriter(precision: 5).write(some)
        let corpus: [[UInt8]] = [
            Array(grid().utf8),
            Array(grid(extraMembers: #""dissolve":{"key":"nis","table":[{"key":"1","code":"Z1"},{"key":"2","code":"Z1"},{"key":"3","code":"Z2"},{"key":"4","code":"Z2"}]}"#).utf8),
            real,
        ]
        let queries = ["?by=zone", "?by=id&sum=pop", "?by=nis&id=id&precision=3", "?by=zone&validate=false", "", "?by=province",
                       "?by=region&sum=population", "?by=zone&sum=pop,id"]
        let seed: UInt64 = 0x5EED_2026
        let count = 2000
        let results = try await withService(limits: {
            var l = ServiceLimits()
            l.maxFeatures = 200
            l.maxPositions = 200_000
            l.maxBodyBytes = 1 << 20
            return l
        }()) { client in
            var mutator = Mutator(rng: SeededRandom(seed: seed))
            var statuses: [Int: Int] = [:]
            for i in 0..<count {
                let base = corpus[mutator.int(corpus.count)]
                let body = mutator.mutate(base)
                let query = queries[mutator.int(queries.count)]
                let r = try await client.post("/v1/dissolve" + query, body)
                statuses[Int(r.status.code), default: 0] += 1
                let code = Int(r.status.code)
                #expect((200..<300).contains(code) || (400..<500).contains(code),
                        "case \(i) (seed \(seed)): \(code) \(r.text.prefix(300)) for \(query) \(String(decoding: body.prefix(300), as: UTF8.self))")
                if code >= 400 {
                    #expect(r.headers[.contentType] == "application/problem+json", "case \(i)")
                } else {
                    #expect((try? readCollection(r.bytes)) != nil, "case \(i): the answer is not GeoJSON")
                }
            }
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            return statuses
        }
        #expect(results.values.reduce(0, +) == count)
        #expect(results[200, default: 0] > 20, "too few mutations were still valid: \(results)")
        print("fuzz /v1/dissolve: \(results.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
    }
}
