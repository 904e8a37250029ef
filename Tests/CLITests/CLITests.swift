import Foundation
import Testing
import TestSupport
import DataPackage
import GeoJSON
import Zoning

// The CLI as a user runs it: the debug `zorgzones` that `swift test` builds, its exit codes (README: 0 success,
// 1 rule violations, 2 bad input or any other error, 64 usage) and what it says. Expected values come from the data
// package's files, not from the program.

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let cli = repository.appendingPathComponent(".build/debug/zorgzones")

struct Run { var status: Int32; var stdout: String; var stderr: String }

func zorgzones(_ arguments: [String]) throws -> Run {
    try #require(FileManager.default.isExecutableFile(atPath: cli.path), "no zorgzones executable at \(cli.path): run `swift build`")
    let p = Process()
    p.executableURL = cli
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(["ZORGZONES_DATA": RealData.directory.path]) { _, new in new }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes before waiting, so a large output cannot block the child.
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

@Suite(.serialized) struct CLITests {
    let blocks = RealData.directory.appendingPathComponent("blocks.geojson").path

    @Test func dissolveSaysWhichFeaturesItLeftOut() throws {
        // Blocks without a province, counted from the file itself (Brussels' municipalities).
        let fc = try GeoJSONReader().readFeatureCollection(Data(contentsOf: URL(fileURLWithPath: blocks)))
        let withoutProvince = fc.features.filter { $0.properties["province"] == nil || $0.properties["province"] == .null }.count
        #expect(withoutProvince > 0)
        let r = try zorgzones(["dissolve", blocks, "--by", "province"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("left out \(withoutProvince) features whose 'province' is null or missing"))
        let out = try GeoJSONReader().readFeatureCollection(Data(r.stdout.utf8))
        let provinces = Set(fc.features.compactMap { $0.properties["province"]?.stringValue })
        #expect(Set(out.features.compactMap { $0.properties["province"]?.stringValue }) == provinces)
        #expect(out.features.reduce(0) { $0 + ($1.properties["count"]?.intValue ?? 0) } == fc.features.count - withoutProvince)
    }

    @Test func theMarkdownReportInDutchHasNoEnglishSentence() throws {
        let scenario = TestData.geoData.appendingPathComponent("scenarios/b-regio-gent-gesplitst.csv").path
        let r = try zorgzones(["check", "--zoning", scenario, "--format", "markdown", "--lang", "nl"])
        #expect(r.status == 1, "\(r.stderr)")   // violations
        #expect(r.stdout.hasPrefix("# Toetsing: "))
        #expect(r.stdout.contains("voldoet niet: 3 schendingen"), "\(r.stdout.prefix(800))")
        #expect(r.stdout.contains("## Schendingen (3)"))
        for english in ["Violations", "Excused", "PASS", "FAIL", " inhabitants", " is in ", "zoning:", "rule set:", "pieces", "granted"] {
            #expect(!r.stdout.contains(english), "English in the Dutch report: \(english)")
        }
        let text = try zorgzones(["check", "--lang", "nl"])
        #expect(text.status == 64 && text.stderr.contains("--lang"), "\(text.stderr)")
    }

    @Test func aMemberWrittenTwiceIsExitCode2NamingItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("twice.geojson")
        try Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"z":"a","z":"b"},"geometry":null}]}"#.utf8).write(to: file)
        let r = try zorgzones(["dissolve", file.path, "--by", "z"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("twice.geojson:1:81: features[0].properties.z: the member \"z\" appears more than once"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aTypoIsExitCode2NamingTheProperty() throws {
        let r = try zorgzones(["dissolve", blocks, "--by", "province", "--sum", "populaton"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no feature has the property 'populaton'"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aZoningTableWithoutACodeColumnIsExitCode2NamingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = dir.appendingPathComponent("mine.csv")
        try "nis,zone,label\n11001,Z1,Zone 1\n".write(to: table, atomically: true, encoding: .utf8)
        let r = try zorgzones(["build", "--out", dir.appendingPathComponent("out").path, "--zoning", "mine=\(table.path)"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("mine.csv"))
        #expect(r.stderr.contains("the columns are: nis, zone, label"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func checkExitsZeroOnThe2026RZZAndOneOnARefusedScenario() throws {
        let ok = try zorgzones(["check", "--rules", repository.appendingPathComponent("GeoData/rules/art18-2026.json").path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let refused = try zorgzones(["check", "--rules", repository.appendingPathComponent("GeoData/rules/art18-2026.json").path,
                                     "--rzz", repository.appendingPathComponent("GeoData/scenarios/a-westkust-en-polder-bij-de-kust.csv").path])
        #expect(refused.status == 1, "\(refused.stderr)")
    }

    @Test func anOutOfRangePrecisionIsAUsageError() throws {
        let r = try zorgzones(["dissolve", blocks, "--by", "province", "--precision", "13"])
        #expect(r.status == 64)   // EX_USAGE, as the README says
        #expect(r.stderr.contains("--precision must be a whole number from 0 to 12"))
    }
}

/// The options each command checks through `Jobs` are refused the same way: exit 64 and the option named.
@Suite struct OptionCheckTests {
    @Test(arguments: [
        (["check", "--snap=-1"], "--snap must be a positive number of metres"),
        (["compare", "--with", "hospital-networks", "--threshold", "101"], "--threshold is a percentage between 0 and 100"),
        (["compare", "--with", "hospital-networks", "--min-confidence", "certain"], "--min-confidence must be low, medium or high"),
        (["build", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("zz-never").path, "--zoning", "=x.csv"],
         "--zoning expects NAME=FILE"),
        (["render", "--width", "100"], "--width must be a whole number of pixels from 320 to 10000"),
        (["check", "--format", "yaml"], "--format"),
        (["compare", "--with", "hospital-networks", "--catchment", "networks/ggz_adults.csv"], "--catchment goes with method table"),
        (["compare", "--with", "hospital-networks", "--method", "table", "--catchment", "networks/hospital_campuses.csv"],
         "must be a CSV of (nis or block_id, network, share), not points"),
    ])
    func isRefusedWithItsName(_ arguments: [String], _ message: String) throws {
        let r = try zorgzones(arguments)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
    }

    @Test func aMethodThatDoesNotFitTheLayerIsAUsageError() throws {
        let r = try zorgzones(["compare", "--with", "ggz-adults", "--method", "voronoi"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--method voronoi does not apply: ggz-adults is an area layer"), "\(r.stderr)")
    }
}

/// docs/cli-help.md is the binary's own help (Scripts/docs-cli.sh writes it): a changed option fails here until
/// the page is regenerated.
@Suite struct HelpPageTests {
    @Test(arguments: ["", "build", "dissolve", "check", "compare", "render", "serve"])
    func theHelpPageIsTheBinarysHelp(_ command: String) throws {
        let page = try String(contentsOf: repository.appendingPathComponent("docs/cli-help.md"), encoding: .utf8)
        let r = try zorgzones(command.isEmpty ? ["--help"] : ["help", command])
        #expect(r.status == 0)
        #expect(page.contains("```text\n" + r.stdout + "```"), "docs/cli-help.md is out of date for '\(command)': run Scripts/docs-cli.sh")
    }
}
