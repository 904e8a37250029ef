import Foundation
import GeoCore
import GEOS
import Projection
import Check
import Compare
import Zoning

/// The map of a rule report: each zone of the checked zoning filled by its most serious finding (violation,
/// excused, warning, ok), ELZ with findings of their own outlined, located findings marked, and every reason
/// listed in the legend.
enum RulesMap {
    static func render(base: MapBase, dataset: Dataset, zoning: Zoning, report: RuleReport, options: MapOptions,
                       style: MapStyle) throws -> RenderedMap {
        let gZ = base.grouping(zoning), gE = base.grouping(dataset.elz)
        let zoneNames = names(zoning)
        var statusOf: [String: String] = [:]
        for z in report.zones { statusOf[z.zone.code] = z.status }
        func role(_ status: String) -> String {
            switch status {
            case "violation": return "ruleFail"
            case "excused": return "ruleExcused"
            case "warning": return "ruleWarning"
            default: return "rulePass"
            }
        }
        func area(_ status: String) throws -> AreaStyle {
            if let a = try? style.area(role(status)) { return a }
            return try style.area(status == "ok" ? "rulePass" : "ruleFail")
        }
        let shown = report.findings.filter { $0.level != .info }
        // ELZ with findings of their own (rr-alignment, ELZ contiguity, nesting), by their worst level.
        var elzLevel: [String: FindingLevel] = [:]
        for f in shown where f.layer == .elz {
            guard let code = f.zone?.code else { continue }
            elzLevel[code] = min(elzLevel[code] ?? f.level, f.level)
        }
        let levelNames: [FindingLevel: String] = [.violation: style.string("legend.violation"),
                                                  .excused: style.string("legend.excused"),
                                                  .warning: style.string("legend.warning")]

        // Legend: statuses present, then the reasons, by level.
        var statusEntries: [LegendEntry] = []
        for status in ["violation", "excused", "warning", "ok"] {
            let n = report.zones.filter { $0.status == status }.count
            guard n > 0 else { continue }
            let key = status == "ok" ? "legend.ok" : "legend.\(status)"
            statusEntries.append(LegendEntry(.area([try area(status).attributes()]), "\(style.string(key)) (\(n) RZZ)"))
        }
        if !elzLevel.isEmpty {
            statusEntries.append(LegendEntry(.line(try style.line("ruleFinding").attributes), style.string("legend.elzFinding")))
        }
        statusEntries.append(LegendEntry(.line(try style.line("rzz").attributes), style.string("legend.rzz")))
        // The reasons, one section per level (the swatch repeats the zone's colour; a dashed line marks an ELZ).
        var legend = [LegendSection(id: "status", title: style.string("legend.rules") + " – " + report.totals.dutchVerdict,
                                    entries: statusEntries, maxRows: 7)]
        for level in [FindingLevel.violation, .excused, .warning] {
            var entries: [LegendEntry] = []
            for f in shown where f.level == level {
                let sym: LegendEntry.Symbol = f.layer == .elz
                    ? .line(try style.line("ruleFinding").attributes)
                    : .area([try area(level.rawValue).attributes()])
                entries.append(LegendEntry(sym, f.dutchSummary, hover: f.message))
            }
            guard !entries.isEmpty else { continue }
            legend.append(LegendSection(id: "reasons-\(level.rawValue)", title: "\(levelNames[level] ?? level.rawValue) (\(entries.count))",
                                        entries: entries, maxRows: max(6, (entries.count + 1) / 2), maxLabelWidth: 580))
        }
        let footer = MapCanvas.footer(style: style, dataset: dataset, extra: [
            MapText.fill(style.string("source.rules"), ["ruleset": report.ruleSetTitleNl.map { "\(report.ruleSet) – \($0)" } ?? report.ruleSet]),
        ])
        var subtitle = options.subtitle ?? "Zonering: \(options.zoningSource ?? report.zoningFile ?? zoning.name) · bevolking \(report.populationYear)"
        if options.subtitle == nil && options.zoningSource == nil && report.zoningFile == nil && zoning.name == "rzz" {
            subtitle = "Voorstel conceptnota mesoniveau 2026 · bevolking 1/1/\(report.populationYear)"
        }
        var c = try MapCanvas(kind: .rules, style: style, base: base, width: options.width, maxHeight: options.maxHeight,
                              title: options.title ?? style.string("title.rules"), subtitle: subtitle,
                              legend: legend, footer: footer)

        // Zones by status, with their reasons on hover.
        let zB = c.boundaries(gZ)
        var reasonsOf: [String: [String]] = [:]
        for f in shown where f.layer != .elz {
            if let code = f.zone?.code { reasonsOf[code, default: []].append("\(levelNames[f.level] ?? ""): \(f.message)") }
        }
        let areaAttrs = try ["violation", "excused", "warning", "ok"].reduce(into: [String: SVGAttributes]()) {
            $0[$1] = try area($1).attributes()
        }
        c.areas(id: "rzz", className: "rzz", grouping: gZ, boundaries: zB,
                attributes: { g in
                    let status = statusOf[gZ.keys[g]] ?? "ok"
                    return (areaAttrs[status] ?? areaAttrs["ok"]!).merging(["data-status": status])
                },
                title: { g in
                    let code = gZ.keys[g]
                    let head = "\(zoneNames[code] ?? code) (\(code)): \(statusOf[code] ?? "ok")"
                    return ([head] + (reasonsOf[code] ?? [])).joined(separator: "\n")
                })
        if gZ.groupOfShape.contains(where: { $0 < 0 }) {
            c.shapes({ gZ.groupOfShape[$0] < 0 }, attributes: try style.area("noRegion").attributes()
                        .merging(["id": "no-zone", "class": "no-zone"]), title: style.string("legend.noZone"))
        }
        c.borders([(gZ, try style.line("rzz"), "rzz"), (gE, try style.line("elzMuted"), "elz")],
                  outline: try style.line("outline"))

        // ELZ with findings: their outline, with the findings on hover.
        if !elzLevel.isEmpty {
            let line = try style.line("ruleFinding")
            let eB = c.boundaries(gE)
            var elzReasons: [String: [String]] = [:]
            for f in shown where f.layer == .elz {
                if let code = f.zone?.code { elzReasons[code, default: []].append("\(levelNames[f.level] ?? ""): \(f.message)") }
            }
            let elzNames = names(dataset.elz)
            c.areas(id: "elz-findings", className: "elz-finding", grouping: gE, boundaries: eB,
                    groupAttributes: line.attributes.merging(["fill": "#ffffff", "fill-opacity": "0"]),
                    attributes: { g in elzLevel[gE.keys[g]].map { ["data-level": $0.rawValue] } },
                    title: { g in
                        let code = gE.keys[g]
                        return (["ELZ \(elzNames[code] ?? code) (\(code))"] + (elzReasons[code] ?? [])).joined(separator: "\n")
                    })
        }
        // Findings with a location (coverage problems between blocks).
        let located = shown.filter { $0.location != nil && $0.layer == .blocks }
        if !located.isEmpty {
            let marker = MarkerSymbol(try style.marker("finding"))
            var doc = c.doc
            let pts = try located.map { f -> Position in
                let l = f.location!
                return try Projection.transform([Position(l[0], l[1])], from: .crs84, to: .lambert72)[0]
            }
            doc.group(["id": "finding-points"]) { g in
                for (f, p) in zip(located, pts) {
                    let px = c.frame.pixel(p)
                    marker.draw(&g, x: px.x, y: px.y, attributes: ["class": "finding", "data-rule": f.rule.rawValue], title: f.message)
                }
            }
            c.doc = doc
            c.elements["finding", default: 0] += located.count
        }
        try c.scaleBarAndNorthArrow()
        try c.exclaveCallouts()
        if options.labels {
            try c.labels(id: "zone-labels", role: "zoneLabel", grouping: gZ, boundaries: zB,
                         text: { zoneNames[gZ.keys[$0]] ?? gZ.keys[$0] })
        }
        return try c.finish()
    }
}
