import Foundation
import Zoning

/// The output formats of `zorgzones check`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, markdown
}

/// The language of the Markdown report (JSON carries both: `message` and `summary_nl`; text is English).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case en, nl
}

extension RuleReport {
    /// The report in the given format (Markdown in the given language).
    public func rendered(_ format: ReportFormat, language: ReportLanguage = .en) throws -> String {
        switch format {
        case .json: return try jsonText()
        case .markdown: return language == .nl ? markdownNl() : markdown()
        case .text: return text()
        }
    }

    /// JSON with snake_case keys.
    public func jsonText() throws -> String {
        String(decoding: try snakeCaseJSON(self), as: UTF8.self) + "\n"
    }

    private var verdict: String {
        totals.passes
            ? "PASS: no violation (\(totals.excused) excused, \(totals.warnings) warning\(totals.warnings == 1 ? "" : "s"))"
            : "FAIL: \(totals.violations) violation\(totals.violations == 1 ? "" : "s") (\(totals.excused) excused, \(totals.warnings) warning\(totals.warnings == 1 ? "" : "s"))"
    }

    private var coverageLine: String {
        let c = coverage
        var s = "\(c.blocks) blocks (\(c.parts) polygons), \(groupedDigits(c.segments)) segments, \(groupedDigits(c.sharedSegments)) shared; "
        s += c.clean ? "a clean coverage" : "NOT a clean coverage (\(c.overlaps) overlaps, \(c.gaps) gaps, \(c.slivers) slivers, \(c.invalid) invalid)"
        s += "; union by \(c.method): \(c.unionParts) parts, \(c.unionHoles) holes (\(c.blockHoles) of them holes of a block); \(String(format: "%.2f", c.totalAreaKm2)) km²"
        return s
    }

    private func repairsLine(_ r: [SnapChange]) -> String {
        if r.isEmpty { return "no block changed" }
        return "\(r.count) block\(r.count == 1 ? "" : "s") changed: " + r.map {
            "\($0.block) (\($0.name)): \($0.verticesMoved) moved, \($0.verticesInserted) inserted, \(String(format: "%+.1f", $0.areaChangeM2)) m²"
        }.joined(separator: "; ")
    }

    private func zoneParts(_ z: ZoneCheck) -> String {
        z.excusedParts > 0 ? "\(z.parts) (\(z.excusedParts) excused)" : "\(z.parts)"
    }

    /// Plain text for a terminal.
    public func text() -> String {
        var out = "zorgzones check: \(ruleSet) (\(ruleSetTitle))\n"
        out += "zoning: \(zoning)\(zoningFile.map { " (\($0))" } ?? ""); population \(populationYear)\n"
        out += "coverage: \(coverageLine)\n"
        if let repairs { out += "snap: \(repairsLine(repairs))\n" }
        out += "\(verdict)\n\n"
        let header = ["zone", "name", "ELZ", "population", "km²", "parts", "referentieregio's", "status"]
        let rows = zones.map { z in
            [z.zone.code, z.zone.name, "\(z.elz.count)", groupedDigits(z.population), String(format: "%.2f", z.areaKm2),
             zoneParts(z), z.referentieregios.isEmpty ? "-" : z.referentieregios.map(\.name).joined(separator: " + "), z.status]
        }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        let right: Set<Int> = [2, 3, 4]
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return right.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        out += line(header) + "\n"
        for r in rows { out += line(r) + "\n" }
        out += "\(totals.zones) zones; \(totals.countedZones) counted against the maximum of \(totals.maxZones)\n"
        if let delta { out += "\n" + deltaText(delta, markdown: false) }
        for level in FindingLevel.allCases {
            let fs = findings.filter { $0.level == level }
            guard !fs.isEmpty else { continue }
            out += "\n\(level.heading(.en)) (\(fs.count))\n"
            for f in fs {
                out += "- [\(f.rule.rawValue)] \(f.message)"
                if let l = f.location { out += " at \(l[0]), \(l[1])" }
                out += "\n"
                if let e = f.exception, f.level == .excused { out += "    exception: \(e)\n" }
            }
        }
        return out
    }

    /// Markdown: a summary table, then the findings by level.
    public func markdown() -> String {
        var out = "# Rule check: \(ruleSetTitle)\n\n"
        out += "- rule set: `\(ruleSet)`\(ruleSetFile.map { " (`\($0)`)" } ?? "")\n"
        out += "- zoning: `\(zoning)`\(zoningFile.map { " (`\($0)`)" } ?? ""); population \(populationYear)\n"
        out += "- coverage: \(coverageLine)\n"
        if let repairs { out += "- snap: \(md(repairsLine(repairs)))\n" }
        out += "- **\(verdict)**\n\n"
        out += "| zone | name | ELZ | population | km² | parts | referentieregio's | status |\n"
        out += "|---|---|---:|---:|---:|---:|---|---|\n"
        for z in zones {
            out += "| \(z.zone.code) | \(md(z.zone.name)) | \(z.elz.count) | \(groupedDigits(z.population)) | \(String(format: "%.2f", z.areaKm2)) | \(zoneParts(z)) | \(z.referentieregios.isEmpty ? "-" : md(z.referentieregios.map(\.name).joined(separator: " + "))) | \(z.status) |\n"
        }
        out += "\n\(totals.zones) zones; \(totals.countedZones) counted against the maximum of \(totals.maxZones).\n"
        if let delta { out += "\n" + deltaText(delta, markdown: true) }
        for level in FindingLevel.allCases {
            let fs = findings.filter { $0.level == level }
            guard !fs.isEmpty else { continue }
            out += "\n## \(level.heading(.en)) (\(fs.count))\n\n"
            for f in fs {
                out += "- **\(f.rule.rawValue)**\(f.zone.map { " · \(md($0.name))" } ?? ""): \(md(f.message))"
                if let l = f.location { out += " (at \(l[0]), \(l[1]))" }
                out += "\n"
                if let e = f.exception, f.level == .excused { out += "  - exception: \(md(e))\n" }
            }
        }
        return out
    }

    private func deltaText(_ d: ReportDelta, markdown: Bool) -> String {
        var out = markdown ? "## Compared with \(d.baseline)\n\n" : "Compared with \(d.baseline):\n"
        func m(_ s: String) -> String { markdown ? md(s) : s }
        if d.introduced.isEmpty && d.resolved.isEmpty && d.changed.isEmpty { out += "- no finding changes\n" }
        for f in d.introduced { out += "- new \(f.level.rawValue) [\(f.rule.rawValue)]: \(m(f.message))\n" }
        for c in d.changed {
            let what = c.before.level == c.after.level ? "still \(c.after.level.rawValue), changed" : "was \(c.before.level.rawValue), now \(c.after.level.rawValue)"
            out += "- \(what) [\(c.after.rule.rawValue)]: \(m(c.after.message))\n"
        }
        for f in d.resolved { out += "- gone \(f.level.rawValue) [\(f.rule.rawValue)]: \(m(f.message))\n" }
        return out
    }

    private func md(_ s: String) -> String { markdownEscaped(s) }
}

/// Text for a Markdown table cell or list item: the characters Markdown would read as markup escaped.
func markdownEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
}

extension FindingLevel {
    /// The heading of the level's section in the Markdown report.
    func heading(_ language: ReportLanguage) -> String {
        switch (self, language) {
        case (.violation, .en): return "Violations"
        case (.excused, .en): return "Excused"
        case (.warning, .en): return "Warnings"
        case (.info, .en): return "Information"
        case (.violation, .nl): return "Schendingen"
        case (.excused, .nl): return "Uitzonderingen (toegestaan)"
        case (.warning, .nl): return "Waarschuwingen"
        case (.info, .nl): return "Informatie"
        }
    }
}
