import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import GEOS
import Testing
import TestSupport
import DataPackage
@testable import Cartography



@Suite struct SVGTests {
    @Test func documentIsValidXMLAndEscapesText() throws {
        var doc = SVGDocument(width: 300, height: 200)
        doc.style(".elz { fill: none; } a > b")
        doc.comment("made -- by tests")
        doc.group(["id": "zones", "class": "rr"]) { g in
            var d = PathData(decimals: 1)
            d.add(pixels: [Position(10, 10), Position(50, 10), Position(50, 60)], closed: true)
            g.path(d, ["class": "zone", "data-name": #"Kortrijk-"Kuurne" & <Harelbeke>"#], title: #"Westkust&Polder <"x"> 'y'"#)
        }
        doc.text(["Regio Brugge", "en Middenkust"], x: 100, y: 100, fontSize: 10, attributes: ["class": "label"],
                 halo: Halo(colour: "#fff", width: 2))
        doc.text(["A & B"], x: 10, y: 10, fontSize: 9)
        let svg = doc.rendered()
        #expect(svg.contains("Westkust&amp;Polder &lt;&quot;x&quot;&gt; &apos;y&apos;"))
        #expect(svg.contains(#"paint-order="stroke""#))
        let xml = try parseXML(svg)
        let root = try #require(xml.rootElement())
        #expect(root.name == "svg")
        #expect(attribute(root, "width") == "300")
        #expect(attribute(root, "viewBox") == "0 0 300 200")
        let titles = try xml.nodes(forXPath: "//*[local-name()='title']")
        #expect(titles.first?.stringValue == #"Westkust&Polder <"x"> 'y'"#)
        let paths = try xml.nodes(forXPath: "//*[local-name()='path']")
        #expect(attribute(paths.first, "data-name") == #"Kortrijk-"Kuurne" & <Harelbeke>"#)
        let tspans = try xml.nodes(forXPath: "//*[local-name()='tspan']")
        #expect(tspans.map { $0.stringValue ?? "" } == ["Regio Brugge", "en Middenkust"])
    }

    @Test func pathDataIsRelativeRoundedAndCompact() {
        var d = PathData(decimals: 0)
        d.add(pixels: [Position(10.2, 10.4), Position(20, 10), Position(20, 20), Position(10, 20), Position(10, 10)], closed: true)
        #expect(d.string == "M10 10h10v10h-10z")
        d.add(pixels: [Position(30, 30), Position(35, 25), Position(40, 30)], closed: false)
        // After a relative moveto, pairs are implicit relative linetos.
        #expect(d.string == "M10 10h10v10h-10zm20 20 5-5 5 5")
        var tenths = PathData(decimals: 1)
        tenths.add(pixels: [Position(0.04, 1.25), Position(0.5, 0.75), Position(-0.25, 3)], closed: false)
        #expect(tenths.string == "M0 1.3l.5-.5-.8 2.2")
    }

    @Test func subpixelRingsAreDropped() {
        var d = PathData(decimals: 0)
        d.add(pixels: [Position(1, 1), Position(1.2, 1.1), Position(1.1, 1.3), Position(1, 1)], closed: true)
        #expect(d.isEmpty)
    }

    @Test func frameFlipsYAndFitsTheBounds() {
        let f = MapFrame(fitting: BoundingBox(minX: 100, minY: 200, maxX: 300, maxY: 300), width: 220, insets: Insets(all: 10))
        #expect(f.scale == 1 && f.height == 120)
        #expect(f.pixel(Position(100, 300)) == Position(10, 10))
        #expect(f.pixel(Position(300, 200)) == Position(210, 110))
        #expect(f.position(Position(10, 10)) == Position(100, 300))
        #expect(svgNumber(3.14159) == "3.14" && svgNumber(-0.5) == "-0.5" && svgNumber(12) == "12" && svgNumber(-0.001) == "0")
    }

    @Test func topologyDrawsEachBorderOnce() throws {
        let t = Topology(shapes: grid)
        let frame = MapFrame(fitting: BoundingBox(minX: 0, minY: 0, maxX: 2, maxY: 2), width: 200)
        let b = t.boundaries(Grouping(["a", "a", "b", "b"]))
        var doc = SVGDocument(width: frame.width, height: frame.height)
        for (g, rings) in b.rings.enumerated() {
            var d = PathData(decimals: 1)
            for r in rings { d.add(r, of: t, frame: frame, closed: true) }
            doc.path(d, ["id": "g\(g)", "fill": "#ccc"], title: "group \(g)")
        }
        var borders = PathData(decimals: 1)
        for line in t.chainLines(b.inner) { borders.add(line, of: t, frame: frame, closed: false) }
        doc.path(borders, ["class": "border", "fill": "none", "stroke": "red"])
        let svg = doc.rendered()
        _ = try parseXML(svg)
        #expect(borders.string == "M0 100h100 100" || borders.string == "M200 100h-100-100")
    }
}

@Suite struct LabelTests {
    /// A U: 10×10 with a notch [3, 7] × [3, 10]; its centroid (5, 4.4) lies in the notch.
    let u = Shape.polygon(Polygon(exterior: [Position(0, 0), Position(10, 0), Position(10, 10), Position(7, 10), Position(7, 3),
                                             Position(3, 3), Position(3, 10), Position(0, 10), Position(0, 0)]))

    @Test func anchorLiesInsideAU() throws {
        let g = try Geometry(u)
        let centroid = try g.centroid()
        #expect(try !g.contains(centroid))
        let (c, r) = try Labels.anchor(of: u, tolerance: 0.01)
        #expect(try g.contains(Geometry(.point(c))))
        // The circle sits where the bottom bar meets an arm: r = 3√2 / (1 + √2) ≈ 1.757.
        #expect(abs(r - 3 * 2.0.squareRoot() / (1 + 2.0.squareRoot())) < 0.02)
    }

    @Test func anchorUsesTheLargestPart() throws {
        let shape = Shape.multiPolygon([square(100, 100, 1), square(0, 0, 10)])
        let (c, r) = try Labels.anchor(of: shape, tolerance: 0.01)
        #expect(c.x > 0 && c.x < 10 && c.y > 0 && c.y < 10 && abs(r - 5) < 0.02)
    }

    @Test func fontSizeFitsTheCircleWithinBounds() {
        var o = LabelOptions()
        o.minFontSize = 6; o.maxFontSize = 12; o.fit = 1
        #expect(Labels.fit("12", radius: 1000, options: o).fontSize == 12)
        #expect(Labels.fit("12", radius: 1, options: o).fontSize == 6)
        let long = Labels.fit("Regio Brugge en Middenkust", radius: 40, options: o)
        #expect(long.lines == ["Regio Brugge", "en Middenkust"])
        let box = Labels.box(long.lines, fontSize: long.fontSize, x: 0, y: 0, options: o)
        #expect((box.width * box.width + box.height * box.height).squareRoot() / 2 <= 40 + 1e-9 || long.fontSize == 6)
    }

    @Test func collidingLabelsMoveShrinkOrDropAndNeverOverlap() throws {
        // Five zones of a strip, labels that cannot all fit at full size.
        let shapes = (0 ..< 5).map { Shape.polygon(square(Double($0) * 10, 0, 10)) }
        let frame = MapFrame(fitting: BoundingBox(minX: 0, minY: 0, maxX: 50, maxY: 10), width: 100)
        var o = LabelOptions()
        o.minFontSize = 6; o.maxFontSize = 14
        let requests = shapes.enumerated().map { LabelRequest(id: "z\($0.offset)", text: "Zone number \($0.offset)", shape: $0.element) }
        let layout = try Labels.layout(requests, frame: frame, options: o)
        #expect(layout.placed.count + layout.dropped.count == 5)
        for (i, a) in layout.placed.enumerated() {
            for b in layout.placed[(i + 1)...] { #expect(!a.box.intersects(b.box)) }
        }
        #expect(!layout.dropped.isEmpty || layout.placed.contains { $0.placement != .anchor })
        // Kept off an obstacle covering the whole canvas: everything dropped, with a reason.
        let blocked = try Labels.layout(requests, frame: frame, options: o,
                                        obstacles: [PixelRect(x: 0, y: 0, width: 100, height: 20)])
        #expect(blocked.placed.isEmpty && blocked.dropped.count == 5)
    }

    @Test func anAnchorLabelInTheUStaysInside() throws {
        let frame = MapFrame(fitting: BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10), width: 500)
        let layout = try Labels.layout([LabelRequest(id: "u", text: "U", shape: u)], frame: frame)
        let l = try #require(layout.placed.first)
        #expect(l.placement == .anchor)
        #expect(inside(u.polygons[0], frame.position(Position(l.x, l.y))))
    }
}

@Suite struct ColouringTests {
    func neighboursDiffer(_ adj: [[Int]], _ c: Colouring) -> Bool {
        adj.indices.allSatisfy { v in adj[v].allSatisfy { c.colours[$0] != c.colours[v] } }
    }

    @Test func gridNeighboursGetDifferentColours() {
        let adj = Topology(shapes: grid).shapeAdjacency()
        let c = Colouring(adjacency: adj, paletteSize: 4)
        #expect(neighboursDiffer(adj, c) && c.conflicts.isEmpty)
        #expect(Colouring(adjacency: adj, paletteSize: 2).colourCount == 2)  // a 2×2 grid is bipartite
    }

    @Test func wheelNeedsFourColoursAndSmallPalettesReportConflicts() {
        // A hub (0) around a 5-cycle (1…5): chromatic number 4.
        var adj = [[Int]](repeating: [], count: 6)
        func link(_ a: Int, _ b: Int) { adj[a].append(b); adj[b].append(a) }
        for k in 1 ... 5 { link(0, k); link(k, k % 5 + 1) }
        let c = Colouring(adjacency: adj, paletteSize: 6)
        #expect(neighboursDiffer(adj, c) && c.conflicts.isEmpty)
        #expect(c == Colouring(adjacency: adj, paletteSize: 6))  // deterministic
        #expect(c.colourCount >= 4)
        let tight = Colouring(adjacency: adj, paletteSize: 4)
        #expect(neighboursDiffer(adj, tight) && tight.colourCount == 4)
        let small = Colouring(adjacency: adj, paletteSize: 3)
        #expect(!small.conflicts.isEmpty && small.colours.allSatisfy { $0 < 3 })
    }
}

let geoData = TestData.geoData

@Suite struct StyleTests {
    @Test func officialStyleLoadsWithTheRolesTheMapsUse() throws {
        let style = try MapStyle.load(named: "official", in: geoData.appendingPathComponent("styles"))
        for role in ["referentieregio", "noRegion", "zone", "ruleFail", "rulePass", "networkArea"] { _ = try style.area(role) }
        for role in ["block", "elz", "rzz", "outline", "scaleBar"] { _ = try style.line(role) }
        for role in ["title", "subtitle", "source", "legendTitle", "legend", "elzLabel", "rzzLabel", "scaleBar"] {
            _ = try style.text(role)
        }
        _ = try style.marker("campus")
        #expect(try style.line("rzz").colour.css.hasPrefix("#d"))
        #expect(try style.palette("referentieregio").count >= 6)
        #expect(try style.line("rzz").attributes["stroke-width"] == "2.2")
        #expect(throws: StyleError.self) { try style.line("nope") }
    }

    @Test func everyStyleFileLoads() throws {
        let dir = geoData.appendingPathComponent("styles")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files.contains("official.json"))
        for f in files {
            let style = try MapStyle.load(named: String(f.dropLast(5)), in: dir)
            #expect(style.name + ".json" == f)
            #expect(try style.textAttributes("title")["font-family"] == style.fontFamily)
        }
    }

    @Test func badStylesAreRejectedWithAReason() throws {
        let bad = ##"{"name":"x","width":800,"margin":10,"background":"#fff","fontFamily":"sans","drawing":{"tolerancePixels":0.5,"method":"visvalingam","decimals":1},"palettes":{},"areas":{"rr":{"palette":"missing"}},"lines":{},"texts":{}}"##
        #expect(throws: StyleError.self) { try MapStyle.decode(Data(bad.utf8)) }
        let colour = bad.replacingOccurrences(of: "\"#fff\"", with: "\"#ggg\"")
        #expect(throws: DecodingError.self) { try MapStyle.decode(Data(colour.utf8)) }
    }
}
