import Foundation
import GeoCore
import GEOS

// Page composition shared by every map: a header (title, subtitle), the map, a legend band under the map laid out
// in flowing sections, a scale bar and north arrow in an empty corner of the map, and a footer with the sources.

/// A point symbol: campuses, findings.
struct MarkerSymbol: Hashable, Sendable {
    enum Shape: String, CaseIterable, Sendable { case circle, square, triangle, diamond }
    var shape: Shape
    var radius: Double
    var fill: String
    var stroke: String?
    var strokeWidth: Double

    init(_ style: MarkerStyle, fill: String? = nil, shape: Shape? = nil) {
        self.shape = shape ?? Shape(rawValue: style.shape) ?? .circle
        radius = style.radius
        self.fill = fill ?? style.fill?.css ?? "#333333"
        stroke = style.stroke?.colour.css
        strokeWidth = style.stroke?.width ?? 0
    }

    /// Writes the marker centred on (x, y).
    func draw(_ doc: inout SVGDocument, x: Double, y: Double, attributes: SVGAttributes = [:], title: String? = nil) {
        var a: SVGAttributes = ["fill": fill]
        if let stroke { a["stroke"] = stroke; a["stroke-width"] = svgNumber(strokeWidth) }
        a = attributes.merging(a)
        let r = radius
        func body(_ g: inout SVGDocument) {
            if let title { g.title(title) }
        }
        let name: String
        switch shape {
        case .circle:
            name = "circle"
            a["cx"] = svgNumber(x); a["cy"] = svgNumber(y); a["r"] = svgNumber(r)
        case .square:
            name = "rect"
            let s = r * 0.9
            a["x"] = svgNumber(x - s); a["y"] = svgNumber(y - s); a["width"] = svgNumber(2 * s); a["height"] = svgNumber(2 * s)
        case .triangle:
            name = "path"
            let h = r * 1.25
            a["d"] = "M\(svgNumber(x)) \(svgNumber(y - h))L\(svgNumber(x + h * 0.95)) \(svgNumber(y + h * 0.7))L\(svgNumber(x - h * 0.95)) \(svgNumber(y + h * 0.7))Z"
        case .diamond:
            name = "path"
            let h = r * 1.3
            a["d"] = "M\(svgNumber(x)) \(svgNumber(y - h))L\(svgNumber(x + h)) \(svgNumber(y))L\(svgNumber(x)) \(svgNumber(y + h))L\(svgNumber(x - h)) \(svgNumber(y))Z"
        }
        if let title {
            doc.openElement(name, a)
            body(&doc)
            doc.close()
        } else {
            doc.element(name, a)
        }
    }
}

/// One line of a legend: a symbol and a text.
struct LegendEntry: Sendable {
    enum Symbol: Sendable {
        /// A swatch: one or more fills painted over each other (a colour, then a pattern).
        case area([SVGAttributes])
        /// A short horizontal line.
        case line(SVGAttributes)
        case marker(MarkerSymbol)
        /// A swatch with a marker on it (a network's campuses and service area).
        case areaMarker([SVGAttributes], MarkerSymbol)
        /// A text in the symbol column (e.g. an ELZ number).
        case badge(String)
        case none
    }
    var symbol: Symbol
    var label: String
    /// Shown on hover (the full name when the label is shortened).
    var hover: String?

    init(_ symbol: Symbol, _ label: String, hover: String? = nil) {
        self.symbol = symbol; self.label = label; self.hover = hover
    }
}

/// A titled block of legend entries, in columns of at most `maxRows` rows.
struct LegendSection: Sendable {
    var id: String
    var title: String?
    var entries: [LegendEntry]
    var maxRows: Int = 9
    /// Text role of the entries.
    var textRole: String = "legend"
    /// Widest label in pixels (longer labels are shortened with an ellipsis; the full text is the hover title).
    var maxLabelWidth: Double = 330
}

/// A legend section with its place and columns decided.
struct PlacedSection {
    var section: LegendSection
    var x: Double, y: Double
    var width: Double, height: Double
    var columns: [[Int]]
    var columnWidths: [Double]
    var rowHeight: Double
    var symbolWidth: Double
    var fontSize: Double
    var titleHeight: Double
    /// Each entry's label, wrapped to the section's label width (never cut), and the height it takes.
    var entryLines: [[String]] = []
    var entryHeights: [Double] = []
    var lineStep: Double = 0
}

/// A page that cannot be laid out in the room it is given.
public struct PageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// The laid-out page: where the map, the legend and the footer go.
struct PageLayout {
    var width: Double
    var height: Double
    var frame: MapFrame
    /// The map area in pixels (the projected bounds).
    var mapRect: PixelRect
    var headerLines: [(text: String, role: String, y: Double)]
    var legend: [PlacedSection]
    var footer: [String]
    var footerY: Double
    var footerLineHeight: Double

    static let sectionGap = 30.0
    static let columnGap = 16.0

    /// Lays out a page `width` pixels wide for a map of `bounds`. With `maxHeight` (a sheet of paper), a page that
    /// would be taller gets a narrower map, centred, so that header, legend and footer keep their full size.
    static func make(style: MapStyle, width: Double, maxHeight: Double? = nil, bounds: BoundingBox, title: String,
                     subtitle: String?, legend: [LegendSection], footer: [String]) throws -> PageLayout {
        let m = style.margin
        let inner = width - 2 * m
        // Header.
        var header: [(String, String, Double)] = []
        var y = m * 0.6
        let titleSize = try style.text("title").size
        for line in MapText.wrap(title, size: titleSize, maxWidth: inner, bold: true) {
            y += titleSize * 1.25
            header.append((line, "title", y - titleSize * 0.5))
        }
        if let subtitle, !subtitle.isEmpty {
            let s = try style.text("subtitle").size
            for line in MapText.wrap(subtitle, size: s, maxWidth: inner) {
                y += s * 1.4
                header.append((line, "subtitle", y - s * 0.55))
            }
        }
        let top = y + m * 0.6
        // Legend sections, measured, then flowed into rows. On a sheet (`maxHeight`) the legend is compact: rows
        // as high as their text needs, gaps in proportion to it, and as many columns as the width holds.
        let compact = maxHeight != nil
        let legendSize = try style.text("legend").size
        let sectionGap = compact ? 2.5 * legendSize : Self.sectionGap, rowGap = compact ? legendSize : 14
        var placed: [PlacedSection] = []
        for s in legend where !s.entries.isEmpty {
            placed.append(try measure(s, style: style, available: inner, compact: compact))
        }
        var x = 0.0, rowY = 0.0, rowH = 0.0
        for i in placed.indices {
            if x > 0 && x + placed[i].width > inner {
                x = 0; rowY += rowH + rowGap; rowH = 0
            }
            placed[i].x = x
            placed[i].y = rowY
            x += placed[i].width + sectionGap
            rowH = max(rowH, placed[i].height)
        }
        let legendHeight = placed.isEmpty ? 0 : rowY + rowH
        // Footer.
        let fs = try style.text("source").size
        let footerLines = footer.flatMap { MapText.wrap($0, size: fs, maxWidth: inner) }
        let footerLineHeight = fs * 1.35
        let footerHeight = Double(footerLines.count) * footerLineHeight
        let gap = compact ? legendSize : 16.0
        let bottom = (placed.isEmpty ? 0 : gap + legendHeight) + gap + footerHeight + m * 0.6
        let insets = Insets(top: top, left: m, bottom: bottom, right: m)
        var frame = MapFrame(fitting: bounds, width: width, insets: insets)
        if let maxHeight, frame.height > maxHeight {
            guard maxHeight - top - bottom >= 0.2 * maxHeight else {
                throw PageError(message: "header, legend and footer leave less than a fifth of the \(Int(maxHeight)) px page to the map")
            }
            frame = MapFrame(fitting: bounds, width: width, height: maxHeight.rounded(.down), insets: insets)
        }
        let mapBottom = frame.originY + bounds.height * frame.scale
        let mapRect = PixelRect(x: frame.originX, y: frame.originY, width: bounds.width * frame.scale,
                                height: bounds.height * frame.scale)
        let legendTop = mapBottom + gap
        for i in placed.indices { placed[i].x += m; placed[i].y += legendTop }
        let footerY = frame.height - m * 0.6 - footerHeight
        return PageLayout(width: width, height: frame.height, frame: frame, mapRect: mapRect,
                          headerLines: header, legend: placed, footer: footerLines, footerY: footerY,
                          footerLineHeight: footerLineHeight)
    }

    private static func measure(_ s: LegendSection, style: MapStyle, available: Double, compact: Bool) throws -> PlacedSection {
        let text = try style.text(s.textRole)
        let size = text.size
        let bold = text.weight == "bold"
        let rowH = compact ? size * 1.45 : max(size * 1.5, 12)
        var symbolW = 24.0
        let badges = s.entries.compactMap { e -> String? in if case .badge(let b) = e.symbol { return b }; return nil }
        if !badges.isEmpty {
            symbolW = (badges.map { MapText.width($0, size: size, bold: true) }.max() ?? 10) + 2
        }
        var titleH = 0.0
        var titleW = 0.0
        if let t = s.title {
            let ts = try style.text("legendTitle").size
            titleH = ts * 1.7
            titleW = MapText.width(t, size: ts, bold: true)
        }
        // Start with as many columns as `maxRows` requires, then drop columns until the section fits. The column
        // count strictly decreases on every pass (and the loop stops at one column), so this always terminates.
        // (Deriving the next pass from a grown `maxRows` alone can map back onto the same column count, e.g.
        // 10 entries: maxRows 6 → 2 columns of 5 rows → maxRows 6 again, which looped forever.)
        let count = max(1, s.entries.count)
        var nCols = (count + max(1, s.maxRows) - 1) / max(1, s.maxRows)
        // Compact: as many columns as the width holds (fewest rows), from one row down.
        if compact { nCols = count }
        // Labels wider than the section allows wrap onto more lines (a legend never cuts a text short).
        let labelWidth = max(40, min(s.maxLabelWidth, available - symbolW - 6))
        let lines = s.entries.map { MapText.wrap($0.label, size: size, maxWidth: labelWidth, bold: bold) }
        let lineStep = size * 1.2
        let heights = lines.map { rowH + Double(max(0, $0.count - 1)) * lineStep }
        while true {
            let rows = (count + nCols - 1) / nCols
            var columns: [[Int]] = []
            var widths: [Double] = []
            var tallest = 0.0
            for c in 0 ..< (count + rows - 1) / rows {
                let idx = Array(c * rows ..< min(s.entries.count, (c + 1) * rows))
                columns.append(idx)
                let w = idx.flatMap { lines[$0] }.map { MapText.width($0, size: size, bold: bold) }.max() ?? 0
                widths.append(symbolW + 6 + w)
                tallest = max(tallest, idx.reduce(0) { $0 + heights[$1] })
            }
            let width = max(titleW, widths.reduce(0, +) + Double(max(0, columns.count - 1)) * columnGap)
            if width <= available || nCols == 1 {
                return PlacedSection(section: s, x: 0, y: 0, width: min(width, available),
                                     height: titleH + tallest, columns: columns, columnWidths: widths,
                                     rowHeight: rowH, symbolWidth: symbolW, fontSize: size, titleHeight: titleH,
                                     entryLines: lines, entryHeights: heights, lineStep: lineStep)
            }
            // Grow the rows by about a quarter, and always drop at least one column.
            let grown = rows + (compact ? 1 : max(1, rows / 4))
            nCols = max(1, min(nCols - 1, (count + grown - 1) / grown))
        }
    }
}

extension SVGDocument {
    /// Draws the legend sections.
    mutating func legend(_ sections: [PlacedSection], style: MapStyle) throws {
        try group(["id": "legend"]) { g in
            for p in sections {
                try g.group(["class": "legend-section", "data-section": p.section.id]) { s in
                    if let t = p.section.title {
                        let ts = try style.text("legendTitle")
                        s.text([t], x: p.x, y: p.y + ts.size * 0.6, fontSize: ts.size,
                               attributes: try style.textAttributes("legendTitle").merging(["text-anchor": "start"]))
                    }
                    let textAttrs = try style.textAttributes(p.section.textRole)
                    var x = p.x
                    for (c, col) in p.columns.enumerated() {
                        var top = p.y + p.titleHeight
                        for i in col {
                            let e = p.section.entries[i]
                            let cy = top + 0.5 * p.rowHeight
                            try s.legendSymbol(e.symbol, x: x, cy: cy, width: p.symbolWidth, height: min(12, p.rowHeight - 3),
                                               fontSize: p.fontSize, style: style)
                            var a = textAttrs.merging(["text-anchor": "start"])
                            if let hover = e.hover { a["data-full"] = hover }
                            for (k, line) in p.entryLines[i].enumerated() {
                                s.text([line], x: x + p.symbolWidth + 6, y: cy + Double(k) * p.lineStep, fontSize: p.fontSize,
                                       attributes: a)
                            }
                            top += p.entryHeights[i]
                        }
                        x += p.columnWidths[c] + PageLayout.columnGap
                    }
                }
            }
        }
    }

    mutating func legendSymbol(_ symbol: LegendEntry.Symbol, x: Double, cy: Double, width: Double, height: Double,
                               fontSize: Double, style: MapStyle) throws {
        switch symbol {
        case .area(let fills):
            let w = min(width, 24.0)
            for f in fills {
                var a = f
                a["x"] = svgNumber(x); a["y"] = svgNumber(cy - height / 2)
                a["width"] = svgNumber(w); a["height"] = svgNumber(height)
                element("rect", a)
            }
            element("rect", ["x": svgNumber(x), "y": svgNumber(cy - height / 2), "width": svgNumber(w),
                             "height": svgNumber(height), "fill": "none", "stroke": "#999999", "stroke-width": "0.5"])
        case .line(let attrs):
            var a = attrs
            let w = min(width, 24.0)
            a["d"] = "M\(svgNumber(x + 1)) \(svgNumber(cy))h\(svgNumber(w - 2))"
            element("path", a)
        case .marker(let m):
            m.draw(&self, x: x + min(width, 24) / 2, y: cy)
        case .areaMarker(let fills, let m):
            try legendSymbol(.area(fills), x: x, cy: cy, width: width, height: height, fontSize: fontSize, style: style)
            m.draw(&self, x: x + min(width, 24) / 2, y: cy)
        case .badge(let t):
            text([t], x: x + width, y: cy, fontSize: fontSize,
                 attributes: try style.textAttributes(style.texts["legendIndex"] != nil ? "legendIndex" : "legend")
                    .merging(["text-anchor": "end", "font-weight": "bold"]))
        case .none:
            break
        }
    }

    /// A scale bar of `km` kilometres in four alternating segments, its left end at (x, y) (the bar's top).
    mutating func scaleBar(x: Double, y: Double, km: Double, frame: MapFrame, style: MapStyle) throws {
        let length = km * 1000 * frame.scale
        let line = try style.line("scaleBar")
        let ts = try style.text("scaleBar")
        try group(["id": "scale-bar"]) { g in
            g.title("Schaal: \(kmText(km)) km")
            let h = 5.0
            for k in 0 ..< 4 {
                g.element("rect", ["x": svgNumber(x + Double(k) * length / 4), "y": svgNumber(y),
                                   "width": svgNumber(length / 4), "height": svgNumber(h),
                                   "fill": k % 2 == 0 ? line.colour.css : "#ffffff",
                                   "stroke": line.colour.css, "stroke-width": svgNumber(line.width * 0.7)])
            }
            let attrs = try style.textAttributes("scaleBar")
            for (f, label) in [(0.0, "0"), (0.5, kmText(km / 2)), (1.0, "\(kmText(km)) km")] {
                g.text([label], x: x + f * length, y: y + h + ts.size * 0.95, fontSize: ts.size,
                       attributes: attrs.merging(f == 1 ? ["text-anchor": "middle"] : [:]))
            }
        }
    }

    /// A north arrow (grid north of the projection) centred on x, from y (top) down `height` pixels.
    mutating func northArrow(x: Double, y: Double, height: Double, style: MapStyle) throws {
        let c = try style.line("scaleBar").colour.css
        let ts = try style.text("scaleBar")
        group(["id": "north-arrow"]) { g in
            g.title("Noorden (rasternoorden van Lambert 72)")
            let top = y + ts.size * 1.2, w = height * 0.32
            g.text(["N"], x: x, y: y + ts.size * 0.5, fontSize: ts.size, attributes: ["fill": c, "font-weight": "bold",
                                                                                    "font-family": style.fontFamily])
            g.element("path", ["d": "M\(svgNumber(x)) \(svgNumber(top))L\(svgNumber(x + w)) \(svgNumber(y + height))L\(svgNumber(x)) \(svgNumber(y + height - w * 0.9))Z",
                               "fill": c])
            g.element("path", ["d": "M\(svgNumber(x)) \(svgNumber(top))L\(svgNumber(x - w)) \(svgNumber(y + height))L\(svgNumber(x)) \(svgNumber(y + height - w * 0.9))Z",
                               "fill": "#ffffff", "stroke": c, "stroke-width": "0.8", "stroke-linejoin": "round"])
        }
    }
}

/// A "nice" scale bar length (1, 2 or 5 × 10ⁿ km) close to `targetPixels` at the frame's scale.
func niceScaleKm(frame: MapFrame, targetPixels: Double) -> Double {
    let km = targetPixels / (frame.scale * 1000)
    let p = pow(10, floor(log10(km)))
    for f in [5.0, 2, 1] where f * p <= km { return f * p }
    return p
}

/// A distance for the scale bar, with a decimal comma ("2,5").
func kmText(_ km: Double) -> String { svgNumber(km).replacingOccurrences(of: ".", with: ",") }
