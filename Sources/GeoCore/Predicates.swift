// Exact geometric predicates on Double coordinates: the sign of an orientation determinant and of a ring's
// signed area, decided exactly whenever the inputs allow it.
//
// Each predicate first computes the plain floating-point value with a proven error bound (the filter: almost
// every call ends there); when the value is within that bound of zero, it evaluates the same sum of products
// exactly in expansion arithmetic (Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast Robust
// Geometric Predicates", 1997: TwoProduct with a fused multiply-add, Grow-Expansion with zero elimination).
// A sum of products of doubles is then computed without any rounding, so its sign is the true sign.
//
// The only inputs the exact stage cannot decide are products that overflow or that are so small that their
// rounding error would be subnormal (|x·y| < 2^-960): the predicates return nil there, and callers treat that as
// "cannot decide" (never as a guess).
//
// Hand-written because no Swift package offers robust predicates, and GEOS's C API does not export its
// orientation test; the arithmetic is a few dozen lines and tested against exact rational arithmetic.

/// Exact arithmetic on expansions: a value represented as an unevaluated sum of doubles, in increasing magnitude,
/// non-overlapping, without zeros.
package enum ExactSum {
    /// Smallest product magnitude whose rounding error is still exactly representable (no underflow).
    static let safeProductMinimum = 0x1p-960

    /// Adds the exact product a·b to `e`. False when the product overflows or may have lost bits to underflow.
    @inline(__always)
    static func addProduct(_ a: Double, _ b: Double, to e: inout [Double]) -> Bool {
        let p = a * b
        if p == 0 {
            return a == 0 || b == 0   // a product of non-zero numbers that underflowed to zero is not exact
        }
        guard p.isFinite, abs(p) >= safeProductMinimum else { return false }
        let err = (-p).addingProduct(a, b)   // a·b − p with one rounding: exact (TwoProduct)
        return grow(&e, err) && grow(&e, p)
    }

    /// Adds the exact value -a·b to `e`.
    @inline(__always)
    static func subtractProduct(_ a: Double, _ b: Double, to e: inout [Double]) -> Bool {
        addProduct(-a, b, to: &e)
    }

    /// Grow-Expansion with zero elimination: e ← e + b, exactly. False on overflow.
    @inline(__always)
    static func grow(_ e: inout [Double], _ b: Double) -> Bool {
        if b == 0 { return true }
        var q = b
        var k = 0
        for i in 0..<e.count {
            let a = e[i]
            let s = q + a
            // TwoSum: the exact error of s = q + a.
            let bv = s - q
            let av = s - bv
            let err = (q - av) + (a - bv)
            q = s
            if err != 0 { e[k] = err; k += 1 }
        }
        guard q.isFinite else { return false }
        e.removeSubrange(k...)
        if q != 0 { e.append(q) }
        return true
    }

    /// The sign of an expansion: that of its largest component.
    @inline(__always)
    static func sign(_ e: [Double]) -> Int {
        guard let last = e.last else { return 0 }
        return last > 0 ? 1 : -1
    }
}

/// The exact sign of the orientation determinant of (a, b, c): 1 when c lies left of the line a→b
/// (counter-clockwise), -1 right, 0 exactly collinear; nil when the coordinates are too large or too small for
/// the exact stage (see the top of the file).
public func exactOrientation(_ a: Position, _ b: Position, _ c: Position) -> Int? {
    let dax = a.x - c.x, dby = b.y - c.y, day = a.y - c.y, dbx = b.x - c.x
    let detLeft = dax * dby
    let detRight = day * dbx
    let det = detLeft - detRight
    // Shewchuk's first error bound for orient2d ((3 + 16ε)ε).
    let bound = 3.3306690738754716e-16 * (abs(detLeft) + abs(detRight))
    if det > bound && bound.isFinite { return 1 }
    if -det > bound && bound.isFinite { return -1 }
    // A difference of finite doubles is zero only when they are equal, so these products are exactly zero.
    if dax.isFinite && dby.isFinite && day.isFinite && dbx.isFinite && (dax == 0 || dby == 0) && (day == 0 || dbx == 0) { return 0 }
    // det = ax·by − ax·cy − cx·by − ay·bx + ay·cx + bx·cy, each product exact.
    var e: [Double] = []
    e.reserveCapacity(16)
    guard ExactSum.addProduct(a.x, b.y, to: &e), ExactSum.subtractProduct(a.x, c.y, to: &e),
          ExactSum.subtractProduct(c.x, b.y, to: &e), ExactSum.subtractProduct(a.y, b.x, to: &e),
          ExactSum.addProduct(a.y, c.x, to: &e), ExactSum.addProduct(b.x, c.y, to: &e)
    else { return nil }
    return ExactSum.sign(e)
}

/// The exact sign of a closed ring's signed area (shoelace): 1 counter-clockwise, -1 clockwise, 0 exactly zero
/// area; nil when the coordinates are out of the exact stage's range (or not finite).
public func exactAreaSign<C: BidirectionalCollection>(_ ring: C) -> Int? where C.Element == Position {
    guard ring.count >= 3 else { return 0 }
    let last = ring[ring.index(before: ring.endIndex)]
    // Filter: the floating-point shoelace sum with a bound on its rounding error. Each term x_i·y_j − x_j·y_i is
    // computed with relative error ≤ 2u of |x_i·y_j| + |x_j·y_i| and the recursive sum of m terms adds at most
    // (m−1)u of the sum of their magnitudes; (m + 4)·u' with u' slightly above u covers both.
    var s = 0.0, magnitude = 0.0
    var prev = last
    for p in ring {
        let l = prev.x * p.y, r = p.x * prev.y
        s += l - r
        magnitude += abs(l) + abs(r)
        prev = p
    }
    let bound = Double(ring.count + 4) * 1.1102230246251568e-16 * 1.01 * magnitude
    if s.isFinite && bound.isFinite {
        if s > bound { return 1 }
        if -s > bound { return -1 }
    }
    // Exact stage: the products of the raw coordinates, each exact, summed exactly (translating to a local origin
    // would round the differences).
    var e: [Double] = []
    e.reserveCapacity(32)
    prev = last
    for p in ring {
        guard ExactSum.addProduct(prev.x, p.y, to: &e), ExactSum.subtractProduct(p.x, prev.y, to: &e) else { return nil }
        prev = p
    }
    return ExactSum.sign(e)
}

/// Whether a ring runs counter-clockwise, by the exact sign of its area (the floating-point sign where the
/// coordinates are out of the exact range; a ring of zero area counts as clockwise).
public func isCounterClockwise(_ ring: [Position]) -> Bool {
    if let s = exactAreaSign(ring) { return s > 0 }
    return signedArea(ring) > 0
}
