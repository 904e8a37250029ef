import GeoCore
import Testing
@testable import GeoJSON

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

private func ring(_ pairs: [(Double, Double)]) -> Ring { pairs.map { Position($0.0, $0.1) } }

/// Clockwise unit square (a wrongly wound exterior).
private let clockwiseSquare = ring([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)])
/// Counter-clockwise small square (a wrongly wound hole).
private let counterClockwiseHole = ring([(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4), (0.2, 0.2)])

@Suite("GeoJSON writer")
struct GeoJSONWriterTests {
    @Test func exactLayout() throws {
        let fc = FeatureCollection(name: "t", features: [
            Feature(id: "x", properties: ["a": 1], geometry: .point(Position(4.35, 51.2))),
            Feature(properties: ["b": nil], geometry: nil),
        ])
        let expected = """
            {"type":"FeatureCollection","name":"t","bbox":[4.35,51.2,4.35,51.2],"features":[
            {"type":"Feature","id":"x","properties":{"a":1},"bbox":[4.35,51.2,4.35,51.2],"geometry":{"type":"Point","coordinates":[4.35,51.2]}},
            {"type":"Feature","properties":{"b":null},"geometry":null}
            ]}

            """
        #expect(text(try GeoJSONWriter().write(fc)) == expected)
        #expect(text(try GeoJSONWriter().write(FeatureCollection())) == "{\"type\":\"FeatureCollection\",\"features\":[]}\n")
    }

    @Test func onePerLine() throws {
        let features = (0..<5).map { Feature(properties: ["i": .number(Double($0))], geometry: .point(Position(Double($0), 1))) }
        let lines = text(try GeoJSONWriter().write(FeatureCollection(features: features))).split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[3].hasPrefix(#"{"type":"Feature","properties":{"i":2}"#))
    }

    @Test func rightHandRule() throws {
        let polygon = Polygon(exterior: clockwiseSquare, holes: [counterClockwiseHole])
        let reversedSecond = Polygon(exterior: ring([(2, 2), (3, 2), (3, 3), (2, 2)]), holes: [])  // already CCW
        let fc = FeatureCollection(features: [
            Feature(geometry: .polygon(polygon)),
            Feature(geometry: .multiPolygon([polygon, reversedSecond])),
        ])
        let back = try GeoJSONReader().readFeatureCollection(try GeoJSONWriter().write(fc))
        for feature in back.features {
            for p in try #require(feature.geometry).polygons {
                #expect(signedArea(p.exterior) > 0, "exterior must be counter-clockwise")
                for h in p.holes { #expect(signedArea(h) < 0, "holes must be clockwise") }
            }
        }
        let written = try #require(back.features[0].geometry?.polygons.first)
        #expect(written.exterior == clockwiseSquare.reversed())
        #expect(written.holes == [counterClockwiseHole.reversed()])
        #expect(back.features[1].geometry?.polygons[1].exterior == reversedSecond.exterior)
    }

    @Test(arguments: [
        (6, Position(4.1234567, 51.00000049), "[4.123457,51]"),
        (2, Position(4.1234567, 51.00000049), "[4.12,51]"),
        (0, Position(4.5, -51.4), "[5,-51]"),
        (6, Position(4.35, 51.2), "[4.35,51.2]"),
        (6, Position(-0.0000001, -0.0), "[0,0]"),
        (6, Position(-0.0000006, -1.5), "[-0.000001,-1.5]"),
        (6, Position(0.000001, 100), "[0.000001,100]"),
        (3, Position(-180, 90), "[-180,90]"),
        (15, Position(0.1, 1e-15), "[0.1,0.000000000000001]"),
        (6, Position(152000.123456789, 212000), "[152000.123457,212000]"),
    ])
    func precision(precision: Int, position: Position, coordinates: String) throws {
        let out = text(try GeoJSONWriter(precision: precision).writeGeometry(.point(position)))
        #expect(out == #"{"type":"Point","coordinates":"# + coordinates + "}")
    }

    @Test func bboxes() throws {
        let a = Polygon(exterior: ring([(4.1, 51.1), (4.5, 51.1), (4.5, 51.3), (4.1, 51.1)]))
        let b = Shape.lineString([Position(3.25, 50.5), Position(3.5, 51.0000001)])
        let fc = FeatureCollection(features: [Feature(geometry: .polygon(a)), Feature(geometry: b), Feature(geometry: nil)])
        let out = text(try GeoJSONWriter().write(fc))
        #expect(out.hasPrefix(#"{"type":"FeatureCollection","bbox":[3.25,50.5,4.5,51.3],"features":["#))
        #expect(out.contains(#"{"type":"Feature","properties":{},"bbox":[4.1,51.1,4.5,51.3],"geometry""#))
        #expect(out.contains(#""bbox":[3.25,50.5,3.5,51],"geometry""#))
        #expect(!text(try GeoJSONWriter(includeBBox: false).write(fc)).contains("bbox"))
    }

    @Test func dropsDuplicatesAndCollapsedRings() throws {
        // (1.0000001, 0) rounds onto (1, 0); the ring is also left open, the writer closes it.
        let exterior = ring([(0, 0), (1, 0), (1.0000001, 0), (1, 1), (0, 1)])
        let tinyHole = ring([(0.5, 0.5), (0.5000001, 0.5), (0.5000001, 0.5000001), (0.5, 0.5)])
        let flatHole = ring([(0.2, 0.2), (0.3, 0.2), (0.4, 0.2), (0.2, 0.2)])
        let p = Polygon(exterior: exterior, holes: [tinyHole, flatHole, counterClockwiseHole])
        let out = text(try GeoJSONWriter().writeGeometry(.polygon(p)))
        #expect(out == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.2,0.4],[0.4,0.4],[0.4,0.2],[0.2,0.2]]]}"#)

        let tiny = Polygon(exterior: ring([(4, 51), (4.0000001, 51), (4.0000001, 51.0000001), (4, 51)]))
        #expect(text(try GeoJSONWriter().writeGeometry(.polygon(tiny))) == #"{"type":"Polygon","coordinates":[]}"#)
        let multi = Shape.multiPolygon([tiny, Polygon(exterior: ring([(0, 0), (1, 0), (0, 1), (0, 0)])), tiny])
        #expect(text(try GeoJSONWriter().writeGeometry(multi)) == #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,1],[0,0]]]]}"#)

        let line = Shape.multiLineString([[Position(1, 1), Position(1.0000001, 1), Position(2, 2)], [Position(3, 3), Position(3.0000001, 3)]])
        #expect(text(try GeoJSONWriter().writeGeometry(line)) == #"{"type":"MultiLineString","coordinates":[[[1,1],[2,2]],[[3,3],[3,3]]]}"#)
        let points = Shape.multiPoint([Position(1, 1), Position(1.0000001, 1)])
        #expect(text(try GeoJSONWriter().writeGeometry(points)) == #"{"type":"MultiPoint","coordinates":[[1,1],[1,1]]}"#)
    }

    @Test func geometryCollection() throws {
        let shape = Shape.geometryCollection([.point(Position(1, 2)), .lineString([Position(0, 0), Position(1, 1)])])
        #expect(text(try GeoJSONWriter().writeGeometry(shape))
            == #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}"#)
    }

    @Test func roundTripKeepsPropertiesAndGeometry() throws {
        let properties: JSONObject = [
            "zeta": 1, "alpha": "x", "none": nil, "yes": true, "no": false, "list": [1, "2", nil, [3.5]],
            "obj": ["k": [[:]], "a": -0.25], "float": 0.1, "neg": -12, "big": 1e20, "text": "é😀\n\"q\"\u{1}",
        ]
        let exterior = ring([(4.12345678, 51.1), (4.2, 51.1), (4.2, 51.23456789), (4.12345678, 51.1)])
        let fc = FeatureCollection(name: "round", features: [
            Feature(id: 42, properties: properties, geometry: .polygon(Polygon(exterior: exterior))),
            Feature(id: "b", properties: [:], geometry: .multiLineString([[Position(3, 50), Position(3.1, 50.1)]])),
        ], foreignMembers: ["generator": "zorgzones", "crs": "ignored"])
        let once = try GeoJSONWriter().write(fc)
        #expect(!text(once).contains("crs"))
        #expect(text(once).contains(#""generator":"zorgzones""#))
        let back = try GeoJSONReader().readFeatureCollection(once)
        #expect(back.name == "round")
        #expect(back.foreignMembers == ["generator": "zorgzones"])
        #expect(back.features.map(\.id) == [42, "b"])
        #expect(back.features[0].properties == properties)
        #expect(back.features[0].properties.keys == properties.keys)
        let written = try #require(back.features[0].geometry?.polygons.first?.exterior)
        #expect(written.count == exterior.count)
        for (a, b) in zip(written, exterior) {
            #expect(abs(a.x - b.x) <= 5e-7 && abs(a.y - b.y) <= 5e-7)
        }
        // Writing again is stable.
        #expect(try GeoJSONWriter().write(back) == once)
    }

    @Test func unwritableCoordinates() throws {
        let fc = FeatureCollection(features: [
            Feature(geometry: .point(Position(1, 1))),
            Feature(geometry: .lineString([Position(0, 0), Position(.nan, 1)])),
        ])
        let e = try #require(#expect(throws: GeoJSONError.self) { try GeoJSONWriter().write(fc) })
        #expect(e.kind == .invalidCoordinate && e.path == "features[1].geometry" && e.featureIndex == 1)
        #expect(#expect(throws: GeoJSONError.self) { try GeoJSONWriter().writeGeometry(.point(Position(.infinity, 1))) }?
            .kind == .invalidCoordinate)
        #expect(#expect(throws: GeoJSONError.self) { try GeoJSONWriter(precision: 15).writeGeometry(.point(Position(152000, 1))) }?
            .kind == .invalidCoordinate)
    }

    @Test func writeFeature() throws {
        let f = Feature(id: 3, properties: ["n": "x"], geometry: .point(Position(1, 2)))
        #expect(text(try GeoJSONWriter(includeBBox: false).writeFeature(f))
            == #"{"type":"Feature","id":3,"properties":{"n":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}"#)
    }
}
