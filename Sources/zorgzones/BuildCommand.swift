import ArgumentParser
import Foundation
import GeoJSON
import Zoning

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dissolve the blocks into municipalities, ELZ, referentieregio's and RZZ (plus any --zoning) and write GeoJSON layers and a manifest.",
        discussion: """
        Writes <OUT>/municipalities.geojson, elz.geojson, rr.geojson, rzz.geojson, one <NAME>.geojson per --zoning, \
        and manifest.json (inputs with SHA-256 checksums, counts, population year, versions). GeoJSON is RFC 7946: \
        CRS84, counter-clockwise exterior rings, bbox, no crs member. Areas (area_km2) are planar in EPSG:31370. \
        Files are written atomically after everything has been computed; on any error nothing is written.
        """)

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("Output directory (created if needed).", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Add a layer from another zoning table: NAME=FILE, a CSV of (block id or NIS code, zone code, zone name), e.g. gezondheidsmakers=zonings/gezondheidsmakers.csv. Repeatable.", valueName: "NAME=FILE"))
    var zoning: [String] = []

    @Option(name: .long, help: "Decimals of the written coordinates (RFC 7946 suggests 6, about 10 cm).")
    var precision: Int = 6

    @Flag(name: .long, help: "Leave out the bbox members.")
    var noBbox = false

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    func run() throws {
        do {
            guard (0...12).contains(precision) else {
                throw ValidationError("--precision must be between 0 and 12")
            }
            let extras = try zoning.map(parseZoningOption)
            let clock = ContinuousClock()
            let start = clock.now
            let dataset = try dataOptions.load(extraZonings: extras)
            let writer = GeoJSONWriter(precision: precision, includeBBox: !noBbox)
            let files = try Atlas.build(dataset, to: URL(fileURLWithPath: out), writer: writer)
            if !quiet {
                let elapsed = clock.now - start
                for f in files { print("wrote \(out)/\(f.name) (\(f.data.count) bytes)") }
                for n in dataset.notes { print("note: \(n)") }
                print("done in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}

/// Parses NAME=FILE.
func parseZoningOption(_ s: String) throws -> (String, URL) {
    guard let eq = s.firstIndex(of: "="), eq != s.startIndex, s.index(after: eq) != s.endIndex else {
        throw ValidationError("--zoning expects NAME=FILE, got '\(s)'")
    }
    let name = String(s[..<eq]), file = String(s[s.index(after: eq)...])
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
        throw ValidationError("--zoning layer name '\(name)' may only use letters, digits, '-' and '_'")
    }
    return (name, URL(fileURLWithPath: file))
}
