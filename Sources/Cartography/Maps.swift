import Foundation
import GeoCore
import GEOS
import Check
import Compare
import Zoning

// The maps zorgzones draws, and the renderer the CLI (`zorgzones render`) and the HTTP service call.
//
// - official: referentieregio's as graph-coloured areas, RZZ borders in red, ELZ outlined in black with their
//   number, an index of the ELZ, legend, scale bar, north arrow, sources (OfficialMap.swift).
// - hospitals: RZZ borders over hospital campuses coloured per network, optionally with derived service areas
//   (NetworkMaps.swift).
// - ggz: RZZ borders over the GGZ network areas (adults or youth); municipalities in two networks hatched,
//   low-confidence rows stippled (NetworkMaps.swift).
// - rules: the zones of a rule report coloured by their worst finding, the reasons in the legend (RulesMap.swift).
// - zoning: any zoning as graph-coloured areas with names (ZoningMaps.swift), for the service's layer maps.
//
// Every map is drawn from one shared-arc topology of the blocks, simplified to the output scale, so each border
// is drawn once and neighbours share exactly the same line.

/// The kinds of map.
public enum MapKind: String, CaseIterable, Sendable, Codable {
    case official, hospitals, ggz, rules, zoning
}

/// What the ELZ labels of the official map show.
public enum ELZLabelMode: String, CaseIterable, Sendable, Codable {
    /// The number in the ELZ code (`elz23` → 23), with an index of names in the legend.
    case number
    /// The ELZ name.
    case name
    case none
}

/// The GGZ networks to draw.
public enum GGZGroup: String, CaseIterable, Sendable, Codable {
    case adults, youth
}

/// Options of a map. Everything has a default.
public struct MapOptions: Sendable {
    /// Canvas width in pixels (default: the style's width). The height follows the map's aspect ratio.
    public var width: Double?
    /// At most this height in pixels (a sheet of paper): the map is drawn narrower, centred, where the page would
    /// be taller. A page whose header, legend and footer leave the map less than a fifth of it is an error.
    public var maxHeight: Double?
    public var title: String?
    /// A second header line (default: per map kind; an empty string leaves it out).
    public var subtitle: String?
    /// The style (default: `MapStyle.builtIn`, i.e. `GeoData/styles/official.json` as built in).
    public var style: MapStyle?
    public var elzLabels: ELZLabelMode = .number
    /// With number labels: list the ELZ names by number in the legend.
    public var elzIndex = true
    /// hospitals: also draw the networks' derived service areas (`voronoi` or `nearest`).
    public var serviceAreas: ServiceAreaMethod?
    /// ggz: adults (art. 107 networks) or youth.
    public var ggz: GGZGroup = .adults
    /// hospitals / ggz: the network layer to draw.
    public var networks: NetworkLayer?
    /// hospitals: the service areas of `serviceAreas` (`ServiceAreas.voronoi` or `.nearest` of the placements).
    public var serviceAreaResult: ServiceAreas?
    /// hospitals: where each campus lies (`CampusLocator.place`).
    public var placements: [CampusPlacement]?
    /// rules: the report to draw.
    public var report: RuleReport?
    /// Where the zoning came from (a file name), said in the subtitle and the footer.
    public var zoningSource: String?
    /// Label the zones (zoning and rules maps).
    public var labels = true

    public init() {}
}

/// What a map holds, for logs, tests and the service.
public struct MapSummary: Sendable, Codable, Equatable {
    public var kind: MapKind
    public var width: Double
    public var height: Double
    public var bytes: Int
    /// Counts of the map's elements by class (`elz`, `rzz`, `rr`, `campus`, `label`, …).
    public var elements: [String: Int]
    public var labelsPlaced: Int
    /// Labels left out because they collided everywhere, with the zone code.
    public var droppedLabels: [String]
    /// Vertices of the blocks before and after simplification to the output scale.
    public var verticesBefore: Int
    public var verticesAfter: Int
    public var notes: [String]
}

/// A drawn map: the SVG text, its summary, and the frame (metres → pixels) it was drawn in.
public struct RenderedMap: Sendable {
    public var svg: String
    public var summary: MapSummary
    public var frame: MapFrame
    /// The map's title, as its header shows it.
    public var title: String = ""
    public var data: Data { Data(svg.utf8) }
}

/// Renders maps, keeping what is expensive to draw per dataset (the block topology, vertex importances and
/// simplified topologies) in a cache, so the service can call it for every request. It draws what it is given:
/// network layers, campus placements and rule reports come in `MapOptions` (the `Jobs` target loads and computes
/// them). Thread-safe.
public final class MapRenderer: @unchecked Sendable {
    /// The process-wide renderer.
    public static let shared = MapRenderer()

    private let lock = NSLock()
    private var bases: [String: MapBase] = [:]
    private var baseOrder: [String] = []

    public init() {}

    /// Renders a map. `zoning` is the RZZ zoning to draw (default: the dataset's RZZ; for `.zoning`, the zoning to
    /// draw). The hospitals map needs `options.networks` and `options.placements` (and `serviceAreaResult` when
    /// `serviceAreas` is set), the ggz map `options.networks`,
    /// the rules map `options.report`; the style is `options.style`, else `MapStyle.builtIn`.
    public func render(kind: MapKind, dataset: Dataset, zoning: Zoning? = nil,
                       options: MapOptions = MapOptions()) throws -> RenderedMap {
        let style = options.style ?? MapStyle.builtIn
        let base = self.base(dataset)
        let zoning = zoning ?? dataset.rzz
        func missing(_ what: String) -> MapInputError { MapInputError(kind: kind, missing: what) }
        switch kind {
        case .official: return try OfficialMap.render(base: base, dataset: dataset, rzz: zoning, options: options, style: style)
        case .hospitals:
            guard let layer = options.networks else { throw missing("networks") }
            guard let placed = options.placements else { throw missing("placements") }
            return try NetworkMaps.hospitals(base: base, dataset: dataset, rzz: zoning, layer: layer, placements: placed,
                                             options: options, style: style)
        case .ggz:
            guard let layer = options.networks else { throw missing("networks") }
            return try NetworkMaps.ggz(base: base, dataset: dataset, rzz: zoning, layer: layer, options: options, style: style)
        case .rules:
            guard let report = options.report else { throw missing("report") }
            return try RulesMap.render(base: base, dataset: dataset, zoning: zoning, report: report, options: options, style: style)
        case .zoning:
            return try ZoningMap.render(base: base, dataset: dataset, zoning: zoning, options: options, style: style)
        }
    }

    /// Builds and caches the block topology of a dataset ahead of the first request.
    public func prepare(_ dataset: Dataset) { _ = base(dataset) }

    // MARK: Cache

    func base(_ dataset: Dataset) -> MapBase {
        let key = dataset.fingerprint
        if let b = lock.withLock({ bases[key] }) { return b }
        let b = MapBase(blocks: dataset.blocks)
        return lock.withLock {
            if let existing = bases[key] { return existing }
            bases[key] = b
            baseOrder.append(key)
            if baseOrder.count > 3 { bases[baseOrder.removeFirst()] = nil }
            return b
        }
    }
}

/// A map asked for without what it draws (a programming error of the caller: `Jobs` always supplies it).
public struct MapInputError: Error, CustomStringConvertible, Sendable {
    public var kind: MapKind
    public var missing: String
    public var description: String { "the \(kind.rawValue) map needs MapOptions.\(missing)" }
}

// MARK: - Drawing a map

/// A map being drawn: the page layout, the simplified topology and the SVG document, with helpers for the layers
/// every map uses. Map builders fill it, then call `finish`.
struct MapCanvas {
    let kind: MapKind
    let style: MapStyle
    let base: MapBase
    let layout: PageLayout
    let topology: Topology
    let simplification: SimplificationReport
    var doc: SVGDocument
    /// Pixel boxes labels must keep clear of.
    var obstacles: [PixelRect] = []
    var elements: [String: Int] = [:]
    var labelsPlaced = 0
    var dropped: [String] = []
    var notes: [String] = []
    /// What has been drawn of the map, as arcs and attributes, so that an inset can draw it again at its scale.
    private var drawn: [(lines: [[ArcRef]], closed: Bool, attributes: SVGAttributes)] = []
    private var landCache: PreparedGeometry?
    private var landGeometry: Geometry?

    var frame: MapFrame { layout.frame }
    var decimals: Int { style.drawing.decimals }

    init(kind: MapKind, style: MapStyle, base: MapBase, width: Double?, maxHeight: Double? = nil, title: String,
         subtitle: String?, legend: [LegendSection], footer: [String]) throws {
        self.kind = kind
        self.style = style
        self.base = base
        let w = max(320, (width ?? style.width).rounded())
        layout = try PageLayout.make(style: style, width: w, maxHeight: maxHeight, bounds: base.bounds, title: title,
                                     subtitle: subtitle, legend: legend, footer: footer)
        let s = base.simplified(tolerance: style.drawing.tolerancePixels * layout.frame.metresPerPixel,
                                method: style.drawing.method)
        topology = s.topology
        simplification = s.report
        doc = SVGDocument(width: layout.width, height: layout.height,
                          attributes: ["font-family": style.fontFamily, "role": "img", "aria-label": title,
                                       "data-map": kind.rawValue])
        doc.title(title)
        if let subtitle, !subtitle.isEmpty { doc.desc(subtitle) }
        doc.element("rect", ["width": "100%", "height": "100%", "fill": style.background.css])
        // The header's text lines are obstacles (not the whole band: an exclave's name may sit beside the title).
        for (text, role, y) in layout.headerLines {
            let size = try style.text(role).size
            let w = MapText.width(text, size: size, bold: try style.text(role).weight == "bold") + 12
            obstacles.append(PixelRect(centerX: layout.width / 2, centerY: y, width: w, height: size * 1.4))
        }
        // The legend and the footer, drawn last, are kept free too (a callout or an inset must not land on them).
        for p in layout.legend { obstacles.append(PixelRect(x: p.x, y: p.y, width: p.width, height: p.height)) }
        if !layout.footer.isEmpty {
            obstacles.append(PixelRect(x: 0, y: layout.footerY, width: layout.width,
                                       height: Double(layout.footer.count) * layout.footerLineHeight))
        }
    }

    // MARK: Areas

    /// The rings of every group of a grouping, on the simplified topology.
    func boundaries(_ g: Grouping) -> GroupBoundaries { topology.boundaries(g) }

    /// One `<path>` per group, filled, in a `<g id=…>`; `attributes(g)` nil leaves a group out.
    mutating func areas(id: String, className: String, grouping: Grouping, boundaries b: GroupBoundaries,
                        decimals: Int? = nil, groupAttributes: SVGAttributes = [:], record: Bool = true,
                        attributes: (Int) -> SVGAttributes?, title: (Int) -> String?) {
        var count = 0
        let d = decimals ?? self.decimals
        var doc = self.doc
        var drawn = self.drawn
        doc.group((["id": id] as SVGAttributes).merging(groupAttributes)) { g in
            for gi in 0 ..< grouping.count {
                guard var a = attributes(gi) else { continue }
                var p = PathData(decimals: d)
                for r in b.rings[gi] { p.add(r, of: topology, frame: frame, closed: true) }
                guard !p.isEmpty else { continue }
                if record { drawn.append((b.rings[gi], true, groupAttributes.merging(a).merging(["fill-rule": a["fill-rule"] ?? "evenodd"]))) }
                a = (["class": className, "data-code": grouping.keys[gi]] as SVGAttributes).merging(a)
                if a["fill-rule"] == nil { a["fill-rule"] = "evenodd" }
                g.path(p, a, title: title(gi))
                count += 1
            }
        }
        self.doc = doc
        self.drawn = drawn
        elements[className, default: 0] += count
    }

    /// The shapes (blocks) a predicate selects, as one filled path.
    mutating func shapes(_ select: (Int) -> Bool, attributes: SVGAttributes, title: String?) {
        var p = PathData(decimals: decimals)
        var rings: [[ArcRef]] = []
        for i in 0 ..< topology.shapeCount where select(i) {
            for r in topology.rings[topology.ringRange(ofShape: i)] {
                p.add(r.arcs, of: topology, frame: frame, closed: true)
                rings.append(r.arcs)
            }
        }
        var a = attributes
        if a["fill-rule"] == nil { a["fill-rule"] = "evenodd" }
        doc.path(p, a, title: title)
        drawn.append((rings, true, a))
    }

    /// Invisible areas with a `<title>` per zone, on top of the drawing, so that a browser shows the zone on
    /// hover (and tests can count the zones). Whole pixels: they are not seen.
    mutating func hitAreas(id: String, className: String, grouping: Grouping, title: (Int) -> String) {
        let b = boundaries(grouping)
        areas(id: id, className: className, grouping: grouping, boundaries: b, decimals: 0,
              groupAttributes: ["fill": "#ffffff", "fill-opacity": "0", "stroke": "none"], record: false,
              attributes: { _ in [:] }, title: title)
    }

    // MARK: Lines

    /// Borders drawn once each: every arc goes to the first level whose groups differ on its two sides, and is
    /// drawn with that level's line (levels are painted from the last to the first, so the most important lies
    /// on top). The outline of the coverage is drawn with `outline`, under the first level.
    mutating func borders(_ levels: [(grouping: Grouping, line: LineStyle, name: String)], outline: LineStyle?) {
        let classes = topology.borderClasses(levels.map(\.grouping))
        var arcsOf = [[Int]](repeating: [], count: levels.count)
        var outer: [Int] = []
        for (a, c) in classes.enumerated() {
            if c == -1 { outer.append(a) } else if c < levels.count { arcsOf[c].append(a) }
        }
        var doc = self.doc
        var drawn = self.drawn
        defer { self.drawn = drawn }
        doc.group(["id": "borders", "pointer-events": "none"]) { g in
            func draw(_ arcs: [Int], _ line: LineStyle, _ name: String) {
                var p = PathData(decimals: decimals)
                let lines = topology.chainLines(arcs)
                for l in lines { p.add(l, of: topology, frame: frame, closed: false) }
                g.path(p, line.attributes.merging(["class": "border border-\(name)"]))
                drawn.append((lines, false, line.attributes.merging(["fill": "none"])))
            }
            for k in stride(from: levels.count - 1, through: 1, by: -1) { draw(arcsOf[k], levels[k].line, levels[k].name) }
            if let outline { draw(outer, outline, "outline") }
            if let first = levels.first { draw(arcsOf[0], first.line, first.name) }
        }
        self.doc = doc
    }

    // MARK: Labels

    /// Labels inside the groups' polygons (maximum inscribed circle, collision-avoided), in a `<g id=…>`.
    mutating func labels(id: String, role: String, grouping: Grouping, boundaries b: GroupBoundaries,
                         text: (Int) -> String?, priority: ((Int) -> Double)? = nil,
                         options: ((inout LabelOptions) -> Void)? = nil, titles: ((Int) -> String?)? = nil) throws {
        var requests: [LabelRequest] = []
        for gi in 0 ..< grouping.count {
            guard let t = text(gi), !t.isEmpty else { continue }
            let polygons = topology.polygons(b.rings[gi])
            guard !polygons.isEmpty else { continue }
            requests.append(LabelRequest(id: grouping.keys[gi], text: t, shape: .polygonal(polygons),
                                         priority: priority?(gi)))
        }
        var byKey: [String: Int] = [:]
        for gi in 0 ..< grouping.count { byKey[grouping.keys[gi]] = gi }
        try labels(id: id, role: role, requests: requests, options: options,
                   titles: titles.map { t in { key in byKey[key].flatMap(t) } })
    }

    /// `titles`: a hover title per label id; a label with one takes the pointer (a browser shows it on hover,
    /// above the hover areas of the zones).
    mutating func labels(id: String, role: String, requests: [LabelRequest],
                         options: ((inout LabelOptions) -> Void)? = nil, titles: ((String) -> String?)? = nil) throws {
        let ts = try style.text(role)
        var o = ts.labelOptions()
        options?(&o)
        let layout = try Labels.layout(requests, frame: frame, options: o, obstacles: obstacles)
        let attrs = (["id": id, "class": "labels", "pointer-events": "none"] as SVGAttributes)
            .merging(try style.textAttributes(role))
        var doc = self.doc
        let leader = try style.line("callout")
        doc.group(attrs) { g in
            for l in layout.placed {
                if l.placement == .callout {
                    // A leader from the zone's anchor to the nearest point of the text's box.
                    let p = frame.pixel(l.anchor)
                    let ex = min(max(p.x, l.box.x), l.box.maxX), ey = min(max(p.y, l.box.y), l.box.maxY)
                    g.element("path", leader.attributes.merging([
                        "d": "M\(svgNumber(p.x)) \(svgNumber(p.y))L\(svgNumber(ex)) \(svgNumber(ey))",
                        "class": "leader", "data-code": l.id]))
                }
                var a: SVGAttributes = ["class": l.placement == .callout ? "label callout" : "label", "data-code": l.id]
                let title = titles?(l.id)
                if title != nil { a["pointer-events"] = "visiblePainted" }
                g.text(l.lines, x: l.x, y: l.y, fontSize: l.fontSize, lineHeight: o.lineHeight,
                       attributes: a, halo: ts.svgHalo, title: title)
            }
        }
        self.doc = doc
        obstacles += layout.placed.map(\.box)
        labelsPlaced += layout.placed.count
        elements["label", default: 0] += layout.placed.count
        dropped += layout.dropped.map(\.id)
    }

    // MARK: Free space

    /// The union of the blocks (simplified), for finding empty corners.
    mutating func land() throws -> PreparedGeometry {
        if let l = landCache { return l }
        let polygons = topology.coverageShells().map { Polygon(exterior: $0.ring) }
        // Simplified shells may touch or cross by a hair where two parts meet: made valid for overlays.
        let g = try Geometry(.polygonal(polygons)).makeValid()
        landGeometry = g
        let p = try g.prepared()
        landCache = p
        return p
    }

    /// Whether a pixel rectangle (grown by `pad`) is clear of land and of every obstacle, inside the canvas.
    mutating func isFree(_ r: PixelRect, pad: Double = 4) throws -> Bool {
        let grown = PixelRect(x: r.x - pad, y: r.y - pad, width: r.width + 2 * pad, height: r.height + 2 * pad)
        guard grown.x >= 0, grown.y >= 0, grown.maxX <= layout.width, grown.maxY <= layout.height else { return false }
        if obstacles.contains(where: { $0.intersects(grown) }) { return false }
        let a = frame.position(Position(grown.x, grown.maxY)), b = frame.position(Position(grown.maxX, grown.y))
        let box = try Geometry.rectangle(BoundingBox(minX: a.x, minY: a.y, maxX: b.x, maxY: b.y))
        return try !land().intersects(box)
    }

    /// The first free spot of a box of the given size along the bottom of the map (right to left), then along
    /// the top (left to right).
    mutating func freeSpot(width w: Double, height h: Double) throws -> PixelRect? {
        let m = layout.mapRect
        var x = m.maxX - w
        while x >= m.x {
            let r = PixelRect(x: x, y: m.maxY - h, width: w, height: h)
            if try isFree(r) { return r }
            x -= 12
        }
        x = m.x
        while x + w <= m.maxX {
            let r = PixelRect(x: x, y: m.y, width: w, height: h)
            if try isFree(r) { return r }
            x += 12
        }
        return nil
    }

    // MARK: Furniture

    /// A scale bar and a north arrow in an empty corner of the map (under the map when there is none).
    mutating func scaleBarAndNorthArrow() throws {
        let km = niceScaleKm(frame: frame, targetPixels: min(140, layout.mapRect.width / 6))
        let barW = km * 1000 * frame.scale
        let ts = try style.text("scaleBar").size
        let w = barW + 24 + 30, h = max(34, ts * 2.2 + 8)
        let spot = try freeSpot(width: w, height: h)
            ?? PixelRect(x: layout.mapRect.maxX - w, y: layout.mapRect.maxY - h, width: w, height: h)
        try doc.scaleBar(x: spot.x + 6, y: spot.maxY - ts * 1.3 - 8, km: km, frame: frame, style: style)
        try doc.northArrow(x: spot.maxX - 10, y: spot.y + 2, height: h - 4, style: style)
        obstacles.append(spot)
    }

    /// Names next to the parts of the territory that lie apart from the main one (Voeren, the Baarle-Hertog
    /// enclaves), with a frame around scattered parts, so that they cannot be missed.
    mutating func exclaveCallouts() throws {
        let shells = topology.coverageShells()
        guard let main = shells.max(by: { $0.area < $1.area }) else { return }
        // Parts other than the main territory, by municipality.
        var parts: [String: [Ring]] = [:]
        var order: [String] = []
        for s in shells where s.area < main.area && s.shape >= 0 {
            let name = base.blocks[s.shape].municipalityName
            if parts[name] == nil { order.append(name) }
            parts[name, default: []].append(s.ring)
        }
        guard !order.isEmpty else { return }
        let ts = try style.text("callout")
        let textAttrs = try style.textAttributes("callout")
        let line = try style.line("callout")
        var placedCount = 0
        var doc = self.doc
        defer { self.doc = doc }
        try doc.group(["id": "exclaves", "pointer-events": "none"]) { g in
            for name in order {
                let rings = parts[name]!
                var box = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                for r in rings { for p in r { box.include(frame.pixel(p)) } }
                let label = rings.count > 1
                    ? MapText.fill(style.string("callout.enclaves"), ["name": name, "count": "\(rings.count)"])
                    : MapText.fill(style.string("callout.exclave"), ["name": name])
                let tw = MapText.width(label, size: ts.size), th = ts.size * 1.3
                let pad = 3.0
                let frameBox = PixelRect(x: box.minX - pad, y: box.minY - pad, width: box.width + 2 * pad, height: box.height + 2 * pad)
                let cx = (box.minX + box.maxX) / 2, cy = (box.minY + box.maxY) / 2
                var candidates: [PixelRect] = []
                for d in [6.0, 14, 26, 40, 60, 85, 115] {
                    let e = d * 0.7
                    candidates.append(PixelRect(x: frameBox.maxX + d, y: cy - th / 2, width: tw, height: th))   // right
                    candidates.append(PixelRect(x: cx - tw / 2, y: frameBox.y - d - th, width: tw, height: th)) // above
                    candidates.append(PixelRect(x: cx - tw / 2, y: frameBox.maxY + d, width: tw, height: th))   // below
                    candidates.append(PixelRect(x: frameBox.x - d - tw, y: cy - th / 2, width: tw, height: th)) // left
                    candidates.append(PixelRect(x: frameBox.maxX + e, y: frameBox.y - e - th, width: tw, height: th))
                    candidates.append(PixelRect(x: frameBox.x - e - tw, y: frameBox.y - e - th, width: tw, height: th))
                    candidates.append(PixelRect(x: frameBox.maxX + e, y: frameBox.maxY + e, width: tw, height: th))
                    candidates.append(PixelRect(x: frameBox.x - e - tw, y: frameBox.maxY + e, width: tw, height: th))
                }
                if rings.count > 1, try inset(&g, name: name, rings: rings, frameBox: frameBox, label: label) {
                    placedCount += 1
                    continue
                }
                var chosen: PixelRect?
                for c in candidates where try isFree(c, pad: 2) { chosen = c; break }
                guard let t = chosen else { notes.append("no room for the callout of \(name)"); continue }
                try g.group(["class": "exclave", "data-name": name]) { e in
                    e.title(label)
                    if rings.count > 1 {
                        e.element("rect", line.attributes.merging([
                            "x": svgNumber(frameBox.x), "y": svgNumber(frameBox.y), "width": svgNumber(frameBox.width),
                            "height": svgNumber(frameBox.height), "rx": "2"]))
                    }
                    // A leader from the text to the frame when they are apart.
                    let tx = min(max(cx, t.x), t.maxX), ty = min(max(cy, t.y), t.maxY)
                    let fx = min(max(tx, frameBox.x), frameBox.maxX), fy = min(max(ty, frameBox.y), frameBox.maxY)
                    if hypot(tx - fx, ty - fy) > 8 {
                        e.element("path", line.attributes.merging(["d": "M\(svgNumber(fx)) \(svgNumber(fy))L\(svgNumber(tx)) \(svgNumber(ty))"]))
                    }
                    e.text([label], x: t.x + t.width / 2, y: t.y + t.height / 2, fontSize: ts.size,
                           attributes: textAttrs, halo: ts.svgHalo)
                }
                obstacles.append(t)
                obstacles.append(frameBox)
                placedCount += 1
            }
        }
        elements["exclave", default: 0] += placedCount
    }

    /// An enlarged inset of scattered parts (the Baarle-Hertog enclaves): what the map has drawn so far, again,
    /// at a scale at least twice the map's, clipped to a framed box in the free space nearest to the parts, with
    /// its title (the name, the number of parts and the enlargement) and a leader from the parts' frame. False
    /// when there is no free room for it (the caller then names the parts with a callout).
    private mutating func inset(_ g: inout SVGDocument, name: String, rings: [Ring], frameBox: PixelRect,
                                label: String) throws -> Bool {
        let full = base.topology
        var parts = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for r in rings { for p in r { parts.include(p) } }
        // Four times larger than on the map if there is room, else three, else two (the largest box that finds a
        // free place), within 0.3 of the map's width; the box to the parts' aspect.
        let ts = try style.text("callout")
        let titleH = ts.size * 1.5
        let pw = parts.width * 1.15, ph = parts.height * 1.15
        let cx = (parts.minX + parts.maxX) / 2, cy = (parts.minY + parts.maxY) / 2
        let fx = (frameBox.x + frameBox.maxX) / 2, fy = (frameBox.y + frameBox.maxY) / 2
        var found: (spot: PixelRect, w: Double, h: Double, region: BoundingBox, magnification: Double)?
        for target in [4.0, 3.5, 3, 2.5, 2] where found == nil {
            let w = min(max(target * pw * frame.scale, 60), 0.3 * layout.mapRect.width).rounded()
            let h = (w * min(max(ph / pw, 0.6), 1)).rounded()
            // The region: the parts with some room around them, to the box's aspect.
            var rw = pw, rh = ph
            if rw / rh < w / h { rw = rh * w / h } else { rh = rw * h / w }
            let magnification = (w / rw) / frame.scale
            guard magnification >= 2 else { continue }
            // The free box (with its title above) nearest to the parts: candidates on a grid of a tenth of the
            // box, tried nearest first, so the first free one is the answer (each try is a GEOS intersection).
            let m = layout.mapRect, step = max(8, w / 10)
            var candidates: [(PixelRect, Double)] = []
            var y = max(0, m.y - titleH)
            while y + titleH + h <= m.maxY + 1 {
                var x = max(0, m.x)
                while x + w <= min(layout.width, m.maxX + 1) {
                    candidates.append((PixelRect(x: x, y: y, width: w, height: titleH + h),
                                       hypot(x + w / 2 - fx, y + (titleH + h) / 2 - fy)))
                    x += step
                }
                y += step
            }
            candidates.sort { $0.1 < $1.1 }
            var best: (PixelRect, Double)?
            for c in candidates where try isFree(c.0, pad: 3) { best = c; break }
            if let (spot, _) = best {
                found = (spot, w, h, BoundingBox(minX: cx - rw / 2, minY: cy - rh / 2, maxX: cx + rw / 2, maxY: cy + rh / 2),
                         magnification)
            }
        }
        guard let (spot, w, h, region, magnification) = found else {
            notes.append("no room for an inset of \(name) enlarged at least twice")
            return false
        }
        let box = PixelRect(x: spot.x, y: spot.y + titleH, width: w, height: h)
        var f = MapFrame(fitting: region, width: w, height: h)
        f.originX += box.x; f.originY += box.y
        let clip = "inset-\(elements["inset", default: 0] + 1)"
        let frameLine = try style.area("inset")
        let leader = try style.line("callout")
        try g.group(["class": "inset", "data-name": name]) { e in
            e.title("\(label), \(svgNumber(magnification, decimals: 1).replacingOccurrences(of: ".", with: ","))× vergroot")
            e.openElement("clipPath", ["id": clip])
            e.element("rect", ["x": svgNumber(box.x), "y": svgNumber(box.y), "width": svgNumber(w), "height": svgNumber(h)])
            e.close()
            e.element("rect", frameLine.attributes().merging(["x": svgNumber(box.x), "y": svgNumber(box.y),
                                                              "width": svgNumber(w), "height": svgNumber(h)]))
            e.group(["clip-path": "url(#\(clip))"]) { c in
                // Only the lines and rings whose bounds meet the region (a ring around it too).
                let arcBoxes = (0 ..< full.arcCount).map { i in
                    var b = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                    for p in full.arc(i) { b.include(p) }
                    return b
                }
                for d in drawn {
                    let lines = d.lines.filter { l in
                        var b = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                        for a in l { b.include(Position(arcBoxes[a.index].minX, arcBoxes[a.index].minY)); b.include(Position(arcBoxes[a.index].maxX, arcBoxes[a.index].maxY)) }
                        return b.intersects(region)
                    }
                    guard !lines.isEmpty else { continue }
                    var p = PathData(decimals: decimals)
                    for l in lines { p.add(l, of: full, frame: f, closed: d.closed) }
                    var a = d.attributes
                    for k in ["id", "class", "data-code", "data-name"] { a[k] = nil }
                    c.path(p, a)
                }
            }
            e.element("rect", frameLine.attributes().merging(["x": svgNumber(box.x), "y": svgNumber(box.y),
                                                              "width": svgNumber(w), "height": svgNumber(h), "fill": "none"]))
            // A leader from the parts' frame to the inset, and the frame itself.
            e.element("rect", leader.attributes.merging([
                "x": svgNumber(frameBox.x), "y": svgNumber(frameBox.y), "width": svgNumber(frameBox.width),
                "height": svgNumber(frameBox.height), "rx": "2", "fill": "none"]))
            let ax = min(max((box.x + box.maxX) / 2, frameBox.x), frameBox.maxX), ay = min(max((box.y + box.maxY) / 2, frameBox.y), frameBox.maxY)
            let bx = min(max(ax, box.x), box.maxX), by = min(max(ay, spot.y), box.maxY)
            if hypot(ax - bx, ay - by) > 4 {
                e.element("path", leader.attributes.merging(["d": "M\(svgNumber(ax)) \(svgNumber(ay))L\(svgNumber(bx)) \(svgNumber(by))", "fill": "none"]))
            }
            let enlarged = MapText.fill(style.string("inset.title"), ["label": label, "factor": svgNumber(magnification, decimals: 0)])
            e.text([enlarged], x: box.x, y: spot.y + titleH * 0.5, fontSize: ts.size,
                   attributes: try style.textAttributes("callout").merging(["text-anchor": "start"]), halo: ts.svgHalo)
        }
        obstacles.append(spot)
        obstacles.append(frameBox)
        elements["inset", default: 0] += 1
        return true
    }

    /// Header, legend and footer; returns the map.
    mutating func finish(legend: Bool = true) throws -> RenderedMap {
        var doc = self.doc
        try doc.group(["id": "header"]) { g in
            for (text, role, y) in layout.headerLines {
                g.text([text], x: layout.width / 2, y: y, fontSize: try style.text(role).size,
                       attributes: try style.textAttributes(role).merging(["class": role]))
            }
        }
        if legend { try doc.legend(layout.legend, style: style) }
        let fs = try style.text("source").size
        try doc.group((["id": "footer"] as SVGAttributes).merging(try style.textAttributes("source"))) { g in
            for (i, line) in layout.footer.enumerated() {
                g.text([line], x: style.margin, y: layout.footerY + (Double(i) + 0.5) * layout.footerLineHeight,
                       fontSize: fs, attributes: ["text-anchor": "start"])
            }
        }
        let svg = doc.rendered()
        let summary = MapSummary(kind: kind, width: layout.width, height: layout.height, bytes: svg.utf8.count,
                                 elements: elements, labelsPlaced: labelsPlaced, droppedLabels: dropped,
                                 verticesBefore: simplification.verticesBefore,
                                 verticesAfter: simplification.verticesAfter, notes: notes)
        let title = layout.headerLines.filter { $0.role == "title" }.map(\.text).joined(separator: " ")
        return RenderedMap(svg: svg, summary: summary, frame: frame, title: title)
    }

    /// The footer lines every map ends with (blocks source, projection), around map-specific ones.
    static func footer(style: MapStyle, dataset: Dataset, extra: [String]) -> [String] {
        [style.string("source.blocks")] + extra
            + [MapText.fill(style.string("source.projection"), ["version": zorgzonesVersion])]
    }
}

// MARK: - Helpers

/// Zone code → name.
func names(_ zoning: Zoning) -> [String: String] {
    Dictionary(zoning.zones.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
}

/// Population and block count per zone code.
func totals(_ zoning: Zoning, blocks: [Block]) -> (population: [String: Int], blocks: [String: Int]) {
    var pop: [String: Int] = [:], count: [String: Int] = [:]
    for b in blocks {
        if let z = zoning.assignment[b.id] { pop[z, default: 0] += b.population; count[z, default: 0] += 1 }
    }
    return (pop, count)
}

/// The short label of a zone code: the code without its layer prefix (`elz23` → `23`, `elzantw1` → `antw1`).
func shortCode(_ code: String, prefix: String) -> String {
    let lower = code.lowercased()
    if lower.hasPrefix(prefix), code.count > prefix.count { return String(code.dropFirst(prefix.count)) }
    return code
}

/// A network name for a legend: without a trailing parenthesis that explains (longer than 12 characters); an
/// acronym in parentheses stays ("Ziekenhuisnetwerk Kempen (ZNK)").
func legendNetworkName(_ name: String) -> String {
    let n = name.trimmingCharacters(in: .whitespaces)
    if n.hasSuffix(")"), let r = n.range(of: " (", options: .backwards), n.distance(from: n.startIndex, to: r.lowerBound) >= 3 {
        let inner = n[r.upperBound ..< n.index(before: n.endIndex)]
        if inner.count > 12 { return String(n[..<r.lowerBound]) }
    }
    return n
}

/// A network name for a map label: the short name before " - ", else an acronym in parentheses, else the legend
/// name ("Het PAKT - Netwerk GGZ …" → "Het PAKT"; "Netwerk GGZ Noord-West-Vlaanderen (NOWE)" → "NOWE").
func labelNetworkName(_ name: String) -> String {
    let n = legendNetworkName(name)
    if let r = n.range(of: " - "), n.distance(from: n.startIndex, to: r.lowerBound) >= 3 { return String(n[..<r.lowerBound]) }
    if n.hasSuffix(")"), let r = n.range(of: " (", options: .backwards) {
        let inner = n[r.upperBound ..< n.index(before: n.endIndex)]
        if inner.count <= 12 && !inner.isEmpty { return String(inner) }
    }
    return n
}

/// A `#rrggbb` colour blended with white: `opacity` of the colour (other colours are returned as they are).
func blend(_ css: String, _ opacity: Double) -> String {
    let u = Array(css.utf8)
    guard u.count == 7, u[0] == UInt8(ascii: "#"), let v = Int(String(css.dropFirst()), radix: 16) else { return css }
    let a = min(max(opacity, 0), 1)
    func mix(_ c: Int) -> Int { Int((Double(c) * a + 255 * (1 - a)).rounded()) }
    let r = mix(v >> 16 & 0xff), g = mix(v >> 8 & 0xff), b = mix(v & 0xff)
    let hex = String(r << 16 | g << 8 | b, radix: 16)
    return "#" + String(repeating: "0", count: 6 - hex.count) + hex
}
