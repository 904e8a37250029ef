import Testing
@testable import GeoJSON

/// Parses `text`, returning the error (nil on success).
private func parseError(_ text: String, maxDepth: Int = 256) -> JSONParseError? {
    do {
        _ = try JSONParser(maxDepth: maxDepth).parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesAllValueTypes() throws {
        let v = try JSONParser().parse(#" { "s": "x", "n": -12.5e1, "t": true, "f": false, "z": null, "a": [1, [], {}], "o": {"k": 0} } "#)
        #expect(v["s"] == "x")
        #expect(v["n"]?.doubleValue == -125)
        #expect(v["t"]?.boolValue == true)
        #expect(v["f"]?.boolValue == false)
        #expect(v["z"]?.isNull == true)
        #expect(v["a"] == [1, [], [:]])
        #expect(v["a"]?[0]?.intValue == 1)
        #expect(v["a"]?[5] == nil)
        #expect(v["o"]?["k"] == 0)
        #expect(v.objectValue?.keys == ["s", "n", "t", "f", "z", "a", "o"])
    }

    @Test func keepsMemberOrderAndRefusesARepeatedName() throws {
        let v = try JSONParser().parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(try #require(v.objectValue).keys == ["z", "a", "m"])
        let e = try #require(parseError(#"{"z":1,"a":2,"m":3,"a":4}"#))
        #expect(e.kind == .duplicateKey && e.path == "a" && e.column == 20)
        // In a large (indexed) object too.
        let members = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(parseError("{\(members),\"k42\":0}")?.path == "k42")
    }

    @Test func largeObjectsUseTheIndex() throws {
        let members = (0..<500).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let o = try #require(try JSONParser().parse("{\(members)}").objectValue)
        #expect(o.count == 500)
        #expect(o["k499"] == 499)
        #expect(o.keys[123] == "k123")
        var p = o
        p["k7"] = nil
        #expect(p.count == 499 && p["k7"] == nil && p["k8"] == 8 && p.index(forKey: "k8") == 7)
    }

    @Test func stringEscapesAndUnicode() throws {
        let v = try JSONParser().parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00 Ω""#)
        #expect(v == .string("a\"b\\c/d\u{8}\u{c}\n\r\té€😀 Ω"))
    }

    @Test(arguments: [
        (#""\ud83d""#, "unpaired surrogate"),
        (#""\ude00""#, "unpaired surrogate"),
        (#""\ud83dx""#, "unpaired surrogate"),
        (#""\q""#, "invalid escape"),
        (#""\u12G4""#, "invalid hex digit"),
        ("\"a\nb\"", "control character U+000A"),
        (#""abc"#, "unterminated string"),
    ])
    func badStrings(text: String, fragment: String) throws {
        let e = try #require(parseError(text))
        #expect(e.kind == .syntax)
        #expect(e.message.contains(fragment), "\(e.message)")
    }

    @Test func invalidUTF8IsRefused() throws {
        let e = #expect(throws: JSONParseError.self) { try JSONParser().parse([0x22, 0x61, 0xFF, 0x22] as [UInt8]) }
        #expect(e?.message.contains("UTF-8") == true)
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("1.5e3", 1500), ("1E-2", 0.01), ("0.1", 0.1), ("4.359578", 4.359578),
        ("51.505106", 51.505106), ("-2.5E+2", -250), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("1e400", .infinity), ("1e-400", 0), ("9007199254740993", 9007199254740992),
    ])
    func numbers(text: String, value: Double) throws {
        let v = try #require(try JSONParser().parse(text).doubleValue)
        #expect(v == value)
        #expect(v.sign == value.sign)
    }

    @Test func numbersAreCorrectlyRounded() throws {
        // Deterministic pseudo-random decimals of 1…20 digits with exponents -30…30, against the
        // standard library's correctly rounded parser.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for _ in 0..<20_000 {
            let digits = Int(next() % 20) + 1
            var text = next() % 2 == 0 ? "" : "-"
            var mantissa = String(next() % 9 + 1)
            for _ in 1..<digits { mantissa += String(next() % 10) }
            let point = Int(next() % UInt64(digits + 1))
            if point > 0 && point < digits {
                mantissa.insert(".", at: mantissa.index(mantissa.startIndex, offsetBy: point))
            }
            text += mantissa
            if next() % 2 == 0 { text += "e" + String(Int(next() % 61) - 30) }
            let parsed = try #require(try JSONParser().parse(text).doubleValue)
            #expect(parsed.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test(arguments: ["01", "1.", ".5", "+1", "-", "1e", "1e+", "NaN", "Infinity", "-Infinity", "0x10", "1.2.3"])
    func invalidNumbers(text: String) {
        #expect(parseError(text)?.kind == .syntax, "\(text)")
    }

    @Test func errorsGiveLineAndColumn() throws {
        let e = try #require(parseError("{\n  \"a\": [1, 2,,]\n}"))
        #expect(e.kind == .syntax)
        #expect(e.line == 2)
        #expect(e.column == 14)
        #expect(e.path == "a[2]")
        #expect(e.description.hasPrefix("2:14: a[2]: expected a JSON value, found ','"))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let e = try #require(parseError("[\"é€😀\" x]"))
        #expect(e.line == 1 && e.column == 8)
    }

    @Test func rejectsTrailingGarbage() throws {
        #expect(parseError("{} x")?.message.contains("after the end of the JSON value") == true)
        #expect(parseError("1 2")?.kind == .syntax)
        #expect(parseError("[1] ]")?.kind == .syntax)
        #expect(parseError("  true \n\t ") == nil)
    }

    @Test func rejectsMalformedStructure() {
        for text in ["", "   ", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "tru", "nul", "[", "{", "{\"a\":}", "'a'"] {
            #expect(parseError(text)?.kind == .syntax, "\(text)")
        }
        #expect(parseError("")?.message.contains("end of input") == true)
    }

    @Test func acceptsByteOrderMark() throws {
        let v = try JSONParser().parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))
        #expect(v == [1])
    }

    @Test func depthLimit() throws {
        #expect(parseError("[[[1]]]", maxDepth: 3) == nil)
        #expect(parseError("[[[[1]]]]", maxDepth: 3)?.kind == .tooDeep)
        #expect(parseError(#"{"a":{"b":{"c":{}}}}"#, maxDepth: 3)?.kind == .tooDeep)
    }

    @Test func nestingBombFailsCleanly() throws {
        let bomb = String(repeating: "[", count: 100_000)
        let e = try #require(parseError(bomb))
        #expect(e.kind == .tooDeep)
        #expect(e.message.contains("deeper than 256"))
        #expect(e.column == 257)
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(parseError(objects)?.kind == .tooDeep)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func compactOutputKeepsInsertionOrder() {
        let v: JSONValue = ["s": "a\"\\\n\u{1}é", "n": 1, "f": 1.5, "b": true, "z": nil, "a": [1, 2], "o": [:]]
        #expect(JSONWriter().string(v) == #"{"s":"a\"\\\n\u0001é","n":1,"f":1.5,"b":true,"z":null,"a":[1,2],"o":{}}"#)
    }

    @Test(arguments: [
        (3.0, "3"), (-0.0, "0"), (0.1, "0.1"), (-12.0, "-12"), (1e-7, "1e-07"), (1e300, "1e+300"),
        (4.359578, "4.359578"), (9_007_199_254_740_991, "9007199254740991"), (.nan, "null"), (.infinity, "null"),
        (1.0 / 3.0, "0.3333333333333333"),
    ])
    func numbers(value: Double, text: String) {
        #expect(JSONWriter().string(.number(value)) == text)
    }

    @Test func prettySorted() {
        let v: JSONValue = ["b": [1, [:], []], "a": ["y": nil, "x": "s"]]
        let expected = """
            {
              "a": {
                "x": "s",
                "y": null
              },
              "b": [
                1,
                {},
                []
              ]
            }
            """
        #expect(JSONWriter(pretty: true, keyOrder: .sorted).string(v) == expected)
        #expect(JSONWriter(keyOrder: .sorted).string(v) == #"{"a":{"x":"s","y":null},"b":[1,{},[]]}"#)
        #expect(JSONWriter(pretty: true).string(v).hasPrefix("{\n  \"b\": ["))
    }

    @Test func roundTrip() throws {
        let v: JSONValue = [
            "unicode": "é€😀\u{7F}\t\"", "nums": [0, -1, 0.5, 1e-12, 123456.789, -1.7976931348623157e308],
            "nested": [["a": [nil, true, false]]], "empty": "",
        ]
        #expect(try JSONParser().parse(JSONWriter().write(v)) == v)
        #expect(try JSONParser().parse(JSONWriter(pretty: true).write(v)) == v)
        #expect(v.description == JSONWriter().string(v))
    }
}
