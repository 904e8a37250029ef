import Cartography
import Check
import Compare
import DataPackage
import GeoCore
import GEOS
import GeoJSON
import Jobs
import Projection
import Foundation
import Testing
import TestSupport
@testable import Zoning

/// What the `check` command makes of a `CheckJob`: output, error, exit code (0 pass, 1 violations, 2 bad input,
/// 64 an option out of range).
private struct Outcome {
    var output = ""
    var error: String?
    var exitCode: Int32
    var report: RuleReport?
}

private enum RulesCheck {
    static func run(_ job: CheckJob) -> Outcome {
        do {
            let o = try job.run()
            return Outcome(output: o.output, exitCode: o.exitCode, report: o.report)
        } catch let e as UsageError {
            return Outcome(error: e.cliText, exitCode: 64)
        } catch {
            return Outcome(error: "\(error)", exitCode: 2)
        }
    }
}

/// `CheckJob`, as `zorgzones check` runs it: output and exit code.
@Suite struct RulesCheckCommandTests {
    func request(zoning: String? = nil, rules: String? = nil, format: ReportFormat = .text,
                 snap: Double? = nil) -> CheckJob {
        CheckJob(data: DataRequest(directory: RulesFixture.dataDirectory.path), zoningFile: zoning,
                 rulesFile: rules ?? RulesFixture.rulesURL.path, format: format, snapToleranceM: snap)
    }

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zorgzones-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func theDefaultCheckExitsWith0() {
        let o = RulesCheck.run(request())
        #expect(o.exitCode == 0)
        #expect(o.error == nil)
        #expect(o.output.contains("PASS"))
    }

    @Test func aProposalWithViolationsExitsWith1AndSaysWhatItChanges() {
        let file = RulesFixture.repository.appendingPathComponent("GeoData/scenarios/b-regio-gent-gesplitst.csv").path
        let o = RulesCheck.run(request(zoning: file, format: .markdown))
        #expect(o.exitCode == 1)
        #expect(o.output.contains("## Compared with"))
        #expect(o.output.contains("277,881"))
        #expect(o.report?.delta?.introduced.isEmpty == false)
    }

    @Test func aZoningFileWithAnUnknownCodeExitsWith2NamingFileLineAndField() throws {
        var lines = try String(contentsOfFile: RulesFixture.dataDirectory.appendingPathComponent("rzz.csv").path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "elz4,", with: "elz404,")
        let file = try temporaryFile("bad.csv", lines.joined(separator: "\n") + "\n")
        let o = RulesCheck.run(request(zoning: file))
        #expect(o.exitCode == 2)
        #expect(o.output.isEmpty)
        let e = try #require(o.error)
        #expect(e.contains("bad.csv: line 4, field 'elz_code'"))
        #expect(e.contains("elz404"))
    }

    @Test func aMissingZoningFileExitsWith2() {
        let o = RulesCheck.run(request(zoning: "/nonexistent/proposal.csv"))
        #expect(o.exitCode == 2)
        #expect(o.error?.contains("/nonexistent/proposal.csv") == true)
    }

    @Test func aRuleSetWithASyntaxErrorNamesTheLine() throws {
        let file = try temporaryFile("rules.json", "{\n  \"id\": \"x\",\n  \"title\": oops\n}\n")
        let o = RulesCheck.run(request(rules: file))
        #expect(o.exitCode == 2)
        let e = try #require(o.error)
        #expect(e.contains("rules.json: line 3"), "\(e)")
    }

    @Test func aRuleSetWithAMissingOrWrongFieldNamesTheField() throws {
        var json = try String(contentsOf: RulesFixture.rulesURL, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"min\": 300000", with: "\"min\": \"many\"")
        let file = try temporaryFile("rules.json", json)
        let o = RulesCheck.run(request(rules: file))
        #expect(o.exitCode == 2)
        #expect(o.error?.contains("field 'rules.min_population.min'") == true, "\(o.error ?? "")")
        #expect(o.error?.contains("expected a number") == true)

        var json2 = try String(contentsOf: RulesFixture.rulesURL, encoding: .utf8)
        json2 = json2.replacingOccurrences(of: "\"gap_level\": \"violation\"", with: "\"gap_level\": \"fatal\"")
        let o2 = RulesCheck.run(request(rules: try temporaryFile("rules.json", json2)))
        #expect(o2.exitCode == 2)
        #expect(o2.error?.contains("field 'coverage_check.gap_level'") == true, "\(o2.error ?? "")")
    }

    @Test func aRuleSetNamingAnUnknownMunicipalityIsBadInput() throws {
        var json = try String(contentsOf: RulesFixture.rulesURL, encoding: .utf8)
        json = json.replacingOccurrences(of: "{\"nis\": \"73109\", \"name\": \"Voeren\"}", with: "{\"nis\": \"73108\", \"name\": \"Voeren\"}")
        let o = RulesCheck.run(request(rules: try temporaryFile("rules.json", json)))
        #expect(o.exitCode == 2)
        #expect(o.error?.contains("rules.contiguity.excepted_municipalities[0]") == true, "\(o.error ?? "")")
        #expect(o.error?.contains("73108") == true)
    }

    @Test func snapOnCleanDataChangesNothing() {
        let o = RulesCheck.run(request(format: .json, snap: 1))
        #expect(o.exitCode == 0)
        #expect(o.report?.repairs == [])
        #expect(o.output.contains("\"repairs\" : ["))
        let bad = RulesCheck.run(request(snap: -1))
        #expect(bad.exitCode == 64)
        #expect(bad.error == "--snap must be a positive number of metres, got -1.0")
    }

    @Test func theRuleSetRoundTrips() throws {
        let data = try Data(contentsOf: RulesFixture.rulesURL)
        let set = try RuleSet.decode(data, source: "art18-2026.json")
        #expect(set.rules.minPopulation.min == 300_000)
        #expect(set.rules.minElz.min == 2)
        #expect(set.rules.maxZones.max == 15)
        #expect(set.rules.minPopulation.exceptions.first?.elz == ["elz48", "elz35"])
        #expect(set.rules.elzContiguity.level == .warning)
        #expect(set.motivatedExceptionsRequireMaxZones)
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        let again = try RuleSet.decode(try enc.encode(set), source: "again")
        #expect(again.rules.rrAlignment.granted.count == 6)
    }
}
