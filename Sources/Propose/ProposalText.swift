import Check
import Foundation
import Zoning

extension ProposalReport {
    /// JSON with snake_case keys (the RZZ tables included as `csv`).
    public func jsonText() throws -> String {
        String(decoding: try snakeCaseJSON(self), as: UTF8.self) + "\n"
    }

    /// Every proposal's RZZ table in one long table: `proposal` first, then the columns of rzz.csv.
    public func csvText() -> String {
        var out = "proposal,elz_code,elz_name,rzz_code,rzz_name,basis,note\n"
        for p in proposals {
            for line in p.csv.split(separator: "\n").dropFirst() { out += "\(p.rank),\(line)\n" }
        }
        return out
    }

    /// A readable summary: the search, the base, then each proposal with its zones and what moves.
    public func text() -> String {
        var out = "propose: \(objective)\n"
        if let a = alignmentWith { out += "alignment with \(a)\n" }
        out += "rule set \(ruleSet); population \(populationYear); motivated population exceptions: \(motivatedExceptions ? "as the rule set grants them" : "none")\n"
        if let n = zones { out += "zones in the counted region: \(n)\n" }
        if !kept.isEmpty { out += "kept as they are: \(listText(kept.map { "\($0.name) (\($0.code))" }))\n" }
        let s = search
        out += "\nsearch: \(s.method), \(s.units) units, \(String(format: "%.2f", s.seconds)) s\n"
        if s.level == "referentieregio" {
            out += s.complete
                ? "  complete: \(groupedDigits(s.feasibleZonings)) zonings meet every condition; the first below is optimal\n"
                : "  INCOMPLETE (\(s.stopped ?? "stopped")): \(groupedDigits(s.feasibleZonings)) zonings met so far; the best is not proven optimal\n"
        } else {
            out += "  \(groupedDigits(s.feasibleZonings)) distinct zonings met that meet every condition; seed \(s.seed ?? 0), \(s.restarts ?? 0) restarts, \(groupedDigits(s.iterations ?? 0)) steps\(s.stopped.map { " (\($0))" } ?? "")\n"
            if let b = s.bound, let best = proposals.first?.scores.cost {
                out += abs(best - b) < 1e-12 ? "  optimal: the best cost equals the lower bound \(fmt(b))\n"
                    : "  lower bound of the cost \(fmt(b)); the best found is \(fmt(best))\n"
            } else {
                out += "  no bound: the best found is not proven optimal\n"
            }
        }
        out += "\nbase \(base.name): cost \(fmt(base.scores.cost)); \(figures(base.scores))\n"
        if base.problems.isEmpty { out += "  meets every condition\n" } else {
            for p in base.problems { out += "  breaks: \(p)\n" }
        }
        if let w = exceptionsWorth {
            out += "\nthe rule set's motivated population exceptions, \(listText(w.exceptions)):\n"
            if let a = w.bestWith { out += "  with them the best costs \(fmt(a.cost)); \(figures(a))\n" }
            if let b = w.bestWithout { out += "  without them the best costs \(fmt(b.cost)); \(figures(b))\n" }
            if let a = w.bestWith, let b = w.bestWithout {
                let d = b.incongruentPopulation - a.incongruentPopulation
                out += "  not excusing them costs \(fmt(b.cost - a.cost)) of the objective and \(groupedDigits(d)) inhabitants more outside an RZZ that is their referentieregio\n"
            }
        }
        if proposals.isEmpty { out += "\nno zoning meets every condition\n" }
        for p in proposals {
            out += "\nproposal \(p.rank): cost \(fmt(p.scores.cost)) (base \(fmt(base.scores.cost))); \(figures(p.scores))\n"
            out += "  check: \(p.check.passes ? "passes" : "FAILS") (\(p.check.violations) violations, \(p.check.excused) excused, \(p.check.warnings) warnings)\n"
            out += "  moves \(p.moved.count) ELZ and \(groupedDigits(p.moved.reduce(0) { $0 + $1.population })) inhabitants"
            out += p.moved.isEmpty ? "\n" : ":\n"
            for m in p.moved {
                out += "    \(m.elz.name) (\(m.elz.code), \(groupedDigits(m.population))): \(m.from?.name ?? "no zone") → \(m.to.name)\n"
            }
            for z in p.zones where !z.unchanged {
                out += "  \(z.code) \(z.name): \(groupedDigits(z.population)) inhabitants, \(z.elz.count) ELZ (\(listText(z.elz.map(\.name))))\n"
            }
            let same = p.zones.filter(\.unchanged)
            if !same.isEmpty { out += "  unchanged: \(listText(same.map(\.name)))\n" }
        }
        return out
    }

    func figures(_ s: Scores) -> String {
        var parts = ["\(s.countedZones) zones in the counted region"]
        parts.append("not congruent with their referentieregio \(groupedDigits(s.incongruentPopulation)) (\(pct(s.incongruentShare)))")
        if let ari = s.adjustedRandIndex, let nmi = s.normalizedMutualInformation, let mm = s.mutualMajorityShare {
            parts.append("ARI \(fmt3(ari)), NMI \(fmt3(nmi)), mutual majority \(pct(mm))")
        }
        parts.append("moved from base \(s.elzMoved) ELZ / \(groupedDigits(s.populationMoved)) inhabitants")
        parts.append("balance (CV) \(fmt3(s.balance))")
        return parts.joined(separator: "; ")
    }
}

private func fmt(_ x: Double) -> String { String(format: "%.6f", x) }
private func fmt3(_ x: Double) -> String { String(format: "%.3f", x) }
private func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
