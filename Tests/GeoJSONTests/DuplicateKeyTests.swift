import Testing
@testable import GeoJSON

// A repeated member name anywhere in a document is refused by both readers, with the path of the repeated member:
// generated documents (collections of features with nested properties, foreign members, crs, bbox) with one
// member of one object written twice. Before, the reader kept the first `type` and the last of everything else.

/// A small JSON tree writer that can write one member of one object twice.
private struct Writer {
    /// The object (by its index in depth-first order) and the member index to repeat.
    var repeatObject: Int
    var repeatMember: Int
    private(set) var objectCounter = 0
    private(set) var repeatedPath: String?

    mutating func write(_ v: JSONValue, path: String, into out: inout String) {
        switch v {
        case .object(let o):
            let me = objectCounter
            objectCounter += 1
            out += "{"
            var first = true
            for (k, (key, value)) in zip(o.keys, o.values).enumerated() {
                let copies = me == repeatObject && k == repeatMember ? 2 : 1
                for copy in 0..<copies {
                    if !first { out += "," }
                    first = false
                    out += "\"\(key)\":"
                    let childPath = path.isEmpty ? key : "\(path).\(key)"
                    if copy == 1 { repeatedPath = childPath }
                    write(value, path: childPath, into: &out)
                }
            }
            out += "}"
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                write(e, path: "\(path)[\(i)]", into: &out)
            }
            out += "]"
        default:
            out += String(decoding: JSONWriter().write(v), as: UTF8.self)
        }
    }
}

private struct Generator {
    var rng: SplitMix
    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func properties(depth: Int) -> JSONValue {
        var o = JSONObject()
        for k in 0..<(1 + int(4)) {
            switch int(depth > 1 ? 3 : 4) {
            case 0: o["p\(k)"] = .string("v\(int(100))")
            case 1: o["p\(k)"] = .number(Double(int(1000)))
            case 2: o["p\(k)"] = .array([.number(1), .string("x")])
            default: o["p\(k)"] = properties(depth: depth + 1)
            }
        }
        return .object(o)
    }

    mutating func geometry() -> JSONValue {
        let x = 4.0 + Double(int(100)) / 100, y = 51.0 + Double(int(50)) / 100
        if int(2) == 0 { return ["type": "Point", "coordinates": [.number(x), .number(y)]] }
        let ring: JSONValue = [[.number(x), .number(y)], [.number(x + 0.01), .number(y)], [.number(x + 0.01), .number(y + 0.01)], [.number(x), .number(y)]]
        return ["type": "Polygon", "coordinates": [ring]]
    }

    mutating func document() -> JSONValue {
        var features: [JSONValue] = []
        for i in 0..<(1 + int(4)) {
            var f: JSONObject = ["type": "Feature"]
            if int(2) == 0 { f["id"] = .number(Double(i)) }
            f["properties"] = properties(depth: 0)
            f["geometry"] = geometry()
            features.append(.object(f))
        }
        var root: JSONObject = ["type": "FeatureCollection"]
        if int(2) == 0 { root["name"] = "layer" }
        if int(2) == 0 { root["crs"] = ["type": "name", "properties": ["name": "urn:ogc:def:crs:OGC:1.3:CRS84"]] }
        if int(2) == 0 { root["metadata"] = ["source": "test", "nested": ["a": 1]] }
        root["features"] = .array(features)
        return .object(root)
    }
}

private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func objectCount(_ v: JSONValue) -> [Int] {
    // The member count of every object, depth-first.
    var out: [Int] = []
    func visit(_ v: JSONValue) {
        switch v {
        case .object(let o): out.append(o.count); o.values.forEach(visit)
        case .array(let a): a.forEach(visit)
        default: break
        }
    }
    visit(v)
    return out
}

@Suite struct DuplicateKeyTests {
    @Test func everyRepeatedMemberIsRefusedWithItsPath() throws {
        var g = Generator(rng: SplitMix(state: 2026))
        var cases = 0
        for _ in 0..<400 {
            let doc = g.document()
            let counts = objectCount(doc)
            let o = g.int(counts.count)
            var w = Writer(repeatObject: o, repeatMember: g.int(counts[o]))
            var text = ""
            w.write(doc, path: "", into: &text)
            let path = try #require(w.repeatedPath)
            cases += 1

            // The JSON parser.
            do {
                _ = try JSONParser().parse(text)
                Issue.record("JSONParser accepted a repeated \(path): \(text)")
            } catch {
                #expect(error.kind == .duplicateKey, "\(error)")
                #expect(error.path == path, "\(error.path) vs \(path)")
            }
            // The GeoJSON reader.
            do {
                _ = try GeoJSONReader().readFeatureCollection(Array(text.utf8))
                Issue.record("GeoJSONReader accepted a repeated \(path): \(text)")
            } catch {
                #expect(error.kind == .duplicateKey, "\(error) for \(path)")
                #expect(error.path == path, "\(error.path) vs \(path)")
                #expect(error.line != nil && error.message.contains("\"\(path.split(separator: ".").last!.split(separator: "[").first!)\""))
            }
            // Without the repeat, both read it.
            var clean = ""
            var none = Writer(repeatObject: -1, repeatMember: -1)
            none.write(doc, path: "", into: &clean)
            #expect(throws: Never.self) { _ = try JSONParser().parse(clean) }
            #expect(throws: Never.self) { _ = try GeoJSONReader().readFeatureCollection(Array(clean.utf8)) }
        }
        #expect(cases == 400)
    }

    @Test func theTypeMemberTwiceInAFeature() throws {
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","type":"Feature","properties":{},"geometry":null}]}"#
        #expect { _ = try GeoJSONReader().readFeatureCollection(Array(text.utf8)) } throws: { e in
            guard let e = e as? GeoJSONError else { return false }
            return e.kind == .duplicateKey && e.path == "features[0].type" && e.featureIndex == 0 && e.column == 59
        }
    }
}
