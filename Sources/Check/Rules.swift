import Foundation
import GeoJSON
import Zoning

/// How serious a finding is. Dutch: *schending* (violation), *uitzondering* (excused).
public enum FindingLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// A condition is not met and no exception covers it. Any violation makes `check` exit with 1.
    case violation
    /// A condition is not met, but an exception in the rule set covers it (the finding names the exception).
    case excused
    /// Worth knowing, not a legal condition (e.g. an ELZ in several pieces, a sliver between blocks).
    case warning
    /// A fact the report states (e.g. which referentieregio's an RZZ merges).
    case info

    var rank: Int {
        switch self {
        case .violation: return 0
        case .excused: return 1
        case .warning: return 2
        case .info: return 3
        }
    }
    public static func < (a: FindingLevel, b: FindingLevel) -> Bool { a.rank < b.rank }
}

/// A municipality named in a rule set or a finding: NIS code (REFNIS 2025) and Dutch name.
public struct MunicipalityRef: Codable, Sendable, Hashable {
    public var nis: String
    public var name: String
    public init(nis: String, name: String) { self.nis = nis; self.name = name }
}

/// The rules a zoning of regionale zorgzones (RZZ) is checked against, as data.
///
/// A rule set is a JSON file (`GeoData/rules/art18-2026.json` is the default): the thresholds of art. 18 of the
/// eerstelijnsdecreet, the municipalities excepted from contiguity (Voeren, Baarle-Hertog), the regions whose RZZ
/// may hold a single ELZ (Brussels), the motivated population exceptions, the ELZ granted an exception to the
/// referentieregio's, and the level of each rule. A new decree or note is a new file, not a code change.
///
/// Keys are snake_case in the file. Every rule has a `level` (`violation`, `excused`, `warning`, `info`: the
/// level a finding gets when the rule is not met and no exception applies) and a `citation`.
public struct RuleSet: Codable, Sendable {
    public struct Source: Codable, Sendable {
        public var id: String
        public var citation: String
    }

    /// Which blocks the zoning must cover, by the blocks' `region` property.
    public struct Scope: Codable, Sendable {
        public var regions: [String]
        public var citation: String?
    }

    /// A rule with only a level and a citation.
    public struct BasicRule: Codable, Sendable {
        public var level: FindingLevel
        public var citation: String?
    }

    /// Rule 3: an RZZ holds at least `min` ELZ. An RZZ whose blocks all lie in one of `singleElzRegions` may hold
    /// one ELZ (art. 18: the bilingual area Brussels-Capital).
    public struct MinELZRule: Codable, Sendable {
        public var level: FindingLevel
        public var min: Int
        public var singleElzRegions: [String]
        /// For messages only: the names of the zones this exception is meant for.
        public var excusedZoneNames: [String]?
        public var citation: String?
    }

    /// Rule 4: an RZZ is one contiguous territory (sharing borders of positive length), except for the parts made
    /// only of the excepted municipalities.
    public struct ContiguityRule: Codable, Sendable {
        public var level: FindingLevel
        public var pointTouch: String?
        public var exceptedMunicipalities: [MunicipalityRef]
        public var citation: String?
    }

    /// A motivated exception to the minimum population, for the RZZ made of exactly the ELZ `elz`.
    public struct PopulationException: Codable, Sendable {
        public var zoneName: String
        /// The ELZ codes of the RZZ the exception was motivated for. It applies to an RZZ with exactly these ELZ.
        public var elz: [String]
        public var elzNames: [String]?
        public var status: String?
        public var motivation: String?
        public var citation: String
    }

    /// Rule 5: an RZZ has at least `min` inhabitants, unless a motivated exception lists it.
    public struct PopulationRule: Codable, Sendable {
        public var level: FindingLevel
        public var min: Int
        public var exceptions: [PopulationException]
        public var citation: String?
    }

    /// Rule 6: at most `max` RZZ in the counted regions (the Dutch language area: the Flemish Region).
    public struct CountRule: Codable, Sendable {
        public var level: FindingLevel
        public var max: Int
        public var countedRegions: [String]
        public var basis: String?
        public var citation: String?
    }

    /// An ELZ granted an exception to the referentieregio's: the municipalities the grant names (those in
    /// another referentieregio than the rest of the ELZ; for an ELZ split in two, both sides).
    public struct GrantedException: Codable, Sendable {
        public var elz: String
        public var name: String
        public var municipalities: [MunicipalityRef]
        public var text: String?
        public var citation: String
    }

    /// Rule 7 for ELZ: an ELZ whose municipalities fall in more than one referentieregio.
    public struct AlignmentRule: Codable, Sendable {
        public var level: FindingLevel
        public var granted: [GrantedException]
        public var citation: String?
    }

    /// A request the note refused; a zoning that implements it gets the refusal cited in its findings.
    public struct RefusedRequest: Codable, Sendable {
        public var id: String
        public var elz: [String]
        public var request: String
        public var decision: String
        public var scenario: String?
        public var citation: String
    }

    /// Rule 7 for RZZ: an RZZ should be a union of whole referentieregio's.
    public struct CongruenceRule: Codable, Sendable {
        public var level: FindingLevel
        public var refusedRequests: [RefusedRequest]?
        public var citation: String?
    }

    public struct Rules: Codable, Sendable {
        public var coverage: BasicRule
        public var nesting: BasicRule
        public var minElz: MinELZRule
        public var contiguity: ContiguityRule
        public var elzContiguity: BasicRule
        public var minPopulation: PopulationRule
        public var maxZones: CountRule
        public var rrAlignment: AlignmentRule
        public var rrCongruence: CongruenceRule
    }

    /// Tolerances and levels of the coverage validation of the blocks.
    public struct CoverageCheck: Codable, Sendable {
        public var overlapLevel: FindingLevel
        public var gapLevel: FindingLevel
        public var sliverLevel: FindingLevel
        public var invalidLevel: FindingLevel
        /// Overlaps smaller than this (m²) are ignored.
        public var overlapMinAreaM2: Double
        /// A gap is a sliver when its area is at most this (m²) and its width at most `sliverMaxWidthM`.
        public var sliverMaxAreaM2: Double
        /// Width of a gap: twice the radius of the largest circle inside it (m).
        public var sliverMaxWidthM: Double

        public init(overlapLevel: FindingLevel = .violation, gapLevel: FindingLevel = .violation,
                    sliverLevel: FindingLevel = .warning, invalidLevel: FindingLevel = .violation,
                    overlapMinAreaM2: Double = 0.01, sliverMaxAreaM2: Double = 5000, sliverMaxWidthM: Double = 10) {
            self.overlapLevel = overlapLevel
            self.gapLevel = gapLevel
            self.sliverLevel = sliverLevel
            self.invalidLevel = invalidLevel
            self.overlapMinAreaM2 = overlapMinAreaM2
            self.sliverMaxAreaM2 = sliverMaxAreaM2
            self.sliverMaxWidthM = sliverMaxWidthM
        }
    }

    public var id: String
    public var title: String
    /// The title in Dutch, for the maps (whose language is Dutch); optional.
    public var titleNl: String?
    public var description: String?
    public var sources: [Source]?
    public var scope: Scope
    public var rules: Rules
    /// Art. 18, third paragraph: the motivated deviations (population, referentieregio's) only hold while the
    /// number of RZZ is at most the maximum. When true and the count rule fails, those exceptions are void.
    public var motivatedExceptionsRequireMaxZones: Bool
    public var coverageCheck: CoverageCheck

    /// Where the rule set was read from (not part of the file).
    public var file: String?

    enum CodingKeys: String, CodingKey {
        case id, title, titleNl, description, sources, scope, rules, motivatedExceptionsRequireMaxZones, coverageCheck
    }

    // MARK: - Loading

    /// Decodes a rule set from JSON bytes and checks its values.
    public static func decode(_ data: Data, source: String) throws -> RuleSet {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let set: RuleSet
        // zorgzones' own JSON parser first: a syntax error with its line and column, and a member written twice
        // refused (Foundation's decoder would keep one of them silently).
        do {
            _ = try JSONParser().parse(data)
        } catch {
            throw DataError(file: source, location: "line \(error.line), column \(error.column)",
                            field: error.path.isEmpty ? nil : error.path,
                            message: error.kind == .duplicateKey ? error.message : "not valid JSON: \(error.message)")
        }
        do {
            set = try decoder.decode(RuleSet.self, from: data)
        } catch let e as DecodingError {
            throw describe(e, source: source, data: data)
        }
        try set.validate(source: source)
        return set
    }

    /// Checks values the types cannot: positive thresholds, NIS codes, no duplicate grants.
    func validate(source: String) throws {
        var errors: [DataError] = []
        func err(_ field: String, _ message: String) {
            errors.append(DataError(file: source, field: field, message: message))
        }
        if scope.regions.isEmpty { err("scope.regions", "must name at least one region") }
        if rules.minElz.min < 1 { err("rules.min_elz.min", "must be at least 1, found \(rules.minElz.min)") }
        if rules.minPopulation.min < 0 { err("rules.min_population.min", "must not be negative") }
        if rules.maxZones.max < 1 { err("rules.max_zones.max", "must be at least 1, found \(rules.maxZones.max)") }
        for (i, m) in rules.contiguity.exceptedMunicipalities.enumerated() where !RuleSet.isNIS(m.nis) {
            err("rules.contiguity.excepted_municipalities[\(i)].nis", "'\(m.nis)' is not a 5-digit NIS code")
        }
        var seen = Set<String>()
        for (i, g) in rules.rrAlignment.granted.enumerated() {
            if !seen.insert(g.elz).inserted { err("rules.rr_alignment.granted[\(i)].elz", "ELZ '\(g.elz)' is granted twice") }
            if g.municipalities.isEmpty {
                err("rules.rr_alignment.granted[\(i)].municipalities", "a grant must name the municipalities it covers")
            }
            for (j, m) in g.municipalities.enumerated() where !RuleSet.isNIS(m.nis) {
                err("rules.rr_alignment.granted[\(i)].municipalities[\(j)].nis", "'\(m.nis)' is not a 5-digit NIS code")
            }
        }
        for (i, e) in rules.minPopulation.exceptions.enumerated() where e.elz.isEmpty {
            err("rules.min_population.exceptions[\(i)].elz", "an exception must list the ELZ of its RZZ")
        }
        let c = coverageCheck
        for (v, f) in [(c.overlapMinAreaM2, "overlap_min_area_m2"), (c.sliverMaxAreaM2, "sliver_max_area_m2"),
                       (c.sliverMaxWidthM, "sliver_max_width_m")] where !(v >= 0) || !v.isFinite {
            err("coverage_check.\(f)", "must be a finite number ≥ 0, found \(v)")
        }
        if !errors.isEmpty { throw errors.count == 1 ? errors[0] as Error : DataErrors(errors) as Error }
    }

    /// Checks that the codes the rule set names exist in the dataset (and, for ELZ, carry the same name), so a
    /// typo does not silently disable an exception.
    public func validate(against dataset: Dataset) throws {
        let source = file ?? id
        var errors: [DataError] = []
        let municipalities = Dictionary(dataset.blocks.map { ($0.nis, $0.municipalityName) }, uniquingKeysWith: { a, _ in a })
        let elz = dataset.elz
        func checkMunicipality(_ m: MunicipalityRef, _ field: String) {
            guard let n = municipalities[m.nis] else {
                errors.append(DataError(file: source, field: field, message: "NIS code '\(m.nis)' (\(m.name)) matches no municipality of the dataset"))
                return
            }
            if n != m.name {
                errors.append(DataError(file: source, field: field, message: "NIS code '\(m.nis)' is \(n) in the dataset, the rule set says \(m.name)"))
            }
        }
        func checkELZ(_ code: String, name: String?, _ field: String) {
            guard let z = elz.zone(code) else {
                errors.append(DataError(file: source, field: field, message: "'\(code)' matches no ELZ code of the dataset"))
                return
            }
            if let name, z.name != name {
                errors.append(DataError(file: source, field: field, message: "ELZ '\(code)' is \(z.name) in the dataset, the rule set says \(name)"))
            }
        }
        for (i, m) in rules.contiguity.exceptedMunicipalities.enumerated() {
            checkMunicipality(m, "rules.contiguity.excepted_municipalities[\(i)]")
        }
        for (i, g) in rules.rrAlignment.granted.enumerated() {
            checkELZ(g.elz, name: g.name, "rules.rr_alignment.granted[\(i)].elz")
            for (j, m) in g.municipalities.enumerated() {
                checkMunicipality(m, "rules.rr_alignment.granted[\(i)].municipalities[\(j)]")
            }
        }
        for (i, e) in rules.minPopulation.exceptions.enumerated() {
            for (j, c) in e.elz.enumerated() {
                checkELZ(c, name: e.elzNames.flatMap { j < $0.count ? $0[j] : nil }, "rules.min_population.exceptions[\(i)].elz[\(j)]")
            }
        }
        for (i, r) in (rules.rrCongruence.refusedRequests ?? []).enumerated() {
            for (j, c) in r.elz.enumerated() { checkELZ(c, name: nil, "rules.rr_congruence.refused_requests[\(i)].elz[\(j)]") }
        }
        if !errors.isEmpty { throw errors.count == 1 ? errors[0] as Error : DataErrors(errors) as Error }
    }

    // MARK: - Locating the default

    /// The default rule set file name, under `GeoData/rules/` in the repository.
    public static let defaultFileName = "art18-2026.json"

    // MARK: - Error text

    private static func isNIS(_ s: String) -> Bool { s.count == 5 && s.allSatisfy { $0.isASCII && $0.isNumber } }

    private static func path(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for k in codingPath {
            if let i = k.intValue { s += "[\(i)]"; continue }
            if !s.isEmpty { s += "." }
            s += snake(k.stringValue)
        }
        return s
    }

    private static func snake(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { if !out.isEmpty { out += "_" }; out += c.lowercased() } else { out.append(c) }
        }
        return out
    }

    private static func describe(_ e: DecodingError, source: String, data: Data) -> DataError {
        switch e {
        case .keyNotFound(let key, let ctx):
            let field = path(ctx.codingPath + [key])
            return DataError(file: source, field: field, message: "missing")
        case .typeMismatch(let type, let ctx):
            return DataError(file: source, field: path(ctx.codingPath), message: "expected \(typeName(type))")
        case .valueNotFound(let type, let ctx):
            return DataError(file: source, field: path(ctx.codingPath), message: "expected \(typeName(type)), found null")
        case .dataCorrupted(let ctx):
            let p = path(ctx.codingPath)
            if p.hasSuffix("level") || ctx.codingPath.last?.stringValue.hasSuffix("Level") == true {
                return DataError(file: source, field: p,
                                 message: "not a level: use one of \(FindingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return DataError(file: source, field: p.isEmpty ? nil : p, message: ctx.debugDescription)
        @unknown default:
            return DataError(file: source, message: "\(e)")
        }
    }

    private static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is FindingLevel.Type: return "a level (violation, excused, warning, info)"
        default:
            let n = "\(t)"
            if n.hasPrefix("Array") { return "a list" }
            return "an object (\(n.split(separator: ".").last ?? ""))"
        }
    }
}
