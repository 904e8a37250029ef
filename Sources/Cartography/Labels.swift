import Foundation
import GeoCore
import GEOS

// Label placement: anchor at the centre of the maximum inscribed circle (pole of inaccessibility, via GEOS) of the
// largest part, font size fitted to that circle, then greedy collision avoidance in priority order.

/// A label to place: text for a polygonal shape in map metres.
public struct LabelRequest: Hashable, Sendable {
    public var id: String
    public var text: String
    public var shape: Shape
    /// Higher is placed first; by default the shape's area.
    public var priority: Double

    public init(id: String, text: String, shape: Shape, priority: Double? = nil) {
        self.id = id
        self.text = text
        self.shape = shape
        self.priority = priority ?? shape.area
    }
}

/// How labels are sized and placed. Sizes in pixels.
public struct LabelOptions: Hashable, Sendable, Codable {
    public var minFontSize: Double = 7
    public var maxFontSize: Double = 13
    /// Average glyph advance as a fraction of the font size (about 0.55 for sans-serif, more for bold).
    public var charWidth: Double = 0.56
    public var lineHeight: Double = 1.15
    /// How far a label's box may reach beyond the inscribed circle: 1 keeps the box inside the circle.
    public var fit: Double = 1.25
    /// Free space kept around each label box, against other labels.
    public var padding: Double = 1.5
    /// Names with spaces may be split over this many lines (1 or 2) when that gives a larger size.
    public var maxLines: Int = 2
    /// Drop a label that collides everywhere (true), or place it at its anchor anyway (false).
    public var dropWhenColliding: Bool = true
    /// Before dropping a label, try it at the minimum size beside its shape, with a leader line to its anchor.
    public var callouts: Bool = true
    public init() {}
}

/// A placed label, in pixels.
public struct PlacedLabel: Hashable, Sendable {
    public enum Placement: String, Hashable, Sendable, Codable {
        /// At the inscribed circle's centre.
        case anchor
        /// Moved off the anchor (still inside the shape) to avoid a collision.
        case offset
        /// Placed at the minimum size to avoid a collision.
        case shrunk
        /// Collides, placed anyway (`dropWhenColliding == false`).
        case overlapping
        /// Beside its shape at the minimum size, with a leader line to the anchor (`callouts`).
        case callout
    }
    public var id: String
    public var lines: [String]
    /// Centre of the text, in pixels.
    public var x: Double, y: Double
    public var fontSize: Double
    /// The estimated text box, in pixels.
    public var box: PixelRect
    /// Centre and radius (metres) of the maximum inscribed circle of the largest part.
    public var anchor: Position
    public var radius: Double
    public var placement: Placement
}

/// A label that could not be placed, and why.
public struct DroppedLabel: Hashable, Sendable {
    public var id: String
    public var text: String
    public var reason: String
}

/// The outcome of a layout: what was placed, what was dropped.
public struct LabelLayout: Hashable, Sendable {
    public var placed: [PlacedLabel]
    public var dropped: [DroppedLabel]
}

public enum Labels {
    /// The centre and radius (metres) of the maximum inscribed circle of the shape's largest polygon, to
    /// `tolerance` metres. The centre always lies inside that polygon, unlike a centroid.
    public static func anchor(of shape: Shape, tolerance: Double) throws -> (center: Position, radius: Double) {
        guard let part = largestPart(shape) else {
            throw GeometryError(operation: "label anchor", message: "the shape has no polygon")
        }
        return try Geometry(.polygon(part)).maximumInscribedCircle(tolerance: tolerance)
    }

    /// The text split into lines and the font size that fits a circle of `radius` pixels, within the bounds.
    public static func fit(_ text: String, radius: Double, options: LabelOptions) -> (lines: [String], fontSize: Double) {
        var best = (lines: [text], size: fittedSize([text], radius, options))
        if options.maxLines >= 2, let split = splitInTwo(text) {
            let s = fittedSize(split, radius, options)
            if s > best.size * 1.1 { best = (split, s) }  // only when clearly better: one line reads easier
        }
        return (best.lines, min(max(best.size, options.minFontSize), options.maxFontSize))
    }

    /// The estimated box of lines at a font size, centred on (x, y).
    public static func box(_ lines: [String], fontSize: Double, x: Double, y: Double, options: LabelOptions) -> PixelRect {
        let chars = Double(lines.map(\.count).max() ?? 0)
        return PixelRect(centerX: x, centerY: y, width: chars * options.charWidth * fontSize,
                         height: Double(lines.count) * options.lineHeight * fontSize)
    }

    /// Places labels greedily by priority (then id): each at its anchor, else at a few offsets that stay inside
    /// its shape, else at the minimum size, else dropped (reported). `obstacles` (legend, title) are kept free.
    public static func layout(_ requests: [LabelRequest], frame: MapFrame, options: LabelOptions = LabelOptions(),
                              obstacles: [PixelRect] = []) throws -> LabelLayout {
        let order = requests.indices.sorted {
            let a = requests[$0], b = requests[$1]
            return a.priority != b.priority ? a.priority > b.priority : a.id < b.id
        }
        var taken = obstacles
        var placed: [PlacedLabel] = []
        var dropped: [DroppedLabel] = []
        let tolerance = frame.metresPerPixel

        for i in order {
            let r = requests[i]
            guard let part = largestPart(r.shape) else {
                dropped.append(DroppedLabel(id: r.id, text: r.text, reason: "no polygon")); continue
            }
            let (center, radius) = try Geometry(.polygon(part)).maximumInscribedCircle(tolerance: tolerance)
            let (lines, size) = fit(r.text, radius: radius * frame.scale, options: options)
            let a = frame.pixel(center)
            let canvas = PixelRect(x: 0, y: 0, width: frame.width, height: frame.height)

            func free(_ b: PixelRect) -> Bool {
                let padded = PixelRect(x: b.x - options.padding, y: b.y - options.padding,
                                       width: b.width + 2 * options.padding, height: b.height + 2 * options.padding)
                return canvas.contains(b) && !taken.contains { $0.intersects(padded) }
            }
            struct Spot { var x: Double, y: Double, box: PixelRect, moved: Bool }
            func attempt(_ size: Double) -> Spot? {
                let b0 = box(lines, fontSize: size, x: a.x, y: a.y, options: options)
                if free(b0) { return Spot(x: a.x, y: a.y, box: b0, moved: false) }
                let dx = b0.width / 2, dy = b0.height
                let near = [(0, -dy), (0, dy), (-dx, 0), (dx, 0), (-dx, -dy), (dx, -dy), (-dx, dy), (dx, dy)]
                for (ox, oy) in near + near.map({ ($0.0 * 2, $0.1 * 2) }) {
                    let (x, y) = (a.x + ox, a.y + oy)
                    guard inside(part, frame.position(Position(x, y))) else { continue }
                    let b = box(lines, fontSize: size, x: x, y: y, options: options)
                    if free(b) { return Spot(x: x, y: y, box: b, moved: true) }
                }
                return nil
            }

            var fontSize = size
            var placement = PlacedLabel.Placement.anchor
            var spot = attempt(size)
            if spot?.moved == true { placement = .offset }
            if spot == nil, size > options.minFontSize, let s = attempt(options.minFontSize) {
                spot = s; fontSize = options.minFontSize; placement = .shrunk
            }
            if spot == nil, options.callouts,
               let c = callout(lines, at: a, fontSize: options.minFontSize, options: options, free: free) {
                spot = Spot(x: c.x, y: c.y, box: c.box, moved: true); fontSize = options.minFontSize; placement = .callout
            }
            if spot == nil {
                if options.dropWhenColliding {
                    dropped.append(DroppedLabel(id: r.id, text: r.text,
                                                reason: "collides with other labels at every position tried"))
                    continue
                }
                spot = Spot(x: a.x, y: a.y, box: box(lines, fontSize: size, x: a.x, y: a.y, options: options), moved: false)
                placement = .overlapping
            }
            let s = spot!
            taken.append(s.box)
            placed.append(PlacedLabel(id: r.id, lines: lines, x: s.x, y: s.y, fontSize: fontSize, box: s.box,
                                      anchor: center, radius: radius, placement: placement))
        }
        return LabelLayout(placed: placed, dropped: dropped)
    }

    // MARK: - Helpers

    /// The nearest free box around `a` in sixteen directions at growing distances (up to about six label heights
    /// beyond the first ring): where a callout's text goes.
    private static func callout(_ lines: [String], at a: Position, fontSize: Double, options: LabelOptions,
                                free: (PixelRect) -> Bool) -> (x: Double, y: Double, box: PixelRect)? {
        let b0 = box(lines, fontSize: fontSize, x: a.x, y: a.y, options: options)
        let reach = (b0.width * b0.width + b0.height * b0.height).squareRoot() / 2
        for step in 1 ... 8 {
            let d = reach + Double(step) * b0.height * 0.9
            for k in 0 ..< 16 {
                let t = Double(k) * .pi / 8
                let (x, y) = (a.x + d * cos(t), a.y - d * sin(t))
                let b = box(lines, fontSize: fontSize, x: x, y: y, options: options)
                if free(b) { return (x, y, b) }
            }
        }
        return nil
    }

    static func fittedSize(_ lines: [String], _ radius: Double, _ o: LabelOptions) -> Double {
        let chars = Double(lines.map(\.count).max() ?? 1)
        let halfW = chars * o.charWidth / 2, halfH = Double(lines.count) * o.lineHeight / 2
        return o.fit * radius / (halfW * halfW + halfH * halfH).squareRoot()
    }

    /// The text split at the space (or hyphen) nearest its middle.
    static func splitInTwo(_ text: String) -> [String]? {
        let chars = Array(text)
        let mid = Double(chars.count) / 2
        var best: Int?
        for (i, c) in chars.enumerated() where c == " " || c == "-" {
            if best == nil || abs(Double(i) - mid) < abs(Double(best!) - mid) { best = i }
        }
        guard let k = best, k > 0, k < chars.count - 1 else { return nil }
        let keepHyphen = chars[k] == "-"
        let first = String(chars[..<(keepHyphen ? k + 1 : k)]), second = String(chars[(k + 1)...])
        return [first, second]
    }
}

/// The polygon with the largest area (exterior minus holes).
func largestPart(_ shape: Shape) -> Polygon? {
    shape.polygons.max { $0.area < $1.area }
}


/// Whether a position lies inside a polygon (in the exterior, outside every hole).
func inside(_ p: Polygon, _ q: Position) -> Bool {
    contains(p.exterior, q) && !p.holes.contains { contains($0, q) }
}
