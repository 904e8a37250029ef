import Foundation
import Zoning

// The report as Dutch Markdown, for the workbench's download and anyone who hands it to the administration:
// every sentence Dutch (the findings as their `dutchSummary`), numbers with Dutch digit grouping.

extension RuleReport {
    /// Markdown in Dutch: the summary table, then the findings by level, each as its Dutch phrase.
    public func markdownNl() -> String {
        let md = markdownEscaped, n = dutchCount
        let t = totals
        var out = "# Toetsing: \(md(ruleSetTitleNl ?? ruleSet))\n\n"
        out += "- regelset: `\(ruleSet)`\(ruleSetFile.map { " (`\($0)`)" } ?? "")\n"
        out += "- zonering: `\(zoning)`\(zoningFile.map { " (`\($0)`)" } ?? ""); bevolking \(populationYear)\n"
        let c = coverage
        out += "- blokken: \(c.blocks) (\(c.parts) veelhoeken); " + (c.clean ? "een zuivere bedekking"
            : "geen zuivere bedekking (\(n(c.overlaps, "overlapping", "overlappingen")), \(n(c.gaps, "gat", "gaten")), \(n(c.slivers, "strook", "stroken")), \(c.invalid) ongeldig)") + "\n"
        out += "- **\(t.passes ? "voldoet" : "voldoet niet"): \(t.dutchVerdict)**\n\n"
        out += "| zone | naam | ELZ | inwoners | km² | delen | referentieregio's | toetsing |\n"
        out += "|---|---|---:|---:|---:|---:|---|---|\n"
        let status = ["ok": "voldoet", "pass": "voldoet", "violation": "schending", "excused": "uitzondering", "warning": "waarschuwing"]
        for z in zones {
            let parts = z.excusedParts > 0 ? "\(z.parts) (\(z.excusedParts) uitgezonderd)" : "\(z.parts)"
            let area = String(format: "%.2f", z.areaKm2).replacingOccurrences(of: ".", with: ",")
            out += "| \(z.zone.code) | \(md(z.zone.name)) | \(z.elz.count) | \(groupedDigits(z.population, dutch: true)) | \(area) | \(parts) | \(z.referentieregios.isEmpty ? "-" : md(z.referentieregios.map(\.name).joined(separator: " + "))) | \(status[z.status] ?? z.status) |\n"
        }
        out += "\n\(t.zones) zones; \(t.countedZones) tellen mee voor het maximum van \(t.maxZones).\n"
        if let d = delta {
            out += "\n## Tegenover de RZZ-tabel van de dataset\n\n"
            if d.introduced.isEmpty && d.resolved.isEmpty && d.changed.isEmpty { out += "- geen bevinding veranderd\n" }
            for f in d.introduced { out += "- nieuw (\(level(f.level))): \(md(f.dutchSummary))\n" }
            for ch in d.changed { out += "- gewijzigd (\(level(ch.after.level))): \(md(ch.after.dutchSummary))\n" }
            for f in d.resolved { out += "- verdwenen (\(level(f.level))): \(md(f.dutchSummary))\n" }
        }
        for l in FindingLevel.allCases {
            let fs = findings.filter { $0.level == l }
            guard !fs.isEmpty else { continue }
            out += "\n## \(l.heading(.nl)) (\(fs.count))\n\n"
            // The exceptions' citations stay out: the rule set writes them in either language (the JSON has them).
            for f in fs { out += "- \(md(f.dutchSummary))\n" }
        }
        return out
    }

    private func level(_ l: FindingLevel) -> String {
        switch l {
        case .violation: return "schending"
        case .excused: return "uitzondering"
        case .warning: return "waarschuwing"
        case .info: return "info"
        }
    }
}
