import Foundation
import GeoCore
import GEOS
import Check
import Compare
import Zoning

/// The misalignment maps: RZZ borders over hospital campuses (and their derived service areas), and over GGZ
/// network areas.
enum NetworkMaps {
    // MARK: Hospitals

    static func hospitals(base: MapBase, dataset: Dataset, rzz: Zoning, layer: NetworkLayer,
                          placements: [CampusPlacement], options: MapOptions, style: MapStyle) throws -> RenderedMap {
        let networks = layer.networks
        let campusStyle = try style.marker("campus")
        let palette = try style.palette(campusStyle.palette ?? "networks")
        let shapes = MarkerSymbol.Shape.allCases
        // A colour per network; when the palette runs out, the next round of colours gets another marker shape.
        func symbol(_ i: Int) -> MarkerSymbol {
            MarkerSymbol(campusStyle, fill: palette[i % palette.count].css, shape: shapes[(i / palette.count) % shapes.count])
        }
        // Service areas in the campus colour of their network, lightened (the style's opacity, blended with white).
        let areaStyle = try style.area("networkArea")
        func areaAttributes(_ i: Int) -> SVGAttributes {
            var a = areaStyle.attributes(fill: Colour(css: blend(palette[i % palette.count].css, areaStyle.opacity ?? 1)))
            a["fill-opacity"] = nil
            return a
        }
        let index = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

        // Service areas, when asked (computed by the caller: `MapOptions.serviceAreaResult`).
        var service: ServiceAreas?
        if options.serviceAreas != nil {
            guard let given = options.serviceAreaResult else { throw MapInputError(kind: .hospitals, missing: "serviceAreaResult") }
            service = given
        }

        // Campuses per network: drawn, outside the map, without coordinates.
        var drawn = [Int](repeating: 0, count: networks.count), unlocated = drawn
        for p in placements {
            guard let n = index[p.campus.network] else { continue }
            if p.projected == nil { unlocated[n] += 1 } else { drawn[n] += 1 }
        }

        // Legend.
        var entries: [LegendEntry] = []
        for (i, name) in networks.enumerated() {
            let sym: LegendEntry.Symbol = service == nil ? .marker(symbol(i)) : .areaMarker([areaAttributes(i)], symbol(i))
            var label = "\(legendNetworkName(name)) (\(drawn[i]))"
            if unlocated[i] > 0 { label = "\(legendNetworkName(name)) (\(drawn[i]) + \(unlocated[i])*)" }
            entries.append(LegendEntry(sym, label, hover: name))
        }
        var lineEntries = [
            LegendEntry(.line(try style.line("rzz").attributes), style.string("legend.rzz")),
            LegendEntry(.line(try style.line("elzMuted").attributes), style.string("legend.elzPlain")),
        ]
        if let service {
            lineEntries.append(LegendEntry(.line(try style.line("networkArea").attributes),
                                           style.string("legend.serviceAreas.\(service.method.rawValue)")))
        }
        let totalUnlocated = unlocated.reduce(0, +)
        if totalUnlocated > 0 {
            lineEntries.append(LegendEntry(.badge("*"), "\(totalUnlocated) campus\(totalUnlocated == 1 ? "" : "sen") \(style.string("legend.campusesUnlocated"))"))
        }
        let legend = [
            LegendSection(id: "networks", title: style.string("legend.networks"), entries: entries, maxRows: 6,
                          maxLabelWidth: 270),
            LegendSection(id: "lines", title: style.string("legend.lines"), entries: lineEntries, maxRows: 6),
        ]
        let footer = MapCanvas.footer(style: style, dataset: dataset, extra: [
            style.string("source.hospitals") + (service.map { " " + style.string("source.serviceAreas.\($0.method.rawValue)") } ?? ""),
        ])
        var c = try MapCanvas(kind: .hospitals, style: style, base: base, width: options.width, maxHeight: options.maxHeight,
                              title: options.title ?? style.string("title.hospitals"),
                              subtitle: options.subtitle ?? subtitleWithZoning(style.string("subtitle.hospitals"), options),
                              legend: legend, footer: footer)
        let gZ = base.grouping(rzz), gE = base.grouping(dataset.elz)
        let rzzNames = names(rzz)

        // Land in the neutral zone colour, then the service areas.
        c.shapes({ _ in true }, attributes: try style.area("zone").attributes().merging(["id": "land"]), title: nil)
        var borderLevels: [(grouping: Grouping, line: LineStyle, name: String)] = [(gZ, try style.line("rzz"), "rzz")]
        if let service {
            if service.method == .nearest {
                let gN = Grouping(service.shares.map { ss in ss.max { $0.area < $1.area }.map { networks[$0.network] } })
                c.areas(id: "service-areas", className: "service-area", grouping: gN, boundaries: c.boundaries(gN),
                        attributes: { g in index[gN.keys[g]].map(areaAttributes) },
                        title: { g in "Verzorgingsgebied \(gN.keys[g]) (dichtste campus)" })
                borderLevels.append((gN, try style.line("networkArea"), "service-area"))
            } else if let shapes = service.areas {
                try drawVoronoi(&c, shapes: shapes, networks: networks, attributes: areaAttributes,
                                line: try style.line("networkArea"))
            }
        }
        borderLevels.append((gE, try style.line("elzMuted"), "elz"))
        c.borders(borderLevels, outline: try style.line("outline"))
        c.hitAreas(id: "rzz", className: "rzz", grouping: gZ) { g in "RZZ \(rzzNames[gZ.keys[g]] ?? gZ.keys[g]) (\(gZ.keys[g]))" }
        try c.scaleBarAndNorthArrow()
        try c.exclaveCallouts()

        // Campuses: markers on top, kept clear by the zone labels.
        var markerBoxes: [PixelRect] = []
        var outside = 0
        var doc = c.doc
        doc.group(["id": "campuses"]) { g in
            for p in placements {
                guard let xy = p.projected, let n = index[p.campus.network] else { continue }
                let px = c.frame.pixel(xy)
                let r = campusStyle.radius + 1
                guard px.x >= c.layout.mapRect.x - r, px.x <= c.layout.mapRect.maxX + r,
                      px.y >= c.layout.mapRect.y - r, px.y <= c.layout.mapRect.maxY + r else { outside += 1; continue }
                var title = "\(p.campus.label) – \(p.campus.network)"
                if p.campus.confidence == .low { title += " (lage betrouwbaarheid)" }
                if p.status == .outside { title += " – buiten Vlaanderen en Brussel" }
                let sym = symbol(n)
                sym.draw(&g, x: px.x, y: px.y, attributes: ["class": "campus", "data-network": p.campus.network,
                                                            "data-shape": sym.shape.rawValue],
                               title: title)
                markerBoxes.append(PixelRect(centerX: px.x, centerY: px.y, width: 2 * r, height: 2 * r))
            }
        }
        c.doc = doc
        c.elements["campus", default: 0] += markerBoxes.count
        if outside > 0 { c.notes.append("\(outside) campus\(outside == 1 ? "" : "es") outside the map frame") }
        c.obstacles += markerBoxes
        // RZZ names, small, where they fit between the campuses.
        try c.labels(id: "rzz-labels", role: "zoneLabel", grouping: gZ, boundaries: c.boundaries(gZ),
                     text: { rzzNames[gZ.keys[$0]] ?? gZ.keys[$0] })
        if let service { c.notes += service.notes }
        return try c.finish()
    }

    /// Voronoi service areas: each network's cells clipped to the (simplified) land, and the cell borders drawn
    /// once (the union of all boundaries, clipped to the land).
    static func drawVoronoi(_ c: inout MapCanvas, shapes: [Shape?], networks: [String],
                            attributes: (Int) -> SVGAttributes, line: LineStyle) throws {
        let land = try c.land().base
        var lines: [Geometry] = []
        var doc = c.doc
        var count = 0
        try doc.group(["id": "service-areas"]) { g in
            for (i, shape) in shapes.enumerated() {
                guard let shape else { continue }
                let geom = try Geometry(shape)
                let clipped = try geom.intersection(land)
                var p = PathData(decimals: c.decimals)
                for poly in try clipped.polygons() {
                    for r in poly.rings { p.add(r, frame: c.frame, closed: true) }
                }
                g.path(p, attributes(i).merging(["class": "service-area", "data-code": networks[i], "fill-rule": "evenodd"]),
                       title: "Verzorgingsgebied \(networks[i]) (Voronoi)")
                count += 1
                lines.append(try geom.boundary())
            }
        }
        if !lines.isEmpty {
            let merged = try Geometry.collection(lines).unaryUnion().intersection(land)
            var p = PathData(decimals: c.decimals)
            for part in try polylines(merged.shape()) { p.add(part, frame: c.frame, closed: false) }
            doc.path(p, line.attributes.merging(["class": "service-area-border", "pointer-events": "none"]))
        }
        c.doc = doc
        c.elements["service-area", default: 0] += count
    }

    /// The line strings of a shape.
    static func polylines(_ s: Shape) -> [[Position]] {
        switch s {
        case .lineString(let l): return [l]
        case .multiLineString(let ls): return ls
        case .geometryCollection(let gs): return gs.flatMap(polylines)
        default: return []
        }
    }

    // MARK: GGZ

    static func ggz(base: MapBase, dataset: Dataset, rzz: Zoning, layer: NetworkLayer, options: MapOptions,
                    style: MapStyle) throws -> RenderedMap {
        var networks = layer.networks
        var index = Dictionary(networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var blocksOfKey: [String: [Int]] = [:]
        for (i, b) in dataset.blocks.enumerated() {
            blocksOfKey[b.id, default: []].append(i)
            if b.nis != b.id { blocksOfKey[b.nis, default: []].append(i) }
        }
        var member = [Set<Int>](repeating: [], count: dataset.blocks.count)
        var low = [Bool](repeating: false, count: dataset.blocks.count)
        var outsideKeys = 0
        for m in layer.memberships {
            if index[m.network] == nil { index[m.network] = networks.count; networks.append(m.network) }
            guard let bs = blocksOfKey[m.key] else { outsideKeys += 1; continue }
            for b in bs {
                member[b].insert(index[m.network]!)
                if m.confidence == .low { low[b] = true }
            }
        }
        // Solid colours (the palette colour blended with white at the style's opacity), so that stripes and fills
        // look alike and nothing shows through.
        let areaStyle = try style.areas["ggzArea"] ?? style.area("networkArea")
        let palette = try style.palette(areaStyle.palette ?? "networks")
        let opacity = areaStyle.opacity ?? 1
        func colour(_ i: Int) -> String { blend(palette[i % palette.count].css, opacity) }
        func fill(_ i: Int) -> SVGAttributes {
            var a = areaStyle.attributes(fill: Colour(css: colour(i)) ?? palette[i % palette.count])
            a["fill-opacity"] = nil
            return a
        }
        func signature(_ b: Int) -> String { member[b].sorted().map(String.init).joined(separator: "+") }
        let sig = Grouping(dataset.blocks.indices.map { member[$0].isEmpty ? nil : signature($0) })
        let sigNetworks = sig.keys.map { $0.split(separator: "+").compactMap { Int($0) } }
        let multi = sigNetworks.enumerated().filter { $0.element.count > 1 }
        let usedNetworks = Set(member.flatMap { $0 })
        let anyLow = low.contains(true)
        let noNetwork = member.contains { $0.isEmpty }

        // Legend.
        var entries: [LegendEntry] = []
        for (i, name) in networks.enumerated() where usedNetworks.contains(i) {
            entries.append(LegendEntry(.area([fill(i)]), legendNetworkName(name), hover: name))
        }
        var extra: [LegendEntry] = []
        if let first = multi.first {
            extra.append(LegendEntry(.area([["fill": "url(#ggz-mix-\(first.offset))"]]), style.string("legend.twoNetworks")))
        }
        if noNetwork { extra.append(LegendEntry(.area([try style.area("noNetwork").attributes()]), style.string("legend.noNetwork"))) }
        if anyLow {
            extra.append(LegendEntry(.area([["fill": "#ffffff"], ["fill": "url(#low-confidence)"]]), style.string("legend.lowConfidence")))
        }
        extra.append(LegendEntry(.line(try style.line("rzz").attributes), style.string("legend.rzz")))
        extra.append(LegendEntry(.line(try style.line("networkArea").attributes), style.string("legend.networkBorder")))
        let legend = [
            LegendSection(id: "networks", title: style.string("legend.ggzNetworks"), entries: entries, maxRows: 5,
                          maxLabelWidth: 300),
            LegendSection(id: "symbols", title: nil, entries: extra, maxRows: 6, maxLabelWidth: 340),
        ]
        let footer = MapCanvas.footer(style: style, dataset: dataset, extra: [style.string("source.ggz")])
        var c = try MapCanvas(kind: .ggz, style: style, base: base, width: options.width, maxHeight: options.maxHeight,
                              title: options.title ?? style.string("title.ggz.\(options.ggz.rawValue)"),
                              subtitle: options.subtitle ?? subtitleWithZoning(style.string("subtitle.ggz"), options),
                              legend: legend, footer: footer)

        // Patterns: stripes in the colours of each combination of networks, dots for low confidence.
        var doc = c.doc
        doc.openElement("defs")
        for (g, nets) in multi {
            let stripe = 5.0
            let size = stripe * Double(nets.count)
            doc.openElement("pattern", ["id": "ggz-mix-\(g)", "patternUnits": "userSpaceOnUse", "width": svgNumber(size),
                                        "height": svgNumber(size), "patternTransform": "rotate(45)"])
            doc.element("rect", ["width": svgNumber(size), "height": svgNumber(size), "fill": "#ffffff"])
            for (k, n) in nets.enumerated() {
                doc.element("rect", ["x": svgNumber(Double(k) * stripe), "width": svgNumber(stripe), "height": svgNumber(size),
                                     "fill": colour(n)])
            }
            doc.close()
        }
        doc.openElement("pattern", ["id": "low-confidence", "patternUnits": "userSpaceOnUse", "width": "7", "height": "7"])
        doc.element("circle", ["cx": "3.5", "cy": "3.5", "r": "0.9", "fill": try style.line("lowConfidence").colour.css])
        doc.close()
        doc.close()
        c.doc = doc

        let sigB = c.boundaries(sig)
        c.areas(id: "ggz-areas", className: "ggz-area", grouping: sig, boundaries: sigB,
                attributes: { g in
                    let nets = sigNetworks[g]
                    if nets.count == 1 { return fill(nets[0]) }
                    return ["fill": "url(#ggz-mix-\(g))"]
                },
                title: { g in
                    let nets = sigNetworks[g].map { networks[$0] }
                    return nets.count == 1 ? nets[0] : "In \(nets.count) netwerken: " + nets.joined(separator: " + ")
                })
        if noNetwork {
            c.shapes({ sig.groupOfShape[$0] < 0 }, attributes: try style.area("noNetwork").attributes()
                        .merging(["id": "no-network", "class": "no-network"]), title: style.string("legend.noNetwork"))
        }
        if anyLow {
            c.shapes({ low[$0] }, attributes: ["id": "low-confidence-areas", "class": "low-confidence",
                                                "fill": "url(#low-confidence)", "pointer-events": "none"], title: nil)
            c.elements["low-confidence", default: 0] += low.filter { $0 }.count
        }
        let gZ = base.grouping(rzz)
        let rzzNames = names(rzz)
        c.borders([(gZ, try style.line("rzz"), "rzz"), (sig, try style.line("networkArea"), "network")],
                  outline: try style.line("outline"))
        c.hitAreas(id: "rzz", className: "rzz", grouping: gZ) { g in "RZZ \(rzzNames[gZ.keys[g]] ?? gZ.keys[g]) (\(gZ.keys[g]))" }
        try c.scaleBarAndNorthArrow()
        try c.exclaveCallouts()
        // Network names inside their areas: one label per combination of networks ("Noolim / Reling"), the
        // largest area of a network carrying its name.
        var requests: [LabelRequest] = []
        for (g, nets) in sigNetworks.enumerated() {
            let polygons = c.topology.polygons(sigB.rings[g])
            guard !polygons.isEmpty else { continue }
            requests.append(LabelRequest(id: sig.keys[g], text: nets.map { labelNetworkName(networks[$0]) }.joined(separator: " / "),
                                         shape: .polygonal(polygons)))
        }
        // A network whose only area is shared is named in the shared area's label; a network in several
        // combinations is named once, in its largest single-network area when it has one.
        var named = Set<Int>()
        requests.sort { $0.priority > $1.priority }
        requests = requests.filter { r in
            let nets = r.id.split(separator: "+").compactMap { Int($0) }
            if nets.count == 1 { return named.insert(nets[0]).inserted }
            return true
        }
        try c.labels(id: "network-labels", role: "networkLabel", requests: requests)
        if outsideKeys > 0 { c.notes.append("\(outsideKeys) membership rows name municipalities outside the blocks") }
        return try c.finish()
    }
}

/// The subtitle, with the zoning's source when it is not the dataset's RZZ.
func subtitleWithZoning(_ subtitle: String, _ options: MapOptions) -> String {
    guard let src = options.zoningSource else { return subtitle }
    return subtitle + " · RZZ: " + src
}
