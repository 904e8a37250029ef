import Foundation
import GeoCore
import GeoJSON

// Map styles are data: `GeoData/styles/*.json` decode into `MapStyle`. Styles name their parts by role
// ("rzz", "elz", "referentieregio", "title", …) so a new map kind adds roles to the file, not fields to the code.
//
// Roles the maps use (phase 2):
// - areas: `referentieregio` (palette fill), `noRegion` (blocks outside every RR: Brussels), `zone` (neutral
//   zone fill), `ruleFail`, `rulePass`, `networkArea` (palette fill), `outside` (optional frame around the map)
// - lines: `block`, `elz`, `rzz`, `outline`, `networkArea`, `scaleBar`, `legendFrame`
// - texts: `title`, `subtitle`, `source`, `legendTitle`, `legend`, `elzLabel`, `rzzLabel`, `scaleBar`
// - markers: `campus` (palette fill per network)
// - palettes: `referentieregio`, `networks`

/// A CSS colour: `#rgb`, `#rrggbb`, `#rrggbbaa`, `none`, or a lower-case CSS colour name.
public struct Colour: Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let css: String

    public init?(css: String) {
        guard Colour.isValid(css) else { return nil }
        self.css = css
    }

    public init(stringLiteral value: String) {
        precondition(Colour.isValid(value), "not a CSS colour: \(value)")
        css = value
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard Colour.isValid(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a colour: \"\(s)\" (use #rrggbb or none)")
        }
        css = s
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(css)
    }

    public var description: String { css }
    public static let none: Colour = "none"

    static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        if u.first == UInt8(ascii: "#") {
            return [4, 7, 9].contains(u.count) && u.dropFirst().allSatisfy {
                (0x30 ... 0x39).contains($0) || (0x61 ... 0x66).contains($0) || (0x41 ... 0x46).contains($0)
            }
        }
        return !u.isEmpty && u.count <= 24 && u.allSatisfy { (0x61 ... 0x7A).contains($0) }
    }
}

/// A stroke. Widths and dashes in pixels.
public struct LineStyle: Hashable, Sendable, Codable {
    public var colour: Colour
    public var width: Double
    public var dash: [Double]?
    public var opacity: Double?
    /// `round` (default), `miter` or `bevel`.
    public var join: String?
    /// `round` (default), `butt` or `square`.
    public var cap: String?

    public init(colour: Colour, width: Double, dash: [Double]? = nil, opacity: Double? = nil,
                join: String? = nil, cap: String? = nil) {
        self.colour = colour; self.width = width; self.dash = dash; self.opacity = opacity
        self.join = join; self.cap = cap
    }

    /// Presentation attributes of an unfilled line.
    public var attributes: SVGAttributes {
        var a: SVGAttributes = ["fill": "none", "stroke": colour.css, "stroke-width": svgNumber(width),
                                "stroke-linejoin": join ?? "round", "stroke-linecap": cap ?? "round"]
        if let dash, !dash.isEmpty { a["stroke-dasharray"] = dash.map { svgNumber($0) }.joined(separator: " ") }
        if let opacity, opacity < 1 { a["stroke-opacity"] = svgNumber(opacity) }
        return a
    }
}

/// An area fill: one colour, or colours from a named palette (chosen by map colouring), and an optional stroke.
public struct AreaStyle: Hashable, Sendable, Codable {
    public var fill: Colour?
    public var palette: String?
    public var opacity: Double?
    public var stroke: LineStyle?

    public init(fill: Colour? = nil, palette: String? = nil, opacity: Double? = nil, stroke: LineStyle? = nil) {
        self.fill = fill; self.palette = palette; self.opacity = opacity; self.stroke = stroke
    }

    /// Presentation attributes with the given fill (from `fill`, or a palette colour).
    public func attributes(fill override: Colour? = nil) -> SVGAttributes {
        var a: SVGAttributes = ["fill": (override ?? fill ?? .none).css]
        if let opacity, opacity < 1 { a["fill-opacity"] = svgNumber(opacity) }
        if let stroke {
            for item in stroke.attributes.items where item.name != "fill" { a[item.name] = item.value }
        } else {
            a["stroke"] = "none"
        }
        return a
    }
}

/// Text: font, size bounds for fitted labels, colour and halo.
public struct TextStyle: Hashable, Sendable, Codable {
    public var size: Double
    /// For labels fitted to their polygon: the smallest and largest sizes.
    public var minSize: Double?
    public var maxSize: Double?
    public var colour: Colour
    public var weight: String?
    public var italic: Bool?
    public var family: String?
    public var halo: HaloStyle?
    /// Letter spacing in pixels.
    public var spacing: Double?

    public struct HaloStyle: Hashable, Sendable, Codable {
        public var colour: Colour
        public var width: Double
    }

    public init(size: Double, colour: Colour, minSize: Double? = nil, maxSize: Double? = nil, weight: String? = nil,
                italic: Bool? = nil, family: String? = nil, halo: HaloStyle? = nil, spacing: Double? = nil) {
        self.size = size; self.colour = colour; self.minSize = minSize; self.maxSize = maxSize
        self.weight = weight; self.italic = italic; self.family = family; self.halo = halo; self.spacing = spacing
    }

    /// Presentation attributes (without the size, which labels set one by one).
    public var attributes: SVGAttributes {
        var a: SVGAttributes = ["fill": colour.css]
        if let family { a["font-family"] = family }
        if let weight { a["font-weight"] = weight }
        if italic == true { a["font-style"] = "italic" }
        if let spacing { a["letter-spacing"] = svgNumber(spacing) }
        return a
    }

    /// The halo for `SVGDocument.text`.
    public var svgHalo: Halo? { halo.map { Halo(colour: $0.colour.css, width: $0.width) } }

    /// Label options with this style's size bounds.
    public func labelOptions(_ base: LabelOptions = LabelOptions()) -> LabelOptions {
        var o = base
        o.minFontSize = minSize ?? size
        o.maxFontSize = maxSize ?? size
        if weight == "bold" || weight == "700" { o.charWidth = max(o.charWidth, 0.62) }
        return o
    }
}

/// A point symbol.
public struct MarkerStyle: Hashable, Sendable, Codable {
    /// `circle` or `square`.
    public var shape: String
    /// Radius (half the side for squares), pixels.
    public var radius: Double
    public var fill: Colour?
    public var palette: String?
    public var stroke: LineStyle?
}

/// Simplification and precision of the drawing.
public struct DrawingStyle: Hashable, Sendable, Codable {
    /// Arc simplification tolerance in pixels (converted to metres with the map scale).
    public var tolerancePixels: Double
    public var method: SimplificationMethod
    /// Decimals of pixel coordinates in path data (0 or 1).
    public var decimals: Int
}

/// What went wrong with a style: a missing role or a bad reference.
public struct StyleError: Error, CustomStringConvertible, Sendable, Equatable {
    public var style: String
    public var message: String
    public var description: String { "style \(style): \(message)" }
    public init(style: String, message: String) { self.style = style; self.message = message }
}

/// A map style, decoded from `GeoData/styles/<name>.json`.
public struct MapStyle: Hashable, Sendable, Codable {
    public var name: String
    public var description: String?
    /// Default canvas width in pixels, and the margin around the map.
    public var width: Double
    public var margin: Double
    public var background: Colour
    /// Font family of all text unless a text style names another.
    public var fontFamily: String
    public var drawing: DrawingStyle
    public var palettes: [String: [Colour]]
    public var areas: [String: AreaStyle]
    public var lines: [String: LineStyle]
    public var texts: [String: TextStyle]
    public var markers: [String: MarkerStyle]?
    /// Texts the maps write (legend headings, footers), by key, overriding the built-in Dutch defaults
    /// (`MapText.defaults`); e.g. `"legend.rzz": "Regional care zone border"`.
    public var strings: [String: String]?

    public func area(_ role: String) throws -> AreaStyle { try find(areas[role], "area", role) }
    public func line(_ role: String) throws -> LineStyle { try find(lines[role], "line", role) }
    public func text(_ role: String) throws -> TextStyle { try find(texts[role], "text", role) }
    public func marker(_ role: String) throws -> MarkerStyle { try find(markers?[role], "marker", role) }
    public func palette(_ name: String) throws -> [Colour] { try find(palettes[name], "palette", name) }
    /// A map text by key: the style's `strings`, else the built-in default, else the key itself.
    public func string(_ key: String) -> String { strings?[key] ?? MapText.defaults[key] ?? key }

    /// Presentation attributes of a text role, with the style's font family unless the role names its own.
    public func textAttributes(_ role: String) throws -> SVGAttributes {
        var a = try text(role).attributes
        if a["font-family"] == nil { a["font-family"] = fontFamily }
        return a
    }

    private func find<T>(_ value: T?, _ kind: String, _ role: String) throws -> T {
        guard let value else { throw StyleError(style: name, message: "no \(kind) style \"\(role)\"") }
        return value
    }

    /// Checks references and ranges: palettes exist and are not empty, sizes and widths are sensible.
    public func validate() throws {
        func fail(_ m: String) -> StyleError { StyleError(style: name, message: m) }
        for (k, p) in palettes where p.isEmpty { throw fail("palette \"\(k)\" is empty") }
        let paletteRefs = areas.map { ($0.key, $0.value.palette) } + (markers ?? [:]).map { ($0.key, $0.value.palette) }
        for case let (role, name?) in paletteRefs where palettes[name] == nil {
            throw fail("\"\(role)\" uses palette \"\(name)\", which is not defined")
        }
        for (k, a) in areas where a.fill == nil && a.palette == nil { throw fail("area \"\(k)\" has neither fill nor palette") }
        for (k, l) in lines where !(l.width >= 0) { throw fail("line \"\(k)\" has a negative width") }
        for (k, t) in texts where !(t.size > 0) || (t.minSize ?? 1) <= 0 || (t.minSize ?? 0) > (t.maxSize ?? .infinity) {
            throw fail("text \"\(k)\" has bad sizes")
        }
        if !(width > 0) || margin < 0 { throw fail("bad width or margin") }
        if !(drawing.tolerancePixels >= 0) || !(0 ... 2).contains(drawing.decimals) { throw fail("bad drawing settings") }
    }

    /// Decodes and validates a style from JSON.
    public static func decode(_ data: Data) throws -> MapStyle {
        // A member written twice is refused (the decoder would keep one silently).
        do { _ = try JSONParser().parse(data) } catch {
            throw StyleError(style: "style", message: "not usable JSON at line \(error.line), column \(error.column)\(error.path.isEmpty ? "" : " (\(error.path))"): \(error.message)")
        }
        let style = try JSONDecoder().decode(MapStyle.self, from: data)
        try style.validate()
        return style
    }
}

extension MapStyle {
    /// The official style, `GeoData/styles/official.json`, built into the binary by SwiftPM (`embedInCode`), so a
    /// binary away from the repository draws the same maps. `DataPackage`'s `MapStyle.default()` prefers a file.
    public static var builtIn: MapStyle { try! decode(Data(PackageResources.official_json)) }
}

extension MapStyle {
    /// The style for a sheet drawn at one pixel a point: every text `textScale` times its screen size but never
    /// under `minimum` points (sizes, fitted ranges, halos and letter spacing alike), and `margin` points of page
    /// margin inside the sheet's own. Lines keep their widths (in points on paper).
    public func forPaper(textScale: Double, minimum: Double, margin: Double) -> MapStyle {
        var s = self
        for (k, t) in texts {
            var t = t
            t.size = max(t.size * textScale, minimum)
            t.minSize = t.minSize.map { max($0 * textScale, minimum) }
            t.maxSize = t.maxSize.map { max($0 * textScale, t.size) }
            t.spacing = t.spacing.map { $0 * textScale }
            if var halo = t.halo { halo.width *= textScale; t.halo = halo }
            s.texts[k] = t
        }
        s.margin = margin
        return s
    }
}
