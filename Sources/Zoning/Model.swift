import Foundation
import GeoCore
import GEOS

/// Rounds to `decimals` decimals, for reports (no 0.30000000000000004). Shared by every report in Zoning.
package func rounded(_ x: Double, _ decimals: Int) -> Double {
    let f = pow(10.0, Double(decimals))
    return (x * f).rounded() / f
}

/// An integer with its thousands grouped: "1,234,567" for reports, "1.234.567" (`dutch`) for the maps' Dutch text.
/// Foundation's number format, so every report, map and page groups the same way.
public func groupedDigits(_ n: Int, dutch: Bool = false) -> String {
    n.formatted(.number.grouping(.automatic).locale(dutch ? dutchLocale : englishLocale))
}
private let englishLocale = Locale(identifier: "en_US")
private let dutchLocale = Locale(identifier: "nl_BE")

/// A dissolve building block: a municipality, or a part of one (Antwerpen is split into the 4 parts that belong
/// to different ELZ). Dutch: *bouwsteen*.
public struct Block: Sendable, Identifiable {
    /// Block id: the NIS code for a whole municipality, `11002-1` … for the Antwerp parts.
    public var id: String
    /// NIS code (REFNIS 2025) of the municipality the block belongs to.
    public var nis: String
    public var name: String
    public var region: String
    public var province: String?
    /// Geometry in CRS84 (longitude, latitude), as read.
    public var shape: Shape
    /// Geometry in Belgian Lambert 72 (EPSG:31370), metres: the CRS used for every area in zorgzones.
    public var projected: Shape
    /// Planar area in EPSG:31370, km².
    public var areaKm2: Double
    public var population: Int

    public init(id: String, nis: String, name: String, region: String, province: String?, shape: Shape,
                projected: Shape, areaKm2: Double, population: Int) {
        self.id = id; self.nis = nis; self.name = name; self.region = region; self.province = province
        self.shape = shape; self.projected = projected; self.areaKm2 = areaKm2; self.population = population
    }

    /// Name of the municipality (the Antwerp parts' suffix " (deel …)" removed).
    public var municipalityName: String {
        if let r = name.range(of: " (deel") { return String(name[..<r.lowerBound]) }
        return name
    }
}

/// Each CRS84 vertex of the blocks → its EPSG:31370 position (a block carries both, vertex for vertex), so that
/// geometry made of the blocks' own vertices is projected without PROJ and measured in metres.
public func projectedVertices(of blocks: [Block]) -> [Position: Position] {
    var map: [Position: Position] = [:]
    map.reserveCapacity(blocks.reduce(0) { $0 + $1.shape.vertexCount })
    for b in blocks {
        for (p, q) in zip(b.shape.polygons, b.projected.polygons) {
            for (r, s) in zip(p.rings, q.rings) where r.count == s.count {
                for (a, c) in zip(r, s) { map[a] = c }
            }
        }
    }
    return map
}

/// The name of a zone: its code and its human name. Dutch: *zone*.
public struct ZoneRef: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// An assignment of blocks to zones: the result of resolving a zone table against the blocks.
/// Dutch: *zonering* / *gebiedsindeling*.
public struct Zoning: Sendable {
    /// Layer name, e.g. `elz`, `rzz`, `rr`, `municipalities`, or a user's name.
    public var name: String
    /// Zones in display order (natural order of codes).
    public var zones: [ZoneRef]
    /// Block id → zone code. Blocks outside the zoning's scope are absent.
    public var assignment: [String: String]
    /// For a zoning of zones (RZZ over ELZ): member zone code → this zoning's zone code.
    public var parentAssignment: [String: String]?
    /// The name of the zoning `parentAssignment` refers to (e.g. `elz`).
    public var parentName: String?
    /// Extra per-zone columns from the table (e.g. `basis`, `note` of rzz.csv), by zone code then column.
    public var attributes: [String: [String: String]]

    public init(name: String, zones: [ZoneRef], assignment: [String: String],
                parentAssignment: [String: String]? = nil, parentName: String? = nil,
                attributes: [String: [String: String]] = [:]) {
        self.name = name
        self.zones = zones
        self.assignment = assignment
        self.parentAssignment = parentAssignment
        self.parentName = parentName
        self.attributes = attributes
    }

    public func zone(_ code: String) -> ZoneRef? { zones.first { $0.code == code } }

    /// Block ids per zone code, in block order of `blocks`.
    public func members(in blocks: [Block]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for b in blocks { if let z = assignment[b.id] { out[z, default: []].append(b.id) } }
        return out
    }
}

/// Compares codes the way people read them: `elz2` < `elz10`, `REFREG02` < `REFREG10`.
public func naturalLess(_ a: String, _ b: String) -> Bool {
    var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
    var ca = i.next(), cb = j.next()
    while let x = ca, let y = cb {
        let dx = x.properties.numericType != nil && ("0"..."9").contains(Character(x))
        let dy = y.properties.numericType != nil && ("0"..."9").contains(Character(y))
        if dx && dy {
            var na = "", nb = ""
            while let c = ca, ("0"..."9").contains(Character(c)) { na.unicodeScalars.append(c); ca = i.next() }
            while let c = cb, ("0"..."9").contains(Character(c)) { nb.unicodeScalars.append(c); cb = j.next() }
            let ta = na.drop { $0 == "0" }, tb = nb.drop { $0 == "0" }
            if ta.count != tb.count { return ta.count < tb.count }
            if ta != tb { return ta < tb }
            continue
        }
        if x != y { return x.value < y.value }
        ca = i.next(); cb = j.next()
    }
    return ca == nil && cb != nil
}
