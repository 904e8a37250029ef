import Check
import Foundation
import Testing
import GeoCore
import GEOS
import Projection
@testable import Zoning

/// Coverage validation on synthetic blocks: overlap, sliver, gap, block hole, invalid ring, and `--snap`.
@Suite struct CoverageTests {
    typealias S = RulesSynth

    func validate(_ blocks: [Block], _ tolerances: RuleSet.CoverageCheck = .init()) throws -> CoverageValidation {
        try CoverageValidation.run(blocks: blocks, topology: BlockTopology(blocks: blocks), tolerances: tolerances)
    }

    /// Exact area (m²) of a CRS84 polygon in EPSG:31370.
    func area(_ p: Polygon) throws -> Double {
        try Geometry(Projection.transform(.polygon(p), from: .crs84, to: .lambert72)).area()
    }

    @Test func aCleanGridTakesTheFastPath() throws {
        let blocks = (0..<3).flatMap { i in (0..<2).map { j in S.block("g\(i)\(j)", [S.cell(Double(i), Double(j))]) } }
        let v = try validate(blocks)
        #expect(v.summary.clean)
        #expect(v.summary.method == .coverageUnion)
        #expect(v.summary.unionParts == 1)
        #expect(v.summary.unionHoles == 0)
        #expect(v.findings.isEmpty)
        // Rook adjacency: g00 touches g10 and g01 along edges, g11 only in a point.
        let t = BlockTopology(blocks: blocks)
        let g00 = t.partsOfBlock[0][0]
        let names = t.neighbours[g00].map { blocks[t.parts[$0.part].block].id }.sorted()
        #expect(names == ["g01", "g10"])
        let len = t.neighbours[g00].first { blocks[t.parts[$0.part].block].id == "g10" }!.sharedLengthM
        #expect(abs(len - 1112) < 5, "0.01° of latitude ≈ 1.11 km, got \(len)")
    }

    @Test func anOverlapIsReportedWithItsArea() throws {
        let a = S.block("A", [S.cell(0, 0)])
        let b = S.block("B", [Polygon(exterior: S.ring([(0.5, 0), (1.5, 0), (1.5, 1), (0.5, 1)]))])
        let v = try validate([a, b])
        #expect(v.summary.method == .unaryUnion)
        #expect(!v.summary.clean)
        #expect(v.summary.overlaps == 1)
        let f = try #require(v.findings.first { $0.rule == .blocksOverlap })
        #expect(f.level == .violation)
        #expect(f.blocks == ["A", "B"])
        let expected = try area(Polygon(exterior: S.ring([(0.5, 0), (1, 0), (1, 1), (0.5, 1)])))
        #expect(abs(try #require(f.numbers.areaM2) - expected) < 0.01, "\(f.numbers.areaM2 ?? 0) vs \(expected)")
        let loc = try #require(f.location)
        #expect(loc[0] > 4.005 && loc[0] < 4.01 && loc[1] > 51 && loc[1] < 51.01)
        #expect(v.repairCandidates == ["A", "B"])
        #expect(v.summary.unionParts == 1)
    }

    /// Left column L, right column R, bottom Bo and top T around a middle cell M whose left edge is 1e-5°
    /// (about 0.7 m) east of L: an enclosed sliver 0.7 m × 1.1 km.
    func sliverBlocks() -> [Block] {
        [S.block("L", [Polygon(exterior: S.ring([(0, 0), (1, 0), (1, 1), (1, 2), (1, 3), (0, 3)]))]),
         S.block("R", [Polygon(exterior: S.ring([(2, 0), (3, 0), (3, 3), (2, 3), (2, 2), (2, 1)]))]),
         S.block("Bo", [S.cell(1, 0)]),
         S.block("T", [S.cell(1, 2)]),
         S.block("M", [Polygon(exterior: S.ring([(1.001, 1), (2, 1), (2, 2), (1.001, 2)]))])]
    }

    @Test func aSliverGapIsAWarningWithAreaAndWidth() throws {
        let v = try validate(sliverBlocks())
        #expect(v.summary.slivers == 1)
        #expect(v.summary.gaps == 0)
        #expect(v.summary.unionHoles == 1)
        let f = try #require(v.findings.first)
        #expect(v.findings.count == 1)
        #expect(f.rule == .blocksSliver)
        #expect(f.level == .warning)
        #expect(f.blocks.sorted() == ["Bo", "L", "M", "T"])
        let expected = try area(Polygon(exterior: S.ring([(1, 1), (1.001, 1), (1.001, 2), (1, 2)])))
        #expect(abs((f.numbers.areaM2 ?? 0) - expected) < 0.1)
        #expect(abs((f.numbers.widthM ?? 0) - 0.70) < 0.02, "width \(f.numbers.widthM ?? 0)")
        // With a stricter width tolerance the same hole is a gap.
        let strict = try validate(sliverBlocks(), .init(sliverMaxWidthM: 0.5))
        #expect(strict.findings.first?.rule == .blocksGap)
        #expect(strict.findings.first?.level == .violation)
    }

    @Test func snapClosesTheSliverAndSaysWhatChanged() throws {
        let blocks = sliverBlocks()
        let v = try validate(blocks)
        let sliver = try #require(v.findings.first { $0.rule == .blocksSliver }?.numbers.areaM2)
        let (repaired, changes) = try CoverageRepair.snap(blocks: blocks, only: Set(v.repairCandidates), toleranceM: 2)
        #expect(changes.map(\.block) == ["M"])
        let c = try #require(changes.first)
        #expect(c.verticesMoved == 2)
        #expect(c.verticesInserted == 0)
        #expect(abs(c.areaChangeM2 - sliver) < 0.5, "\(c.areaChangeM2) vs \(sliver)")
        #expect(repaired.first { $0.id == "M" }?.shape == .polygon(S.cell(1, 1)) ||
                repaired.first { $0.id == "M" }?.shape.polygons.first?.exterior.count == 5)
        let after = try validate(repaired)
        #expect(after.summary.clean)
        #expect(after.summary.method == .coverageUnion)
        #expect(after.summary.unionHoles == 0)
        #expect(after.findings.isEmpty)
        // A tolerance below the sliver's width leaves the sliver; it only nodes M's corners into the borders of
        // Bo and T (they lie on them), which changes no area.
        let (small, nodes) = try CoverageRepair.snap(blocks: blocks, only: Set(v.repairCandidates), toleranceM: 0.3)
        #expect(nodes.map(\.block) == ["Bo", "T"])
        #expect(nodes.allSatisfy { $0.verticesMoved == 0 && $0.verticesInserted == 1 && abs($0.areaChangeM2) < 0.1 })
        let still = try validate(small)
        #expect(still.summary.slivers == 1)
        #expect(still.summary.method == .coverageUnion)
    }

    @Test func aHoleBetweenBlocksIsAGapButABlocksOwnHoleIsNot() throws {
        // Eight cells around an empty centre: a gap of one cell.
        var ring: [Block] = []
        for i in 0..<3 { for j in 0..<3 where !(i == 1 && j == 1) { ring.append(S.block("c\(i)\(j)", [S.cell(Double(i), Double(j))])) } }
        let v = try validate(ring)
        #expect(v.summary.gaps == 1)
        let f = try #require(v.findings.first)
        #expect(f.rule == .blocksGap)
        #expect(f.level == .violation)
        #expect(f.blocks.count == 8)
        #expect(abs(f.numbers.areaM2! - (try area(S.cell(1, 1)))) < 0.1)
        let loc = try #require(f.location)
        #expect(loc[0] > 4.01 && loc[0] < 4.02 && loc[1] > 51.01 && loc[1] < 51.02)

        // One block with the same hole: territory outside the blocks (like the Dutch enclaves in Baarle-Hertog).
        let donut = S.block("donut", [Polygon(exterior: S.ring([(0, 0), (3, 0), (3, 3), (0, 3)]),
                                              holes: [S.ring([(1, 1), (1, 2), (2, 2), (2, 1)])])])
        let d = try validate([donut])
        #expect(d.summary.clean)
        #expect(d.summary.blockHoles == 1)
        #expect(d.findings.map(\.rule) == [.blocksHole])
        #expect(d.findings.first?.level == .info)
        #expect(d.findings.first?.blocks == ["donut"])
    }

    @Test func anInvalidRingIsReportedWithGEOSReasonAndLocation() throws {
        let bowtie = S.block("X", [Polygon(exterior: S.ring([(0, 0), (1, 1), (1, 0), (0, 1)]))])
        let ok = S.block("Y", [S.cell(3, 0)])
        let v = try validate([bowtie, ok])
        let f = try #require(v.findings.first { $0.rule == .blocksInvalid })
        #expect(f.level == .violation)
        #expect(f.blocks == ["X"])
        #expect(f.message.contains("Self-intersection"))
        #expect(f.location == [4.005, 51.005])
        #expect(v.summary.invalid == 1)
        #expect(v.summary.method == .unaryUnion)
    }
}
