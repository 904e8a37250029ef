import Foundation
import Geometry
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
    }

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
        var errors: [(feature: Int, error: DataError)] = []
        var groups: [String: [Int]] = [:]
        var names: [String: String] = [:]
        var polygonal: [Int] = []
        for (i, f) in input.features.enumerated() {
            let loc = "features[\(i)]"
            guard let g = f.geometry, !g.polygons.isEmpty, g.vertexCount == g.polygons.reduce(0, { $0 + $1.vertexCount }) else {
                errors.append((i, DataError(file: source, location: loc, field: "geometry",
                                            message: "expected a Polygon or MultiPolygon, found \(f.geometry?.typeName ?? "null")")))
                continue
            }
            polygonal.append(i)
            switch grouping {
            case .property(let p):
                guard let k = Self.key(f.properties[p]) else {
                    errors.append((i, DataError(file: source, location: loc, field: "properties.\(p)",
                                                message: f.properties[p] == nil ? "missing (the dissolve groups by it)"
                                                    : "expected a string or number, found \(f.properties[p]!.kindDescription)")))
                    continue
                }
                groups[k, default: []].append(i)
                names[k] = k
            case .table(let keyProperty, let table):
                guard let k = Self.key(f.properties[keyProperty]) else {
                    errors.append((i, DataError(file: source, location: loc, field: "properties.\(keyProperty)",
                                                message: "missing (the assignment table is keyed by it)")))
                    continue
                }
                guard let z = table[k] else {
                    errors.append((i, DataError(file: source, location: loc, field: "properties.\(keyProperty)",
                                                message: "'\(k)' is not in the assignment table")))
                    continue
                }
                groups[z.code, default: []].append(i)
                names[z.code] = z.name
            }
            for s in sum {
                if let v = f.properties[s], v.doubleValue == nil, !v.isNull {
                    errors.append((i, DataError(file: source, location: loc, field: "properties.\(s)",
                                                message: "cannot sum: expected a number, found \(v.kindDescription)")))
                }
            }
            if errors.count > 100 { break }
        }
        if validate && errors.count <= 100 && !polygonal.isEmpty {
            // GEOS validity of every polygonal feature, in parallel over interleaved chunks of features.
            let chunks = Swift.min(polygonal.count, ProcessInfo.processInfo.activeProcessorCount * 8)
            let found = ResultSlots<[(feature: Int, error: DataError)]>(count: chunks)
            let source = self.source, features = input.features, candidates = polygonal
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var local: [(feature: Int, error: DataError)] = []
                for k in stride(from: c, to: candidates.count, by: chunks) {
                    let i = candidates[k]
                    let loc = "features[\(i)]"
                    do {
                        let d = try Geometry(features[i].geometry!).validityDetail()
                        if !d.valid {
                            let at = d.location.map { " at (\($0.x), \($0.y))" } ?? ""
                            local.append((i, DataError(file: source, location: loc, field: "geometry",
                                                       message: "invalid polygon: \(d.reason ?? "invalid")\(at)")))
                        }
                    } catch {
                        local.append((i, DataError(file: source, location: loc, field: "geometry", message: "\(error)")))
                    }
                }
                found.set(c, .success(local))
            }
            // In input order; for one feature its geometry error before its property errors.
            let all = (try found.values()).flatMap { $0 } + errors
            errors = all.enumerated().sorted { ($0.element.feature, $0.offset) < ($1.element.feature, $1.offset) }.map(\.element)
        }
        if !errors.isEmpty { throw DataErrors(errors.prefix(101).map(\.error)) }
        if input.features.isEmpty { throw DataError(file: source, location: "features", message: "no features to dissolve") }

        let codes = groups.keys.sorted(by: naturalLess)
        let groupsByCode = groups, namesByCode = names
        let slots = ResultSlots<(Feature, DissolveMethod)>(count: codes.count)
        let inBelgium = input.features.allSatisfy { f in
            guard let b = f.geometry?.bounds else { return false }
            return b.minX > 2.0 && b.maxX < 7.0 && b.minY > 49.0 && b.maxY < 52.0
        }
        // The coverage report (one table over all features) is the first job, next to the zone unions.
        let report = ResultSlots<EdgeMatch>(count: 1)
        DispatchQueue.concurrentPerform(iterations: codes.count + 1) { job in
            if job == 0 {
                report.set(0, .success(EdgeMatch(blocks: input.features.enumerated().map { (String($0.offset), $0.element.geometry!) })))
                return
            }
            let i = job - 1
            slots.set(i, Swift.Result {
                let code = codes[i]
                let members = groupsByCode[code]!
                let (shape, method) = try dissolveShapes(members.map { input.features[$0].geometry! })
                var p: JSONObject = [:]
                switch grouping {
                case .property(let name): p[name] = input.features[members[0]].properties[name]
                case .table: p["code"] = .string(code); p["name"] = .string(namesByCode[code] ?? code)
                }
                p["count"] = .number(Double(members.count))
                if let idProperty {
                    p["members"] = .array(members.map { .string(Self.key(input.features[$0].properties[idProperty]) ?? String($0)) })
                }
                for s in sum {
                    p[s] = .number(members.reduce(0.0) { $0 + (input.features[$1].properties[s]?.doubleValue ?? 0) })
                }
                if inBelgium {
                    let projected = try Projection.transform(shape, from: .crs84, to: .lambert72)
                    p["area_km2"] = .number(rounded(planarArea(projected) / 1e6, 4))
                }
                p["parts"] = .number(Double(shape.polygons.count))
                p["method"] = .string(method.rawValue)
                return (Feature(id: .string(code), properties: p, geometry: shape), method)
            })
        }
        let out = try slots.values()
        let edgeMatch = try report.values()[0]
        var methods: [DissolveMethod: Int] = [:]
        for (_, m) in out { methods[m, default: 0] += 1 }
        return Result(collection: FeatureCollection(name: input.name.map { $0 + "_dissolved" } ?? "dissolved", features: out.map(\.0)),
                      edgeMatch: edgeMatch, methods: methods)
    }
}
