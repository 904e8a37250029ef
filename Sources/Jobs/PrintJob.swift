import Cartography
import Foundation
import Printing
import Zoning

/// What `render` writes: the SVG as drawn, or the map laid out on paper as PDF or PNG.
public enum MapFormat: String, Sendable, CaseIterable {
    case svg, pdf, png

    /// The format a file name asks for.
    public static func guess(_ path: String) -> MapFormat? {
        let lower = path.lowercased()
        for f in allCases where lower.hasSuffix("." + f.rawValue) { return f }
        return nil
    }
}

/// A map on paper, laid out for the sheet: drawn at one pixel a point across the sheet's printable width, with
/// every text at `textScale` of its screen size and never under `minimumPoints` (7 pt, the usual minimum for
/// print), and a map made narrower where header, legend and footer need the height. The smallest text is measured
/// on the drawing at the scale it is put on the sheet; under the minimum is an error, never a silently small print.
public struct PrintJob: Sendable {
    public var render: RenderJob
    public var paper: Paper
    public var format: MapFormat
    /// PNG resolution.
    public var dpi: Double = 300
    public var minimumPoints: Double = 7
    /// Text sizes on paper against the screen style's (a 10 px legend is 8 pt).
    public var textScale: Double = 0.8
    /// The largest resolution `run` accepts.
    public var maximumDPI: Double = 600

    public init(render: RenderJob, paper: Paper, format: MapFormat) {
        self.render = render
        self.paper = paper
        self.format = format
    }

    public func validate() throws(UsageError) {
        guard format != .svg else { throw UsageError("format", "svg is not laid out on paper; use pdf or png") }
        try Self.check(format: format, dpi: dpi, width: render.options.width, maximumDPI: maximumDPI)
    }

    /// The errors of a map that does not keep its text on the sheet (option `paper`): for the service, a 422.
    public static func isDoesNotFit(_ error: UsageError) -> Bool { error.option == "paper" }

    /// The options of a map's output, checked once for both front ends: a resolution from 72 dpi to `maximumDPI`
    /// (the CLI allows 600, where an A3 page is 280 MB of pixels; the service 300), and no pixel width for a map
    /// laid out on paper.
    public static func check(format: MapFormat, dpi: Double, width: Double?, maximumDPI: Double = 600) throws(UsageError) {
        guard dpi >= 72 && dpi <= maximumDPI else { throw UsageError("dpi", "must be from 72 to \(Int(maximumDPI))") }
        guard format == .svg || width == nil else {
            throw UsageError("width", "is for svg; pdf and png are laid out for the paper (choose the paper and its orientation)")
        }
    }

    public struct Printed: Sendable {
        public var bytes: [UInt8]
        /// The map as drawn for the sheet (one pixel a point).
        public var map: RenderedMap
        /// The smallest text on paper, in points.
        public var smallestPoints: Double
        /// Points per pixel of the drawing on the sheet (1 unless the drawing had to be fitted).
        public var scale: Double
    }

    public func run(_ dataset: Dataset, renderer: MapRenderer = .shared, supplies: MapSupplies = .shared) throws -> Printed {
        try validate()
        let screen = try render.options.style ?? supplies.defaultStyle()
        var job = render
        job.options.width = paper.printableWidth.rounded(.down)
        job.options.maxHeight = paper.printableHeight.rounded(.down)
        job.options.style = screen.forPaper(textScale: textScale, minimum: minimumPoints, margin: 4)
        let map: RenderedMap
        do {
            map = try job.run(dataset, renderer: renderer, supplies: supplies)
        } catch let error as PageError {
            throw UsageError("paper", "the \(render.kind.rawValue) map does not fit on \(paper) with text of at least \(svgNumber(minimumPoints)) pt: \(error.message); use a larger sheet or the other orientation")
        }
        guard let px = smallestFontSize(ofSVG: map.svg) else { throw UsageError("paper", "the map has no text to size") }
        let scale = paper.scale(width: map.summary.width, height: map.summary.height)
        let points = px * scale
        guard points >= minimumPoints - 1e-6 else {
            throw UsageError("paper", "on \(paper) the map's smallest text would be \(String(format: "%.1f", points)) pt, under \(svgNumber(minimumPoints)) pt")
        }
        let svg = Array(map.svg.utf8)
        let bytes = format == .pdf
            ? try PrintedMap.pdf(svg, paper: paper, title: render.options.title ?? map.title)
            : try PrintedMap.png(svg, paper: paper, dpi: dpi)
        return Printed(bytes: bytes, map: map, smallestPoints: points, scale: scale)
    }
}
