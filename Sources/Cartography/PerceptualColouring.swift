// Neighbour-distinct colours that also look distinct: after the graph colouring, a local search moves groups to
// other palette colours (free ones, or by swapping two groups) while that raises the smallest colour difference
// between neighbours, then their sum. Deterministic.

extension Colouring {
    /// A colouring of `adjacency` from `palette` (CSS `#rrggbb` colours) in which neighbours differ and, as far
    /// as a local search finds, neighbours' colours are far apart (red-mean RGB distance). When the palette has a
    /// colour for every group, every group keeps a colour of its own.
    public static func perceptual(adjacency: [[Int]], palette: [Colour], rounds: Int = 40) -> Colouring {
        var c = Colouring(adjacency: adjacency, paletteSize: palette.count)
        guard c.conflicts.isEmpty, palette.count > 1, !adjacency.isEmpty else { return c }
        let rgb = palette.map { rgbComponents($0.css) }
        var distance = [[Double]](repeating: [Double](repeating: 0, count: palette.count), count: palette.count)
        for i in palette.indices {
            for j in palette.indices {
                guard let a = rgb[i], let b = rgb[j] else { distance[i][j] = i == j ? 0 : 1; continue }
                distance[i][j] = redMean(a, b)
            }
        }
        func score(_ colours: [Int]) -> (Double, Double) {
            var minimum = Double.infinity, sum = 0.0
            for (v, ns) in adjacency.enumerated() {
                for w in ns where v < w {
                    let d = colours[v] == colours[w] ? -1 : distance[colours[v]][colours[w]]
                    minimum = min(minimum, d)
                    sum += min(d, 250)
                }
            }
            return (minimum.isFinite ? minimum : 0, sum)
        }
        func better(_ a: (Double, Double), _ b: (Double, Double)) -> Bool {
            a.0 > b.0 + 1e-9 || (abs(a.0 - b.0) <= 1e-9 && a.1 > b.1 + 1e-9)
        }
        var colours = c.colours
        var best = score(colours)
        let n = colours.count
        // When every group has its own colour (the palette is large enough), keep it so: a legend can then name
        // every colour. Groups only move to unused colours or swap.
        let keepDistinct = Set(colours).count == n
        for _ in 0 ..< rounds {
            var improved = false
            for v in 0 ..< n {
                // Move v to another colour no neighbour has.
                for k in palette.indices where k != colours[v] && !adjacency[v].contains(where: { colours[$0] == k })
                    && (!keepDistinct || !colours.contains(k)) {
                    let old = colours[v]
                    colours[v] = k
                    let s = score(colours)
                    if better(s, best) { best = s; improved = true } else { colours[v] = old }
                }
                // Swap colours with another group when both stay neighbour-distinct.
                for w in 0 ..< n where w != v && colours[w] != colours[v] {
                    let (a, b) = (colours[v], colours[w])
                    colours[v] = b; colours[w] = a
                    let valid = !adjacency[v].contains { colours[$0] == b } && !adjacency[w].contains { colours[$0] == a }
                    let s = score(colours)
                    if valid && better(s, best) { best = s; improved = true } else { colours[v] = a; colours[w] = b }
                }
            }
            if !improved { break }
        }
        c.colours = colours
        return c
    }
}

/// (r, g, b) of `#rgb` or `#rrggbb`, nil for other colours.
func rgbComponents(_ css: String) -> (Double, Double, Double)? {
    var hex = String(css.dropFirst())
    guard css.hasPrefix("#") else { return nil }
    if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
    guard hex.count >= 6, let v = Int(hex.prefix(6), radix: 16) else { return nil }
    return (Double(v >> 16 & 0xff), Double(v >> 8 & 0xff), Double(v & 0xff))
}

/// The "red-mean" approximation of perceived RGB distance.
func redMean(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
    let r = (a.0 + b.0) / 2
    let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
    return ((2 + r / 256) * dr * dr + 4 * dg * dg + (2 + (255 - r) / 256) * db * db).squareRoot()
}
