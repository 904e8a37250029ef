import Foundation

// Texts the maps write, and an estimate of how wide a text is set (for legend layout and label boxes).

/// The map texts (Dutch, as in the policy note) and text measurement.
public enum MapText {
    /// Built-in texts by key. A style's `strings` override any of them (see `MapStyle.string(_:)`).
    public static let defaults: [String: String] = [
        // Titles
        "title.official": "Regionale zorgzones, eerstelijnszones en referentieregio's",
        "subtitle.official": "Voorstel conceptnota mesoniveau 2026 (§2.2.2)",
        "title.hospitals": "Ziekenhuisnetwerken en regionale zorgzones",
        "subtitle.hospitals": "Campussen van de locoregionale ziekenhuisnetwerken, gekleurd per netwerk",
        "title.ggz.adults": "Netwerken geestelijke gezondheid (volwassenen) en regionale zorgzones",
        "title.ggz.youth": "Netwerken geestelijke gezondheid (kinderen en jongeren) en regionale zorgzones",
        "subtitle.ggz": "Werkingsgebieden per gemeente (benaderend)",
        "title.rules": "Toetsing van de regionale zorgzones",
        "title.zoning": "Zonering",
        // Legend headings and entries
        "legend.rr": "Referentieregio's (RR)",
        "legend.noRegion": "Brussel (Bruzel): geen referentieregio",
        "legend.lines": "Grenzen",
        "legend.rzz": "Regionale zorgzone (RZZ)",
        "legend.elz": "Eerstelijnszone (ELZ), met nummer",
        "legend.elzPlain": "Eerstelijnszone (ELZ)",
        "legend.outline": "Vlaanderen en Brussel",
        "legend.elzIndex": "Eerstelijnszones",
        "legend.rzzNames": "Regionale zorgzones zonder naam op de kaart",
        "legend.networks": "Ziekenhuisnetwerken (campussen)",
        "legend.serviceAreas.voronoi": "Verzorgingsgebied: dichtste campus (Voronoi)",
        "legend.serviceAreas.nearest": "Verzorgingsgebied: gemeente naar dichtste campus",
        "legend.ggzNetworks": "GGZ-netwerken",
        "legend.twoNetworks": "Gemeente in twee netwerken (gearceerd in beide kleuren)",
        "legend.noNetwork": "Geen netwerk",
        "legend.lowConfidence": "Lage betrouwbaarheid van de toewijzing (gestippeld)",
        "legend.networkBorder": "Grens tussen netwerken",
        "legend.rules": "Toetsing",
        "legend.violation": "Schending",
        "legend.excused": "Uitzondering (toegestaan)",
        "legend.warning": "Waarschuwing",
        "legend.ok": "Voldoet",
        "legend.elzFinding": "ELZ met een bevinding (omlijnd)",
        "legend.reasons": "Redenen",
        "legend.zones": "Zones",
        "legend.noZone": "Buiten de zonering",
        "legend.campusesOutside": "buiten het kaartbeeld",
        "legend.campusesUnlocated": "zonder coördinaten, niet getekend",
        // Footers
        "source.blocks": "Bron: Statbel (Algemene Directie Statistiek), statistische sectoren 1/1/2025; bewerking Data & Analyse van de Vlaamse provincies (Provincies in Cijfers).",
        "source.zones": "Zones: ELZ en referentieregio's (Provincies in Cijfers); RZZ: conceptnota mesoniveau 2026 (voorstel). Bevolking: Statbel, 1 januari {year}.",
        "source.hospitals": "Ziekenhuisnetwerken: compilatie (lidmaatschap 2020–2022); coördinaten Eurostat/GISCO (referentiedatum 1/2/2020).",
        "source.serviceAreas.voronoi": "Verzorgingsgebieden (afgeleid): Voronoi-cellen rond de campussen (rechte afstand, EPSG:31370), per netwerk samengevoegd en afgesneden op Vlaanderen en Brussel.",
        "source.serviceAreas.nearest": "Verzorgingsgebieden (afgeleid): elke gemeente naar het netwerk van de dichtstbijzijnde campus (rechte afstand vanaf een punt binnen de gemeente).",
        "source.ggz": "GGZ-netwerken: compilatie per gemeente, benaderend (arrondissement- of provincieniveau); geen officiële gemeentelijst per netwerk.",
        "source.rules": "Regels: {ruleset}.",
        "source.projection": "Projectie: Belgian Lambert 72 (EPSG:31370). Kaart: zorgzones {version}.",
        // Callouts
        "callout.exclave": "{name}",
        "callout.enclaves": "{name} ({count} delen)",
        "inset.title": "{label}, {factor}× vergroot",
    ]

    /// `template` with `{key}` replaced by the values.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var s = template
        for (k, v) in values { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }

    /// Estimated advance width of `text` set in a DejaVu-Sans-like face at `size` pixels: per-character widths
    /// in em (DejaVu Sans is wide; Verdana is close, Arial narrower, so the estimate errs on the wide side).
    public static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for c in text.unicodeScalars {
            switch c {
            case "i", "l", "j", "'", "|", ".", ",", ":", ";", "!", "ı": em += 0.29
            case " ": em += 0.32
            case "f", "t", "r", "(", ")", "[", "]", "-", "/": em += 0.41
            case "m": em += 0.98
            case "w": em += 0.82
            case "M", "W": em += 0.88
            case "0"..."9": em += 0.64
            case "A"..."Z": em += 0.72
            case "–", "—": em += 0.7
            default: em += 0.61
            }
        }
        return em * size * (bold ? 1.1 : 1)
    }

    /// Lines no wider than `maxWidth`, broken at spaces (a word longer than the width gets its own line).
    public static func wrap(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty && width(candidate, size: size, bold: bold) > maxWidth {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A text shortened to at most `maxWidth` pixels with an ellipsis.
    public static func truncate(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> String {
        guard width(text, size: size, bold: bold) > maxWidth else { return text }
        var chars = Array(text)
        while !chars.isEmpty && width(String(chars) + "…", size: size, bold: bold) > maxWidth { chars.removeLast() }
        return String(chars).trimmingCharacters(in: .whitespaces) + "…"
    }

}
