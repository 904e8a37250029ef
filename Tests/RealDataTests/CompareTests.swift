import Cartography
import Check
import Compare
import DataPackage
import Jobs
import Foundation
import Testing
import TestSupport
import GeoCore
import GEOS
import GeoJSON
import Projection
@testable import Zoning

/// The real data: RZZ × hospital networks (Voronoi), RZZ × GGZ.
@Suite struct CompareRealDataTests {
    static let hospital: NetworkLayer = try! BuiltInNetworkLayer.hospitalNetworks.load(from: RealData.directory)
    static let rzzVoronoi: Comparison = try! Comparison.run(dataset: RealData.dataset, zoning: RealData.dataset.rzz, layer: hospital)

    @Test func matrixRowsSumToOneHundredPercent() throws {
        for c in [Self.rzzVoronoi,
                  try Comparison.run(dataset: RealData.dataset, zoning: RealData.dataset.rzz,
                                     layer: BuiltInNetworkLayer.ggzAdults.load(from: RealData.directory)),
                  try Comparison.run(dataset: RealData.dataset, zoning: RealData.dataset.elz, layer: Self.hospital, method: .nearest)] {
            for z in c.zones.indices {
                let pop = c.population[z].reduce(0, +), area = c.areaKm2[z].reduce(0, +)
                let zp = Double(c.report.zones[z].population)
                #expect(abs(pop - zp) < 1e-6 * zp, "\(c.zones[z].name): \(pop) vs \(zp)")
                #expect(abs(area - c.report.zones[z].areaKm2) < 1e-3)
                let shares = c.report.cells.filter { $0.zone == c.zones[z].code }
                #expect(abs(shares.reduce(0) { $0 + $1.shareOfZonePopulation } - 1) < 1e-5)
                #expect(abs(shares.reduce(0) { $0 + $1.shareOfZoneArea } - 1) < 1e-5)
            }
            #expect(c.report.population == RealData.dataset.totalPopulation)
        }
    }

    @Test func e17NetworkStraddlesSeveralRZZ() throws {
        let r = Self.rzzVoronoi.report
        let name = try #require(Self.hospital.networks.first { $0.contains("E17") })
        #expect(name == "E17-ziekenhuisnetwerk")
        let e17 = try #require(r.networks.first { $0.network == name })
        // The RZZ holding at least 5 % of the E17 network's population, largest first.
        #expect(e17.zonesAboveThreshold.map(\.name) == ["Zuid-West-Vlaanderen", "Regio Gent", "Vlaamse Ardennen", "Westhoek - Midwest"])
        let shares = e17.zonesAboveThreshold.map(\.share)
        for (got, want) in zip(shares, [0.381, 0.298, 0.198, 0.121]) { #expect(abs(got - want) < 0.005, "\(got) vs \(want)") }
        #expect(e17.dominantZone?.name == "Zuid-West-Vlaanderen")
        // Campuses per RZZ: Kortrijk ×2 and Waregem; Gent ×2 and Deinze; Ronse and Zottegem; Izegem.
        #expect(Dictionary(uniqueKeysWithValues: e17.campusesPerZone.map { ($0.name, $0.campuses) })
                == ["Zuid-West-Vlaanderen": 3, "Regio Gent": 3, "Vlaamse Ardennen": 2, "Westhoek - Midwest": 1])
        // The text summary names the zones with their shares.
        let text = r.textSummary()
        #expect(text.contains("zones ≥ 5.0 %: Zuid-West-Vlaanderen 38.1 %, Regio Gent 29.8 %, Vlaamse Ardennen 19.8 %, Westhoek - Midwest 12.1 %"))
    }

    @Test func voronoiMatrixCoversFlandersAndBrussels() throws {
        let c = Self.rzzVoronoi
        let total = RealData.dataset.blocks.reduce(0) { $0 + $1.areaKm2 }
        #expect(abs(c.areaKm2.flatMap { $0 }.reduce(0, +) - total) < 1e-6 * total)
        #expect(c.report.populationWithoutNetwork == 0)
        #expect(c.report.diagnostics.campusesOutside.count == 2)
        #expect(c.report.diagnostics.campusesUnlocated.count == 6)
        #expect(c.report.diagnostics.campusesAddressElsewhere.count == 2)
        #expect(c.report.diagnostics.campusesBlockMismatch.isEmpty)
        #expect(c.report.diagnostics.lowConfidenceRows.count == 9)
        #expect(c.report.methodStatement.contains("Voronoi"))
        // Alignment figures stay in range and are pinned to the current data (see the README, "Comparing zones with networks").
        let a = c.report.alignment
        #expect(abs(a.mutualMajorityShare - 0.587) < 0.005)
        #expect(abs(a.adjustedRandIndex - 0.528) < 0.005)
        #expect(abs(a.normalizedMutualInformation - 0.707) < 0.005)
    }

    @Test func clippedVoronoiNetworkAreasSumToTheBlocksArea() throws {
        let c = Self.rzzVoronoi
        let (pieces, areas) = try c.geometry(dataset: RealData.dataset)
        let total = RealData.dataset.blocks.reduce(0) { $0 + $1.areaKm2 }
        let geometric = try areas.reduce(0.0) { $0 + (try Projection.transform($1.shape, from: .crs84, to: .lambert72)).area / 1e6 }
        #expect(abs(geometric - total) < 0.05, "network areas \(geometric) km² vs blocks \(total) km²")
        let pieceArea = try pieces.reduce(0.0) { $0 + (try Projection.transform($1.shape, from: .crs84, to: .lambert72)).area / 1e6 }
        #expect(abs(pieceArea - total) < 0.05, "pieces \(pieceArea) km² vs blocks \(total) km²")
        #expect(pieces.allSatisfy { !$0.shape.polygons.isEmpty })
    }

    @Test func ggzLowConfidenceRowsAreFlagged() throws {
        let layer = try BuiltInNetworkLayer.ggzAdults.load(from: RealData.directory)
        let c = try Comparison.run(dataset: RealData.dataset, zoning: RealData.dataset.rzz, layer: layer)
        let r = c.report
        #expect(r.diagnostics.lowConfidenceRows.count == 87)
        #expect(r.diagnostics.rowsByConfidence == ["high": 46, "medium": 200, "low": 87])
        // Limburg rests entirely on the low-confidence province rows of Reling and Noolim, split 50/50.
        let limburg = try #require(r.zones.first { $0.zone.name == "Limburg" })
        #expect(limburg.lowConfidenceShare == 1)
        #expect(limburg.networks.map(\.share) == [0.5, 0.5])
        #expect(r.networks.first { $0.network == "Reling" }!.lowConfidenceRows == 38)
        #expect(r.cells.contains { $0.network == "Reling" && $0.lowConfidencePopulation > 0 })
        // The 10 Westhoek municipalities are in no network: Westhoek - Midwest has a "(no network)" part.
        #expect(r.diagnostics.municipalitiesWithoutNetwork.count == 10)
        #expect(r.diagnostics.municipalitiesInSeveralNetworks.count == 39)
        let wm = try #require(r.zones.first { $0.zone.name == "Westhoek - Midwest" })
        #expect(wm.withoutNetworkShare > 0.2)
        #expect(r.textSummary().contains("LOW CONFIDENCE"))
        // Pieces GeoJSON flags them too.
        let (pieces, _) = try c.geometry(dataset: RealData.dataset)
        let fc = c.piecesCollection(pieces)
        #expect(fc.features.contains { $0.properties["network"] == .string("Reling") && ($0.properties["low_confidence_population"]?.doubleValue ?? 0) > 0 })
        #expect(fc.features.contains { $0.properties["network"] == .string(noNetworkLabel) })
        // Youth: high/medium only, nothing flagged.
        let youth = try Comparison.run(dataset: RealData.dataset, zoning: RealData.dataset.rzz,
                                       layer: BuiltInNetworkLayer.ggzYouth.load(from: RealData.directory))
        #expect(youth.report.diagnostics.lowConfidenceRows.isEmpty)
        #expect(youth.report.populationWithoutNetwork == 0)
    }

    @Test func reportIsCodable() throws {
        let data = try Self.rzzVoronoi.reportJSON()
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        let back = try dec.decode(ComparisonReport.self, from: data)
        #expect(back.cells == Self.rzzVoronoi.report.cells)
        #expect(back.alignment == Self.rzzVoronoi.report.alignment)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"method\" : \"voronoi\""))
        #expect(text.contains("\"low_confidence_rows\""))
    }
}
