import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore

// What several test targets share (a test target cannot import another's sources): where the repository and the
// data package are, a seeded generator, SVG parsing, the edges of a topology.

/// Places the tests read.
public enum TestData {
    /// The repository root (this file is Tests/TestSupport/TestSupport.swift).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The data package: `$ZORGZONES_DATA`, else `../shared/geodata` next to the repository. A suite that needs it
    /// fails when it is missing (it never skips).
    public static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["ZORGZONES_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return repository.deletingLastPathComponent().appendingPathComponent("shared/geodata")
    }()
    /// The project's `GeoData` (rule sets, scenarios, styles).
    public static let geoData = repository.appendingPathComponent("GeoData")
}

/// A small seeded generator (xorshift), for reproducible random cases.
public struct Xorshift: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    public mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}

/// An attribute's value (FoundationXML on Linux does not find attributes by name when a default namespace is set).
public func attribute(_ e: XMLNode?, _ name: String) -> String? {
    (e as? XMLElement)?.attributes?.first { $0.name == name }?.stringValue
}

/// Parses SVG text as XML (throws when it is not well-formed).
public func parseXML(_ svg: String) throws -> XMLDocument {
    try XMLDocument(data: Data(svg.utf8), options: [])
}

/// Undirected edges of all arcs (sorted pairs), to count how often a border is stored.
public func edges(_ t: Topology) -> [[Double]] {
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
