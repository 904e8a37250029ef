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

// Regression tests for the page layout at widths other than the style's default: `render --map rules --width 1000`
// and `--map ggz --width 800` used to hang in the legend's column fitting (PageLayout.measure), because growing
// the row limit could map back onto the same number of columns (10 entries: 6 rows → 2 columns of 5 → 6 again).

/// The widths every map kind is drawn at.
let layoutWidths: [Double] = [400, 640, 800, 1000, 1200, 1400, 2000]

/// Every map variant: the five kinds, with both GGZ groups.
enum MapVariant: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case official, hospitals, ggzAdults, ggzYouth, rules, zoning

    var kind: MapKind {
        switch self {
        case .official: .official
        case .hospitals: .hospitals
        case .ggzAdults, .ggzYouth: .ggz
        case .rules: .rules
        case .zoning: .zoning
        }
    }

    var testDescription: String { rawValue }
}

@Suite struct LegendLayoutTests {
    /// The legend fitting on its own (no data needed): every section size, row limit and page width finishes, and
    /// the result is consistent (every entry placed once, columns no wider than the page unless only one column).
    @Test(.timeLimit(.minutes(1))) func legendColumnFittingTerminates() throws {
        let style = try MapStyle.load(named: "official", in: geoData.appendingPathComponent("styles"))
        let bounds = BoundingBox(minX: 0, minY: 0, maxX: 1000, maxY: 700)
        for count in 0 ... 40 {
            let entries = (0 ..< count).map { LegendEntry(.none, "Zone \($0) " + String(repeating: "w", count: $0 % 7 * 4)) }
            for maxRows in [0, 1, 2, 3, 5, 6, 9, 13] {
                let section = LegendSection(id: "s", title: "Legend", entries: entries, maxRows: maxRows)
                for width in [120.0, 200, 400, 640, 800, 1000, 1400] {
                    let page = try PageLayout.make(style: style, width: width, bounds: bounds, title: "T", subtitle: nil,
                                                   legend: [section], footer: ["f"])
                    guard count > 0 else { #expect(page.legend.isEmpty); continue }
                    let p = try #require(page.legend.first)
                    #expect(p.columns.flatMap { $0 }.sorted() == Array(0 ..< count),
                            "\(count) entries, maxRows \(maxRows), width \(width)")
                    #expect(p.columns.count == p.columnWidths.count)
                    #expect(p.width <= width - 2 * style.margin + 1e-9)
                }
            }
        }
    }
}

@Suite
struct MapWidthTests {
    /// Every map kind at every width finishes (with the shared renderer, so the topology is built once) and is
    /// well-formed SVG of the requested width.
    @Test(.timeLimit(.minutes(5)), arguments: MapVariant.allCases)
    func everyKindRendersAtEveryWidth(variant: MapVariant) throws {
        let dataset = try #require(MapFixture.dataset)
        for width in layoutWidths {
            let start = Date()
            let map = try MapFixture.render(variant.kind, name: "\(variant.rawValue)-\(Int(width))",
                                            zoning: variant == .zoning ? dataset.elz : nil) { o in
                o.width = width
                if variant == .ggzYouth { o.ggz = .youth }
            }
            let xml = try parseXML(map.svg)
            #expect(xml.rootElement()?.localName == "svg", "\(variant) at \(width)")
            #expect(map.summary.width == width, "\(variant) at \(width): \(map.summary.width)")
            #expect(map.summary.height > 0)
            #expect(try xml.nodes(forXPath: "//*[@id='legend']").count == 1, "\(variant) at \(width)")
            print("\(variant) @ \(Int(width)): \(map.summary.bytes) bytes, \(Int(map.summary.height)) px high, "
                  + "\(Int(Date().timeIntervalSince(start) * 1000)) ms")
        }
    }
}
