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
