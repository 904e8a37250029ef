import Check
import Compare
import DataPackage
import GeoJSON
import Jobs
import Zoning
import Foundation
import GeoCore
import GEOS
import Projection
import Testing
import TestSupport
@testable import Cartography

// Tests on the real blocks (307 = 303 municipalities + 4 Antwerp parts), read here with Foundation's JSON parser
// so that they do not wait for the GeoJSON module. The data package is found like everywhere else ($ZORGZONES_DATA,
// else ../shared/geodata next to the repository); when it is missing these tests fail, they never skip.

let blocksFile = mapDataDir.appendingPathComponent("blocks.geojson")

struct RealBlocks {
    var ids: [String] = []
    var names: [String] = []
    var nis: [String] = []
    /// EPSG:31370 metres.
    var shapes: [Shape] = []

    static let shared: RealBlocks? = try? load()

    static func load() throws -> RealBlocks {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: blocksFile)) as! [String: Any]
        var out = RealBlocks()
        for f in json["features"] as! [[String: Any]] {
            let props = f["properties"] as! [String: Any], geom = f["geometry"] as! [String: Any]
            func ring(_ r: Any) -> Ring { (r as! [[Double]]).map { Position($0[0], $0[1]) } }
            func polygon(_ p: Any) -> Polygon {
                let rs = (p as! [Any]).map(ring)
                return Polygon(exterior: rs[0], holes: Array(rs.dropFirst()))
            }
            let polys = geom["type"] as! String == "Polygon" ? [polygon(geom["coordinates"]!)]
                : (geom["coordinates"] as! [Any]).map(polygon)
            out.ids.append(props["id"] as! String)
            out.names.append(props["name"] as! String)
            out.nis.append(props["nis"] as! String)
            out.shapes.append(try Projection.transform(.polygonal(polys), from: .crs84, to: .lambert72))
        }
        return out
    }

    /// `key column → value column` of a CSV in the data package (simple CSV: no quoted commas in these columns).
    static func table(_ file: String, key: Int, value: Int) throws -> [String: String] {
        let text = try String(contentsOf: mapDataDir.appendingPathComponent(file), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count > max(key, value) { out[f[key]] = f[value] }
        }
        return out
    }
}

@Suite struct RealDataTests {
    @Test func theDataPackageIsThere() {
        #expect(FileManager.default.fileExists(atPath: blocksFile.path),
                "no data package at \(mapDataDir.path): set ZORGZONES_DATA or put shared/geodata next to the repository")
    }

    @Test func blocksFormACleanTopology() throws {
        let blocks = try #require(RealBlocks.shared)
        #expect(blocks.shapes.count == 307)
        let clock = ContinuousClock()
        var t: Topology?
        let built = clock.measure { t = Topology(shapes: blocks.shapes) }
        let topo = t!
        print("topology of \(topo.diagnostics.inputVertices) vertices: \(topo.arcCount) arcs, \(topo.nodeCount) nodes, in \(built)")
        #expect(topo.diagnostics.isClean)
        #expect(topo.diagnostics.inputVertices > 70_000)
        // Shared borders are stored once: no unit edge appears twice among all arcs.
        let e = edges(topo)
        #expect(Set(e).count == e.count)
        // Every block rebuilds from its arcs with its own area (within rounding of the sum).
        for s in [0, 100, 200, 306] {
            let a = try Geometry(blocks.shapes[s]).area(), b = try Geometry(topo.shape(s)).area()
            #expect(abs(a - b) < 1e-6 * a)
        }
        // Dissolving everything gives Flanders + Brussels: the total area, without inner borders.
        let all = topo.boundaries(Grouping(Array(repeating: "all", count: 307)))
        #expect(all.inner.isEmpty)
        let total = try blocks.shapes.reduce(0.0) { $0 + (try Geometry($1).area()) }
        let dissolved = all.rings[0].reduce(0.0) { $0 + signedArea(topo.ring($1)) }
        #expect(abs(dissolved - total) < 1e-6 * total)
        // Baarle-Hertog's 26 parts (islands in the Netherlands, except where they touch each other) stay apart.
        let baarle = try #require(blocks.nis.firstIndex(of: "13002"))
        #expect(topo.shape(baarle).polygons.count == 26)
    }

    @Test func simplifiedBlocksKeepEveryRingAndShareBorders() throws {
        let blocks = try #require(RealBlocks.shared)
        let topo = Topology(shapes: blocks.shapes)
        let frame = MapFrame(fitting: bounds(of: topo.points), width: 1400)
        let clock = ContinuousClock()
        var result: (topology: Topology, report: SimplificationReport)?
        let took = clock.measure { result = topo.simplified(tolerance: frame.metresPerPixel * 0.6) }
        let (s, report) = result!
        print("simplified \(report.verticesBefore) → \(report.verticesAfter) vertices (\(report.protectedRings) rings protected) in \(took)")
        #expect(report.verticesAfter < report.verticesBefore / 2)
        for r in s.rings {
            let ring = s.ring(r.arcs)
            #expect(ring.count >= 4 && (r.isHole ? signedArea(ring) < 0 : signedArea(ring) > 0),
                    "ring \(r.ring) of part \(r.part) of \(blocks.names[r.shape]): \(ring.count) positions, area \(signedArea(ring))")
        }
        // Area is nearly kept, and exactly shared: per-block areas sum to the dissolved area.
        let blockSum = (0 ..< s.shapeCount).reduce(0.0) { acc, i in
            acc + s.rings[s.ringRange(ofShape: i)].reduce(0.0) { $0 + signedArea(s.ring($1.arcs)) }
        }
        let all = s.boundaries(Grouping(Array(repeating: "all", count: 307)))
        let dissolved = all.rings[0].reduce(0.0) { $0 + signedArea(s.ring($1)) }
        #expect(abs(blockSum - dissolved) < 1e-6 * dissolved)
    }

    /// Groups the blocks into ELZ, RZZ and RR, checks counts and colouring, and draws a draft map (written to the
    /// path in CARTOGRAPHY_DEMO_SVG when set, to look at with rsvg-convert).
    @Test func zoneGroupingsDrawADraftMap() throws {
        let blocks = try #require(RealBlocks.shared)
        let elzOf = try RealBlocks.table("elz.csv", key: 0, value: 1)
        let elzName = try RealBlocks.table("elz.csv", key: 1, value: 2)
        let rzzOf = try RealBlocks.table("rzz.csv", key: 0, value: 2)
        let rzzName = try RealBlocks.table("rzz.csv", key: 2, value: 3)
        let rrOf = try RealBlocks.table("referentieregio.csv", key: 0, value: 1)
        let style = try MapStyle.load(named: "official", in: geoData.appendingPathComponent("styles"))

        let clock = ContinuousClock()
        let start = clock.now
        let topo = Topology(shapes: blocks.shapes)
        let frame = MapFrame(fitting: bounds(of: topo.points), width: style.width,
                             insets: Insets(top: 70, left: style.margin, bottom: style.margin, right: style.margin))
        let (s, _) = topo.simplified(pixels: style.drawing.tolerancePixels, in: frame, method: style.drawing.method)
        let elz = Grouping(blocks.ids.map { elzOf[$0] })
        let rzz = Grouping(blocks.ids.map { elzOf[$0].flatMap { rzzOf[$0] } })
        let rr = Grouping(blocks.nis.map { rrOf[$0] })
        #expect(elz.count == 60 && rzz.count == 14 && rr.count == 15)
        let elzB = s.boundaries(elz), rzzB = s.boundaries(rzz), rrB = s.boundaries(rr)
        #expect(elzB.rings.count == 60 && rzzB.rings.count == 14)
        // RZZ borders are ELZ borders: every RZZ inner arc is an ELZ inner arc.
        #expect(Set(rzzB.inner).isSubset(of: Set(elzB.inner)))

        let palette = try style.palette("referentieregio")
        let adjacency = s.adjacency(rr)
        let colours = Colouring(adjacency: adjacency, paletteSize: palette.count)
        #expect(colours.conflicts.isEmpty)
        for (g, ns) in adjacency.enumerated() { for n in ns { #expect(colours.colours[g] != colours.colours[n]) } }

        var doc = SVGDocument(width: frame.width, height: frame.height)
        doc.element("rect", ["width": "100%", "height": "100%", "fill": style.background.css])
        let d = style.drawing.decimals
        try doc.group(["id": "referentieregio"]) { g in
            for (i, rings) in rrB.rings.enumerated() {
                var p = PathData(decimals: d)
                for r in rings { p.add(r, of: s, frame: frame, closed: true) }
                g.path(p, try style.area("referentieregio").attributes(fill: palette[colours.colours[i]]), title: rr.keys[i])
            }
            var none = PathData(decimals: d)
            for i in 0 ..< s.shapeCount where rr.groupOfShape[i] < 0 {
                for r in s.rings[s.ringRange(ofShape: i)] { none.add(r.arcs, of: s, frame: frame, closed: true) }
            }
            g.path(none, try style.area("noRegion").attributes(), title: "Brussels")
        }
        func lines(_ id: String, _ arcs: [Int], _ role: String) throws {
            var p = PathData(decimals: d)
            for l in s.chainLines(arcs) { p.add(l, of: s, frame: frame, closed: false) }
            var a = try style.line(role).attributes
            a["id"] = id
            doc.path(p, a)
        }
        try lines("blocks", s.boundaries(Grouping(blocks.ids)).inner, "block")
        try lines("elz", elzB.inner, "elz")
        try lines("outline", elzB.outer, "outline")
        try lines("rzz", rzzB.inner, "rzz")

        let labelStyle = try style.text("elzLabel")
        let requests = (0 ..< elz.count).map { g in
            LabelRequest(id: elz.keys[g], text: elz.keys[g].replacingOccurrences(of: "elz", with: ""),
                         shape: .polygonal(s.polygons(elzB.rings[g])))
        }
        let layout = try Labels.layout(requests, frame: frame, options: labelStyle.labelOptions(),
                                       obstacles: [PixelRect(x: 0, y: 0, width: frame.width, height: 60)])
        #expect(layout.placed.count + layout.dropped.count == 60)
        #expect(layout.dropped.count <= 3)
        let labelAttributes = (["id": "elz-labels"] as SVGAttributes).merging(try style.textAttributes("elzLabel"))
        doc.group(labelAttributes) { g in
            for l in layout.placed {
                g.text(l.lines, x: l.x, y: l.y, fontSize: l.fontSize, attributes: ["id": "label-" + l.id], halo: labelStyle.svgHalo)
                // Each label is inside its own ELZ.
                let group = elz.index(of: l.id)!
                #expect(s.polygons(elzB.rings[group]).contains { inside($0, frame.position(Position(l.x, l.y))) })
            }
        }
        doc.text(["Regionale zorgzones (draft engine check)"], x: frame.width / 2, y: 30, fontSize: 20,
                 attributes: try style.textAttributes("title"))
        let svg = doc.rendered()
        print("draft map: \(svg.utf8.count) bytes, \(layout.placed.count) labels placed, \(layout.dropped.map(\.id)) dropped, in \(clock.now - start)")
        #expect(svg.utf8.count < 1_000_000)
        _ = try parseXML(svg)
        _ = elzName; _ = rzzName
        if let out = ProcessInfo.processInfo.environment["CARTOGRAPHY_DEMO_SVG"] {
            try svg.write(toFile: out, atomically: true, encoding: .utf8)
        }
    }
}

func bounds(of points: [Position]) -> BoundingBox {
    var b = BoundingBox(minX: points[0].x, minY: points[0].y, maxX: points[0].x, maxY: points[0].y)
    for p in points { b.include(p) }
    return b
}
