import Foundation
import GeoCore
import GEOS
import Check
import Compare
import Zoning

/// The official zone map, after the map of the 2026 concept note (§2.2.2): "de gekleurde gebieden staan voor de
/// referentieregio's (RR); de rode lijnen staan voor de afbakening van de regionale zorgzones (RZZ); de zwart
/// omlijnde gebieden met nummers staan voor de eerstelijnszones."
///
/// Prepared once (groupings, names, colours, legend), then drawn: the RZZ are named on the map where their names
/// fit; the ones that do not are listed in the legend, so that every RZZ is named (a second drawing with the longer
/// legend; a third if that moves labels again).
struct OfficialMap {
    let base: MapBase, dataset: Dataset, rzz: Zoning, options: MapOptions, style: MapStyle
    let gE: Grouping, gZ: Grouping, gR: Grouping
    let elzNames: [String: String], rzzNames: [String: String], rrNames: [String: String]
    let elzTotals: (population: [String: Int], blocks: [String: Int])
    let rzzTotals: (population: [String: Int], blocks: [String: Int])
    /// RZZ code → the number of ELZ it holds.
    let elzCount: [String: Int]
    let rrArea: AreaStyle
    let rrColours: [Colour]
    let outsideRR: Bool
    private(set) var legend: [LegendSection] = []
    let footer: [String]
    let subtitle: String

    static func render(base: MapBase, dataset: Dataset, rzz: Zoning, options: MapOptions, style: MapStyle) throws -> RenderedMap {
        let m = try OfficialMap(base: base, dataset: dataset, rzz: rzz, options: options, style: style)
        var inLegend: [Int] = []
        var map = try m.draw(rzzInLegend: inLegend)
        for _ in 0 ..< 2 where !map.unnamed.isEmpty {
            inLegend = Array(Set(inLegend + map.unnamed)).sorted { naturalLess(m.gZ.keys[$0], m.gZ.keys[$1]) }
            map = try m.draw(rzzInLegend: inLegend)
        }
        var result = map.rendered
        if !map.unnamed.isEmpty {
            result.summary.notes.append("RZZ named neither on the map nor in the legend: \(map.unnamed.map { m.gZ.keys[$0] }.joined(separator: ", "))")
        }
        return result
    }

    init(base: MapBase, dataset: Dataset, rzz: Zoning, options: MapOptions, style: MapStyle) throws {
        self.base = base; self.dataset = dataset; self.rzz = rzz; self.options = options; self.style = style
        let elz = dataset.elz, rr = dataset.rr
        gE = base.grouping(elz); gZ = base.grouping(rzz); gR = base.grouping(rr)
        elzNames = names(elz); rzzNames = names(rzz); rrNames = names(rr)
        elzTotals = totals(elz, blocks: dataset.blocks); rzzTotals = totals(rzz, blocks: dataset.blocks)
        var count: [String: Int] = [:]
        for (z, members) in Dictionary(grouping: dataset.blocks.compactMap { b in rzz.assignment[b.id].map { ($0, elz.assignment[b.id]) } }, by: \.0) {
            count[z] = Set(members.compactMap(\.1)).count
        }
        elzCount = count

        // RR colours: neighbours differ (graph colouring on the shared borders), from the style's palette.
        rrArea = try style.area("referentieregio")
        let palette = try style.palette(rrArea.palette ?? "referentieregio")
        let colouring = Colouring.perceptual(adjacency: base.topology.adjacency(gR), palette: palette)
        rrColours = colouring.colours.map { palette[$0 % palette.count] }
        outsideRR = gR.groupOfShape.contains { $0 < 0 }

        footer = MapCanvas.footer(style: style, dataset: dataset, extra: [
            MapText.fill(style.string("source.zones"), ["year": "\(dataset.populationYear)"]),
        ])
        var subtitle = options.subtitle ?? style.string("subtitle.official")
        if let src = options.zoningSource, options.subtitle == nil { subtitle = "RZZ: \(src)" }
        self.subtitle = subtitle

        legend = try makeLegend()
    }

    /// The ELZ label text: its number, its name, or none.
    func elzLabel(_ g: Int) -> String? {
        switch options.elzLabels {
        case .number: return shortCode(gE.keys[g], prefix: "elz")
        case .name: return elzNames[gE.keys[g]] ?? gE.keys[g]
        case .none: return nil
        }
    }

    /// The RZZ's hover text, on its hover area and its name.
    func rzzTitle(_ g: Int) -> String {
        let code = gZ.keys[g]
        return "RZZ \(rzzNames[code] ?? code) (\(code)): \(elzCount[code] ?? 0) ELZ, \(groupedDigits(rzzTotals.population[code] ?? 0, dutch: true)) inwoners (\(dataset.populationYear))"
    }

    func elzTitle(_ g: Int) -> String {
        let code = gE.keys[g]
        var rzzOf = ""
        if let i = gE.groupOfShape.firstIndex(of: g), let z = rzz.assignment[dataset.blocks[i].id] {
            rzzOf = " – RZZ \(rzzNames[z] ?? z)"
        }
        let municipalities = Set(dataset.blocks.filter { dataset.elz.assignment[$0.id] == code }.map(\.nis)).count
        return "ELZ \(elzLabel(g).map { $0 + " " } ?? "")\(elzNames[code] ?? code) (\(code))\(rzzOf); \(groupedDigits(elzTotals.population[code] ?? 0, dutch: true)) inwoners, \(municipalities) gemeente\(municipalities == 1 ? "" : "n")"
    }

    /// The referentieregio's with their colours, the lines, and the ELZ by number.
    private func makeLegend() throws -> [LegendSection] {
        let rrOrder = (0 ..< gR.count).sorted { naturalLess(gR.keys[$0], gR.keys[$1]) }
        var rrEntries = rrOrder.map { g in
            LegendEntry(.area([rrArea.attributes(fill: rrColours[g])]), rrNames[gR.keys[g]] ?? gR.keys[g])
        }
        if outsideRR { rrEntries.append(LegendEntry(.area([try style.area("noRegion").attributes()]), style.string("legend.noRegion"))) }
        var lineEntries = [
            LegendEntry(.line(try style.line("rzz").attributes), style.string("legend.rzz")),
            LegendEntry(.line(try style.line("elz").attributes),
                        style.string(options.elzLabels == .number ? "legend.elz" : "legend.elzPlain")),
            LegendEntry(.line(try style.line("outline").attributes), style.string("legend.outline")),
        ]
        if rzz.name != "rzz" || options.zoningSource != nil {
            lineEntries[0].label += " – " + (options.zoningSource ?? rzz.name)
        }
        var legend = [
            LegendSection(id: "rr", title: style.string("legend.rr"), entries: rrEntries, maxRows: 6),
            LegendSection(id: "lines", title: style.string("legend.lines"), entries: lineEntries, maxRows: 6),
        ]
        if options.elzLabels == .number && options.elzIndex {
            let entries = (0 ..< gE.count).sorted { naturalLess(gE.keys[$0], gE.keys[$1]) }.map { g in
                LegendEntry(.badge(elzLabel(g) ?? ""), elzNames[gE.keys[g]] ?? gE.keys[g])
            }
            legend.append(LegendSection(id: "elz-index", title: style.string("legend.elzIndex"), entries: entries,
                                        maxRows: 10, textRole: style.texts["legendIndex"] != nil ? "legendIndex" : "legend",
                                        maxLabelWidth: 150))
        }
        return legend
    }

    /// The map, with the RZZ of `rzzInLegend` listed in the legend instead of named on the map; returns the RZZ
    /// whose names found no room.
    func draw(rzzInLegend: [Int]) throws -> (rendered: RenderedMap, unnamed: [Int]) {
        var legend = self.legend
        if !rzzInLegend.isEmpty {
            let entries = rzzInLegend.map { g in
                LegendEntry(.none, "\(rzzNames[gZ.keys[g]] ?? gZ.keys[g]) (\(elzCount[gZ.keys[g]] ?? 0) ELZ)")
            }
            legend.insert(LegendSection(id: "rzz-names", title: style.string("legend.rzzNames"), entries: entries,
                                        maxRows: 6), at: 2)
        }
        var c = try MapCanvas(kind: .official, style: style, base: base, width: options.width, maxHeight: options.maxHeight,
                              title: options.title ?? style.string("title.official"), subtitle: subtitle,
                              legend: legend, footer: footer)

        // Referentieregio's, and the blocks outside every RR (Brussels) in their own grey.
        c.areas(id: "rr", className: "rr", grouping: gR, boundaries: c.boundaries(gR),
                attributes: { g in rrArea.attributes(fill: rrColours[g]) },
                title: { g in "Referentieregio \(rrNames[gR.keys[g]] ?? gR.keys[g]) (\(gR.keys[g]))" })
        if outsideRR {
            c.shapes({ gR.groupOfShape[$0] < 0 }, attributes: try style.area("noRegion").attributes()
                        .merging(["id": "no-rr", "class": "no-rr"]),
                     title: style.string("legend.noRegion"))
        }

        // Borders, each drawn once: RZZ (red) over ELZ (black) over municipalities (white).
        c.borders([(gZ, try style.line("rzz"), "rzz"), (gE, try style.line("elz"), "elz"),
                   (Grouping(dataset.blocks.map(\.nis)), try style.line("block"), "block")],
                  outline: try style.line("outline"))

        // Hover areas: RZZ under ELZ (a browser shows the innermost; the RZZ names carry the RZZ's title above).
        c.hitAreas(id: "rzz", className: "rzz", grouping: gZ, title: rzzTitle)
        c.hitAreas(id: "elz", className: "elz", grouping: gE, title: elzTitle)

        try c.scaleBarAndNorthArrow()
        try c.exclaveCallouts()
        // RZZ names first, inside their zone (those in the legend are not drawn), then the ELZ numbers around
        // them (short, so they find room, or a callout).
        try c.labels(id: "rzz-labels", role: "rzzLabel", grouping: gZ, boundaries: c.boundaries(gZ),
                     text: { g in rzzInLegend.contains(g) ? nil : rzzNames[gZ.keys[g]] ?? gZ.keys[g] },
                     options: { $0.callouts = false }, titles: rzzTitle)
        let unnamed = (0 ..< gZ.count).filter { g in !rzzInLegend.contains(g) && c.dropped.contains(gZ.keys[g]) }
        c.dropped.removeAll { code in unnamed.contains { gZ.keys[$0] == code } }
        if options.elzLabels != .none {
            try c.labels(id: "elz-labels", role: "elzLabel", grouping: gE, boundaries: c.boundaries(gE), text: elzLabel)
        }
        return (try c.finish(), unnamed)
    }
}
