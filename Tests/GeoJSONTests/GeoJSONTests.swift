import GeoCore
import Testing
@testable import GeoJSON

// Reader tests: accepted input and every refusal, with its kind, exact path and message.

private let reader = GeoJSONReader(source: "t.geojson")

/// A collection whose only feature has `geometry` (JSON text).
private func collection(geometry: String, properties: String = "{}") -> String {
    #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":"# + properties
        + #","geometry":"# + geometry + "}]}"
}

private func readError(_ text: String, _ r: GeoJSONReader = reader) -> GeoJSONError? {
    do {
        _ = try r.readFeatureCollection(text)
        return nil
    } catch {
        return error
    }
}

/// One refusal to check.
struct Refusal: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var kind: GeoJSONError.Kind
    var path: String
    var fragment: String
    var testDescription: String { name }

    /// A refusal of the geometry of feature 0.
    static func geometry(_ name: String, _ geometry: String, _ kind: GeoJSONError.Kind, _ relativePath: String,
                         _ fragment: String) -> Refusal {
        Refusal(name: name, json: collection(geometry: geometry), kind: kind,
                path: "features[0].geometry" + relativePath, fragment: fragment)
    }
}

private let square = "[[0,0],[1,0],[1,1],[0,1],[0,0]]"

private let refusals: [Refusal] = [
    // Not GeoJSON
    Refusal(name: "array root", json: "[1,2]", kind: .notGeoJSON, path: "", fragment: "found an array"),
    Refusal(name: "no type", json: #"{"features":[]}"#, kind: .notGeoJSON, path: "", fragment: "no \"type\" member"),
    Refusal(name: "TopoJSON", json: #"{"type":"Topology","objects":{}}"#, kind: .notGeoJSON, path: "type",
            fragment: "\"Topology\" is not a GeoJSON type"),
    Refusal(name: "no features", json: #"{"type":"FeatureCollection"}"#, kind: .missingMember, path: "",
            fragment: "no \"features\" member"),
    Refusal(name: "features not array", json: #"{"type":"FeatureCollection","features":{}}"#, kind: .wrongType,
            path: "features", fragment: "\"features\" must be an array, found an object"),
    Refusal(name: "geometry in features",
            json: #"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}"#,
            kind: .wrongType, path: "features[0].type", fragment: "expected a Feature, found type \"Point\""),
    Refusal(name: "feature without type",
            json: #"{"type":"FeatureCollection","features":[{"properties":{},"geometry":null}]}"#,
            kind: .missingMember, path: "features[0]", fragment: "feature has no \"type\" member"),
    // Geometry member
    Refusal(name: "missing geometry",
            json: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1}}]}"#,
            kind: .missingMember, path: "features[0]", fragment: "no \"geometry\" member"),
    .geometry("string geometry", #""POINT (4 51)""#, .wrongType, "", "must be a geometry object or null, found a string"),
    .geometry("array geometry", "[4, 51]", .wrongType, "", "must be a geometry object or null, found an array"),
    .geometry("geometry without type", #"{"coordinates":[1,2]}"#, .missingMember, "", "geometry has no \"type\" member"),
    .geometry("numeric type", #"{"type":7,"coordinates":[1,2]}"#, .wrongType, ".type", "must be a string, found a number"),
    .geometry("Polygon3D", #"{"type":"Polygon3D","coordinates":[]}"#, .unknownGeometryType, ".type",
              "unknown geometry type \"Polygon3D\""),
    .geometry("Circle", #"{"type":"Circle","center":[4,51],"radius":3}"#, .unknownGeometryType, ".type",
              "unknown geometry type \"Circle\""),
    .geometry("lower-case type", #"{"type":"polygon","coordinates":[]}"#, .unknownGeometryType, ".type",
              "case-sensitive"),
    .geometry("missing coordinates", #"{"type":"Polygon"}"#, .missingMember, "", "Polygon has no \"coordinates\" member"),
    .geometry("missing geometries", #"{"type":"GeometryCollection"}"#, .missingMember, "", "no \"geometries\" member"),
    // Nesting
    .geometry("polygon of positions", #"{"type":"Polygon","coordinates":\#(square)}"#, .wrongNesting,
              ".coordinates[0]", "expected a ring (an array of positions), found a position"),
    .geometry("number instead of ring", #"{"type":"Polygon","coordinates":[\#(square), 5]}"#, .wrongNesting,
              ".coordinates[1]", "expected an array, found a number"),
    .geometry("number as coordinates", #"{"type":"LineString","coordinates":5}"#, .wrongNesting,
              ".coordinates", "expected an array, found a number"),
    .geometry("null as coordinates", #"{"type":"LineString","coordinates":null}"#, .wrongNesting,
              ".coordinates", "expected an array, found null"),
    .geometry("multipolygon of rings", #"{"type":"MultiPolygon","coordinates":[\#(square)]}"#, .wrongNesting,
              ".coordinates[0][0]", "expected a ring (an array of positions), found a position"),
    .geometry("point of positions", #"{"type":"Point","coordinates":[[4,51]]}"#, .wrongNesting, ".coordinates",
              "Point coordinates must be one position [x, y], found an array of positions"),
    .geometry("line of rings", #"{"type":"LineString","coordinates":[\#(square)]}"#, .wrongNesting,
              ".coordinates[0]", "expected a position, found an array of positions"),
    .geometry("array inside a position", #"{"type":"LineString","coordinates":[[1,2],[3,[4]]]}"#, .wrongNesting,
              ".coordinates[1][1]", "expected a number, found an array"),
    .geometry("number among positions", #"{"type":"LineString","coordinates":[[1,2],3]}"#, .wrongNesting,
              ".coordinates[1]", "expected a position (an array of numbers), found a number"),
    .geometry("polygon of a position", #"{"type":"Polygon","coordinates":[4,51]}"#, .wrongNesting,
              ".coordinates", "expected an array of rings, found a single position"),
    // Positions and coordinates
    .geometry("position of one number", #"{"type":"LineString","coordinates":[[1,2],[3]]}"#, .invalidPosition,
              ".coordinates[1]", "a position needs at least 2 numbers (longitude, latitude), found 1"),
    .geometry("empty point", #"{"type":"Point","coordinates":[]}"#, .invalidPosition, ".coordinates",
              "found 0"),
    .geometry("empty position in ring", #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[],[0,0]]]}"#,
              .invalidPosition, ".coordinates[0][2]", "found 0"),
    .geometry("NaN", #"{"type":"Point","coordinates":[NaN,51]}"#, .invalidCoordinate, ".coordinates[0]",
              "NaN is not a valid coordinate"),
    .geometry("Infinity", #"{"type":"Point","coordinates":[4,Infinity]}"#, .invalidCoordinate, ".coordinates[1]",
              "Infinity is not a valid coordinate"),
    .geometry("-Infinity", #"{"type":"Point","coordinates":[-Infinity,4]}"#, .invalidCoordinate, ".coordinates[0]",
              "-Infinity"),
    .geometry("overflow", #"{"type":"Point","coordinates":[1e999,4]}"#, .invalidCoordinate, ".coordinates[0]",
              "coordinate 1e999 is not a finite number"),
    .geometry("string coordinate", #"{"type":"Point","coordinates":["4.3",51]}"#, .invalidCoordinate,
              ".coordinates[0]", "expected a number, found the string \"4.3\""),
    .geometry("null coordinate", #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,null],[0,0]]]}"#,
              .invalidCoordinate, ".coordinates[0][2][1]", "expected a number, found null"),
    .geometry("boolean coordinate", #"{"type":"MultiPoint","coordinates":[[1,2],[true,2]]}"#, .invalidCoordinate,
              ".coordinates[1][0]", "expected a number, found a boolean"),
    // Rings and lines
    .geometry("open ring", #"{"type":"Polygon","coordinates":[[[4.1,51.2],[4.2,51.3],[4.25,51.1],[4.3,51.2]]]}"#,
              .ringNotClosed, ".coordinates[0]", "ring is not closed (first (4.1, 51.2) ≠ last (4.3, 51.2))"),
    .geometry("open hole", #"{"type":"Polygon","coordinates":[\#(square),[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.3,0.3]]]}"#,
              .ringNotClosed, ".coordinates[1]", "ring is not closed"),
    .geometry("short ring", #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#, .ringTooShort,
              ".coordinates[0]", "ring has 3 positions; a linear ring needs at least 4"),
    .geometry("short ring in multipolygon", #"{"type":"MultiPolygon","coordinates":[[\#(square)],[\#(square),[]]]}"#,
              .ringTooShort, ".coordinates[1][1]", "ring has 0 positions"),
    .geometry("polygon without rings in multipolygon", #"{"type":"MultiPolygon","coordinates":[[\#(square)],[]]}"#,
              .invalidGeometry, ".coordinates[1]", "polygon has no rings"),
    .geometry("one-position line", #"{"type":"LineString","coordinates":[[1,2]]}"#, .invalidGeometry,
              ".coordinates", "a line needs at least 2 positions, found 1"),
    .geometry("bad geometry in collection",
              #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"Point","coordinates":[1]}]}"#,
              .invalidPosition, ".geometries[1].coordinates", "found 1"),
    // CRS84
    .geometry("longitude out of range", #"{"type":"Point","coordinates":[200,50]}"#, .outOfRange, ".coordinates",
              "longitude 200.0 is outside [-180, 180]"),
    .geometry("latitude out of range", #"{"type":"LineString","coordinates":[[4,50],[4,95.5]]}"#, .outOfRange,
              ".coordinates[1]", "latitude 95.5 is outside [-90, 90]"),
    .geometry("Lambert metres",
              #"{"type":"Polygon","coordinates":[[[152000.5,212000.25],[153000,212000],[153000,213000],[152000.5,212000.25]]]}"#,
              .outOfRange, ".coordinates[0][0]",
              "the file seems to be in a projected CRS such as Belgian Lambert (EPSG:31370/3812) in metres, "
                  + "but RFC 7946 requires CRS84 longitude/latitude"),
    Refusal(name: "Lambert crs",
            json: #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::31370"}},"features":[]}"#,
            kind: .unsupportedCRS, path: "crs",
            fragment: "crs \"urn:ogc:def:crs:EPSG::31370\" (Belgian Lambert 72, in metres) is not supported"),
    Refusal(name: "linked crs",
            json: #"{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"x.prj"}},"features":[]}"#,
            kind: .unsupportedCRS, path: "crs", fragment: "is not understood"),
    // Properties
    Refusal(name: "string properties",
            json: collection(geometry: "null", properties: #""code=1""#), kind: .wrongType,
            path: "features[0].properties", fragment: "\"properties\" must be an object or null, found a string"),
    // Syntax
    Refusal(name: "syntax in properties", json: collection(geometry: "null", properties: #"{"code":1,}"#),
            kind: .syntax, path: "features[0].properties", fragment: "expected a string key, found '}'"),
    Refusal(name: "syntax in a property value", json: collection(geometry: "null", properties: #"{"code":[1 2]}"#),
            kind: .syntax, path: "features[0].properties.code", fragment: "expected ',' or ']' after an array element"),
    Refusal(name: "syntax in coordinates", json: collection(geometry: #"{"type":"Point","coordinates":[1 2]}"#),
            kind: .syntax, path: "features[0].geometry.coordinates", fragment: "expected ',' or ']' after a coordinate"),
    Refusal(name: "trailing garbage", json: collection(geometry: "null") + " x", kind: .syntax, path: "",
            fragment: "after the end of the JSON value"),
]

@Suite("GeoJSON reader")
struct GeoJSONReaderTests {
    @Test(arguments: refusals)
    func refusal(_ r: Refusal) throws {
        let e = try #require(readError(r.json), "\(r.name) was accepted")
        #expect(e.kind == r.kind, "\(e)")
        #expect(e.path == r.path, "\(e)")
        #expect(e.message.contains(r.fragment), "\(e)")
        #expect(e.source == "t.geojson")
        #expect(e.featureIndex == (r.path.hasPrefix("features[0]") ? 0 : nil))
        // Same refusal from an already parsed value, for geometries.
        if r.path.hasPrefix("features[0].geometry"), r.kind != .syntax, r.kind != .wrongType,
           let value = try? JSONParser().parse(r.json), let geometry = value["features"]?[0]?["geometry"] {
            let e2 = #expect(throws: GeoJSONError.self) {
                try reader.readGeometry(geometry, path: "features[0].geometry")
            }
            #expect(e2?.kind == r.kind && e2?.path == r.path, "\(String(describing: e2))")
        }
    }

    @Test func descriptionNamesFileFeatureAndPath() throws {
        let good = #"{"type":"Feature","properties":{},"geometry":null}"#
        let bad = #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[4.1,51.2],[4.2,51.3],[4.25,51.1],[4.3,51.2]]]}}"#
        let text = #"{"type":"FeatureCollection","features":["# + Array(repeating: good, count: 12).joined(separator: ",\n")
            + ",\n" + bad + "]}"
        let e = try #require(readError(text, GeoJSONReader(source: "blocks.geojson")))
        #expect(e.featureIndex == 12)
        #expect(e.line == nil)
        #expect(e.description
            == "blocks.geojson: features[12].geometry.coordinates[0]: ring is not closed (first (4.1, 51.2) ≠ last (4.3, 51.2))")
    }

    @Test func syntaxErrorsGiveLineAndColumn() throws {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"a\":1,},\"geometry\":null}]}"
        let e = try #require(readError(text))
        #expect(e.kind == .syntax)
        #expect(e.line == 2 && e.column == 39)
        #expect(e.description.hasPrefix("t.geojson:2:39: features[0].properties: expected a string key"))
    }

    @Test func nestingBombIsRefusedAsALimit() throws {
        let bomb = String(repeating: "[", count: 100_000)
        #expect(readError(bomb)?.kind == .limitExceeded)
        for geometry in [
            #"{"type":"Point","coordinates":"# + bomb,
            #"{"type":"Polygon","coordinates":"# + bomb + "]]",
        ] {
            let e = try #require(readError(collection(geometry: geometry)))
            #expect(e.kind == .limitExceeded)
            #expect(e.message.contains("deeper than 256"))
            #expect(e.path.hasPrefix("features[0].geometry.coordinates[0][0]"))
        }
        let e = try #require(readError(collection(geometry: "null", properties: #"{"a":"# + bomb)))
        #expect(e.kind == .limitExceeded && e.path.hasPrefix("features[0].properties.a[0][0]"))
    }

    @Test func limits() throws {
        let twoFeatures = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":null}]}"#
        let tooMany = try #require(readError(twoFeatures, GeoJSONReader(maxFeatures: 1)))
        #expect(tooMany.kind == .limitExceeded && tooMany.path == "features[1]" && tooMany.message == "more than 1 features")
        #expect(readError(twoFeatures, GeoJSONReader(maxFeatures: 2)) == nil)

        let polygon = collection(geometry: #"{"type":"Polygon","coordinates":[\#(square)]}"#)
        let tooLarge = try #require(readError(polygon, GeoJSONReader(maxPositions: 4)))
        #expect(tooLarge.kind == .limitExceeded && tooLarge.path == "features[0].geometry.coordinates[0][4]")
        #expect(tooLarge.message == "more than 4 positions")
        #expect(readError(polygon, GeoJSONReader(maxPositions: 5)) == nil)

        let deep = try #require(readError(polygon, GeoJSONReader(maxDepth: 6)))
        #expect(deep.kind == .limitExceeded && deep.path == "features[0].geometry.coordinates[0][0]")
        #expect(readError(polygon, GeoJSONReader(maxDepth: 7)) == nil)
    }

    @Test func readsFeaturesWithAllKindsOfGeometry() throws {
        let text = """
            {"type":"FeatureCollection","name":"test","x-source":{"by":"me"},"bbox":[0,0,1,1],"features":[
            {"type":"Feature","id":"a","properties":{"k":1},"geometry":{"type":"Point","coordinates":[4.5,51.1,12.5]}},
            {"type":"Feature","id":7,"properties":null,"geometry":null},
            {"geometry":{"coordinates":[[1,2],[3,4]],"type":"LineString"},"properties":{},"type":"Feature"},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[\(square),[[0.2,0.2],[0.2,0.4],[0.4,0.4],[0.2,0.2]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[\(square)],[[[2,2],[3,2],[3,3],[2,2]]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}
            ]}
            """
        let fc = try reader.readFeatureCollection(text)
        #expect(fc.name == "test")
        #expect(fc.foreignMembers.keys == ["x-source"])
        #expect(fc.foreignMembers["x-source"]?["by"] == "me")
        #expect(fc.features.count == 9)
        let f = fc.features
        #expect(f[0].id == "a" && f[0].properties == ["k": 1])
        #expect(f[0].geometry == .point(Position(4.5, 51.1)))  // altitude dropped
        #expect(f[1].id == 7 && f[1].properties.isEmpty && f[1].geometry == nil)
        #expect(f[2].geometry == .lineString([Position(1, 2), Position(3, 4)]))  // members in any order
        #expect(f[3].geometry == .multiPoint([]))
        #expect(f[4].geometry == .multiLineString([[Position(1, 2), Position(3, 4)], [Position(5, 6), Position(7, 8)]]))
        let p = try #require(f[5].geometry?.polygons.first)
        #expect(p.exterior.count == 5 && p.holes.count == 1 && p.holes[0][1] == Position(0.2, 0.4))
        #expect(f[6].geometry?.polygons.count == 2)
        #expect(f[7].geometry == .geometryCollection([.point(Position(1, 2))]))
        #expect(f[8].geometry == .multiPolygon([]))
    }

    @Test func wrapsSingleFeatureAndBareGeometry() throws {
        let feature = try reader.readFeatureCollection(#"{"type":"Feature","id":1,"properties":{"a":"b"},"geometry":{"type":"Point","coordinates":[4,51]}}"#)
        #expect(feature.features == [Feature(id: 1, properties: ["a": "b"], geometry: .point(Position(4, 51)))])
        let bare = try reader.readFeatureCollection(#"{"coordinates":[4,51],"type":"Point"}"#)
        #expect(bare.features == [Feature(geometry: .point(Position(4, 51)))])
        let e = try #require(readError(#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[400,51]}}"#))
        #expect(e.path == "geometry.coordinates" && e.featureIndex == nil)
        let e2 = try #require(readError(#"{"type":"MultiPoint","coordinates":[[1,2],[3,"x"]]}"#))
        #expect(e2.path == "coordinates[1][1]")
    }

    @Test(arguments: [
        "urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    ])
    func acceptsCRS84Names(name: String) throws {
        let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"\#(name)"}},"features":[]}"#
        #expect(try reader.readFeatureCollection(text).features.isEmpty)
    }

    @Test func projectedDataWhenValidationIsOff() throws {
        let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:31370"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[152000.5,212000.25]}}]}"#
        #expect(readError(text)?.kind == .unsupportedCRS)
        let fc = try GeoJSONReader(validateCRS84: false).readFeatureCollection(text)
        #expect(fc.features[0].geometry == .point(Position(152000.5, 212000.25)))
    }

    @Test func readsBytesAndData() throws {
        let text = collection(geometry: #"{"type":"Point","coordinates":[4,51]}"#)
        let a = try reader.readFeatureCollection(Array(text.utf8))
        let b = try reader.readFeatureCollection(text)
        let c = try reader.readFeatureCollection(Array(text.utf8)[...])
        #expect(a == b && b == c)
    }

    @Test func readGeometryFromValue() throws {
        let value = try JSONParser().parse(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0.5]]]}"#)
        let e = try #require(#expect(throws: GeoJSONError.self) {
            try GeoJSONReader(source: "req").readGeometry(value, path: "features[3].geometry")
        })
        #expect(e.kind == .ringNotClosed && e.path == "features[3].geometry.coordinates[0]" && e.featureIndex == 3)
        let ok = try reader.readGeometry(["type": "Point", "coordinates": [4, 51]])
        #expect(ok == .point(Position(4, 51)))
        #expect(try #require(readGeometryError(.string("x"))).kind == .wrongType)
    }

    private func readGeometryError(_ v: JSONValue) -> GeoJSONError? {
        do {
            _ = try reader.readGeometry(v)
            return nil
        } catch {
            return error
        }
    }
}
