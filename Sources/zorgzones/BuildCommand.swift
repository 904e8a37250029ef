import ArgumentParser
import Foundation
import Jobs

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

    var job: BuildJob {
        BuildJob(data: dataOptions.request, out: out, zonings: zoning, precision: precision, bbox: !noBbox)
    }

    func validate() throws {
        do throws(UsageError) { try job.validate() } catch { throw ValidationError(error.cliText) }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = try job.run()
            if !quiet {
                let elapsed = clock.now - start
                for f in outcome.files { print("wrote \(out)/\(f.name) (\(f.data.count) bytes)") }
                for n in outcome.notes { print("note: \(n)") }
                print("done in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
            }
        } catch {
            throw reported(error)
        }
    }
}
