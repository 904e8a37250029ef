import Compare
import DataPackage
import GeoJSON
import Foundation
import Testing
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
