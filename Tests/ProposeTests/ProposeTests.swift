import Compare
import Foundation
import Propose
import Testing
import TestSupport

// The pieces of the search against brute force on generated inputs: the connected sets the exact search grows,
// the zone matching of the changes objective, the alignment sums against the definitions written out here.

/// A random connected-ish graph of `n` nodes as neighbour bit masks.
private func randomGraph(_ n: Int, density: Double, _ rng: inout Xorshift) -> [UInt64] {
    var nb = [UInt64](repeating: 0, count: n)
    for i in 0..<n {
        for j in (i + 1)..<n where Double.random(in: 0..<1, using: &rng) < density {
            nb[i] |= 1 << UInt64(j); nb[j] |= 1 << UInt64(i)
        }
    }
    return nb
}

private func isConnected(_ set: UInt64, _ nb: [UInt64]) -> Bool {
    guard set != 0 else { return false }
    var reached = set & (~set &+ 1), frontier = reached
    while frontier != 0 {
        var next: UInt64 = 0, f = frontier
        while f != 0 { next |= nb[f.trailingZeroBitCount]; f &= f - 1 }
        next &= set & ~reached
        reached |= next
        frontier = next
    }
    return reached == set
}

struct ProposeTests {
    @Test func connectedSetsAreEveryConnectedSetOnce() {
        var rng = Xorshift(seed: 20261208)
        for trial in 0..<150 {
            let n = 4 + trial % 9
            let nb = randomGraph(n, density: [0.2, 0.35, 0.6][trial % 3], &rng)
            let all: UInt64 = (1 << UInt64(n)) - 1
            // A random allowed subset that holds the start node.
            var remaining = UInt64.random(in: 0...all, using: &rng) | 1
            remaining &= all
            var seen: [UInt64] = []
            ExactSearch.connectedSets(containing: 1, within: remaining, neighbours: nb) { s in seen.append(s); return true }
            var expected: Set<UInt64> = []
            for s in 1...all where s & 1 == 1 && s & ~remaining == 0 && isConnected(s, nb) { expected.insert(s) }
            #expect(seen.count == Set(seen).count, "a set came twice (n \(n))")
            #expect(Set(seen) == expected, "n \(n): \(seen.count) sets, \(expected.count) expected")
        }
    }

    @Test func connectedSetsStopWhenAsked() {
        let nb: [UInt64] = [0b0110, 0b1101, 0b1011, 0b0110]   // 4 nodes, nearly complete
        var n = 0
        ExactSearch.connectedSets(containing: 1, within: 0b1111, neighbours: nb) { _ in n += 1; return n < 3 }
        #expect(n == 3)
    }

    @Test func matchingIsMaximal() {
        var rng = Xorshift(seed: 7)
        func permutations(_ xs: [Int]) -> [[Int]] {
            guard xs.count > 1 else { return [xs] }
            return xs.indices.flatMap { i -> [[Int]] in
                var rest = xs
                let x = rest.remove(at: i)
                return permutations(rest).map { [x] + $0 }
            }
        }
        for _ in 0..<200 {
            let rows = Int.random(in: 1...5, using: &rng), cols = Int.random(in: 1...5, using: &rng)
            let w = (0..<rows).map { _ in (0..<cols).map { _ in Int.random(in: 0...9, using: &rng) } }
            let m = Matching.maximal(w)
            // A matching: each column at most once.
            let used = m.filter { $0 >= 0 }
            #expect(used.count == Set(used).count)
            let got = m.enumerated().reduce(0) { $0 + ($1.element >= 0 ? w[$1.offset][$1.element] : 0) }
            // Brute force over assignments of rows to distinct columns (padded with "none").
            let n = max(rows, cols)
            var best = 0
            for p in permutations(Array(0..<n)) {
                var v = 0
                for r in 0..<rows where p[r] < cols { v += w[r][p[r]] }
                best = max(best, v)
            }
            #expect(got == best, "\(w)")
        }
    }

    @Test func alignmentSumsMatchTheDefinitions() {
        var rng = Xorshift(seed: 99)
        for _ in 0..<100 {
            let rows = Int.random(in: 1...8, using: &rng), cols = Int.random(in: 1...8, using: &rng)
            let n = (0..<rows * cols).map { _ in Double.random(in: 0..<1, using: &rng) < 0.3 ? 0 : Double(Int.random(in: 1...5000, using: &rng)) }
            guard n.reduce(0, +) > 0 else { continue }
            let f = AlignmentFigures(flat: n, rows: rows, columns: cols)
            // The definitions (Hubert & Arabie's ARI; NMI with the arithmetic mean), written out again here.
            let total = n.reduce(0, +)
            let a = (0..<rows).map { z in (0..<cols).reduce(0.0) { $0 + n[z * cols + $1] } }
            let b = (0..<cols).map { k in (0..<rows).reduce(0.0) { $0 + n[$1 * cols + k] } }
            func c2(_ x: Double) -> Double { x * (x - 1) / 2 }
            let sa = a.map(c2).reduce(0, +), sb = b.map(c2).reduce(0, +), sn = n.map(c2).reduce(0, +)
            let e = sa * sb / c2(total)
            let ari = (sa + sb) / 2 == e ? 1 : (sn - e) / ((sa + sb) / 2 - e)
            #expect(abs(f.adjustedRandIndex - ari) < 1e-9)
            var mi = 0.0, hz = 0.0, hk = 0.0
            for z in 0..<rows { for k in 0..<cols where n[z * cols + k] > 0 {
                let p = n[z * cols + k] / total
                mi += p * log(p / (a[z] / total * b[k] / total))
            } }
            for x in a where x > 0 { hz -= x / total * log(x / total) }
            for x in b where x > 0 { hk -= x / total * log(x / total) }
            let nmi = hz + hk < 1e-12 ? 1 : min(1, max(0, mi) / ((hz + hk) / 2))
            #expect(abs(f.normalizedMutualInformation - nmi) < 1e-9)
        }
    }

    @Test func objectivesParse() throws {
        let o = try Objective.parse("rr-congruence=1,alignment=0.5")
        #expect(o.weight(.rrCongruence) == 1 && o.weight(.alignment) == 0.5 && o.weight(.changes) == 0)
        #expect(try Objective.parse("balance").uses == [.balance])
        for bad in ["", "happiness", "balance=-1", "balance=x", "balance,balance", "balance=0"] {
            #expect(throws: ProposeUsageError.self, "\(bad)") { try Objective.parse(bad) }
        }
    }

    @Test func unitSets() {
        var s = UnitSet([0, 5, 63, 64, 127])
        #expect(s.count == 5 && s.first == 0 && s.indexes == [0, 5, 63, 64, 127])
        s.remove(0)
        #expect(s.first == 5 && s.contains(64) && !s.contains(0))
        #expect((s & UnitSet([64, 1])).indexes == [64])
        #expect((s - UnitSet([5, 127])).indexes == [63, 64])
        #expect(UnitSet([3]).isSubset(of: s) == false && UnitSet([63]).isSubset(of: s))
    }
}
