import Foundation
import Testing
import GeoCore
import GEOS
import GeoJSON
@testable import Zoning

/// A 0.01° square at (4 + x/100, 51 + y/100), CRS84, inside Belgium.
private func cell(_ x: Double, _ y: Double, zone: String, size: Double = 0.01) -> Feature {
    let x0 = 4 + x / 100, y0 = 51 + y / 100
    let ring = [Position(x0, y0), Position(x0 + size, y0), Position(x0 + size, y0 + size), Position(x0, y0 + size), Position(x0, y0)]
    return Feature(properties: ["zone": .string(zone)], geometry: .polygon(Polygon(exterior: ring)))
}

@Suite struct FeatureDissolveTests {
    @Test func eachZoneIsCheckedOnItsOwn() throws {
        // Zone A: a clean 3 × 2 block. Zone B: two squares that overlap by half, far from A.
        var features: [Feature] = []
        for i in 0..<3 { for j in 0..<2 { features.append(cell(Double(i), Double(j), zone: "A")) } }
        features.append(cell(10, 0, zone: "B"))
        features.append(cell(10.5, 0, zone: "B"))
        let r = try FeatureDissolve(grouping: .property("zone")).run(FeatureCollection(features: features))
        let byZone = Dictionary(uniqueKeysWithValues: r.collection.features.map { ($0.properties["zone"]!.stringValue!, $0) })
        // The overlap in B does not send A to the overlay union: A's own blocks are a clean coverage.
        #expect(byZone["A"]?.properties["method"]?.stringValue == "coverage-union")
        #expect(byZone["B"]?.properties["method"]?.stringValue == "unary-union")
        #expect(r.methods == [.coverageUnion: 1, .unaryUnion: 1])
        #expect(byZone["A"]?.geometry?.polygons.count == 1)
        #expect(byZone["A"]?.geometry?.polygons[0].exterior.count == 11)   // 10 boundary vertices + closing
        // B is 1.5 squares, not 2: the overlap is counted once.
        let a = byZone["A"]!.geometry!.area, b = byZone["B"]!.geometry!.area
        #expect(abs(b / a - 1.5 / 6) < 1e-9)
        // The coverage report counts A's 7 shared borders; B's squares share no edge, so the report alone
        // cannot see their overlap (B's union did).
        #expect(r.edgeMatch.sharedEdges == 7)
        #expect(r.edgeMatch.edges == 6 * 4 - 7 + 8)
    }

    @Test func invalidPolygonsAreReportedInInputOrderWithTheirFields() throws {
        // 40 features checked in parallel; the errors still come in input order. Features without a zone are left
        // out (geopandas dropna), not errors.
        var features = (0..<40).map { cell(Double($0), 0, zone: "A") }
        let bowTie = Polygon(exterior: [Position(4, 51), Position(4.01, 51.01), Position(4.01, 51), Position(4, 51.01), Position(4, 51)])
        features[31] = Feature(properties: [:], geometry: .polygon(bowTie))
        features[3] = Feature(properties: ["zone": .string("A")], geometry: .polygon(bowTie))
        features[10] = Feature(properties: [:], geometry: features[10].geometry)
        do {
            _ = try FeatureDissolve(grouping: .property("zone"), source: "cells.geojson").run(FeatureCollection(features: features))
            Issue.record("invalid input was dissolved")
        } catch let e as DataErrors {
            #expect(e.errors.map { "\($0.location ?? "") \($0.field ?? "")" } == ["features[3] geometry", "features[31] geometry"])
            #expect(e.errors[0].message.contains("Self-intersection"))
            #expect(e.errors[0].message.contains("--make-valid"))
            #expect(e.errors.allSatisfy { $0.file == "cells.geojson" })
        }
    }
}

/// The one digit grouping of reports, maps and the page.
@Suite struct DigitGroupingTests {
    @Test(arguments: [(0, "0", "0"), (999, "999", "999"), (1_000, "1,000", "1.000"), (304_108, "304,108", "304.108"),
                      (6_821_770, "6,821,770", "6.821.770"), (-12_345, "-12,345", "-12.345")])
    func groupsThousands(_ n: Int, _ english: String, _ dutch: String) {
        #expect(groupedDigits(n) == english)
        #expect(groupedDigits(n, dutch: true) == dutch)
    }
}

/// Reports print a method by the name GeoJSON and the manifest use.
@Test func aDissolveMethodPrintsItsPublicName() {
    #expect("\(DissolveMethod.coverageUnion)" == "coverage-union")
    #expect(DissolveMethod.allCases.map(\.description) == ["coverage-union", "coverage-union-checked", "unary-union", "single-block"])
}
