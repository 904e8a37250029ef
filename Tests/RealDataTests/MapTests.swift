import Check
import Compare
import DataPackage
import GeoJSON
import Jobs
import Projection
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import GEOS
import Testing
import TestSupport
import Zoning
@testable import Cartography

// The maps on the real data package: $ZORGZONES_DATA, else ../shared/geodata next to the repository. Set
// CARTOGRAPHY_MAPS_DIR to a directory to keep every SVG the tests draw (to look at them with rsvg-convert).

let mapDataDir = TestData.directory

enum MapFixture {
    static let dataset: Dataset? = try? Dataset.load(DatasetOptions(directory: mapDataDir))
    static let style: MapStyle? = try? MapStyle.load(named: "official", in: geoData.appendingPathComponent("styles"))
    static let rulesFile = geoData.appendingPathComponent("rules/art18-2026.json").path

    static func options(_ configure: (inout MapOptions) -> Void = { _ in }) -> MapOptions {
        var o = MapOptions()
        o.style = style
        configure(&o)
        return o
    }

    /// Renders and keeps the SVG when CARTOGRAPHY_MAPS_DIR is set.
    static func render(_ kind: MapKind, name: String? = nil, zoning: Zoning? = nil,
                       _ configure: (inout MapOptions) -> Void = { _ in }) throws -> RenderedMap {
        let dataset = try #require(dataset)
        var job = RenderJob(kind: kind, zoning: zoning, options: options(configure))
        job.rulesFile = rulesFile
        let map = try job.run(dataset)
        if let dir = ProcessInfo.processInfo.environment["CARTOGRAPHY_MAPS_DIR"] {
            try map.svg.write(toFile: dir + "/" + (name ?? kind.rawValue) + ".svg", atomically: true, encoding: .utf8)
        }
        return map
    }
}

/// Elements with a class (FoundationXML's XPath needs local-name() under the SVG namespace).
func elements(_ xml: XMLDocument, _ name: String, class cls: String? = nil) throws -> [XMLElement] {
    let path = name == "*" ? "//*" : "//*[local-name()='\(name)']"
    let nodes = try xml.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    guard let cls else { return nodes }
    return nodes.filter { (attribute($0, "class") ?? "").split(separator: " ").contains(Substring(cls)) }
}

func childTitle(_ e: XMLElement) -> String? {
    e.children?.first { $0.name == "title" }?.stringValue
}

/// The undirected segments of SVG path data written by `PathData` (absolute M, then relative m/l/h/v/z), in
/// integer units of 1/10 pixel.
func segments(_ d: String) -> [[Int]] {
    var tokens: [String] = []
    var cur = ""
    for ch in d {
        if ch.isLetter {
            if !cur.isEmpty { tokens.append(cur); cur = "" }
            tokens.append(String(ch))
        } else if ch == "-" {
            if !cur.isEmpty { tokens.append(cur) }
            cur = "-"
        } else if ch == " " {
            if !cur.isEmpty { tokens.append(cur); cur = "" }
        } else if ch == ".", cur.contains(".") {
            tokens.append(cur); cur = "."
        } else {
            cur.append(ch)
        }
    }
    if !cur.isEmpty { tokens.append(cur) }
    var out: [[Int]] = []
    var x = 0, y = 0, sx = 0, sy = 0
    var cmd: Character = "M"
    var i = 0
    func num() -> Int { let v = Double(tokens[i])!; i += 1; return Int((v * 10).rounded()) }
    func seg(_ nx: Int, _ ny: Int) {
        let a = [x, y, nx, ny], b = [nx, ny, x, y]
        out.append(a.lexicographicallyPrecedes(b) ? a : b)
        x = nx; y = ny
    }
    while i < tokens.count {
        if let c = tokens[i].first, c.isLetter {
            cmd = c; i += 1
            if c == "z" || c == "Z" { seg(sx, sy); continue }
        }
        switch cmd {
        case "M": x = num(); y = num(); sx = x; sy = y; cmd = "L"
        case "L": seg(num(), num())
        case "m": x += num(); y += num(); sx = x; sy = y; cmd = "l"
        case "l": let dx = num(), dy = num(); seg(x + dx, y + dy)
        case "h": seg(x + num(), y)
        case "v": seg(x, y + num())
        default: i += 1
        }
    }
    return out.filter { $0[0] != $0[2] || $0[1] != $0[3] }
}

@Suite(.serialized)
struct MapTests {
    @Test func officialMapHasEveryZoneWithATitleAndFitsTheBudget() throws {
        let dataset = try #require(MapFixture.dataset)
        let map = try MapFixture.render(.official)
        print("official map: \(map.summary.bytes) bytes, \(Int(map.summary.width))×\(Int(map.summary.height)), elements \(map.summary.elements), dropped \(map.summary.droppedLabels), vertices \(map.summary.verticesBefore) → \(map.summary.verticesAfter)")
        #expect(map.summary.bytes < 1_000_000)
        #expect(map.summary.bytes == map.svg.utf8.count)
        let xml = try parseXML(map.svg)
        let root = try #require(xml.rootElement())
        #expect(attribute(root, "viewBox") == "0 0 \(svgNumber(map.summary.width)) \(svgNumber(map.summary.height))")
        #expect(attribute(root, "width") != nil && attribute(root, "height") != nil)
        let elz = try elements(xml, "path", class: "elz"), rzz = try elements(xml, "path", class: "rzz")
        let rr = try elements(xml, "path", class: "rr")
        #expect(elz.count == dataset.elz.zones.count && elz.count == 60)
        #expect(rzz.count == dataset.rzz.zones.count && rzz.count == 14)
        #expect(rr.count == dataset.rr.zones.count && rr.count == 15)
        #expect(Set(elz.compactMap { attribute($0, "data-code") }) == Set(dataset.elz.zones.map(\.code)))
        for e in elz + rzz + rr { #expect(childTitle(e)?.isEmpty == false) }
        #expect(childTitle(try #require(elz.first { attribute($0, "data-code") == "elz7" }))?.contains("Bruzel") == true)
        // Brussels has no referentieregio: its own grey area.
        #expect(try elements(xml, "path", class: "no-rr").count == 1)
        // Neighbouring referentieregio's get different colours.
        let fill = Dictionary(rr.map { (attribute($0, "data-code")!, attribute($0, "fill")!) }, uniquingKeysWith: { a, _ in a })
        let base = MapRenderer.shared.base(dataset)
        let g = base.grouping(dataset.rr)
        for (i, ns) in base.topology.adjacency(g).enumerated() {
            for n in ns { #expect(fill[g.keys[i]] != fill[g.keys[n]]) }
        }
        // Voeren is called out; the Baarle-Hertog enclaves get an enlarged inset (its title says by how much).
        let exclaves = try elements(xml, "g", class: "exclave").compactMap { attribute($0, "data-name") }
        #expect(Set(exclaves) == ["Voeren"])
        let insets = try elements(xml, "g", class: "inset")
        #expect(insets.compactMap { attribute($0, "data-name") } == ["Baarle-Hertog"])
        let insetTitle = try #require(insets.first.flatMap(childTitle))
        let factor = try #require(insetTitle.split(separator: " ").first { $0.hasSuffix("×") }.flatMap { Double($0.dropLast().replacingOccurrences(of: ",", with: ".")) })
        #expect(factor >= 2, "\(insetTitle)")
        // Legend, scale bar, north arrow, sources.
        for id in ["legend", "scale-bar", "north-arrow", "footer"] {
            #expect(try xml.nodes(forXPath: "//*[@id='\(id)']").count == 1, "no #\(id)")
        }
        #expect(map.svg.contains("Statbel (Algemene Directie Statistiek), statistische sectoren 1/1/2025"))
        // Every ELZ numbered and every RZZ named (counts from the zone tables), none dropped.
        #expect(map.summary.droppedLabels.isEmpty, "\(map.summary.droppedLabels)")
        let elzCount = Set(dataset.elz.assignment.values).count, rzzCount = Set(dataset.rzz.assignment.values).count
        #expect(elzCount == 60 && rzzCount == 14)
        #expect(map.summary.elements["label"] == elzCount + rzzCount)
        #expect(try elements(xml, "text", class: "label").filter { attribute($0.parent, "id") == "rzz-labels" }.count == rzzCount)
    }

    @Test func anRZZWhoseNameFindsNoRoomIsNamedInTheLegend() throws {
        // RZZ names of 40 px that may not shrink: most find no room inside their zone.
        let dataset = try #require(MapFixture.dataset)
        var style = MapStyle.builtIn
        style.texts["rzzLabel"]?.size = 40
        style.texts["rzzLabel"]?.minSize = 40
        style.texts["rzzLabel"]?.maxSize = 40
        let map = try MapFixture.render(.official) { $0.style = style }
        let xml = try parseXML(map.svg)
        let onMap = Set(try elements(xml, "text", class: "label").filter { attribute($0.parent, "id") == "rzz-labels" }
            .compactMap { attribute($0, "data-code") })
        let section = try xml.nodes(forXPath: "//*[@data-section='rzz-names']").first as? XMLElement
        let listed = (section.flatMap { try? elements(XMLDocument(rootElement: $0.copy() as? XMLElement), "text") } ?? [])
            .compactMap(\.stringValue)
        #expect(onMap.count < 14 && !listed.isEmpty, "at 500 px some RZZ should be listed: \(onMap.count) on the map")
        for zone in dataset.rzz.zones {
            let named = onMap.contains(zone.code) || listed.contains { $0.hasPrefix(zone.name + " (") }
            #expect(named, "RZZ \(zone.name) is named neither on the map nor in the legend")
        }
        #expect(!map.summary.notes.contains { $0.hasPrefix("RZZ named neither") })
    }

    @Test func sharedBordersAreDrawnOnce() throws {
        let map = try MapFixture.render(.official)
        let xml = try parseXML(map.svg)
        let borders = try #require(try xml.nodes(forXPath: "//*[@id='borders']").first as? XMLElement)
        var all: [[Int]] = []
        var byClass: [String: Int] = [:]
        for p in borders.children?.compactMap({ $0 as? XMLElement }) ?? [] {
            let segs = segments(attribute(p, "d") ?? "")
            byClass[attribute(p, "class") ?? "", default: 0] += segs.count
            all += segs
        }
        #expect(byClass["border border-rzz", default: 0] > 100 && byClass["border border-elz", default: 0] > 100)
        var seen = Set<[Int]>()
        var duplicates = 0
        for s in all where !seen.insert(s).inserted { duplicates += 1 }
        #expect(duplicates == 0, "\(duplicates) border segments drawn twice")
    }

    @Test func labelsSitInsideTheirZone() throws {
        let dataset = try #require(MapFixture.dataset)
        let map = try MapFixture.render(.official)
        let xml = try parseXML(map.svg)
        let labels = try elements(xml, "text", class: "label")
        #expect(labels.count == 74)
        var shapes: [String: Geometry] = [:]
        for zoning in [dataset.elz, dataset.rzz] {
            for (code, ids) in zoning.members(in: dataset.blocks) {
                shapes[code] = try Geometry(.polygonal(ids.flatMap { dataset.block($0)!.projected.polygons }))
            }
        }
        // A label sits inside its zone; a callout's leader starts inside it.
        let leaders = Dictionary(try elements(xml, "path", class: "leader").map { (attribute($0, "data-code") ?? "", attribute($0, "d") ?? "") },
                                 uniquingKeysWith: { a, _ in a })
        for l in labels {
            let code = try #require(attribute(l, "data-code"))
            let shape = try #require(shapes[code], "a label of no zone: \(code)")
            let p: Position
            if (attribute(l, "class") ?? "").contains("callout") {
                let d = try #require(leaders[code], "callout of \(code) without a leader")
                let xy = d.dropFirst().split(separator: "L").first!.split(separator: " ").compactMap { Double($0) }
                p = map.frame.position(Position(xy[0], xy[1]))
            } else {
                let size = Double(attribute(l.parent, "font-size") ?? attribute(l, "font-size") ?? "9") ?? 9
                let x = try #require(Double(attribute(l, "x") ?? ""))
                let y = try #require(Double(attribute(l, "y") ?? "")) - size * 0.35
                p = map.frame.position(Position(x, y))
            }
            #expect(try shape.covers(Geometry(.point(p))), "label of \(code) is outside it")
        }
    }

    @Test func everyKindRenders() throws {
        let dataset = try #require(MapFixture.dataset)
        for kind in MapKind.allCases {
            let map = try MapFixture.render(kind)
            let xml = try parseXML(map.svg)
            #expect(map.summary.bytes < 1_000_000, "\(kind): \(map.summary.bytes) bytes")
            #expect(try elements(xml, "path", class: "rzz").count == 14 || kind == .zoning, "\(kind)")
            #expect(try xml.nodes(forXPath: "//*[@id='legend']").count == 1)
            print("\(kind): \(map.summary.bytes) bytes, \(map.summary.elements), dropped \(map.summary.droppedLabels), notes \(map.summary.notes)")
        }
        let hospitals = try parseXML(MapFixture.render(.hospitals).svg)
        let campuses = try elements(hospitals, "*", class: "campus")
        #expect(campuses.count >= 115)
        #expect(campuses.allSatisfy { childTitle($0) != nil })
        let networks = Set(campuses.compactMap { attribute($0, "data-network") })
        #expect(networks.count == 15)
        let ggz = try MapFixture.render(.ggz)
        #expect(ggz.svg.contains("url(#ggz-mix-"))       // Limburg: two networks, hatched
        #expect(ggz.svg.contains("url(#low-confidence)"))
        #expect(try MapFixture.render(.ggz, name: "ggz-youth") { $0.ggz = .youth }.svg.contains("Bru-Stars"))
        let rules = try parseXML(MapFixture.render(.rules).svg)
        let statuses = try elements(rules, "path", class: "rzz").compactMap { attribute($0, "data-status") }
        #expect(statuses.count == 14 && statuses.contains("excused"))
        let zoning = try parseXML(MapFixture.render(.zoning, zoning: dataset.elz).svg)
        #expect(try elements(zoning, "path", class: "zone").count == 60)
    }

    @Test(arguments: [ServiceAreaMethod.voronoi, .nearest])
    func hospitalServiceAreasRender(method: ServiceAreaMethod) throws {
        let map = try MapFixture.render(.hospitals, name: "hospitals-\(method.rawValue)") { $0.serviceAreas = method }
        let xml = try parseXML(map.svg)
        #expect(try elements(xml, "path", class: "service-area").count >= 10)
        #expect(map.summary.bytes < 1_000_000)
    }

    @Test func aProposalReplacesTheRZZ() throws {
        let dataset = try #require(MapFixture.dataset)
        let url = geoData.appendingPathComponent("scenarios/b-regio-gent-gesplitst.csv")
        let zoning = try dataset.resolve(ZoneTable(contentsOf: url), name: "b-regio-gent-gesplitst")
        let map = try MapFixture.render(.official, name: "official-b", zoning: zoning) { $0.zoningSource = url.lastPathComponent }
        let xml = try parseXML(map.svg)
        #expect(try elements(xml, "path", class: "rzz").count == zoning.zones.count)
        #expect(zoning.zones.count == 15)
        let rules = try MapFixture.render(.rules, name: "rules-b", zoning: zoning) { $0.zoningSource = url.lastPathComponent }
        #expect(rules.svg.contains("schending"))
    }

    @Test func narrowMapsKeepTheirLegendInside() throws {
        for width in [640.0, 900] {
            let map = try MapFixture.render(.official, name: "official-\(Int(width))") { $0.width = width }
            #expect(map.summary.width == width)
            let xml = try parseXML(map.svg)
            // Every legend text starts inside the canvas.
            for t in try elements(xml, "text") {
                guard let x = Double(attribute(t, "x") ?? "") else { continue }
                #expect(x >= 0 && x <= width)
            }
        }
    }

    @Test func theRendererCachesTheTopology() throws {
        let dataset = try #require(MapFixture.dataset)
        let renderer = MapRenderer()
        // The same map twice from one renderer, and the same cached base object (no timing: speed belongs in the
        // benchmarks, where a loaded machine cannot fail a test).
        let first = try renderer.render(kind: .official, dataset: dataset, options: MapFixture.options())
        let second = try renderer.render(kind: .official, dataset: dataset, options: MapFixture.options())
        #expect(first.svg == second.svg)
        #expect(renderer.base(dataset) === renderer.base(dataset))
    }

    @Test func networksBeyondThePaletteGetAnotherMarkerShape() throws {
        var style = try #require(MapFixture.style)
        style.palettes["networks"] = ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd"]
        let map = try MapFixture.render(.hospitals, name: "hospitals-4-colours") { $0.style = style }
        let xml = try parseXML(map.svg)
        let campuses = try elements(xml, "*", class: "campus")
        // 15 networks, 4 colours: circles, squares, triangles and diamonds (paths).
        #expect(Set(campuses.map(\.name)) == ["circle", "rect", "path"])
        #expect(Set(campuses.compactMap { attribute($0, "data-shape") }) == ["circle", "square", "triangle", "diamond"])
        var symbolOf: [String: String] = [:]
        for c in campuses {
            let key = "\(attribute(c, "data-shape") ?? "")|\(attribute(c, "fill") ?? "")"
            let n = attribute(c, "data-network")!
            #expect(symbolOf[n] == nil || symbolOf[n] == key)
            symbolOf[n] = key
        }
        // Every network has its own symbol (shape and colour).
        #expect(Set(symbolOf.values).count == symbolOf.count)
    }

    @Test func styleStringsReplaceTheMapTexts() throws {
        var style = try #require(MapFixture.style)
        style.strings = ["legend.rzz": "Regional care zone border", "title.official": "Care zones"]
        let map = try MapFixture.render(.official, name: "official-en") { $0.style = style }
        #expect(map.svg.contains(">Care zones</text>") && map.svg.contains("Regional care zone border"))
        #expect(!map.svg.contains("Regionale zorgzone (RZZ)"))
    }

    @Test func theBuiltInStyleIsTheStyleFile() throws {
        let file = try #require(MapFixture.style)
        #expect(MapStyle.builtIn == file)
    }
}
