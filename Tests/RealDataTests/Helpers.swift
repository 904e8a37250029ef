import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore

// Helpers shared with CartographyTests (a test target cannot import another's sources).

func attribute(_ e: XMLNode?, _ name: String) -> String? {
    (e as? XMLElement)?.attributes?.first { $0.name == name }?.stringValue
}

func parseXML(_ svg: String) throws -> XMLDocument {
    try XMLDocument(data: Data(svg.utf8), options: [])
}

let geoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("GeoData")

func edges(_ t: Topology) -> [[Double]] {
    var out: [[Double]] = []
    for a in 0 ..< t.arcCount {
        let p = Array(t.arc(a))
        for k in 1 ..< p.count {
            let e = [p[k - 1].x, p[k - 1].y, p[k].x, p[k].y]
            let r = [p[k].x, p[k].y, p[k - 1].x, p[k - 1].y]
            out.append(e.lexicographicallyPrecedes(r) ? e : r)
        }
    }
    return out
}
