import Foundation
import Zoning
import GeoCore
import GEOS

/// The rules a finding can be about. Dutch terms in the comments.
public enum RuleID: String, Codable, Sendable, CaseIterable {
    /// Rule 1: every in-scope block is in a zone (*bestrijken*).
    case coverage
    /// Rule 2: an ELZ lies wholly in one RZZ.
    case nesting
    /// Rule 3: an RZZ holds at least 2 ELZ (Brussels excepted).
    case minELZ = "min-elz"
    /// Rule 4: a zone is one contiguous territory (*aaneensluitend grondgebied*), Voeren and Baarle-Hertog excepted.
    case contiguity
    /// Rule 4: a part of a zone touches the rest only in points — not a shared border.
    case contiguityPoint = "contiguity-point"
    /// Rule 5: an RZZ has at least 300,000 inhabitants.
    case minPopulation = "min-population"
    /// Rule 6: at most as many RZZ in the Dutch language area as there are referentieregio's.
    case maxZones = "max-zones"
    /// Rule 7: an ELZ whose municipalities lie in more than one referentieregio.
    case rrAlignment = "rr-alignment"
    /// Rule 7: how far an RZZ coincides with referentieregio's.
    case rrCongruence = "rr-congruence"
    /// Coverage validation: two blocks overlap.
    case blocksOverlap = "blocks-overlap"
    /// Coverage validation: a hole between blocks that is no block's hole.
    case blocksGap = "blocks-gap"
    /// Coverage validation: a gap below the sliver tolerances.
    case blocksSliver = "blocks-sliver"
    /// Coverage validation: a block's geometry is invalid.
    case blocksInvalid = "blocks-invalid"
    /// Coverage validation: a hole of the union that is a hole of a block (foreign territory, e.g. the Dutch
    /// enclaves in Baarle-Hertog).
    case blocksHole = "blocks-hole"
    /// Coverage validation: repairs made by `--snap`.
    case blocksSnapped = "blocks-snapped"

    var order: Int { RuleID.allCases.firstIndex(of: self)! }
}

/// The numbers behind a finding. Fields that do not apply are absent from the JSON.
/// What a finding is about: the zoning as a whole (the number of zones), its zones (`rzz`), the ELZ, or the blocks
/// (coverage validation).
public enum FindingLayer: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case zoning, rzz, elz, blocks
    public var description: String { rawValue }
}

public struct FindingNumbers: Codable, Sendable, Equatable {
    public var population: Int?
    /// The threshold the rule compares with (e.g. 300000, 2, 15).
    public var threshold: Int?
    public var areaKm2: Double?
    public var areaM2: Double?
    /// Pieces of the zone (rook components) or polygons.
    public var parts: Int?
    public var excusedParts: Int?
    public var elzCount: Int?
    public var zoneCount: Int?
    public var sharedBorderM: Double?
    public var widthM: Double?
    public var areaChangeM2: Double?
    public init() {}
}

/// One side of a split: the municipalities of an ELZ in one referentieregio, or of an ELZ in one RZZ.
public struct FindingSide: Codable, Sendable, Equatable {
    /// The referentieregio (rr-alignment) or RZZ (nesting) of this side.
    public var zone: ZoneRef
    /// For rr-alignment: the RZZ this referentieregio mainly belongs to in the checked zoning.
    public var rzz: ZoneRef?
    public var municipalities: [MunicipalityRef]
    public var blocks: [String]
    public var population: Int
    /// Whether this is the side with the most inhabitants.
    public var main: Bool
}

/// One result of a rule check: which rule, how serious, which zone, which blocks and municipalities, the
/// numbers, and a sentence. Dutch: *bevinding*.
public struct Finding: Codable, Sendable, Equatable {
    public var rule: RuleID
    public var level: FindingLevel
    /// The layer the zone belongs to: `rzz` (the checked zoning), `elz`, `blocks` (coverage validation) or
    /// `zoning` (the zoning as a whole).
    public var layer: FindingLayer
    public var zone: ZoneRef?
    public var blocks: [String]
    public var municipalities: [MunicipalityRef]
    public var numbers: FindingNumbers
    public var sides: [FindingSide]?
    /// A point the finding is about, [longitude, latitude] (CRS84).
    public var location: [Double]?
    /// The exception that excuses the finding (or was void), as cited in the rule set.
    public var exception: String?
    public var message: String
    /// The finding in a short Dutch phrase (`dutchSummary`), as the maps and the workbench show it.
    public var summaryNl: String?
    /// A piece of an RZZ that is not contiguous: the ELZ it is made of (whole or in part).
    public var elz: [ZoneRef]?

    public init(rule: RuleID, level: FindingLevel, layer: FindingLayer, zone: ZoneRef? = nil, blocks: [String] = [],
                municipalities: [MunicipalityRef] = [], numbers: FindingNumbers = FindingNumbers(),
                sides: [FindingSide]? = nil, location: Position? = nil, exception: String? = nil, message: String) {
        self.rule = rule
        self.level = level
        self.layer = layer
        self.zone = zone
        self.blocks = blocks
        self.municipalities = municipalities
        self.numbers = numbers
        self.sides = sides
        self.location = location.map { [($0.x * 1e6).rounded() / 1e6, ($0.y * 1e6).rounded() / 1e6] }
        self.exception = exception
        self.message = message
    }
}

/// The result of the rule check for one zone of the checked zoning (an RZZ).
public struct ZoneCheck: Codable, Sendable, Equatable {
    public var zone: ZoneRef
    public var elz: [ZoneRef]
    public var municipalities: Int
    public var blocks: Int
    public var population: Int
    public var areaKm2: Double
    /// Rook-connected pieces.
    public var parts: Int
    /// Pieces excused because they consist only of excepted municipalities.
    public var excusedParts: Int
    /// The referentieregio's this zone is the main zone of (that it merges).
    public var referentieregios: [ZoneRef]
    /// `violation`, `excused`, `warning` or `ok`: the most serious level among the zone's findings.
    public var status: String
    public var violations: Int
    public var excused: Int
    public var warnings: Int
}

/// The ELZ view of rule 7: the referentieregio's an ELZ's municipalities fall in.
public struct ELZCheck: Codable, Sendable, Equatable {
    public var zone: ZoneRef
    /// The zone of the checked zoning it lies in (several when the ELZ is split: a nesting violation).
    public var rzz: [ZoneRef]
    public var referentieregios: [ZoneRef]
    public var population: Int
    public var parts: Int
}

/// Totals of a check.
public struct CheckTotals: Codable, Sendable, Equatable {
    public var zones: Int
    /// Zones with blocks in the rule set's counted regions (the Dutch language area).
    public var countedZones: Int
    public var maxZones: Int
    public var violations: Int
    public var excused: Int
    public var warnings: Int
    public var info: Int
    /// True when no violation remains (exit code 0).
    public var passes: Bool
}

/// The validation of the blocks as a coverage.
public struct CoverageSummary: Codable, Sendable, Equatable {
    public var blocks: Int
    public var parts: Int
    public var segments: Int
    public var sharedSegments: Int
    /// Segments used twice in the same direction or more than twice.
    public var conflictingSegments: Int
    /// How the union of the blocks was computed: `coverage-union` (the fast path; the blocks were proven to be a
    /// clean coverage) or `unary-union` (the overlay fallback for a coverage that is not clean).
    public var method: DissolveMethod
    /// Polygons and holes of the union of all blocks.
    public var unionParts: Int
    public var unionHoles: Int
    public var totalAreaKm2: Double
    public var overlaps: Int
    public var gaps: Int
    public var slivers: Int
    public var invalid: Int
    /// Holes of the union that are holes of a block (foreign enclaves).
    public var blockHoles: Int
    public var clean: Bool
}

/// A change `--snap` made to a block.
public struct SnapChange: Codable, Sendable, Equatable {
    public var block: String
    public var name: String
    public var verticesMoved: Int
    public var verticesInserted: Int
    public var areaBeforeM2: Double
    public var areaAfterM2: Double
    public var areaChangeM2: Double { areaAfterM2 - areaBeforeM2 }

    enum CodingKeys: String, CodingKey { case block, name, verticesMoved, verticesInserted, areaBeforeM2, areaAfterM2, areaChangeM2 }
    public init(block: String, name: String, verticesMoved: Int, verticesInserted: Int, areaBeforeM2: Double, areaAfterM2: Double) {
        self.block = block; self.name = name; self.verticesMoved = verticesMoved; self.verticesInserted = verticesInserted
        self.areaBeforeM2 = areaBeforeM2; self.areaAfterM2 = areaAfterM2
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        block = try c.decode(String.self, forKey: .block)
        name = try c.decode(String.self, forKey: .name)
        verticesMoved = try c.decode(Int.self, forKey: .verticesMoved)
        verticesInserted = try c.decode(Int.self, forKey: .verticesInserted)
        areaBeforeM2 = try c.decode(Double.self, forKey: .areaBeforeM2)
        areaAfterM2 = try c.decode(Double.self, forKey: .areaAfterM2)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(block, forKey: .block)
        try c.encode(name, forKey: .name)
        try c.encode(verticesMoved, forKey: .verticesMoved)
        try c.encode(verticesInserted, forKey: .verticesInserted)
        try c.encode(areaBeforeM2, forKey: .areaBeforeM2)
        try c.encode(areaAfterM2, forKey: .areaAfterM2)
        try c.encode(areaChangeM2, forKey: .areaChangeM2)
    }
}

/// The report of `zorgzones check`: findings, a summary per zone, totals. JSON, Markdown and text are views of it.
public struct RuleReport: Codable, Sendable {
    public var tool = "zorgzones"
    public var version = zorgzonesVersion
    public var ruleSet: String
    public var ruleSetTitle: String
    /// The rule set's Dutch title, where it has one (the maps use it).
    public var ruleSetTitleNl: String? = nil
    public var ruleSetFile: String?
    /// The checked zoning: its layer name and the file it came from (nil for the dataset's RZZ table).
    public var zoning: String
    public var zoningFile: String?
    public var populationYear: Int
    public var totals: CheckTotals
    public var zones: [ZoneCheck]
    public var elz: [ELZCheck]
    public var coverage: CoverageSummary
    public var repairs: [SnapChange]?
    /// For a proposal (`--zoning`): what it changes compared with the dataset's RZZ.
    public var delta: ReportDelta?
    public var findings: [Finding]

    /// 0 when no unexcused violation remains, 1 otherwise.
    public var exitCode: Int32 { totals.violations > 0 ? 1 : 0 }

    public func findings(rule: RuleID, level: FindingLevel? = nil, layer: FindingLayer? = nil) -> [Finding] {
        findings.filter { $0.rule == rule && (level == nil || $0.level == level!) && (layer == nil || $0.layer == layer!) }
    }

    public func zone(named name: String) -> ZoneCheck? { zones.first { $0.zone.name == name } }
}

// MARK: - Comparing two reports

/// A finding whose level or municipalities differ between the baseline and a proposal.
public struct FindingChange: Codable, Sendable, Equatable {
    public var before: Finding
    public var after: Finding
}

/// What a proposal changes compared with a baseline: findings it introduces, findings it resolves, and findings
/// about the same rule and zone whose level or municipalities changed.
public struct ReportDelta: Codable, Sendable {
    public var baseline: String
    public var introduced: [Finding]
    public var resolved: [Finding]
    public var changed: [FindingChange]
}

extension RuleReport {
    /// Compares with `baseline`. Findings are matched on rule, layer, zone name, level and municipalities
    /// (unchanged); what is left is paired on rule, layer and zone name (changed); the rest is introduced or
    /// resolved. Info findings are left out.
    public func delta(from baseline: RuleReport, baselineName: String) -> ReportDelta {
        func exact(_ f: Finding) -> String {
            "\(loose(f))|\(f.level.rawValue)|\(f.municipalities.map(\.nis).sorted().joined(separator: ","))"
        }
        func loose(_ f: Finding) -> String { "\(f.rule.rawValue)|\(f.layer)|\(f.zone?.name ?? "")" }
        var mine = findings.filter { $0.level != .info }
        var theirs = baseline.findings.filter { $0.level != .info }
        var theirExact: [String: Int] = [:]
        for f in theirs { theirExact[exact(f), default: 0] += 1 }
        var keep: [Finding] = []
        for f in mine {
            if let n = theirExact[exact(f)], n > 0 { theirExact[exact(f)] = n - 1 } else { keep.append(f) }
        }
        mine = keep
        var mineExact: [String: Int] = [:]
        for f in findings.filter({ $0.level != .info }) { mineExact[exact(f), default: 0] += 1 }
        keep = []
        for f in theirs {
            if let n = mineExact[exact(f)], n > 0 { mineExact[exact(f)] = n - 1 } else { keep.append(f) }
        }
        theirs = keep
        var changed: [FindingChange] = []
        var introduced: [Finding] = []
        for f in mine {
            if let i = theirs.firstIndex(where: { loose($0) == loose(f) }) {
                changed.append(FindingChange(before: theirs.remove(at: i), after: f))
            } else {
                introduced.append(f)
            }
        }
        return ReportDelta(baseline: baselineName, introduced: introduced, resolved: theirs, changed: changed)
    }
}
