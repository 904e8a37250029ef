import Foundation
import Zoning
import GeoCore
import GEOS
import Projection

/// Validation of the blocks as a coverage: overlaps between blocks, gaps between them (slivers versus real
/// holes), invalid rings. GEOS 3.11 has no coverage validation, so it is built here from what GEOS has.
///
/// The fast path proves the coverage clean and costs one coverage union: no segment is used twice in the same
/// direction (`BlockTopology.conflicts`), every block is valid, and the coverage union of all parts is valid with
/// an area equal to the sum of the parts' areas (to `overlapMinAreaM2`). Equal areas mean no point is covered twice,
/// so there is no overlap. If any of this fails, the slow path looks at every pair of parts whose boxes meet
/// (STRtree, DE-9IM, intersection area) and takes the union by overlay. Either way the holes of the union are the
/// gaps: a hole equal to a hole of some block is foreign territory (the Dutch enclaves in Baarle-Hertog), any
/// other is a gap, a sliver if it is small and narrow enough. Topology is taken on the CRS84 coordinates as read
/// (where the blocks share their vertices); areas and widths are measured in EPSG:31370; locations are CRS84.
public struct CoverageValidation: Sendable {
    public var summary: CoverageSummary
    public var findings: [Finding]
    /// Blocks next to a sliver or gap or in an overlap: what `--snap` works on.
    public var repairCandidates: [String]

    public static func run(blocks: [Block], topology: BlockTopology,
                           tolerances: RuleSet.CoverageCheck = RuleSet.CoverageCheck()) throws -> CoverageValidation {
        var v = Validator(blocks: blocks, tolerances: tolerances)
        v.checkValidity()                                          // 1. each block valid, as read
        let conflictPairs = Validator.conflictPairs(topology)      // 2. edges used twice in the same direction
        let totalArea = topology.parts.reduce(0) { $0 + $1.areaM2 }
        var method = DissolveMethod.coverageUnion
        var union = v.invalid.isEmpty && conflictPairs.isEmpty ? v.provenUnion(totalArea: totalArea) : nil
        if union == nil {
            method = .unaryUnion
            union = try v.overlayUnion(conflictPairs: conflictPairs)   // pairwise overlaps, then an overlay union
        }
        let unionPolys = union ?? []
        try v.checkHoles(of: unionPolys)                           // 3. holes of the union: block holes or gaps

        let summary = CoverageSummary(
            blocks: blocks.count, parts: topology.parts.count, segments: topology.segments,
            sharedSegments: topology.sharedSegments, conflictingSegments: topology.conflicts.count, method: method,
            unionParts: unionPolys.count, unionHoles: v.holeCount, totalAreaKm2: rounded(totalArea / 1e6, 2),
            overlaps: v.overlaps, gaps: v.gaps, slivers: v.slivers, invalid: v.invalid.count, blockHoles: v.blockHoles,
            clean: v.overlaps == 0 && v.gaps == 0 && v.slivers == 0 && v.invalid.isEmpty)
        return CoverageValidation(summary: summary, findings: v.findings,
                                  repairCandidates: blocks.map(\.id).filter { v.candidates.contains($0) })
    }
}

/// The steps of `CoverageValidation.run`, with what they find.
private struct Validator {
    let blocks: [Block]
    let tolerances: RuleSet.CoverageCheck
    var findings: [Finding] = []
    var candidates = Set<String>()
    var invalid = Set<Int>()
    var overlaps = 0, gaps = 0, slivers = 0, blockHoles = 0, holeCount = 0

    init(blocks: [Block], tolerances: RuleSet.CoverageCheck) {
        self.blocks = blocks
        self.tolerances = tolerances
    }

    func ref(_ b: Block) -> MunicipalityRef { MunicipalityRef(nis: b.nis, name: b.municipalityName) }

    /// Area in EPSG:31370 of CRS84 polygons.
    func projectedArea(_ polys: [Polygon]) throws -> Double {
        try Projection.transform(.multiPolygon(polys), from: .crs84, to: .lambert72).area
    }

    /// 1. Validity of each block, as read (CRS84).
    mutating func checkValidity() {
        for (i, b) in blocks.enumerated() {
            do {
                let g = try Geometry(b.shape)
                let d = try g.validityDetail()
                if !d.valid {
                    invalid.insert(i)
                    findings.append(Finding(rule: .blocksInvalid, level: tolerances.invalidLevel, layer: .blocks,
                                            blocks: [b.id], municipalities: [ref(b)], location: d.location,
                                            message: "block \(b.id) (\(b.name)) is not a valid polygon: \(d.reason ?? "invalid")"))
                }
            } catch {
                invalid.insert(i)
                findings.append(Finding(rule: .blocksInvalid, level: tolerances.invalidLevel, layer: .blocks,
                                        blocks: [b.id], municipalities: [ref(b)],
                                        message: "block \(b.id) (\(b.name)) cannot be built as a polygon: \(error)"))
            }
        }
    }

    typealias ConflictPairs = [String: (blocks: [String], count: Int, at: Position)]

    /// 2. Edges used twice in the same direction: two blocks overlap along them. By the pair of blocks.
    static func conflictPairs(_ topology: BlockTopology) -> ConflictPairs {
        var pairs: ConflictPairs = [:]
        for c in topology.conflicts {
            let key = c.blocks.sorted().joined(separator: "|")
            var e = pairs[key] ?? (c.blocks.sorted(), 0, c.a)
            e.count += 1
            pairs[key] = e
        }
        return pairs
    }

    /// The fast path: a valid coverage union (proven, or checked by GEOS) rules out overlaps together with the
    /// edge check; the projected area comparison stays as a second guard. Nil: take the slow path.
    func provenUnion(totalArea: Double) -> [Polygon]? {
        do {
            guard let polys = try checkedCoverageUnion(blocks.flatMap(\.shape.polygons))?.polygons else { return nil }
            let area = try projectedArea(polys)
            return abs(area - totalArea) <= max(tolerances.overlapMinAreaM2, 1e-12 * totalArea) ? polys : nil
        } catch {
            return nil
        }
    }

    /// The slow path: overlaps between every pair of parts whose boxes meet (STRtree, DE-9IM, intersection area),
    /// overlaps along same-direction edges, then the union by overlay.
    mutating func overlayUnion(conflictPairs: ConflictPairs) throws -> [Polygon] {
        let index = Dictionary(blocks.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var geoms: [Geometry] = []
        var owner: [Int] = []
        for (bi, b) in blocks.enumerated() {
            for p in b.shape.polygons {
                var g: Geometry
                do { g = try Geometry(.polygon(p)) } catch { continue }
                if invalid.contains(bi), !(try g.isValid()) { g = try g.makeValid() }
                geoms.append(g)
                owner.append(bi)
            }
        }
        let tree = try SpatialIndex(geoms)
        var pairArea: [String: (a: Int, b: Int, area: Double, at: Position?)] = [:]
        for i in 0..<geoms.count {
            for j in tree.query(geoms[i]) where j > i && owner[j] != owner[i] {
                guard try geoms[i].relate(geoms[j], pattern: "2********") else { continue }
                let x = try geoms[i].intersection(geoms[j])
                let a = try projectedArea(try x.polygons())
                let (bi, bj) = (min(owner[i], owner[j]), max(owner[i], owner[j]))
                let key = "\(bi)|\(bj)"
                var e = pairArea[key] ?? (bi, bj, 0, nil)
                e.area += a
                if e.at == nil, case .point(let p) = try x.pointOnSurface().shape() { e.at = p }
                pairArea[key] = e
            }
        }
        for e in pairArea.values.sorted(by: { ($0.a, $0.b) < ($1.a, $1.b) }) where e.area >= tolerances.overlapMinAreaM2 {
            let a = blocks[e.a], b = blocks[e.b]
            var n = FindingNumbers()
            n.areaM2 = rounded(e.area, 2)
            overlaps += 1
            candidates.formUnion([a.id, b.id])
            findings.append(Finding(rule: .blocksOverlap, level: tolerances.overlapLevel, layer: .blocks,
                                    blocks: [a.id, b.id], municipalities: [ref(a), ref(b)], numbers: n,
                                    location: e.at,
                                    message: "blocks \(a.id) (\(a.name)) and \(b.id) (\(b.name)) overlap: \(formatArea(e.area))"))
        }
        // Overlaps along shared edges of zero area (same-direction edges) are still worth naming.
        for e in conflictPairs.values.sorted(by: { $0.blocks.lexicographicallyPrecedes($1.blocks) }) {
            let bs = e.blocks.compactMap { index[$0].map { blocks[$0] } }
            if bs.count >= 2, pairArea["\(min(index[bs[0].id]!, index[bs[1].id]!))|\(max(index[bs[0].id]!, index[bs[1].id]!))"] != nil { continue }
            overlaps += 1
            candidates.formUnion(e.blocks)
            findings.append(Finding(rule: .blocksOverlap, level: tolerances.overlapLevel, layer: .blocks,
                                    blocks: e.blocks, municipalities: bs.map(ref), location: e.at,
                                    message: "blocks \(bs.map { "\($0.id) (\($0.name))" }.joined(separator: " and ")) run \(e.count) edge\(e.count == 1 ? "" : "s") in the same direction: they lie on the same side of a shared border"))
        }
        return try Geometry.collection(geoms).unaryUnion().polygons()
    }

    /// 3. Holes of the union: a hole of some block is foreign territory (the Dutch enclaves in Baarle-Hertog);
    /// any other is a gap, a sliver if it is small and narrow enough.
    mutating func checkHoles(of unionPolys: [Polygon]) throws {
        var blockHoleOwner: [[Position]: Int] = [:]
        for (bi, b) in blocks.enumerated() {
            for p in b.shape.polygons { for h in p.holes { blockHoleOwner[ringKey(h)] = bi } }
        }
        var blockBounds: [BoundingBox?] = blocks.map { _ in nil }
        for poly in unionPolys {
            for hole in poly.holes {
                holeCount += 1
                let holeGeom = try Geometry(.polygon(Polygon(exterior: hole)))
                let projectedHole = try Projection.transform(.polygon(Polygon(exterior: hole)), from: .crs84, to: .lambert72)
                let area = projectedHole.area
                var loc: Position?
                if case .point(let p) = try holeGeom.pointOnSurface().shape() { loc = p }
                var n = FindingNumbers()
                n.areaM2 = rounded(area, 1)
                if let bi = blockHoleOwner[ringKey(hole)] {
                    blockHoles += 1
                    let b = blocks[bi]
                    findings.append(Finding(rule: .blocksHole, level: .info, layer: .blocks, blocks: [b.id],
                                            municipalities: [ref(b)], numbers: n, location: loc,
                                            message: "a hole of \(formatArea(area)) in the union is a hole of block \(b.id) (\(b.name)): territory outside the blocks, not a gap"))
                    continue
                }
                // The blocks around the gap.
                var hb = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                for q in hole { hb.include(q) }
                let eps = 1e-7
                hb.minX -= eps; hb.minY -= eps; hb.maxX += eps; hb.maxY += eps
                var around: [Block] = []
                for (bi, b) in blocks.enumerated() {
                    if blockBounds[bi] == nil { blockBounds[bi] = b.shape.bounds }
                    guard let bb = blockBounds[bi], bb.intersects(hb) else { continue }
                    if try Geometry(b.shape).distance(holeGeom) <= eps { around.append(b) }
                }
                // Width in metres: the largest inscribed circle of the hole in EPSG:31370.
                let projectedGeom = try Geometry(projectedHole)
                let width = 2 * (try projectedGeom.maximumInscribedCircle(tolerance: max(1e-4, min(0.01, area.squareRoot() / 1000))).radius)
                n.widthM = rounded(width, 3)
                let isSliver = area <= tolerances.sliverMaxAreaM2 && width <= tolerances.sliverMaxWidthM
                if isSliver { slivers += 1 } else { gaps += 1 }
                candidates.formUnion(around.map(\.id))
                let names = around.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                findings.append(Finding(rule: isSliver ? .blocksSliver : .blocksGap,
                                        level: isSliver ? tolerances.sliverLevel : tolerances.gapLevel, layer: .blocks,
                                        blocks: around.map(\.id), municipalities: uniqueMunicipalities(around), numbers: n,
                                        location: loc,
                                        message: isSliver
                                            ? "a sliver of \(formatArea(area)), \(formatMetres(width)) wide, between blocks \(names)"
                                            : "a gap of \(formatArea(area)), \(formatMetres(width)) wide, between blocks \(names) is in no block"))
            }
        }
    }
}

/// A ring as a key that does not depend on the start vertex or the direction: its distinct vertices, sorted.
private func ringKey(_ r: Ring) -> [Position] {
    var ps = Array(r.dropLast())
    ps.sort { ($0.x, $0.y) < ($1.x, $1.y) }
    return ps
}

package func uniqueMunicipalities(_ blocks: [Block]) -> [MunicipalityRef] {
    var seen = Set<String>()
    var out: [MunicipalityRef] = []
    for b in blocks where seen.insert(b.nis).inserted { out.append(MunicipalityRef(nis: b.nis, name: b.municipalityName)) }
    return out
}


/// "1,234 m²" below 0.1 km², else "1.23 km²".
package func formatArea(_ m2: Double) -> String {
    if m2 >= 100_000 { return "\(String(format: "%.2f", m2 / 1e6)) km²" }
    if m2 >= 10 { return "\(groupedDigits(Int(m2.rounded()))) m²" }
    return "\(String(format: "%.3g", m2)) m²"
}

package func formatMetres(_ m: Double) -> String {
    if m >= 1000 { return "\(String(format: "%.2f", m / 1000)) km" }
    if m >= 10 { return "\(Int(m.rounded())) m" }
    return "\(String(format: "%.2g", m)) m"
}

