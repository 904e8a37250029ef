import Foundation
import Testing
import TestSupport
@testable import GeoCore

/// Exact rational value of a double, as (numerator, power of two): x = m · 2^e with integer m.
private func decompose(_ x: Double) -> (m: Int64, e: Int) {
    if x == 0 { return (0, 0) }
    let e = x.exponent - 52
    let m = Int64(x.significand * 0x1p52) * (x < 0 ? -1 : 1)
    return (m, Int(e))
}

/// The exact sign of a·d − b·c + … for small-exponent doubles, through Int128 after aligning exponents. Only for
/// doubles whose exponents lie within a small range (the test builds them so).
private func exactSignOfSumOfProducts(_ terms: [(Double, Double, Int)]) -> Int {
    let parts = terms.map { (a, b, s) -> (m: Int128, e: Int) in
        let (ma, ea) = decompose(a), (mb, eb) = decompose(b)
        return (Int128(ma) * Int128(mb) * Int128(s), ea + eb)
    }
    let minE = parts.filter { $0.m != 0 }.map(\.e).min() ?? 0
    var total: Int128 = 0
    for p in parts where p.m != 0 { total += p.m << (p.e - minE) }
    return total == 0 ? 0 : (total > 0 ? 1 : -1)
}

@Suite struct PredicateTests {
    @Test func orientationIsExactOnNearlyCollinearPoints() {
        // Points on the line y = x in floating point, nudged by one unit in the last place: the plain determinant
        // gets many of these wrong; the exact sign must match Int128 arithmetic on the same doubles.
        var rng = Xorshift(seed: 7)
        var disagreementsWithNaive = 0
        for _ in 0..<20_000 {
            let base = Double.random(in: 0.5...1, using: &rng)
            let a = Position(base, base)
            let t = Double.random(in: 1...2, using: &rng)
            let b = Position(base * t, base * t)
            var c = Position(base * 1.5, base * 1.5)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: c.x = c.x.nextUp
            case 1: c.y = c.y.nextDown
            default: break
            }
            let want = exactSignOfSumOfProducts([(a.x, b.y, 1), (a.x, c.y, -1), (c.x, b.y, -1), (a.y, b.x, -1), (a.y, c.x, 1), (b.x, c.y, 1)])
            let got = exactOrientation(a, b, c)
            #expect(got == want, "\(a) \(b) \(c)")
            let naive = (a.x - c.x) * (b.y - c.y) - (a.y - c.y) * (b.x - c.x)
            if (naive > 0 ? 1 : naive < 0 ? -1 : 0) != want { disagreementsWithNaive += 1 }
        }
        // The test is only meaningful if plain floating point gets some of them wrong.
        #expect(disagreementsWithNaive > 100)
    }

    @Test func areaSignOfATinySliverFarFromTheOrigin() {
        // The overlap ring of issue 11's example: 2e-10° wide at (4.5, 50.2); its shoelace sum in floating point is
        // noise, its exact sign is counter-clockwise.
        let ring = [Position(4.5, 50.200615), Position(4.5000000002, 50.200625), Position(4.5, 50.200635),
                    Position(4.5, 50.200625), Position(4.5, 50.200615)]
        #expect(exactAreaSign(ring) == 1)
        #expect(exactAreaSign(ring.reversed()) == -1)
        #expect(isCounterClockwise(ring))
        // Exactly collinear (all on x = 4.5): zero.
        #expect(exactAreaSign([Position(4.5, 50.1), Position(4.5, 50.3), Position(4.5, 50.2), Position(4.5, 50.1)]) == 0)
    }

    @Test func outOfRangeCoordinatesAreUndecidedNotGuessed() {
        let big = 1e200
        #expect(exactOrientation(Position(0, 0), Position(big, big), Position(big * 0.5, big * 0.5 + 1e190)) == nil)
        #expect(exactOrientation(Position(0, 0), Position(1e-300, 1e-300), Position(5e-301, 6e-301)) == nil)
        #expect(exactAreaSign([Position(.nan, 0), Position(1, 0), Position(1, 1), Position(.nan, 0)]) == nil)
        // Far but in range: still exact.
        #expect(exactOrientation(Position(1e15, 1e15), Position(1e15 + 2, 1e15 + 2), Position(1e15 + 1, 1e15 + 1)) == 0)
    }

    @Test func theIssueExampleIsNotUnitedIntoARectangleWithAHole() {
        // Two rectangles whose shared side differs by one vertex bulging 2e-10° into the neighbour (issue 11).
        let left = Polygon(exterior: [Position(4.0, 50.0), Position(4.5, 50.0), Position(4.5, 50.200615), Position(4.5000000002, 50.200625),
                                      Position(4.5, 50.200635), Position(4.5, 50.5), Position(4.0, 50.5), Position(4.0, 50.0)])
        let right = Polygon(exterior: [Position(4.5, 50.0), Position(5.0, 50.0), Position(5.0, 50.5), Position(4.5, 50.5),
                                       Position(4.5, 50.200635), Position(4.5, 50.200625), Position(4.5, 50.200615), Position(4.5, 50.0)])
        switch CoverageUnion.union([left, right]) {
        case .certified(let p), .unverified(let p, _):
            Issue.record("an overlap was united by edge cancellation: \(p.map { $0.holes.count })")
        case .notACoverage, .unsupported:
            break
        }
    }
}
