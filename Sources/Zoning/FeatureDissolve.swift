import Foundation
import GeoCore
import GEOS
import GeoJSON
import Projection

/// Dissolve of any polygon FeatureCollection by a grouping, the way GIS users know it from geopandas
/// `dissolve(by=…)` or PostGIS `ST_Union … GROUP BY`: what `zorgzones dissolve` and `POST /v1/dissolve` run.
public struct FeatureDissolve: Sendable {
    /// How features are grouped.
    public enum Grouping: Sendable {
        /// By the value of a feature property (strings, or numbers written as integers when whole).
        case property(String)
        /// By a table: the feature property `key` is looked up in `table` (key → zone code, zone name).
        case table(key: String, table: [String: ZoneRef])
    }

    public var grouping: Grouping
    /// Numeric properties to sum per zone (e.g. `population`).
    public var sum: [String] = []
    /// Property holding each feature's id, listed per zone as `members`; nil: no member list.
    public var idProperty: String?
    /// Name of the input, for messages.
    public var source: String = "<input>"
    /// Check every input polygon with GEOS first and refuse invalid ones (self-intersections, …) with the
    /// reason and location, instead of letting the union fail or produce a wrong answer.
    public var validate = true
    /// Repair invalid input polygons with GEOS `MakeValid` (like PostGIS `ST_MakeValid`, shapely `make_valid`)
    /// instead of refusing them; the result lists the features it changed.
    public var makeValid = false
    /// Features whose grouping value is null or missing: left out and reported (geopandas `dropna=True`), or,
    /// with `keepNull`, dissolved as one group of their own whose value is null.
    public var keepNull = false

    public init(grouping: Grouping, sum: [String] = [], idProperty: String? = nil, source: String = "<input>") {
        self.grouping = grouping
        self.sum = sum
        self.idProperty = idProperty
        self.source = source
    }

    /// The result, with what was found about the input coverage.
    public struct Result: Sendable {
        public var collection: FeatureCollection
        public var edgeMatch: EdgeMatch
        public var methods: [DissolveMethod: Int]
        /// Indices of the features left out because their grouping value is null or missing.
        public var leftOut: [Int] = []
        /// Indices of the invalid features repaired by `makeValid`, with GEOS's reason.
        public var repaired: [(feature: Int, reason: String)] = []
        /// Indices of the features whose geometry is null: counted in their group, no area.
        public var withoutGeometry: [Int] = []
    }

    /// The group of features whose grouping value is null or missing, when `keepNull` keeps them.
    static let nullGroup = "\u{0}null"

    static func key(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b)?: return String(b)
        default: return nil
        }
    }

    /// Dissolves. Every feature must have a polygonal geometry and a grouping value; all problems are reported
    /// together, each with the feature index and the field.
    public func run(_ input: FeatureCollection) throws -> Result {
        var input = input
        var scan = self.scan(&input)
        checkNamedProperties(in: input, &scan)
        var repairedFeatures: [(feature: Int, reason: String)] = []
        if validate && scan.errors.count <= 100 && !scan.polygonal.isEmpty {
            let (found, repairs) = try validity(of: scan.polygonal, in: input.features)
            for r in repairs {
                input.features[r.feature].geometry = r.shape
                repairedFeatures.append((r.feature, r.reason))
            }
            // In input order; for one feature its geometry error before its property errors.
            let all = found + scan.errors
            scan.errors = all.enumerated().sorted { ($0.element.feature, $0.offset) < ($1.element.feature, $1.offset) }.map(\.element)
        }
        if !scan.errors.isEmpty { throw DataErrors(scan.errors.prefix(101).map(\.error)) }
        if input.features.isEmpty { throw DataError(file: source, location: "features", message: "no features to dissolve") }
        if scan.groups.isEmpty {
            throw DataError(file: source, location: "features", message: "every feature's grouping value is null or missing (\(scan.leftOut.count) features); keep them as one group with --keep-null / keep_null=true")
        }
        let (zones, edgeMatch) = try dissolve(input, groups: scan.groups, names: scan.names)
        var methods: [DissolveMethod: Int] = [:]
        for (_, m) in zones { methods[m, default: 0] += 1 }
        return Result(collection: FeatureCollection(name: input.name.map { $0 + "_dissolved" } ?? "dissolved", features: zones.map(\.0)),
                      edgeMatch: edgeMatch, methods: methods, leftOut: scan.leftOut, repaired: repairedFeatures,
                      withoutGeometry: scan.withoutGeometry)
    }

    /// What one pass over the features finds: the groups, and every problem of a single feature.
    struct Scan {
        var errors: [(feature: Int, error: DataError)] = []
        var groups: [String: [Int]] = [:]
        var names: [String: String] = [:]
        var polygonal: [Int] = []
        var leftOut: [Int] = []
        var summedSeen = Set<String>()
        var unsummable: [String: (count: Int, first: Int, kind: String)] = [:]
        var idSeen = false
        /// False when the scan stopped after 100 errors: "no feature has it" cannot be said then.
        var scannedAll = true
        var withoutGeometry: [Int] = []
    }

    /// Groups the features and notes each one's problems; a null geometry becomes an empty MultiPolygon.
    func scan(_ input: inout FeatureCollection) -> Scan {
        var scan = Scan()
        for (i, f) in input.features.enumerated() {
            let loc = "features[\(i)]"
            // Polygon or MultiPolygon; an empty one (RFC 7946 "coordinates": []) joins its group and adds no area,
            // and so does a null geometry (an unlocated feature), as NULL in PostGIS's ST_Union; both are listed.
            if f.geometry == nil {
                input.features[i].geometry = .multiPolygon([])
                scan.withoutGeometry.append(i)
            }
            guard input.features[i].geometry!.isPolygonal else {
                scan.errors.append((i, DataError(file: source, location: loc, field: "geometry",
                                                 message: "expected a Polygon or MultiPolygon, found \(f.geometry?.typeName ?? "null")")))
                continue
            }
            scan.polygonal.append(i)
            switch grouping {
            case .property(let p):
                let v = f.properties[p]
                if v == nil || v!.isNull {
                    guard keepNull else { scan.leftOut.append(i); continue }
                    scan.groups[Self.nullGroup, default: []].append(i)
                } else {
                    guard let k = Self.key(v) else {
                        scan.errors.append((i, DataError(file: source, location: loc, field: "properties.\(p)",
                                                         message: "expected a string or number, found \(v!.kindDescription)")))
                        continue
                    }
                    scan.groups[k, default: []].append(i)
                    scan.names[k] = k
                }
            case .table(let keyProperty, let table):
                let v = f.properties[keyProperty]
                if v == nil || v!.isNull {
                    guard keepNull else { scan.leftOut.append(i); continue }
                    scan.groups[Self.nullGroup, default: []].append(i)
                    break
                }
                guard let k = Self.key(v) else {
                    scan.errors.append((i, DataError(file: source, location: loc, field: "properties.\(keyProperty)",
                                                     message: "expected a string or number, found \(v!.kindDescription)")))
                    continue
                }
                guard let z = table[k] else {
                    scan.errors.append((i, DataError(file: source, location: loc, field: "properties.\(keyProperty)",
                                                     message: "'\(k)' is not in the assignment table")))
                    continue
                }
                scan.groups[z.code, default: []].append(i)
                scan.names[z.code] = z.name
            }
            for s in sum {
                let v = f.properties[s]
                if v != nil { scan.summedSeen.insert(s) }
                if v == nil || v!.isNull || v!.doubleValue == nil {
                    if scan.unsummable[s] == nil { scan.unsummable[s] = (0, i, v?.kindDescription ?? "missing") }
                    scan.unsummable[s]!.count += 1
                }
            }
            if let idProperty, f.properties[idProperty] != nil { scan.idSeen = true }
            if scan.errors.count > 100 { scan.scannedAll = false; break }
        }
        return scan
    }

    /// The properties the request names (grouping, sums, id): one that no feature has is a typo, not a column of
    /// zeros or indices; a sum over a feature without a number, or a member without an id, is refused.
    func checkNamedProperties(in input: FeatureCollection, _ scan: inout Scan) {
        let available = Set(input.features.prefix(1000).flatMap { $0.properties.keys }).sorted()
        func noSuchProperty(_ name: String, _ option: String) -> DataError {
            DataError(file: source, location: "features", field: "properties.\(name)",
                      message: "no feature has the property '\(name)' (\(option)); properties found: \(available.prefix(30).joined(separator: ", "))")
        }
        if case .property(let p) = grouping, !input.features.isEmpty,
           !input.features.contains(where: { $0.properties[p] != nil }) {
            scan.errors.insert((-1, noSuchProperty(p, "the dissolve groups by it")), at: 0)
        }
        if case .table(let p, _) = grouping, !input.features.isEmpty,
           !input.features.contains(where: { $0.properties[p] != nil }) {
            scan.errors.insert((-1, noSuchProperty(p, "the assignment table is keyed by it")), at: 0)
        }
        for s in sum where scan.scannedAll && !scan.summedSeen.contains(s) && !input.features.isEmpty {
            scan.errors.insert((-1, noSuchProperty(s, "--sum / sum=")), at: 0)
        }
        for s in sum where scan.summedSeen.contains(s) {
            if let u = scan.unsummable[s] {
                scan.errors.append((u.first, DataError(file: source, location: "features[\(u.first)]", field: "properties.\(s)",
                    message: "cannot sum '\(s)': \(u.count) feature\(u.count == 1 ? "" : "s") without a number (first here: \(u.kind)); zero is not a default for a missing value")))
            }
        }
        if let idProperty, scan.scannedAll, !scan.idSeen, !input.features.isEmpty {
            scan.errors.insert((-1, noSuchProperty(idProperty, "--id / id=")), at: 0)
        } else if let idProperty {
            let without = input.features.indices.filter { Self.key(input.features[$0].properties[idProperty]) == nil }
            if let first = without.first {
                scan.errors.append((first, DataError(file: source, location: "features[\(first)]", field: "properties.\(idProperty)",
                    message: "\(without.count) feature\(without.count == 1 ? " has" : "s have") no usable '\(idProperty)' (null, missing or not a string or number) to list as a member")))
            }
        }
    }

    /// The zones (one feature per group, with its properties and the union method), in natural order of their
    /// codes, and the coverage report over all features: computed side by side.
    func dissolve(_ input: FeatureCollection, groups: [String: [Int]], names: [String: String]) throws
        -> (zones: [(Feature, DissolveMethod)], edgeMatch: EdgeMatch) {
        let dissolveInput = input
        let codes = groups.keys.sorted(by: naturalLess)
        let groupsByCode = groups, namesByCode = names
        let slots = ResultSlots<(Feature, DissolveMethod)>(count: codes.count)
        // Empty geometries have no position, and say nothing about where the input is.
        let located = dissolveInput.features.compactMap { $0.geometry?.bounds }
        let inBelgium = !located.isEmpty && located.allSatisfy { b in
            b.minX > 2.0 && b.maxX < 7.0 && b.minY > 49.0 && b.maxY < 52.0
        }
        // The coverage report (one table over all features) is the first job, next to the zone unions.
        let report = ResultSlots<EdgeMatch>(count: 1)
        DispatchQueue.concurrentPerform(iterations: codes.count + 1) { job in
            if job == 0 {
                report.set(0, .success(EdgeMatch(shapes: dissolveInput.features.map { $0.geometry! }, id: { String($0) })))
                return
            }
            let i = job - 1
            slots.set(i, Swift.Result {
                let code = codes[i]
                let members = groupsByCode[code]!
                let (shape, method) = try dissolveShapes(members.map { dissolveInput.features[$0].geometry! })
                var p: JSONObject = [:]
                let isNullGroup = code == Self.nullGroup
                switch grouping {
                case .property(let name): p[name] = isNullGroup ? .null : dissolveInput.features[members[0]].properties[name]
                case .table: p["code"] = isNullGroup ? .null : .string(code); p["name"] = isNullGroup ? .null : .string(namesByCode[code] ?? code)
                }
                p["count"] = .number(Double(members.count))
                if let idProperty {
                    p["members"] = .array(members.map { .string(Self.key(dissolveInput.features[$0].properties[idProperty])!) })
                }
                for s in sum {
                    // Every value is a number here (checked above).
                    p[s] = .number(members.reduce(0.0) { $0 + dissolveInput.features[$1].properties[s]!.doubleValue! })
                }
                if inBelgium {
                    let projected = try Projection.transform(shape, from: .crs84, to: .lambert72)
                    p["area_km2"] = .number(rounded(projected.area / 1e6, 4))
                }
                p["parts"] = .number(Double(shape.polygons.count))
                p["method"] = .string(method.rawValue)
                return (Feature(id: isNullGroup ? nil : .string(code), properties: p, geometry: shape), method)
            })
        }
        return (try slots.results(), try report.results()[0])
    }

    /// GEOS validity of every polygonal feature, in parallel over interleaved chunks of features: the errors (or,
    /// with `makeValid`, the repairs), in input order.
    func validity(of polygonal: [Int], in features: [Feature]) throws
        -> (errors: [(feature: Int, error: DataError)], repairs: [(feature: Int, reason: String, shape: Shape)]) {
        let chunks = Swift.min(polygonal.count, ProcessInfo.processInfo.activeProcessorCount * 8)
        let found = ResultSlots<[(feature: Int, error: DataError)]>(count: chunks)
        let fixes = ResultSlots<[(feature: Int, reason: String, shape: Shape)]>(count: chunks)
        let source = self.source, candidates = polygonal, makeValid = self.makeValid
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var local: [(feature: Int, error: DataError)] = []
            var repaired: [(feature: Int, reason: String, shape: Shape)] = []
            for k in stride(from: c, to: candidates.count, by: chunks) {
                let i = candidates[k]
                let loc = "features[\(i)]"
                do {
                    let g = try Geometry(features[i].geometry!)
                    if let reason = try g.validityProblem() {
                        if makeValid {
                            let polys = try g.makeValid().polygons()
                            if polys.isEmpty {
                                local.append((i, DataError(file: source, location: loc, field: "geometry",
                                                           message: "invalid polygon (\(reason)) with no area left after repair")))
                            } else {
                                repaired.append((i, reason, Shape.polygonal(polys)))
                            }
                        } else {
                            local.append((i, DataError(file: source, location: loc, field: "geometry",
                                                       message: "invalid polygon: \(reason) (--make-valid repairs it)")))
                        }
                    }
                } catch {
                    local.append((i, DataError(file: source, location: loc, field: "geometry", message: "\(error)")))
                }
            }
            found.set(c, .success(local))
            fixes.set(c, .success(repaired))
        }
        return ((try found.results()).flatMap { $0 },
                (try fixes.results()).flatMap { $0 }.sorted { $0.feature < $1.feature })
    }
}
