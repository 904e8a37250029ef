import Zoning

// The findings in Dutch, the language of the policy and the maps: one short phrase per finding (who, which rule,
// the numbers), written from the finding's fields, never from its English sentence.

extension Finding {
    /// "Bruzel – 1 ELZ, minimum 2", "ELZ Oostkust – 2 delen, niet aaneengesloten".
    public var dutchSummary: String {
        let n = numbers
        let name = zone?.name ?? ""
        let who = layer == .elz ? "ELZ \(name)" : name
        func dash(_ s: String) -> String { who.isEmpty ? s : "\(who) – \(s)" }
        func m2(_ v: Double?) -> String { "\(groupedDigits(Int((v ?? 0).rounded()), dutch: true)) m²" }
        let places = municipalities.map(\.name).joined(separator: ", ")
        switch rule {
        case .minPopulation:
            return dash("\(groupedDigits(n.population ?? 0, dutch: true)) inwoners, minimum \(groupedDigits(n.threshold ?? 0, dutch: true))")
        case .minELZ:
            return dash("\(n.elzCount ?? 0) ELZ, minimum \(n.threshold ?? 2)")
        case .contiguity:
            var s = dash("\(n.parts ?? 0) delen, niet aaneengesloten")
            if let e = n.excusedParts, e > 0 { s += " (\(e) uitgezonderd)" }
            if level != .excused, !places.isEmpty {
                // The piece that lies apart: its ELZ (RZZ findings) and its municipalities.
                let elzNames = (elz ?? []).map { "ELZ \($0.name)" }.joined(separator: ", ")
                s += ": een deel met " + (elzNames.isEmpty ? places : "\(elzNames) (\(places))") + " grenst niet aan de rest"
            }
            return s
        case .contiguityPoint:
            return dash("raakt de rest van de zone enkel in een punt")
        case .maxZones:
            return "\(n.zoneCount ?? 0) RZZ in het Nederlandse taalgebied, maximum \(n.threshold ?? 0)"
        case .rrAlignment:
            let rrs = (sides ?? []).map(\.zone.name)
            return dash("in \(rrs.count) referentieregio's (\(rrs.joined(separator: ", ")))")
        case .nesting:
            return dash("verdeeld over \((sides ?? []).count) RZZ")
        case .coverage:
            return "\(blocks.count) blok\(blocks.count == 1 ? "" : "ken") zonder zone"
        case .rrCongruence:
            // The municipalities where the zone and the referentieregio's differ.
            let parts = (sides ?? []).map { side in
                "\(side.municipalities.map(\.name).joined(separator: ", ")) (RR \(side.zone.name) → \(side.rzz?.name ?? "geen zone"))"
            }
            return parts.isEmpty ? dash("valt samen met de referentieregio's") : dash("afwijking RR: " + parts.joined(separator: "; "))
        case .blocksOverlap:
            return "blokken overlappen (\(places)): \(m2(n.areaM2))"
        case .blocksGap:
            return "gat tussen blokken (\(places)): \(m2(n.areaM2))"
        case .blocksSliver:
            return "smalle strook tussen blokken (\(places)): \(m2(n.areaM2))"
        case .blocksInvalid:
            return "ongeldige geometrie van een blok (\(places))"
        case .blocksHole:
            return "gat in de blokken, een gat van \(places): \(m2(n.areaM2))"
        case .blocksSnapped:
            return "blokgrenzen op elkaar gelegd (\(places))"
        }
    }
}

/// "1 schending", "3 schendingen".
func dutchCount(_ k: Int, _ one: String, _ many: String) -> String { "\(k) \(k == 1 ? one : many)" }

extension CheckTotals {
    /// "geen schending, 3 uitzonderingen, 1 waarschuwing", "2 schendingen, …": the verdict of the maps and the
    /// Dutch report.
    public var dutchVerdict: String {
        [violations == 0 ? "geen schending" : dutchCount(violations, "schending", "schendingen"),
         dutchCount(excused, "uitzondering", "uitzonderingen"), dutchCount(warnings, "waarschuwing", "waarschuwingen")]
            .joined(separator: ", ")
    }
}
