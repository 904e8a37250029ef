import Foundation
import GeoCore
import GEOS
import Check
import Compare
import Zoning

/// Any zoning as a map: its zones graph-coloured (neighbours differ) with their names, zone borders once, the
/// blocks outside the zoning in grey. The service draws its layers (`/v1/layers/{name}.svg`) with it.
enum ZoningMap {
    static func render(base: MapBase, dataset: Dataset, zoning: Zoning, options: MapOptions,
                       style: MapStyle) throws -> RenderedMap {
        let g = base.grouping(zoning)
        let zoneNames = names(zoning)
        let (population, blockCount) = totals(zoning, blocks: dataset.blocks)
        let area = try style.area("referentieregio")
        let palette = try style.palette(area.palette ?? "referentieregio")
        let adjacency = base.topology.adjacency(g)
        let colouring = g.count <= 80 ? Colouring.perceptual(adjacency: adjacency, palette: palette)
            : Colouring(adjacency: adjacency, paletteSize: palette.count)
        func colour(_ i: Int) -> Colour { palette[colouring.colours[i] % palette.count] }
        let outside = g.groupOfShape.contains { $0 < 0 }
        let order = (0 ..< g.count).sorted { naturalLess(g.keys[$0], g.keys[$1]) }

        var legend: [LegendSection] = []
        if g.count <= 40 {
            var entries = order.map { i in LegendEntry(.area([area.attributes(fill: colour(i))]), zoneNames[g.keys[i]] ?? g.keys[i]) }
            if outside { entries.append(LegendEntry(.area([try style.area("noRegion").attributes()]), style.string("legend.noZone"))) }
            legend.append(LegendSection(id: "zones", title: style.string("legend.zones"), entries: entries, maxRows: 8,
                                        maxLabelWidth: 200))
        }
        let footer = MapCanvas.footer(style: style, dataset: dataset, extra: [])
        let title = options.title ?? "\(style.string("title.zoning")): \(zoning.name)"
        let subtitle = options.subtitle
            ?? "\(g.count) zones · \(dataset.blocks.count - g.groupOfShape.filter { $0 < 0 }.count) blokken · bevolking \(dataset.populationYear)"
        var c = try MapCanvas(kind: .zoning, style: style, base: base, width: options.width, maxHeight: options.maxHeight, title: title,
                              subtitle: subtitle, legend: legend, footer: footer)
        let b = c.boundaries(g)
        let year = dataset.populationYear
        c.areas(id: "zones", className: "zone", grouping: g, boundaries: b,
                attributes: { area.attributes(fill: colour($0)) },
                title: { i in
                    let code = g.keys[i]
                    let n = blockCount[code] ?? 0
                    return "\(zoneNames[code] ?? code) (\(code)): \(groupedDigits(population[code] ?? 0, dutch: true)) inwoners (\(year)), \(n) blok\(n == 1 ? "" : "ken")"
                })
        if outside {
            c.shapes({ g.groupOfShape[$0] < 0 }, attributes: try style.area("noRegion").attributes()
                        .merging(["id": "no-zone", "class": "no-zone"]), title: style.string("legend.noZone"))
        }
        var levels: [(grouping: Grouping, line: LineStyle, name: String)] = [(g, try style.line("elz"), "zone")]
        if zoning.name == "rzz" { levels[0].line = try style.line("rzz") }
        c.borders(levels, outline: try style.line("outline"))
        try c.scaleBarAndNorthArrow()
        try c.exclaveCallouts()
        if options.labels {
            // Names; with many zones, smaller, and those that collide everywhere are left out (on hover still).
            let many = g.count > 80
            try c.labels(id: "zone-labels", role: "zoneLabel", grouping: g, boundaries: b,
                         text: { i in zoneNames[g.keys[i]] ?? g.keys[i] },
                         priority: { Double(population[g.keys[$0]] ?? 0) },
                         options: many ? { $0.minFontSize = min($0.minFontSize, 5.5); $0.maxFontSize = min($0.maxFontSize, 9) } : nil)
        }
        return try c.finish()
    }
}
