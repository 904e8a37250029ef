import ArgumentParser
import Cartography
import Compare
import DataPackage
import Foundation
import Printing
import Jobs
import Zoning

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw an SVG map: the official zone map, hospital campuses or GGZ networks against the RZZ, or a rule report.",
        discussion: """
        Maps: official (referentieregio's coloured, RZZ borders red, ELZ outlined in black with their number, an \
        index of the ELZ, legend, scale bar, sources); hospitals (RZZ borders over the campuses, coloured per \
        network; --service-areas voronoi|nearest adds the derived service areas); ggz (RZZ borders over the GGZ \
        network areas, --ggz adults|youth; municipalities in two networks hatched, low-confidence rows stippled); \
        rules (each RZZ coloured by its most serious finding, the reasons in the legend); zoning (any layer, \
        --layer NAME, or the --zoning file, as coloured zones with names). \
        --zoning FILE replaces the dataset's RZZ (a table of the RZZ table's shape, or keyed by block id or NIS \
        code). Maps are projected in Belgian Lambert 72 (EPSG:31370), drawn from one shared-arc topology of the \
        blocks simplified to the output scale. Colours and lines come from GeoData/styles/official.json, or --style. \
        Without --out the SVG goes to standard output.
        """)

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("The map: official, hospitals, ggz, rules or zoning.", valueName: "MAP"))
    var map: MapKind = .official

    @Option(name: .long, help: ArgumentHelp("A proposal to draw instead of the dataset's RZZ (CSV of the RZZ table's shape, or keyed by block id or NIS code).", valueName: "FILE"))
    var zoning: String?

    @Option(name: .long, help: ArgumentHelp("Write the map to FILE (atomically) instead of standard output: .svg, .pdf or .png.", valueName: "FILE"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("svg (the drawing), pdf (one page) or png. Default: from --out, else svg.", valueName: "FORMAT"))
    var format: MapFormat?

    @Option(name: .long, help: ArgumentHelp("pdf and png: the sheet, A4 or A3 (landscape; --portrait turns it). The map is laid out for it: no text under 7 pt.", valueName: "PAPER"))
    var paper: Paper.Size = .a4

    @Flag(name: .long, help: "pdf and png: portrait instead of landscape.")
    var portrait = false

    @Option(name: .long, help: ArgumentHelp("png: dots per inch (72 to 600).", valueName: "DPI"))
    var dpi: Double = 300

    @Option(name: .long, help: ArgumentHelp("Width of the map in pixels (default: the style's, 1400). The height follows.", valueName: "PX"))
    var width: Double?

    @Option(name: .long, help: ArgumentHelp("Title of the map (default: per map).", valueName: "TEXT"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Second header line (default: per map; \"\" for none).", valueName: "TEXT"))
    var subtitle: String?

    @Option(name: .long, help: ArgumentHelp("Style: a JSON file, or the name of one in GeoData/styles (default: $ZORGZONES_STYLE, else official).", valueName: "FILE"))
    var style: String?

    @Option(name: .customLong("service-areas"), help: ArgumentHelp("hospitals: also draw the networks' derived service areas: voronoi or nearest.", valueName: "METHOD"))
    var serviceAreas: DrawnServiceAreas?

    @Option(name: .long, help: ArgumentHelp("ggz: adults or youth.", valueName: "GROUP"))
    var ggz: GGZGroup = .adults

    @Option(name: .long, help: ArgumentHelp("hospitals / ggz: a network layer file to draw instead of the data package's (campus CSV or GeoJSON, or a municipality table).", valueName: "FILE"))
    var networks: String?

    @Option(name: .long, help: ArgumentHelp("rules: the rule set (default: $ZORGZONES_RULES, else GeoData/rules/art18-2026.json).", valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("zoning map: the dataset layer to draw (rzz, elz, rr, municipalities); default rzz, or the --zoning file.", valueName: "NAME"))
    var layer: String?

    @Option(name: .customLong("elz-labels"), help: ArgumentHelp("official: ELZ labels: number (with an index of names), name or none.", valueName: "MODE"))
    var elzLabels: ELZLabelMode = .number

    @Flag(name: .customLong("no-elz-index"), help: "official: leave out the index of ELZ names.")
    var noElzIndex = false

    @Flag(name: .long, help: "Print the map's summary (elements, size, dropped labels) as JSON on standard error.")
    var summary = false

    @Flag(name: .shortAndLong, help: "Print nothing but the SVG (or nothing at all with --out).")
    var quiet = false

    func validate() throws {
        do throws(UsageError) {
            try RenderJob.check(width: width, maximum: 10_000)
            try PrintJob.check(format: outputFormat, dpi: dpi, width: width)
        } catch { throw ValidationError(error.cliText) }
    }

    /// What --out and --format ask for.
    var outputFormat: MapFormat { format ?? out.flatMap(MapFormat.guess) ?? .svg }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let workspace = try Workspace(dataOptions.request)
            let dataset = workspace.dataset
            var options = MapOptions()
            options.width = width
            options.title = title
            options.subtitle = subtitle
            options.elzLabels = elzLabels
            options.elzIndex = !noElzIndex
            options.serviceAreas = serviceAreas?.method
            options.ggz = ggz
            if let style, let url = try MapStyle.locate(explicit: style) { options.style = try MapStyle.load(file: url) }
            var job = RenderJob(kind: map, options: options)
            job.rulesFile = rules
            if let networks { job.networks = try NetworkLayer.read(contentsOf: workspace.file(networks), display: networks) }
            if let zoning {
                job.zoning = try workspace.zoningFile(zoning)
                job.options.zoningSource = URL(fileURLWithPath: zoning).lastPathComponent
            } else if map == .zoning {
                let name = layer ?? "rzz"
                guard let z = dataset.zonings[name] else {
                    throw UsageError("layer", "'\(name)' is not a layer: use one of \(dataset.layerNames.joined(separator: ", "))")
                }
                job.zoning = z
            }
            let rendered: RenderedMap
            var printedNote: String?
            if outputFormat == .svg {
                rendered = try job.run(dataset)
                if let out {
                    try writeAtomically(rendered.data, to: URL(fileURLWithPath: out))
                } else {
                    FileHandle.standardOutput.write(rendered.data)
                }
            } else {
                let sheet = Paper(size: paper, landscape: !portrait)
                var print = PrintJob(render: job, paper: sheet, format: outputFormat)
                print.dpi = dpi
                let printed = try print.run(dataset)
                rendered = printed.map
                if let out {
                    try writeAtomically(Data(printed.bytes), to: URL(fileURLWithPath: out))
                } else {
                    FileHandle.standardOutput.write(Data(printed.bytes))
                }
                printedNote = "\(outputFormat.rawValue.uppercased()) on \(sheet)\(outputFormat == .png ? " at \(Int(dpi)) dpi" : ""): drawn \(Int(rendered.summary.width)) px wide, smallest text \(String(format: "%.1f", printed.smallestPoints)) pt"
            }
            var stderr = StandardError()
            if summary {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                enc.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try enc.encode(rendered.summary), as: UTF8.self), to: &stderr)
            }
            if !quiet {
                let s = rendered.summary
                let elapsed = (clock.now - start).formatted(.units(allowed: [.milliseconds]))
                let line = "\(out.map { "wrote \($0)" } ?? "rendered") (\(map.rawValue) map, \(Int(s.width))×\(Int(s.height)) px, \(s.bytes) bytes; \(s.labelsPlaced) labels\(s.droppedLabels.isEmpty ? "" : ", dropped: \(s.droppedLabels.joined(separator: ", "))")) in \(elapsed)"
                if out != nil { print(line) } else { print(line, to: &stderr) }
                for n in s.notes { print("note: \(n)", to: &stderr) }
                if let printedNote { print("note: \(printedNote)", to: &stderr) }
            }
        } catch {
            throw reported(error)
        }
    }
}

extension MapKind: ExpressibleByArgument {}
extension GGZGroup: ExpressibleByArgument {}
extension ELZLabelMode: ExpressibleByArgument {}

/// The service areas the hospitals map can draw.
enum DrawnServiceAreas: String, ExpressibleByArgument, CaseIterable {
    case voronoi, nearest
    var method: ServiceAreaMethod { self == .voronoi ? .voronoi : .nearest }
}

extension MapFormat: ExpressibleByArgument {}

extension Paper.Size: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
