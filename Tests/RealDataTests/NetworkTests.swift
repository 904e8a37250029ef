import Cartography
import Check
import Compare
import DataPackage
import GeoJSON
import Jobs
import Foundation
import Testing
import TestSupport
import GeoCore
import GEOS
import Projection
@testable import Zoning

/// Two 10 km squares side by side in EPSG:31370: block A = x 150–160 km, block B = x 160–170 km, y 170–180 km,
/// 1000 inhabitants each. Zones `a` = {A}, `b` = {B}. Network N1 covers x 157–167 km: 30 % of its area (and of
/// its population) lies in A, 70 % in B. N2 covers the rest: 70 % of A and 30 % of B.
enum TwoSquares {
    static func rect(_ x0: Double, _ x1: Double) -> Shape {
        .polygon(Polygon(exterior: [Position(x0, 170_000), Position(x1, 170_000), Position(x1, 180_000),
                                    Position(x0, 180_000), Position(x0, 170_000)]))
    }

    static func crs84(_ p: Position) -> Position {
        try! Projection.transform(p, from: .lambert72, to: .crs84)
    }

    static func block(_ id: String, _ x0: Double, _ x1: Double, population: Int) -> Block {
        let projected = rect(x0, x1)
        let shape = try! Projection.transform(projected, from: .lambert72, to: .crs84)
        return Block(id: id, nis: id, name: "Block \(id)", region: "Test", province: nil, shape: shape,
                     projected: projected, areaKm2: projected.area / 1e6, population: population)
    }

    static let blocks = [block("A", 150_000, 160_000, population: 1000), block("B", 160_000, 170_000, population: 1000)]

    static let zoning = Zoning(name: "two", zones: [ZoneRef(code: "a", name: "Zone A"), ZoneRef(code: "b", name: "Zone B")],
                               assignment: ["A": "a", "B": "b"])

    static let dataset: Dataset = {
        var municipalities = Dataset.municipalityZoning(blocks)
        municipalities.name = "municipalities"
        return Dataset(directory: URL(fileURLWithPath: "/tmp"), blocks: blocks,
                       populationYear: 2025, zonings: ["municipalities": municipalities, "two": zoning],
                       layerNames: ["municipalities", "two"], inputs: [], notes: [])
    }()

    /// Campuses whose Voronoi bisectors are x = 157 km and x = 167 km: N2 at 152 km, N1 at 162 km, N2 at 172 km.
    static let campuses: [Campus] = [
        (152_000.0, "N2", "west", Confidence.high), (162_000.0, "N1", "middle", .high), (172_000.0, "N2", "east", .low),
    ].map { x, n, name, c in
        let p = crs84(Position(x, 175_000))
        return Campus(network: n, hospital: "H", name: name, longitude: p.x, latitude: p.y, confidence: c, location: "test")
    }

    /// N1 as a polygon, N2 as the two strips around it.
    static let polygons: [NetworkPolygon] = [
        NetworkPolygon(network: "N1", shape: try! Projection.transform(rect(157_000, 167_000), from: .lambert72, to: .crs84), location: "t: 1"),
        NetworkPolygon(network: "N2", shape: try! Projection.transform(rect(140_000, 157_000), from: .lambert72, to: .crs84), location: "t: 2"),
        NetworkPolygon(network: "N2", shape: try! Projection.transform(rect(167_000, 180_000), from: .lambert72, to: .crs84), confidence: .low, location: "t: 3"),
    ]
}

@Suite struct NetworkReaderTests {
    @Test func readsCampusCSVWithUnlocatedRowsAndConfidence() throws {
        let csv = try CSVTable(text: """
            network,hospital,campus,latitude,longitude,confidence,block_id
            "Net, A",H1,C1,51.05,3.72,high,44021
            Net B,H2,C2,,,low,
            """, name: "c.csv")
        let cs = try NetworkLayer.readCampuses(csv: csv)
        #expect(cs.count == 2)
        #expect(cs[0].network == "Net, A")
        #expect(cs[0].position == Position(3.72, 51.05))
        #expect(cs[0].declaredBlock == "44021")
        #expect(cs[1].position == nil)
        #expect(cs[1].confidence == .low)
        #expect(cs[1].location == "c.csv: line 3")
    }

    @Test func campusCSVErrorsNameFileLineAndField() throws {
        let csv = try CSVTable(text: """
            network,latitude,longitude,confidence
            A,51.0,4.0,high
            B,abc,4.1,low
            C,51.1,,medium
            D,4.2,51.0,high
            E,51.2,4.3,sure
            ,51.2,4.3,low
            """, name: "bad.csv")
        do {
            _ = try NetworkLayer.readCampuses(csv: csv)
            Issue.record("expected errors")
        } catch let e as DataErrors {
            #expect(e.errors.count == 5)
            #expect(e.errors[0] == DataError(file: "bad.csv", location: "line 3", field: "latitude", message: "'abc' is not a number"))
            #expect(e.errors[1].location == "line 4" && e.errors[1].field == "longitude")
            #expect(e.errors[2].message.contains("swapped"))
            #expect(e.errors[3].field == "confidence")
            #expect(e.errors[4].field == "network")
        }
        let noLat = try CSVTable(text: "network,nis\nA,44021\n", name: "x.csv")
        #expect(throws: DataError.self) { try NetworkLayer.readCampuses(csv: noLat) }
    }

    @Test func readsAreaTablesWithSharesAndPercentages() throws {
        let csv = try CSVTable(text: "nis,network,share,confidence\n44021,A,0.3,high\n44021,B,70%,low\n", name: "t.csv")
        let ms = try NetworkLayer.readMemberships(csv: csv)
        #expect(ms.map(\.share) == [0.3, 0.7])
        #expect(ms[1].confidence == .low)
        let bad = try CSVTable(text: "nis,network,share\n44021,A,1.5\n44021,A,0.2\n,B,0.1\n", name: "b.csv")
        do {
            _ = try NetworkLayer.readMemberships(csv: bad)
            Issue.record("expected errors")
        } catch let e as DataErrors {
            #expect(e.errors.map(\.location) == ["line 2", "line 4"])
            #expect(e.errors[0].field == "share")
            #expect(e.errors[1].field == "nis")
        }
        let dup = try CSVTable(text: "nis,network\n44021,A\n44021,A\n", name: "d.csv")
        #expect(throws: DataErrors.self) { try NetworkLayer.readMemberships(csv: dup) }
    }

    @Test func readsGeoJSONPointsAndPolygons() throws {
        let points = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"network":"N1","campus":"c","confidence":"low"},"geometry":{"type":"Point","coordinates":[4.1,51.0]}},
              {"type":"Feature","properties":{"network":"N2"},"geometry":null}]}
            """
        let layer = try NetworkLayer.readGeoJSON(Data(points.utf8), source: "p.geojson", name: "p")
        #expect(layer.kind == .points)
        #expect(layer.networks == ["N1", "N2"])
        #expect(layer.locatedCampuses.count == 1 && layer.unlocatedCampuses.count == 1)
        #expect(layer.campuses[0].confidence == .low)
        let polys = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"network":"N1"},"geometry":{"type":"Polygon","coordinates":[[[4,51],[4.1,51],[4.1,51.1],[4,51]]]}}]}
            """
        #expect(try NetworkLayer.readGeoJSON(Data(polys.utf8), source: "a.geojson", name: "a").kind == .polygons)
        let noName = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[4,51]}}]}"#
        do {
            _ = try NetworkLayer.readGeoJSON(Data(noName.utf8), source: "n.geojson", name: "n")
            Issue.record("expected an error")
        } catch let e as DataErrors {
            #expect(e.errors[0].location == "features[0]" && e.errors[0].field == "properties.network")
        }
    }
}

@Suite struct NetworkServiceAreaTests {
    let blocks = TwoSquares.blocks

    func share(_ s: ServiceAreas, block: Int, network: String) -> Double {
        let n = s.networks.firstIndex(of: network)!
        return s.shares[block].first { $0.network == n }?.population ?? 0
    }

    @Test func campusesArePlacedByPointInPolygon() throws {
        let ps = try CampusLocator.place(TwoSquares.campuses, in: blocks)
        #expect(ps.map(\.block) == ["A", "B", nil])
        #expect(ps.map(\.status) == [.inBlock, .inBlock, .outside])
        #expect(abs(ps[1].x! - 162_000) < 1e-3 && abs(ps[1].y! - 175_000) < 1e-3)
    }

    @Test func voronoiSplitsTheSquares30To70() throws {
        let ps = try CampusLocator.place(TwoSquares.campuses, in: blocks)
        let s = try ServiceAreas.voronoi(ps, networks: ["N1", "N2"], blocks: blocks)
        #expect(abs(share(s, block: 0, network: "N1") - 0.3) < 1e-6)
        #expect(abs(share(s, block: 0, network: "N2") - 0.7) < 1e-6)
        #expect(abs(share(s, block: 1, network: "N1") - 0.7) < 1e-6)
        #expect(abs(share(s, block: 1, network: "N2") - 0.3) < 1e-6)
        // The eastern N2 campus is low confidence: the part of B east of 167 km rests on it.
        let n2 = s.networks.firstIndex(of: "N2")!
        #expect(abs(s.shares[1].first { $0.network == n2 }!.lowConfidence - 0.3) < 1e-6)
        #expect(s.shares[0].first { $0.network == n2 }!.lowConfidence < 1e-9)
        #expect(s.areas?.compactMap { $0 }.count == 2)
    }

    @Test func nearestGivesWholeBlocks() throws {
        let ps = try CampusLocator.place(TwoSquares.campuses, in: blocks)
        let s = try ServiceAreas.nearest(ps, networks: ["N1", "N2"], blocks: blocks)
        #expect(share(s, block: 0, network: "N2") == 1)
        #expect(share(s, block: 1, network: "N1") == 1)
        #expect(s.shares.allSatisfy { $0.count == 1 })
    }

    @Test func polygonsSplitTheSquares30To70() throws {
        let s = try ServiceAreas.polygons(TwoSquares.polygons, networks: ["N1", "N2"], blocks: blocks)
        #expect(abs(share(s, block: 0, network: "N1") - 0.3) < 1e-6)
        #expect(abs(share(s, block: 1, network: "N1") - 0.7) < 1e-6)
        #expect(abs(share(s, block: 1, network: "N2") - 0.3) < 1e-6)
        #expect(s.diagnostics.municipalitiesWithoutNetwork.isEmpty)
        #expect(s.diagnostics.municipalitiesPartlyCovered.isEmpty)
    }

    @Test func tablesSplitEquallyOrByShareAndReportGaps() throws {
        let equal = [AreaMembership(network: "N1", key: "A", location: "t: line 2"),
                     AreaMembership(network: "N2", key: "A", confidence: .low, location: "t: line 3")]
        let s = try ServiceAreas.table(equal, networks: ["N1", "N2"], blocks: blocks)
        #expect(share(s, block: 0, network: "N1") == 0.5)
        #expect(share(s, block: 0, network: "N2") == 0.5)
        #expect(s.shares[0].first { $0.network == 1 }!.lowConfidence == 0.5)
        #expect(s.diagnostics.municipalitiesInSeveralNetworks.map(\.nis) == ["A"])
        #expect(s.diagnostics.municipalitiesWithoutNetwork.map(\.nis) == ["B"])

        let explicit = [AreaMembership(network: "N1", key: "A", share: 0.3, location: "t: line 2"),
                        AreaMembership(network: "N1", key: "B", share: 0.7, location: "t: line 3"),
                        AreaMembership(network: "N2", key: "B", share: 0.3, location: "t: line 4"),
                        AreaMembership(network: "N9", key: "62063", share: 1, location: "t: line 5")]
        let t = try ServiceAreas.table(explicit, networks: ["N1", "N2"], blocks: blocks, method: .table)
        #expect(share(t, block: 0, network: "N1") == 0.3)
        #expect(t.diagnostics.municipalitiesPartlyCovered.map(\.nis) == ["A"])
        #expect(t.diagnostics.keysOutsideStudyArea == ["62063"])

        let over = [AreaMembership(network: "N1", key: "A", share: 0.8, location: "t.csv: line 2"),
                    AreaMembership(network: "N2", key: "A", share: 0.8, location: "t.csv: line 3")]
        do {
            _ = try ServiceAreas.table(over, networks: ["N1", "N2"], blocks: blocks, method: .table)
            Issue.record("expected an error")
        } catch let e as DataErrors {
            #expect(e.errors[0].file == "t.csv" && e.errors[0].location == "line 2" && e.errors[0].field == "share")
        }
        let unknown = [AreaMembership(network: "N1", key: "Z", location: "t.csv: line 7")]
        #expect(throws: DataErrors.self) { try ServiceAreas.table(unknown, networks: ["N1"], blocks: blocks) }
    }
}

/// The real data package: campuses, GGZ tables.
@Suite struct NetworkRealDataTests {
    var dataset: Dataset { RealData.dataset }

    @Test func everyLocatedFlemishOrBrusselsCampusFallsInExactlyOneBlockMatchingItsBlockID() throws {
        let layer = try BuiltInNetworkLayer.hospitalNetworks.load(from: RealData.directory)
        #expect(layer.campuses.count == 127)
        #expect(layer.locatedCampuses.count == 121)
        let ps = try CampusLocator.place(layer.campuses, in: dataset.blocks)
        let inside = ps.filter { $0.status == .inBlock }
        #expect(inside.count == 119)
        for p in inside {
            #expect(p.blocks.count == 1, "\(p.campus.label) is in \(p.blocks)")
            #expect(p.matchesDeclaredBlock == true, "\(p.campus.label): \(p.block ?? "-") ≠ \(p.campus.declaredBlock ?? "-")")
        }
        // The two Walloon campuses of Brussels networks.
        #expect(Set(ps.filter { $0.status == .outside }.map(\.campus.network)) == ["H-Uni", "Chorus"])
        #expect(ps.filter { $0.status == .outside }.allSatisfy { $0.campus.declaredBlock == nil })
        // The unlocated campuses of hospital_campuses_unlocated.csv.
        #expect(ps.filter { $0.status == .unlocated }.count == 6)
        // The data README's two point_check cases: the point lies in a neighbouring municipality.
        let elsewhere = ps.filter { $0.pointMunicipality != nil }
        #expect(Set(elsewhere.map { "\($0.campus.municipalityNIS!)>\($0.pointMunicipality!)" }) == ["21018>23094", "21004>21013"])
        // Antwerp campuses land in their part.
        #expect(inside.filter { $0.block?.hasPrefix("11002-") == true }.count == 10)
    }

    @Test func ggzAdultsHaveTenMunicipalitiesInNoNetworkAndThirtyNineInTwo() throws {
        let layer = try BuiltInNetworkLayer.ggzAdults.load(from: RealData.directory)
        #expect(layer.kind == .municipalities)
        #expect(layer.networks.count == 13)
        let s = try ServiceAreas.table(layer.memberships, networks: layer.networks, blocks: dataset.blocks)
        let d = s.diagnostics
        #expect(Set(d.municipalitiesWithoutNetwork.map(\.name)) == ["Alveringem", "De Panne", "Diksmuide", "Houthulst", "Koekelare",
                                                                   "Koksijde", "Kortemark", "Lo-Reninge", "Nieuwpoort", "Veurne"])
        #expect(d.municipalitiesInSeveralNetworks.count == 39)
        #expect(d.municipalitiesInSeveralNetworks.filter { $0.nis.hasPrefix("7") }.count == 38)
        #expect(d.municipalitiesInSeveralNetworks.contains { $0.name == "Beveren-Kruibeke-Zwijndrecht" })
        #expect(d.municipalitiesInSeveralNetworks.allSatisfy { $0.networks.count == 2 && $0.networks.allSatisfy { abs($0.share - 0.5) < 1e-12 } })
        #expect(d.keysOutsideStudyArea.isEmpty)
    }

    @Test func ggzYouthCoversEveryMunicipalityOnce() throws {
        let layer = try BuiltInNetworkLayer.ggzYouth.load(from: RealData.directory)
        let s = try ServiceAreas.table(layer.memberships, networks: layer.networks, blocks: dataset.blocks)
        #expect(layer.networks.count == 6)
        #expect(s.diagnostics.municipalitiesWithoutNetwork.isEmpty)
        #expect(s.diagnostics.municipalitiesInSeveralNetworks.isEmpty)
        #expect(s.shares.allSatisfy { $0.count == 1 && $0[0].population == 1 })
    }

    @Test func voronoiAreasClippedToFlandersAndBrusselsSumToTheBlocksArea() throws {
        let layer = try BuiltInNetworkLayer.hospitalNetworks.load(from: RealData.directory)
        let ps = try CampusLocator.place(layer.campuses, in: dataset.blocks)
        let s = try ServiceAreas.voronoi(ps, networks: layer.networks, blocks: dataset.blocks)
        let total = dataset.blocks.reduce(0) { $0 + $1.areaKm2 }
        for (b, ss) in zip(dataset.blocks, s.shares) {
            let sum = ss.reduce(0) { $0 + $1.area }
            #expect(abs(sum - 1) < 1e-7, "block \(b.id): shares sum to \(sum)")
        }
        #expect(abs(s.areaKm2(blocks: dataset.blocks).reduce(0, +) - total) < 1e-6 * total)
        #expect(abs(s.population(blocks: dataset.blocks).reduce(0, +) - Double(dataset.totalPopulation)) < 1e-3)
        // Every network with a located campus gets an area.
        #expect(s.areaKm2(blocks: dataset.blocks).allSatisfy { $0 > 100 })
    }

    @Test func nearestGivesEveryBlockToOneNetwork() throws {
        let layer = try BuiltInNetworkLayer.hospitalNetworks.load(from: RealData.directory)
        let ps = try CampusLocator.place(layer.campuses, in: dataset.blocks)
        let s = try ServiceAreas.nearest(ps, networks: layer.networks, blocks: dataset.blocks)
        #expect(s.shares.allSatisfy { $0.count == 1 && $0[0].area == 1 })
        // A block with a campus goes to a network with a campus in it (the campus is nearest to nearby points).
        let gent = dataset.blockIndex["44021"]!
        #expect(["Ziekenhuisnetwerk Gent (ZNG)", "E17-ziekenhuisnetwerk"].contains(s.networks[s.shares[gent][0].network]))
    }
}
