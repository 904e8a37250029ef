// Map colouring: neighbours (groups sharing a border arc) get different palette colours.

/// A colouring of a graph given as neighbour lists (e.g. `Topology.adjacency(_:)`). Deterministic.
///
/// Greedy in Welsh–Powell order (largest degree first, then lowest index), each node taking the smallest colour
/// no neighbour has. If that needs more colours than the palette has, DSatur is tried; if that still does not fit,
/// the surplus nodes take the palette colour shared with the fewest neighbours, and those pairs are reported as
/// `conflicts`. When the greedy colouring fits, a second pass spreads the nodes over the whole palette (each
/// takes the least-used colour allowed), so a pastel palette is used evenly; it is kept only if it succeeds.
public struct Colouring: Hashable, Sendable {
    /// Colour (palette index) of each node.
    public var colours: [Int]
    /// Neighbour pairs (i < j) that share a colour because the palette is too small.
    public var conflicts: [[Int]]
    /// Distinct colours used.
    public var colourCount: Int { Set(colours).count }

    public init(adjacency: [[Int]], paletteSize: Int, balanced: Bool = true) {
        precondition(paletteSize >= 1, "the palette needs at least one colour")
        let n = adjacency.count
        let degree = adjacency.map(\.count)
        let order = (0 ..< n).sorted { (a: Int, b: Int) -> Bool in
            degree[a] != degree[b] ? degree[a] > degree[b] : a < b
        }

        var colours = Colouring.greedy(adjacency, order: order, limit: nil)!
        if (colours.max() ?? -1) >= paletteSize {
            let d = Colouring.dsatur(adjacency)
            if (d.max() ?? -1) < (colours.max() ?? -1) { colours = d }
        }
        if (colours.max() ?? -1) >= paletteSize {
            // Fold surplus colours into the palette with as few shared borders as possible.
            for v in order where colours[v] >= paletteSize {
                var uses = [Int](repeating: 0, count: paletteSize)
                for w in adjacency[v] where colours[w] < paletteSize { uses[colours[w]] += 1 }
                colours[v] = uses.indices.min { uses[$0] != uses[$1] ? uses[$0] < uses[$1] : $0 < $1 }!
            }
        } else if balanced, let spread = Colouring.greedy(adjacency, order: order, limit: paletteSize) {
            colours = spread
        }
        self.colours = colours
        var conflicts: [[Int]] = []
        for v in 0 ..< n { for w in adjacency[v] where v < w && colours[v] == colours[w] { conflicts.append([v, w]) } }
        self.conflicts = conflicts
    }

    /// Sequential greedy colouring in `order`. With `limit`, nodes take the least-used allowed colour below the
    /// limit (nil if some node has none); without, the smallest allowed colour.
    static func greedy(_ adj: [[Int]], order: [Int], limit: Int?) -> [Int]? {
        var colours = [Int](repeating: -1, count: adj.count)
        var uses = [Int](repeating: 0, count: limit ?? 0)
        for v in order {
            let taken = Set(adj[v].map { colours[$0] })
            if let limit {
                guard let c = (0 ..< limit).filter({ !taken.contains($0) })
                    .min(by: { uses[$0] != uses[$1] ? uses[$0] < uses[$1] : $0 < $1 }) else { return nil }
                colours[v] = c
                uses[c] += 1
            } else {
                var c = 0
                while taken.contains(c) { c += 1 }
                colours[v] = c
            }
        }
        return colours
    }

    /// DSatur: repeatedly colour the node with the most distinct neighbour colours (then degree, then index).
    static func dsatur(_ adj: [[Int]]) -> [Int] {
        let n = adj.count
        var colours = [Int](repeating: -1, count: n)
        var seen = [Set<Int>](repeating: [], count: n)
        for _ in 0 ..< n {
            var best = -1
            for v in 0 ..< n where colours[v] < 0 {
                if best < 0 || seen[v].count > seen[best].count
                    || (seen[v].count == seen[best].count && adj[v].count > adj[best].count) { best = v }
            }
            var c = 0
            while seen[best].contains(c) { c += 1 }
            colours[best] = c
            for w in adj[best] { seen[w].insert(c) }
        }
        return colours
    }
}
