import Testing
import GeoCore
@testable import GEOS

@Suite struct PrecisionGridTests {
    @Test func aHoleNarrowerThanTheNextGridSurvivesReduction() throws {
        // A 1e-9° wide triangular hole at Belgian coordinates, written at 9 to 12 decimals, stays a hole.
        let a = 50.2272946296454, b = 50.2273046296454, c = 50.227314629645406
        let shell = [Position(4, 50), Position(5, 50), Position(5, 50.6), Position(4, 50.6), Position(4, 50)]
        let hole = [Position(4.499999999, b), Position(4.5, a), Position(4.5, b), Position(4.5, c), Position(4.499999999, b)]
        for d in 9...12 {
            let out = LayerPrecision.reduce([[Polygon(exterior: shell, holes: [hole])]], to: PrecisionGrid(decimals: d))
            guard case .reduced(let polys, _) = out[0] else { Issue.record("\(d): \(out[0])"); continue }
            #expect(polys.count == 1 && polys[0].holes.count == 1, "\(d) decimals: \(polys)")
        }
    }
}
