import ArgumentParser
import Formats
import Foundation
import GeoCore
import Jobs

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dissolve the blocks into municipalities, ELZ, referentieregio's and RZZ (plus any --zoning) and write the layers and a manifest.",
        discussion: """
        Writes <OUT>/municipalities.geojson, elz.geojson, rr.geojson, rzz.geojson, one <NAME>.geojson per --zoning, \
        and manifest.json (inputs with SHA-256 checksums, counts, population year, versions). GeoJSON is RFC 7946: \
        CRS84, counter-clockwise exterior rings, bbox, no crs member. Areas (area_km2) are planar in EPSG:31370. \
        --out atlas.topojson writes one TopoJSON topology with every layer as an object over shared arcs \
        (quantized at --precision). --out atlas.gpkg writes one GeoPackage with every layer (the manifest in its metadata); --format fgb or shp \
        a folder with a FlatGeobuf or Shapefile per layer and the manifest; --out PG:"dbname=…" PostGIS tables with \
        a spatial index. Those formats have one geometry type per layer (MultiPolygon), lists as text joined by \
        commas plus a <name>_n count, and the CRS of --crs (default CRS84). Output is written atomically after \
        everything has been computed; on any error nothing is written.
        """)

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("Output directory (created if needed), a .gpkg file, or PG:\"dbname=…\" for PostGIS.", valueName: "DIR|FILE|PG:…"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("geojson, topojson, gpkg, fgb, shp or postgis. Default: from --out (.topojson, .gpkg, PG:), else geojson.", valueName: "FORMAT"))
    var format: VectorFormat?

    @Option(name: .long, help: ArgumentHelp("CRS of the written coordinates in gpkg, fgb, shp and postgis, e.g. EPSG:31370 (Lambert 72) or EPSG:3812 (Lambert 2008). Default: CRS84.", valueName: "CRS"))
    var crs: String?

    @Flag(name: .long, help: "Write every polygon as a MultiPolygon in GeoJSON too (one geometry type per layer; the other formats always do).")
    var multi = false

    @Option(name: .long, help: ArgumentHelp("Simplify the written borders to this many metres, on the shared arcs (neighbours stay aligned, the layer still tiles); areas and populations stay those of the full geometry.", valueName: "METRES"))
    var simplify: Double?

    @Option(name: .long, help: ArgumentHelp("visvalingam (smooth, the default) or douglas-peucker (the tolerance is a maximum deviation).", valueName: "METHOD"))
    var simplifyMethod: SimplificationMethod = .visvalingam

    @Option(name: .long, help: ArgumentHelp("Add a layer from another zoning table: NAME=FILE, a CSV of (block id or NIS code, zone code, zone name), e.g. gezondheidsmakers=zonings/gezondheidsmakers.csv. Repeatable.", valueName: "NAME=FILE"))
    var zoning: [String] = []

    @Option(name: .long, help: "Decimals of the written coordinates (RFC 7946 suggests 6, about 10 cm).")
    var precision: Int = 6

    @Flag(name: .long, help: "Leave out the bbox members.")
    var noBbox = false

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    var job: BuildJob {
        var job = BuildJob(data: dataOptions.request, out: out, zonings: zoning, precision: precision, bbox: !noBbox)
        job.format = format
        job.crs = crs
        job.multi = multi
        job.simplify = simplify
        job.simplifyMethod = simplifyMethod
        return job
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
                let format = job.resolvedFormat
                switch format {
                case .postGIS:
                    for f in outcome.files { print("wrote table \(f.name) (\(f.bytes) features)") }
                case .geoPackage:
                    for f in outcome.files { print("wrote \(out) (\(f.bytes) bytes, layers \(Set(outcome.fields.map(\.layer)).count))") }
                case .topoJSON:
                    for f in outcome.files { print("wrote \(out) (\(f.bytes) bytes)") }
                default:
                    for f in outcome.files { print("wrote \(out)/\(f.name) (\(f.bytes) bytes)") }
                }
                for m in outcome.fields where m.field != m.property {
                    print("note: \(m.layer): property '\(m.property)' is the column '\(m.field)'")
                }
                for n in outcome.notes { print("note: \(n)") }
                print("done in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
            }
        } catch {
            throw reported(error)
        }
    }
}

extension VectorFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["geojson", "topojson", "gpkg", "fgb", "shp", "postgis"] }
}

extension SimplificationMethod: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "visvalingam", "vw": self = .visvalingam
        case "douglas-peucker", "douglaspeucker", "dp": self = .douglasPeucker
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["visvalingam", "douglas-peucker"] }
}
