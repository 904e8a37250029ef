import Compare
import DataPackage
import Foundation
import Testing
import GeoCore
import GEOS
import GeoJSON
import Projection
@testable import Zoning

@Suite struct CompareSyntheticTests {
    let dataset = TwoSquares.dataset
    let zoning = TwoSquares.zoning

    func cell(_ c: Comparison, _ zone: String, _ network: String) -> OverlapCell? {
        c.report.cells.first { $0.zone == zone && $0.network == network }
    }

    /// The 30/70 straddle, whatever produced it: area and population matrices, shares, measures.
    func check30to70(_ c: Comparison, tolerance: Double = 1e-6) {
        let r = c.report
        for (z, n, share) in [("a", "N1", 0.3), ("a", "N2", 0.7), ("b", "N1", 0.7), ("b", "N2", 0.3)] {
            guard let x = cell(c, z, n) else { Issue.record("no cell \(z) × \(n)"); continue }
            #expect(abs(x.areaKm2 - 100 * share) < 1e-3, "area \(z) × \(n) = \(x.areaKm2)")
            #expect(abs(x.population - 1000 * share) < 1e-3, "population \(z) × \(n) = \(x.population)")
            #expect(abs(x.shareOfZoneArea - share) < tolerance)
            #expect(abs(x.shareOfZonePopulation - share) < tolerance)
            #expect(abs(x.shareOfNetworkPopulation! - share) < tolerance)
        }
        let n1 = r.networks.first { $0.network == "N1" }!
        #expect(n1.dominantZone?.code == "b")
        #expect(abs(n1.dominantZone!.share - 0.7) < tolerance)
        #expect(n1.zonesAboveThreshold.map(\.code) == ["b", "a"])
        #expect(n1.zonesTouched == 2)
        let za = r.zones.first { $0.zone.code == "a" }!
        #expect(za.mainNetwork == "N2" && abs(za.mainNetworkShare - 0.7) < tolerance)
        #expect(za.networksAboveThreshold == 2)
        // Alignment: a ↔ N2 and b ↔ N1 are mutual majorities, holding 700 + 700 of 2000 people.
        #expect(abs(r.alignment.mutualMajorityShare - 0.7) < tolerance)
        #expect(abs(r.alignment.adjustedRandIndex - 0.159580) < 1e-5)
        #expect(abs(r.alignment.normalizedMutualInformation - 0.118709) < 1e-5)
        #expect(Set(r.alignment.matchedPairs.map { "\($0.zone)-\($0.network)" }) == ["a-N2", "b-N1"])
        // Rows sum to 100 %.
        for z in ["a", "b"] {
            let row = r.cells.filter { $0.zone == z }
            #expect(abs(row.reduce(0) { $0 + $1.shareOfZonePopulation } - 1) < 1e-5)
            #expect(abs(row.reduce(0) { $0 + $1.shareOfZoneArea } - 1) < 1e-5)
        }
    }

    @Test func voronoiStraddle() throws {
        let layer = NetworkLayer(name: "test", kind: .points, sources: ["test"], campuses: TwoSquares.campuses)
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer)
        #expect(c.report.method == .voronoi)
        check30to70(c)
        // The campuses: west (N2) in a, middle (N1) in b, east (N2) outside the blocks.
        #expect(cell(c, "a", "N2")?.campuses == 1)
        #expect(cell(c, "b", "N1")?.campuses == 1)
        #expect(c.report.networks.first { $0.network == "N2" }!.campusesOutsideZoning == 1)
        #expect(c.report.diagnostics.campusesOutside.count == 1)
        // The low-confidence east campus carries B's N2 part: 300 people, flagged.
        #expect(abs(cell(c, "b", "N2")!.lowConfidencePopulation - 300) < 1e-3)
        #expect(c.report.diagnostics.lowConfidenceRows.map(\.item) == ["H – east"])
    }

    @Test func polygonStraddle() throws {
        let layer = NetworkLayer(name: "areas", kind: .polygons, sources: ["test"], polygons: TwoSquares.polygons)
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer)
        #expect(c.report.method == .polygons)
        check30to70(c)
        #expect(c.report.populationWithoutNetwork == 0)
    }

    @Test func catchmentTableStraddle() throws {
        let campuses = NetworkLayer(name: "test", kind: .points, sources: ["test"], campuses: TwoSquares.campuses)
        let table = NetworkLayer(name: "catch", kind: .municipalities, sources: ["catch.csv"], memberships: [
            AreaMembership(network: "N1", key: "A", share: 0.3, location: "catch.csv: line 2"),
            AreaMembership(network: "N2", key: "A", share: 0.7, location: "catch.csv: line 3"),
            AreaMembership(network: "N1", key: "B", share: 0.7, location: "catch.csv: line 4"),
            AreaMembership(network: "N2", key: "B", share: 0.3, location: "catch.csv: line 5"),
        ])
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: campuses, method: .table, catchment: table)
        #expect(c.report.method == .table)
        check30to70(c)
        #expect(throws: CompareUsageError.self) {
            try Comparison.run(dataset: dataset, zoning: zoning, layer: campuses, method: .table)
        }
    }

    @Test func nearestGivesWholeBlocksAndPerfectAlignment() throws {
        let layer = NetworkLayer(name: "test", kind: .points, sources: ["test"], campuses: TwoSquares.campuses)
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer, method: .nearest)
        #expect(cell(c, "a", "N2")?.shareOfZonePopulation == 1)
        #expect(cell(c, "b", "N1")?.shareOfZonePopulation == 1)
        #expect(c.report.alignment.mutualMajorityShare == 1)
        #expect(c.report.alignment.adjustedRandIndex == 1)
        #expect(c.report.alignment.normalizedMutualInformation == 1)
    }

    @Test func municipalityTableSplitsEquallyAndKeepsNoNetworkColumn() throws {
        let layer = NetworkLayer(name: "ggz", kind: .municipalities, sources: ["ggz.csv"], memberships: [
            AreaMembership(network: "N1", key: "A", location: "ggz.csv: line 2"),
            AreaMembership(network: "N2", key: "A", confidence: .low, location: "ggz.csv: line 3"),
        ])
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer)
        #expect(c.report.method == .municipalityTable)
        #expect(cell(c, "a", "N1")?.population == 500)
        #expect(cell(c, "a", "N2")?.population == 500)
        #expect(cell(c, "a", "N2")?.lowConfidencePopulation == 500)
        #expect(cell(c, "b", noNetworkLabel)?.shareOfZonePopulation == 1)
        #expect(c.report.populationWithoutNetwork == 1000)
        #expect(c.report.alignment.coveredShare == 0.5)
        #expect(c.report.notes.contains { $0.contains("split equally") })
        #expect(c.report.notes.contains { $0.contains("no network") })
        #expect(c.report.diagnostics.lowConfidenceRows.count == 1)
        #expect(throws: CompareUsageError.self) {
            try Comparison.run(dataset: dataset, zoning: zoning, layer: layer, method: .voronoi)
        }
    }

    @Test func geometryPiecesCarryTheMatrixValues() throws {
        let layer = NetworkLayer(name: "test", kind: .points, sources: ["test"], campuses: TwoSquares.campuses)
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer)
        let (pieces, areas) = try c.geometry(dataset: dataset)
        #expect(pieces.count == 4)
        for p in pieces {
            let a = (try Projection.transform(p.shape, from: .crs84, to: .lambert72)).area / 1e6
            #expect(abs(a - p.areaKm2) < 0.01, "\(p.zone.code) × \(p.network): geometry \(a) km², matrix \(p.areaKm2) km²")
        }
        #expect(areas.count == 2)
        let n1 = areas.first { $0.network == "N1" }!
        #expect(abs((try Projection.transform(n1.shape, from: .crs84, to: .lambert72)).area / 1e6 - 100) < 0.01)
        let fc = c.piecesCollection(pieces)
        #expect(fc.features.count == 4)
        let props = fc.features[0].properties
        for key in ["zone", "zone_name", "network", "area_km2", "population", "method"] { #expect(props[key] != nil, "\(key)") }
        #expect(props["method"] == .string("voronoi"))
        let files = try c.files(dataset: dataset).map(\.name)
        #expect(files == ["two-test-voronoi.matrix.csv", "two-test-voronoi.matrix-area.csv", "two-test-voronoi.matrix-population.csv",
                          "two-test-voronoi.report.json", "two-test-voronoi.pieces.geojson", "two-test-voronoi.networks.geojson",
                          "two-test-voronoi.campuses.geojson"])
    }

    @Test func csvViews() throws {
        let layer = NetworkLayer(name: "areas", kind: .polygons, sources: ["test"], polygons: TwoSquares.polygons)
        let c = try Comparison.run(dataset: dataset, zoning: zoning, layer: layer)
        let long = c.matrixCSV().split(separator: "\n")
        #expect(long.count == 5)
        #expect(long[0].hasPrefix("zone_code,zone_name,network,area_km2,population,share_of_zone_area"))
        #expect(long[1] == "a,Zone A,N1,30.0000,300.0,0.300000,0.300000,0.300000,0.300000,0.0,0,polygons")
        let wide = c.wideCSV(.population).split(separator: "\n")
        // The eastern N2 polygon is low confidence: the flag rows follow the totals.
        #expect(wide == ["zone_code,zone_name,N1,N2,total", "a,Zone A,300.0,700.0,1000.0", "b,Zone B,700.0,300.0,1000.0",
                         "total,,1000.0,1000.0,2000.0", "low_confidence_rows,,0,1,1", "low_confidence_population,,0.0,300.0,300.0"])
        #expect(c.wideCSV(.area).split(separator: "\n").last == "low_confidence_rows,,0,1,1")
    }
}

@Suite struct AlignmentTests {
    let zones = [ZoneRef(code: "a", name: "A"), ZoneRef(code: "b", name: "B"), ZoneRef(code: "c", name: "C")]

    @Test func identicalPartitionsScoreOne() {
        let a = Alignment.compute(population: [[10, 0, 0], [0, 20, 0], [0, 0, 5]], zones: zones, networks: ["x", "y", "z"])
        #expect(a.mutualMajorityShare == 1)
        #expect(abs(a.adjustedRandIndex - 1) < 1e-12)
        #expect(abs(a.normalizedMutualInformation - 1) < 1e-12)
    }

    @Test func independentPartitionsScoreZero() {
        let a = Alignment.compute(population: [[100, 100], [100, 100]], zones: Array(zones.prefix(2)), networks: ["x", "y"])
        #expect(abs(a.normalizedMutualInformation) < 1e-12)
        #expect(abs(a.adjustedRandIndex) < 0.01)
    }

    @Test func aNetworkSpanningTwoZones() {
        // One network serves both zones: each zone's main network is x, x's main zone is b (60).
        let a = Alignment.compute(population: [[40], [60]], zones: Array(zones.prefix(2)), networks: ["x"])
        #expect(a.mutualMajorityShare == 0.6)
        #expect(a.matchedPairs.map(\.zone) == ["b"])
        #expect(a.adjustedRandIndex == 0 || abs(a.adjustedRandIndex) < 1e-12)
        #expect(a.normalizedMutualInformation == 0)
    }
}
