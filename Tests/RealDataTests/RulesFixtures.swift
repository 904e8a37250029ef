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

/// The repository root and the real data, loaded once for the rule tests.
enum RulesFixture {
    static let repository = TestData.repository

    static let rulesURL = repository.appendingPathComponent("GeoData/rules/art18-2026.json")

    static let dataDirectory = TestData.directory

    static let ruleSet: RuleSet = {
        do { return try RuleSet.load(rulesURL) } catch { fatalError("cannot load the rule set: \(error)") }
    }()

    static let dataset: Dataset = {
        do { return try Dataset.load(DatasetOptions(directory: dataDirectory)) } catch {
            fatalError("cannot load the real data at \(dataDirectory.path): \(error)")
        }
    }()

    static let engine: RuleEngine = {
        do { return try RuleEngine(dataset: dataset, ruleSet: ruleSet) } catch { fatalError("engine: \(error)") }
    }()

    /// The 2026 RZZ (rzz.csv) checked against art18-2026.json.
    static let report: RuleReport = {
        do { return try engine.checkDefault() } catch { fatalError("check: \(error)") }
    }()

    static func scenario(_ file: String) throws -> (zoning: Zoning, report: RuleReport) {
        let url = repository.appendingPathComponent("GeoData/scenarios/\(file)")
        let table = try ZoneTable(contentsOf: url, name: file)
        let zoning = try dataset.resolve(table, name: file)
        return (zoning, try engine.check(zoning, file: file))
    }
}

/// The project's GeoData directory.
let geoData = TestData.geoData
