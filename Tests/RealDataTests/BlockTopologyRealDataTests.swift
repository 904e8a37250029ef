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
@testable import Check

/// The block topology of the data package: Baarle-Hertog's enclaves.
@Suite struct BlockTopologyRealDataTests {
    @Test func baarleHertogPartsAreNodesOfTheGraph() throws {
        let t = RulesFixture.engine.topology
        let baarle = try #require(RulesFixture.dataset.blockIndex["13002"])
        #expect(t.partsOfBlock[baarle].count == 26)
        #expect(t.parts.count == RulesFixture.dataset.blocks.reduce(0) { $0 + $1.shape.polygons.count })
        // 26 parts: 22 enclaves form their own components, the other 4 are connected to the rest of Flanders.
        let all = Array(0..<t.parts.count)
        let comps = try t.components(of: all, blocks: RulesFixture.dataset.blocks)
        #expect(comps.components.count == 24)
    }
}
