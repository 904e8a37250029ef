import GeoCore
import GEOS

// A small SVG builder without dependencies: the document is written to a byte buffer as it is built, all text and
// attribute values are XML-escaped, and path data uses rounded pixel coordinates and relative commands.

/// Margins around the map area, in pixels.
public struct Insets: Hashable, Sendable, Codable {
    public var top: Double, left: Double, bottom: Double, right: Double
    public init(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) {
        self.top = top; self.left = left; self.bottom = bottom; self.right = right
    }
    public init(all v: Double) { self.init(top: v, left: v, bottom: v, right: v) }
    public static let zero = Insets()
}

/// A rectangle in pixels (y down).
public struct PixelRect: Hashable, Sendable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    /// The rectangle of the given size centred on (cx, cy).
    public init(centerX cx: Double, centerY cy: Double, width: Double, height: Double) {
        self.init(x: cx - width / 2, y: cy - height / 2, width: width, height: height)
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public func intersects(_ o: PixelRect) -> Bool {
        x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY
    }
    public func contains(_ o: PixelRect) -> Bool {
        o.x >= x && o.y >= y && o.maxX <= maxX && o.maxY <= maxY
    }
}

/// The projection from map metres (x east, y north) to SVG pixels (x right, y down): a uniform scale, a y flip
/// and an offset.
public struct MapFrame: Hashable, Sendable {
    /// The area shown, in metres.
    public var bounds: BoundingBox
    /// Pixels per metre.
    public var scale: Double
    /// Pixel position of the bounds' top-left corner (minX, maxY).
    public var originX: Double, originY: Double
    /// Canvas size in pixels.
    public var width: Double, height: Double

    /// A canvas `width` pixels wide whose height follows the bounds' aspect ratio, with the map inside `insets`.
    public init(fitting bounds: BoundingBox, width: Double, insets: Insets = .zero) {
        let inner = max(width - insets.left - insets.right, 1)
        scale = inner / max(bounds.width, .leastNonzeroMagnitude)
        self.bounds = bounds
        self.width = width
        height = (bounds.height * scale + insets.top + insets.bottom).rounded(.up)
        originX = insets.left
        originY = insets.top
    }

    /// A canvas of the given size with the bounds fitted and centred inside `insets`.
    public init(fitting bounds: BoundingBox, width: Double, height: Double, insets: Insets = .zero) {
        let iw = max(width - insets.left - insets.right, 1), ih = max(height - insets.top - insets.bottom, 1)
        scale = min(iw / max(bounds.width, .leastNonzeroMagnitude), ih / max(bounds.height, .leastNonzeroMagnitude))
        self.bounds = bounds
        self.width = width
        self.height = height
        originX = insets.left + (iw - bounds.width * scale) / 2
        originY = insets.top + (ih - bounds.height * scale) / 2
    }

    public var metresPerPixel: Double { 1 / scale }

    /// Map position (metres) → pixel position.
    @inlinable public func pixel(_ p: Position) -> Position {
        Position(originX + (p.x - bounds.minX) * scale, originY + (bounds.maxY - p.y) * scale)
    }

    /// Pixel position → map position (metres).
    @inlinable public func position(_ px: Position) -> Position {
        Position(bounds.minX + (px.x - originX) / scale, bounds.maxY - (px.y - originY) / scale)
    }
}

/// Ordered attributes of an element. Write `["class": "elz", "id": "elz1"]`; values are escaped on output.
public struct SVGAttributes: ExpressibleByDictionaryLiteral, Sendable, Hashable {
    public var items: [Item]
    public struct Item: Hashable, Sendable { public var name: String; public var value: String }
    public init(dictionaryLiteral elements: (String, String)...) {
        items = elements.map { Item(name: $0.0, value: $0.1) }
    }
    /// These attributes with `other`'s added (replacing those of the same name).
    public func merging(_ other: SVGAttributes) -> SVGAttributes {
        var a = self
        for item in other.items { a[item.name] = item.value }
        return a
    }

    /// Sets (or replaces) an attribute; `nil` removes it.
    public subscript(name: String) -> String? {
        get { items.first { $0.name == name }?.value }
        set {
            if let i = items.firstIndex(where: { $0.name == name }) {
                if let newValue { items[i].value = newValue } else { items.remove(at: i) }
            } else if let newValue {
                items.append(Item(name: name, value: newValue))
            }
        }
    }
}

/// A text halo: a stroke painted under the fill (`paint-order="stroke"`), so labels stay readable on any
/// background.
public struct Halo: Hashable, Sendable {
    public var colour: String
    public var width: Double
    public init(colour: String = "#ffffff", width: Double = 3) { self.colour = colour; self.width = width }
}

/// An SVG document being written. Open elements are closed by `rendered()`.
public struct SVGDocument: Sendable {
    private var out: [UInt8] = []
    private var open: [String] = []
    public let width: Double
    public let height: Double

    /// Starts `<svg>` with `width`, `height` and a `viewBox` (by default `0 0 width height`).
    public init(width: Double, height: Double, viewBox: PixelRect? = nil, attributes: SVGAttributes = [:]) {
        self.width = width
        self.height = height
        out.reserveCapacity(1 << 16)
        let vb = viewBox ?? PixelRect(x: 0, y: 0, width: width, height: height)
        out.append(contentsOf: #"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
        out.append(0x0A)
        var a: SVGAttributes = ["xmlns": "http://www.w3.org/2000/svg", "version": "1.1",
                                "width": svgNumber(width), "height": svgNumber(height),
                                "viewBox": "\(svgNumber(vb.x)) \(svgNumber(vb.y)) \(svgNumber(vb.width)) \(svgNumber(vb.height))"]
        for item in attributes.items { a[item.name] = item.value }
        openElement("svg", a)
    }

    /// Bytes written so far (for size budgets).
    public var byteCount: Int { out.count }

    private mutating func startTag(_ name: String, _ attributes: SVGAttributes) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for item in attributes.items {
            out.append(0x20)
            out.append(contentsOf: item.name.utf8)
            out.append(contentsOf: "=\"".utf8)
            appendEscaped(item.value)
            out.append(UInt8(ascii: "\""))
        }
    }

    private mutating func appendEscaped(_ s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&apos;".utf8)
            case 0x09, 0x0A, 0x0D: out.append(b)
            case 0 ..< 0x20: out.append(0x20)  // control characters are not allowed in XML 1.0
            default: out.append(b)
            }
        }
    }

    /// Opens an element (closed by `close()`).
    public mutating func openElement(_ name: String, _ attributes: SVGAttributes = [:]) {
        startTag(name, attributes)
        out.append(contentsOf: ">\n".utf8)
        open.append(name)
    }

    /// Closes the innermost open element.
    public mutating func close() {
        guard let name = open.popLast() else { return }
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ">\n".utf8)
    }

    /// A complete element, empty or with escaped text content.
    public mutating func element(_ name: String, _ attributes: SVGAttributes = [:], text: String? = nil) {
        startTag(name, attributes)
        if let text {
            out.append(UInt8(ascii: ">"))
            appendEscaped(text)
            out.append(contentsOf: "</".utf8)
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ">\n".utf8)
        } else {
            out.append(contentsOf: "/>\n".utf8)
        }
    }

    /// A `<g>` around what `body` writes.
    public mutating func group(_ attributes: SVGAttributes = [:], _ body: (inout SVGDocument) throws -> Void) rethrows {
        openElement("g", attributes)
        try body(&self)
        close()
    }

    /// A `<title>` child (browsers show it on hover over the parent).
    public mutating func title(_ text: String) { element("title", text: text) }

    /// A `<desc>` child.
    public mutating func desc(_ text: String) { element("desc", text: text) }

    /// An XML comment (`--` is not allowed inside and is replaced).
    public mutating func comment(_ text: String) {
        out.append(contentsOf: "<!-- ".utf8)
        appendEscaped(text.replacing("--", with: "- -"))
        out.append(contentsOf: " -->\n".utf8)
    }

    /// A `<style>` element with CSS (escaped as text).
    public mutating func style(_ css: String) { element("style", ["type": "text/css"], text: css) }

    /// A `<path>`; with a title it gets a `<title>` child. Empty path data writes nothing.
    public mutating func path(_ d: PathData, _ attributes: SVGAttributes = [:], title: String? = nil) {
        guard !d.isEmpty else { return }
        startTag("path", attributes)
        out.append(contentsOf: " d=\"".utf8)
        out.append(contentsOf: d.bytes)  // only digits, signs, dots, spaces and command letters
        out.append(UInt8(ascii: "\""))
        if let title {
            out.append(contentsOf: "><title>".utf8)
            appendEscaped(title)
            out.append(contentsOf: "</title></path>\n".utf8)
        } else {
            out.append(contentsOf: "/>\n".utf8)
        }
    }

    /// A text of one or more lines centred on (x, y) (`text-anchor: middle`, lines stacked around y). With a
    /// halo, the text gets a stroke painted under its fill.
    public mutating func text(_ lines: [String], x: Double, y: Double, fontSize: Double, lineHeight: Double = 1.15,
                              attributes: SVGAttributes = [:], halo: Halo? = nil, title: String? = nil) {
        var a: SVGAttributes = ["x": svgNumber(x), "y": svgNumber(y), "font-size": svgNumber(fontSize),
                                "text-anchor": "middle"]
        if let halo {
            a["paint-order"] = "stroke"
            a["stroke"] = halo.colour
            a["stroke-width"] = svgNumber(halo.width)
            a["stroke-linejoin"] = "round"
        }
        for item in attributes.items { a[item.name] = item.value }
        if lines.count <= 1 && title == nil {
            // A single line: shift the baseline by about a third of the size to centre the glyphs on y.
            a["y"] = svgNumber(y + fontSize * 0.35)
            element("text", a, text: lines.first ?? "")
            return
        }
        openElement("text", a)
        if let title { self.title(title) }
        let step = fontSize * lineHeight
        let first = y - step * Double(lines.count - 1) / 2 + fontSize * 0.35
        for (i, line) in lines.enumerated() {
            element("tspan", ["x": svgNumber(x), "y": svgNumber(first + step * Double(i))], text: line)
        }
        close()
    }

    /// The finished document (every open element closed).
    public func rendered() -> String {
        var copy = self
        while !copy.open.isEmpty { copy.close() }
        return String(decoding: copy.out, as: UTF8.self)
    }
}

/// A number for an attribute: at most `decimals` decimals, trailing zeros trimmed ("12", "3.5", "-0.25").
public func svgNumber(_ v: Double, decimals: Int = 2) -> String {
    guard v.isFinite else { return "0" }
    var bytes: [UInt8] = []
    let factor = pow10(decimals)
    writeFixed(Int((v * factor).rounded()), decimals: decimals, to: &bytes, omitLeadingZero: false)
    return String(decoding: bytes, as: UTF8.self)
}

@inline(__always) func pow10(_ d: Int) -> Double {
    var f = 1.0
    for _ in 0 ..< d { f *= 10 }
    return f
}

/// Writes `value / 10^decimals` in fixed notation without trailing zeros.
func writeFixed(_ value: Int, decimals: Int, to out: inout [UInt8], omitLeadingZero: Bool) {
    var v = value
    if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
    var unit = 1
    for _ in 0 ..< decimals { unit *= 10 }
    let whole = v / unit
    var frac = v % unit
    if whole != 0 || !omitLeadingZero || frac == 0 { writeDigits(whole, &out) }
    guard frac != 0 else { return }
    var digits = decimals
    while frac % 10 == 0 { frac /= 10; digits -= 1 }
    out.append(UInt8(ascii: "."))
    var buf = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
    var i = digits - 1
    while frac > 0 { buf[i] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; i -= 1 }
    out.append(contentsOf: buf)
}

@inline(__always) private func writeDigits(_ v: Int, _ out: inout [UInt8]) {
    if v < 10 { out.append(UInt8(ascii: "0") + UInt8(v)); return }
    var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
              UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 0
    var x = v
    withUnsafeMutableBytes(of: &tmp) { b in
        while x > 0 { b[n] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10; n += 1 }
        for k in stride(from: n - 1, through: 0, by: -1) { out.append(b[k]) }
    }
}

/// SVG path data in rounded pixel coordinates: an absolute `M` to start, then relative commands (`m`, `l`, `h`,
/// `v`, `z`), with repeated commands and needless separators left out. Positions that round to the previous
/// one are skipped; subpaths that collapse below 2 (open) or 3 (closed) distinct positions are dropped.
public struct PathData: Sendable, Hashable {
    public private(set) var bytes: [UInt8] = []
    /// Decimals of the pixel coordinates (0: whole pixels, 1: tenths).
    public let decimals: Int
    private let factor: Double
    private var current: (x: Int, y: Int)? = nil
    private var lastCommand: UInt8 = 0
    private var scratch: [Int] = []

    public init(decimals: Int = 1) {
        precondition((0 ... 3).contains(decimals), "0 to 3 decimals")
        self.decimals = decimals
        factor = pow10(decimals)
    }

    public var isEmpty: Bool { bytes.isEmpty }
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public static func == (a: PathData, b: PathData) -> Bool { a.bytes == b.bytes && a.decimals == b.decimals }
    public func hash(into h: inout Hasher) { h.combine(bytes) }

    /// Adds a subpath through map positions. `closed` ends it with `z` (a repeated closing position is dropped).
    public mutating func add<S: Sequence>(_ positions: S, frame: MapFrame, closed: Bool) where S.Element == Position {
        add(pixels: positions.lazy.map { frame.pixel($0) }, closed: closed)
    }

    /// Adds a subpath through pixel positions.
    public mutating func add<S: Sequence>(pixels: S, closed: Bool) where S.Element == Position {
        scratch.removeAll(keepingCapacity: true)
        for p in pixels {
            let x = Int((p.x * factor).rounded()), y = Int((p.y * factor).rounded())
            let n = scratch.count
            if n >= 2 && scratch[n - 2] == x && scratch[n - 1] == y { continue }
            scratch.append(x); scratch.append(y)
        }
        var n = scratch.count / 2
        if closed && n >= 2 && scratch[0] == scratch[2 * n - 2] && scratch[1] == scratch[2 * n - 1] { n -= 1 }
        guard n >= (closed ? 3 : 2) else { return }
        // Move: absolute for the first subpath, relative after.
        let relative = current != nil
        if let c = current {
            command(UInt8(ascii: "m"))
            pair(scratch[0] - c.x, scratch[1] - c.y)
        } else {
            command(UInt8(ascii: "M"))
            pair(scratch[0], scratch[1])
        }
        // Pairs after a relative moveto are implicit relative linetos; after an absolute one they would be absolute.
        lastCommand = relative ? UInt8(ascii: "l") : UInt8(ascii: "M")
        var px = scratch[0], py = scratch[1]
        for k in 1 ..< n {
            let x = scratch[2 * k], y = scratch[2 * k + 1]
            let dx = x - px, dy = y - py
            if dy == 0 {
                command(UInt8(ascii: "h")); number(dx)
            } else if dx == 0 {
                command(UInt8(ascii: "v")); number(dy)
            } else {
                command(UInt8(ascii: "l")); pair(dx, dy)
            }
            px = x; py = y
        }
        if closed {
            bytes.append(UInt8(ascii: "z"))
            lastCommand = UInt8(ascii: "z")
            current = (scratch[0], scratch[1])
        } else {
            current = (px, py)
        }
    }

    /// Adds the arcs of a ring or line of a topology (closed for rings).
    public mutating func add(_ refs: [ArcRef], of topology: Topology, frame: MapFrame, closed: Bool) {
        add(topology.ring(refs), frame: frame, closed: closed)
    }

    private var needsSeparator = false

    private mutating func command(_ c: UInt8) {
        if c != lastCommand || c == UInt8(ascii: "m") || c == UInt8(ascii: "M") {
            bytes.append(c)
            lastCommand = c
            needsSeparator = false
        }
    }

    private mutating func number(_ v: Int) {
        if needsSeparator && v >= 0 { bytes.append(0x20) }
        writeFixed(v, decimals: decimals, to: &bytes, omitLeadingZero: true)
        needsSeparator = true
    }

    private mutating func pair(_ x: Int, _ y: Int) { number(x); number(y) }
}

extension Topology {
    /// Simplified for drawing in `frame`: the tolerance is `pixels` (e.g. a style's `tolerancePixels`) at the
    /// frame's scale.
    public func simplified(pixels: Double, in frame: MapFrame, method: SimplificationMethod = .visvalingam)
        -> (topology: Topology, report: SimplificationReport) {
        simplified(tolerance: pixels * frame.metresPerPixel, method: method)
    }
}
