import Foundation
import Testing
import GeoCore
import GEOS
@testable import Zoning

// Generators of adversarial coverages (issue 11), each class a function of a seed, checked against GEOS's overlay
// union as the oracle: the dissolve must be valid, cover the same area (symmetric difference within 1e-12 of the
// area), and have the same parts and holes; written at 12, 9 and 6 decimals it must still be valid. The same
// classes, larger and against shapely/GEOS 3.14, are in Scripts/fuzz (property.py).

/// splitmix64: seeded, so every run sees the same cases.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
    Polygon(exterior: [Position(x0, y0), Position(x1, y0), Position(x1, y1), Position(x0, y1), Position(x0, y0)])
}

private func ring(_ pts: [(Double, Double)]) -> [Position] {
    let r = pts.map { Position($0.0, $0.1) }
    return r + [r[0]]
}

let epsilons: [Double] = [1e-12, 1e-11, 1e-10, 2e-10, 1e-9, 1e-8, 1e-7, 1e-6]

/// A grid of squares with shared vertices; `extra` vertices on each side (shared by both neighbours).
func squareGrid(_ nx: Int, _ ny: Int, x0: Double = 4, y0: Double = 50, size: Double = 0.1) -> [[Polygon]] {
    (0..<nx).map { i in (0..<ny).map { j in
        rect(x0 + Double(i) * size, y0 + Double(j) * size, x0 + Double(i + 1) * size, y0 + Double(j + 1) * size)
    } }
}

enum Adversarial {
    /// Two rectangles whose shared side bulges by eps into (eps > 0: an overlap) or away from (a gap) the
    /// neighbour, with the vertex on one side only, on both, or the whole edge shifted.
    static func micro(_ eps: Double, mode: Int, y: Double, d: Double) -> [Polygon] {
        let xm = 4.5
        var left: [(Double, Double)] = [(xm, 50.0), (xm, y - d), (xm + eps, y), (xm, y + d), (xm, 50.5)]
        var right: [(Double, Double)]
        switch mode {
        case 0: right = [(xm, 50.5), (xm, y + d), (xm, y), (xm, y - d), (xm, 50.0)]
        case 1: right = [(xm, 50.5), (xm, y + d), (xm, y - d), (xm, 50.0)]
        case 2:
            left = [(xm, 50.0), (xm + eps, y), (xm, 50.5)]
            right = [(xm, 50.5), (xm - eps, y), (xm, 50.0)]
        default: right = [(xm, 50.5), (xm, y + d), (xm + eps / 2, y), (xm, y - d), (xm, 50.0)]
        }
        return [Polygon(exterior: ring([(4.0, 50.0)] + left + [(4.0, 50.5)])),
                Polygon(exterior: ring([(5.0, 50.0), (5.0, 50.5)] + right))]
    }

    /// A grid where some cells have a vertex on a side that their neighbour lacks (T-junctions).
    static func tJunctions(_ rng: inout SplitMix) -> [Polygon] {
        let n = Int.random(in: 2...4, using: &rng)
        return squareGrid(n, n).flatMap { $0 }.map { p in
            guard Bool.random(using: &rng) else { return p }
            var e = p.exterior
            let k = Int.random(in: 0..<4, using: &rng)
            let t = [0.5, 1.0 / 3, Double.random(in: 0.01...0.99, using: &rng)].randomElement(using: &rng)!
            let a = e[k], b = e[k + 1]
            e.insert(Position(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)), at: k + 1)
            return Polygon(exterior: e)
        }
    }

    /// Clockwise exteriors and duplicated features.
    static func duplicatesReversed(_ rng: inout SplitMix) -> [Polygon] {
        let n = Int.random(in: 1...4, using: &rng)
        var out: [Polygon] = []
        for p in squareGrid(n, n).flatMap({ $0 }) {
            out.append(Bool.random(using: &rng) ? Polygon(exterior: p.exterior.reversed()) : p)
            if Int.random(in: 0..<3, using: &rng) == 0 { out.append(p) }
        }
        return out
    }

    /// A square with a hole, and something in the hole: its exact filling, a filling scaled by 1 ± eps, an
    /// island, an island touching the hole, a half filling.
    static func holes(mode: Int, h: Double, eps: Double) -> [Polygon] {
        let hole = ring([(4.5 - h, 50.5 - h), (4.5 + h, 50.5 - h), (4.5 + h, 50.5 + h), (4.5 - h, 50.5 + h)])
        let donut = Polygon(exterior: ring([(4, 50), (5, 50), (5, 51), (4, 51)]), holes: [hole])
        switch mode {
        case 0: return [donut, Polygon(exterior: hole)]
        case 1:
            let s = h * (1 + eps)
            return [donut, rect(4.5 - s, 50.5 - s, 4.5 + s, 50.5 + s)]
        case 2: return [donut, rect(4.5 - h / 2, 50.5 - h / 2, 4.5 + h / 2, 50.5 + h / 2)]
        case 3: return [donut, Polygon(exterior: ring([(4.5 - h, 50.5 - h), (4.5, 50.5 - h / 2), (4.5, 50.5)]))]
        default: return [donut, rect(4.5 - h, 50.5 - h, 4.5, 50.5 + h)]
        }
    }

    /// Squares touching only at corners.
    static func checkerboard(_ n: Int) -> [Polygon] {
        squareGrid(n, n).enumerated().flatMap { i, column in column.enumerated().compactMap { j, p in (i + j) % 2 == 0 ? p : nil } }
    }

    /// A sliver inside or outside a square sharing two of its vertices, and a diagonal split nudged by eps.
    static func sliver(mode: Int, eps: Double) -> [Polygon] {
        let sq = rect(4, 50, 4.5, 50.5)
        switch mode {
        case 0: return [sq, Polygon(exterior: ring([(4, 50), (4.5, 50.5), (4.25 + eps, 50.25 - eps)]))]
        case 1: return [sq, Polygon(exterior: ring([(4, 50), (4.25, 50 - eps), (4.5, 50)]))]
        default: return [Polygon(exterior: ring([(4, 50), (4.5, 50), (4.5, 50.5)])),
                         Polygon(exterior: ring([(4, 50), (4.5, 50.5), (4 + eps, 50.5)]))]
        }
    }

    /// Rectangles whose shared sides are split at different points (collinear partial overlaps of edges), and a
    /// strip overlapping the seam.
    static func collinear(_ rng: inout SplitMix) -> [Polygon] {
        func cuts() -> [Double] {
            Array(Set((0..<Int.random(in: 2...6, using: &rng)).map { _ in 4 + Double(Int.random(in: 0...20, using: &rng)) * 0.05 })).sorted()
        }
        var out: [Polygon] = []
        let a = cuts(), b = cuts()
        for (x0, x1) in zip(a, a.dropFirst()) { out.append(rect(x0, 50, x1, 50.3)) }
        for (x0, x1) in zip(b, b.dropFirst()) { out.append(rect(x0, 50.3, x1, 50.6)) }
        if Int.random(in: 0..<3, using: &rng) == 0, let f = a.first, let l = a.last, f < l {
            let o = [1e-9, 1e-6, 0.01].randomElement(using: &rng)!
            out.append(rect(f, 50.3 - o, l, 50.3 + o))
        }
        return out
    }

    /// Random star-shaped polygons that overlap.
    static func randomOverlaps(_ rng: inout SplitMix) -> [Polygon] {
        (0..<Int.random(in: 2...8, using: &rng)).map { _ in
            let cx = Double.random(in: 4...5, using: &rng), cy = Double.random(in: 50...51, using: &rng)
            let r = Double.random(in: 0.01...0.3, using: &rng)
            let angles = (0..<Int.random(in: 3...12, using: &rng)).map { _ in Double.random(in: 0..<(2 * .pi), using: &rng) }.sorted()
            let pts = angles.map { a in (cx + r * cos(a) * Double.random(in: 0.5...1, using: &rng), cy + r * sin(a) * Double.random(in: 0.5...1, using: &rng)) }
            return Polygon(exterior: ring(pts))
        }
    }

    static func scaled(_ polys: [Polygon], by s: Double) -> [Polygon] {
        polys.map { Shape.polygon($0).mapPositions { Position($0.x * s, $0.y * s) }.polygons[0] }
    }
}

/// Polygons and holes of a polygonal GEOS result.
private func counts(_ g: Geometry) throws -> (parts: Int, holes: Int) {
    let polys = try g.polygons()
    return (polys.count, polys.reduce(0) { $0 + $1.holes.count })
}

/// Checks the dissolve of `polys` against GEOS's overlay union; nil when it agrees, else what is wrong.
func checkAgainstOracle(_ polys: [Polygon]) throws -> String? {
    // Invalid input is refused before the union (FeatureDissolve validates): only valid inputs are cases here.
    for p in polys where !(try Geometry(.polygon(p)).isValid()) { return nil }
    let oracle = try Geometry.collection(of: polys.map(Shape.polygon)).unaryUnion()
    let (shape, method) = try dissolveShapes(polys.map(Shape.polygon))
    let got = try Geometry(shape)
    if !(try got.isValid()) { return "\(method.rawValue): invalid result: \(try got.validityReason())" }
    let area = try oracle.area()
    let sd = try got.symmetricDifference(oracle).area()
    if !(sd <= 1e-12 * area) { return "\(method.rawValue): symmetric difference \(sd) of area \(area)" }
    let (gp, gh) = try counts(got), (op, oh) = try counts(oracle)
    if gp != op || gh != oh { return "\(method.rawValue): \(gp) parts \(gh) holes, oracle \(op) parts \(oh) holes" }
    // Written at 12, 9 and 6 decimals: valid, or refused as collapsed (never invalid).
    for d in [12, 9, 6] {
        switch LayerPrecision.reduce([shape.polygons], to: PrecisionGrid(decimals: d))[0] {
        case .reduced(let r, _):
            if !r.isEmpty, !(try Geometry(Shape.polygonal(r)).isValid()) { return "invalid at \(d) decimals" }
        case .collapsed, .invalid:
            break
        }
    }
    return nil
}

@Suite struct AdversarialDissolveTests {
    private func run(_ name: String, _ cases: [[Polygon]]) throws {
        var failures: [String] = []
        for (i, c) in cases.enumerated() {
            if let problem = try checkAgainstOracle(c) { failures.append("\(name) #\(i): \(problem)") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) wrong:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test func theIssueExampleIsRecomputedWithoutAHole() throws {
        let left = Polygon(exterior: ring([(4.0, 50.0), (4.5, 50.0), (4.5, 50.200615), (4.5000000002, 50.200625), (4.5, 50.200635), (4.5, 50.5), (4.0, 50.5)]))
        let right = Polygon(exterior: ring([(4.5, 50.0), (5.0, 50.0), (5.0, 50.5), (4.5, 50.5), (4.5, 50.200635), (4.5, 50.200625), (4.5, 50.200615)]))
        let (shape, method) = try dissolveShapes([.polygon(left), .polygon(right)])
        #expect(method == .unaryUnion)
        #expect(shape.polygons.count == 1 && shape.polygons[0].holes.isEmpty)
        #expect(try checkAgainstOracle([left, right]) == nil)
    }

    @Test func microOverlapsAndGapsFrom1e12To1e6() throws {
        var rng = SplitMix(state: 1)
        var cases: [[Polygon]] = []
        for eps in epsilons {
            for sign in [1.0, -1.0] {
                for mode in 0..<4 {
                    for _ in 0..<6 {
                        let y = Double.random(in: 50.05...50.45, using: &rng)
                        let d = [1e-5, 1e-4, 1e-2].randomElement(using: &rng)!
                        var c = Adversarial.micro(sign * eps, mode: mode, y: y, d: d)
                        if Bool.random(using: &rng) { c.append(rect(4, 50.5, 5, 50.6)) }  // and a T-junction above
                        cases.append(c)
                    }
                }
            }
        }
        #expect(cases.count == 384)
        try run("micro", cases)
    }

    @Test func tJunctionsDuplicatesAndReversedFeatures() throws {
        var rng = SplitMix(state: 2)
        try run("t-junction", (0..<200).map { _ in Adversarial.tJunctions(&rng) })
        try run("duplicates/reversed", (0..<120).map { _ in Adversarial.duplicatesReversed(&rng) })
        // The commonest real defect: a 3 × 3 grid whose centre square has a vertex its neighbour lacks.
        var grid = squareGrid(3, 3).flatMap { $0 }
        var centre = grid[4].exterior
        centre.insert(Position(4.15, 50.1), at: 1)
        grid[4] = Polygon(exterior: centre)
        let (shape, method) = try dissolveShapes(grid.map(Shape.polygon))
        #expect(method == .unaryUnion)
        #expect(shape.polygons.count == 1)
        #expect(abs(try Geometry(shape).area() - 0.09) < 1e-12)
    }

    @Test func holesFilledExactlyIslandsInLakesAndCheckerboards() throws {
        var cases: [[Polygon]] = []
        for mode in 0..<5 { for h in [0.1, 0.25, 0.4] { for eps in epsilons + epsilons.map({ -$0 }) { cases.append(Adversarial.holes(mode: mode, h: h, eps: eps)) } } }
        try run("holes", cases)
        try run("checkerboard", (2...7).map { Adversarial.checkerboard($0) })
        // A checkerboard unites to separate squares touching at corners (valid as a MultiPolygon).
        let (shape, _) = try dissolveShapes(Adversarial.checkerboard(4).map(Shape.polygon))
        #expect(shape.polygons.count == 8)
    }

    @Test func sliversSharingVerticesAndCollinearPartialOverlaps() throws {
        var cases: [[Polygon]] = []
        for mode in 0..<3 { for eps in epsilons { cases.append(Adversarial.sliver(mode: mode, eps: eps)) } }
        try run("sliver", cases)
        var rng = SplitMix(state: 3)
        try run("collinear", (0..<200).map { _ in Adversarial.collinear(&rng) })
        try run("random overlaps", (0..<200).map { _ in Adversarial.randomOverlaps(&rng) })
    }

    @Test func ringsAboveTheNestingLimit() throws {
        // 4,100 separate squares: more result rings than the Swift union checks the nesting of.
        var squares: [Polygon] = []
        for i in 0..<82 { for j in 0..<50 { squares.append(rect(4 + Double(i) * 0.01, 50 + Double(j) * 0.01, 4 + Double(i) * 0.01 + 0.005, 50 + Double(j) * 0.01 + 0.005)) } }
        #expect(squares.count > CoverageUnion.maxRingsForNestingCheck)
        let (shape, method) = try dissolveShapes(squares.map(Shape.polygon))
        #expect(method == .unaryUnion)
        #expect(shape.polygons.count == squares.count)
    }

    @Test func coordinatesNearTheLimitsOfDouble() throws {
        var rng = SplitMix(state: 4)
        var cases: [[Polygon]] = []
        for s in [1e-300, 1e-150, 1e-9, 1e100, 1e150, 1e300] {
            for _ in 0..<8 {
                let base = Bool.random(using: &rng)
                    ? Adversarial.micro(epsilons.randomElement(using: &rng)!, mode: Int.random(in: 0..<4, using: &rng), y: 50.25, d: 1e-2)
                    : squareGrid(2, 2, x0: 0, y0: 0, size: 1).flatMap { $0 }
                cases.append(Adversarial.scaled(base, by: s))
            }
        }
        // No crash, no wrong answer; GEOS may refuse (throw) where even it cannot compute.
        var failures: [String] = []
        for c in cases {
            do { if let p = try checkAgainstOracle(c) { failures.append(p) } } catch { continue }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
