import Foundation
import GeoJSON
import Hummingbird
import Check
import Compare
import DataPackage
import Jobs
import Zoning

/// `POST /v1/dissolve`: a GeoJSON FeatureCollection of polygons → the dissolved FeatureCollection.
///
/// How features are grouped comes from the query (`?by=PROPERTY`, `sum`, `id`, `precision`, `validate`) or from a
/// foreign member `dissolve` of the posted FeatureCollection (RFC 7946 §6.1), so the body stays valid GeoJSON and
/// error paths point into it as sent:
///
/// ```json
/// {"type": "FeatureCollection",
///  "dissolve": {"key": "nis", "table": [{"key": "11002", "code": "A", "name": "Antwerpen"}], "sum": ["pop"]},
///  "features": [ … ]}
/// ```
/// `dissolve` members: `by` (a property) or `key` + `table` (rows of `key`, `code`, optional `name`); optional
/// `sum` (property names), `id` (property listed per zone as `members`), `precision` (0…12, default 6),
/// `validate` (default true). A member given both in the query and in the body is an error.
/// Reads a `DissolveJob` (the same job and checks as `zorgzones dissolve`) from the query and the body.
enum DissolveOptions {
    static let members: Set<String> = ["by", "key", "table", "sum", "id", "precision", "validate", "make_valid", "keep_null"]

    /// Reads the options from the query and the collection's `dissolve` member.
    static func read(query: [String: [String]], body: JSONValue?, limits: ServiceLimits) throws -> DissolveJob {
        var given: [String: (value: JSONValue, path: String)] = [:]
        for (k, values) in query {
            guard members.contains(k) else { continue }
            if k == "table" || k == "key" {
                throw Problem(.invalidRequest, "'\(k)' goes in the body's \"dissolve\" member (an assignment table does not fit in a query)",
                              field: k)
            }
            if k == "sum" { given[k] = (.array(values.map(JSONValue.string)), "?\(k)"); continue }
            guard values.count == 1 else { throw Problem(.invalidRequest, "query parameter '\(k)' is given \(values.count) times", field: k) }
            given[k] = (.string(values[0]), "?\(k)")
        }
        if let body {
            guard case .object(let o) = body else {
                throw Problem(.invalidRequest, "\"dissolve\" must be an object, found \(body.kindDescription)", path: "dissolve")
            }
            for (k, v) in o {
                guard members.contains(k) else {
                    throw Problem(.invalidRequest, "unknown member '\(k)'; known: \(members.sorted().joined(separator: ", "))",
                                  path: "dissolve.\(k)", field: k)
                }
                if given[k] != nil {
                    throw Problem(.invalidRequest, "'\(k)' is given both in the query and in the body", path: "dissolve.\(k)", field: k)
                }
                given[k] = (v, "dissolve.\(k)")
            }
        }
        func string(_ k: String) throws -> String? {
            guard let (v, path) = given[k] else { return nil }
            guard case .string(let s) = v, !s.isEmpty else {
                throw Problem(.invalidRequest, "'\(k)' must be a non-empty string, found \(v.kindDescription)", path: path, field: k)
            }
            return s
        }
        let grouping: FeatureDissolve.Grouping
        let by = try string("by"), key = try string("key")
        if let by {
            if key != nil || given["table"] != nil {
                throw Problem(.invalidRequest, "give either 'by' or 'key' with 'table', not both", field: "by")
            }
            grouping = .property(by)
        } else if let key {
            guard let table = given["table"] else {
                throw Problem(.invalidRequest, "'key' needs 'table': rows of key, code and name", path: "dissolve.table", field: "table")
            }
            grouping = .table(key: key, table: try readTable(table.value, path: table.path, limits: limits))
        } else if given["table"] != nil {
            throw Problem(.invalidRequest, "'table' needs 'key': the feature property looked up in the table", path: "dissolve.key", field: "key")
        } else {
            throw Problem(.invalidRequest, "say how to group the features: ?by=PROPERTY, or a \"dissolve\" member with \"by\", or with \"key\" and \"table\"",
                          field: "by")
        }
        var options = DissolveJob(grouping: grouping)
        if let (v, path) = given["sum"] {
            switch v {
            case .string(let s): options.sum = s.split(separator: ",").map(String.init)
            case .array(let a):
                options.sum = try a.enumerated().flatMap { i, e -> [String] in
                    guard case .string(let s) = e, !s.isEmpty else {
                        throw Problem(.invalidRequest, "'sum' must list property names", path: "\(path)[\(i)]", field: "sum")
                    }
                    return s.split(separator: ",").map(String.init)
                }
            default: throw Problem(.invalidRequest, "'sum' must list property names", path: path, field: "sum")
            }
        }
        options.id = try string("id")
        if let (v, path) = given["precision"] {
            let n: Int?
            switch v {
            case .number(let d): n = d == d.rounded() && abs(d) < 1e6 ? Int(d) : nil
            case .string(let s): n = Int(s)
            default: n = nil
            }
            guard let n else { throw Problem(UsageError("precision", "must be a whole number from 0 to 12"), path: path) }
            options.precision = n
        }
        func flag(_ k: String) throws -> Bool? {
            guard let (v, path) = given[k] else { return nil }
            switch v {
            case .bool(let b): return b
            case .string("true"), .string("1"): return true
            case .string("false"), .string("0"): return false
            default: throw Problem(.invalidRequest, "'\(k)' must be true or false", path: path, field: k)
            }
        }
        if let b = try flag("validate") { options.validate = b }
        if let b = try flag("make_valid") { options.makeValid = b }
        if let b = try flag("keep_null") { options.keepNull = b }
        do throws(UsageError) { try options.check() } catch {   // the checks `zorgzones dissolve` makes
            throw Problem(error, path: given[error.option]?.path)
        }
        return options
    }

    static func readTable(_ value: JSONValue, path: String, limits: ServiceLimits) throws -> [String: ZoneRef] {
        guard case .array(let rows) = value else {
            throw Problem(.invalidRequest, "'table' must be an array of {\"key\", \"code\", \"name\"} rows, found \(value.kindDescription)",
                          path: path, field: "table")
        }
        if rows.count > limits.maxTableRows {
            throw Problem(.limitExceeded, "the table has \(rows.count) rows, more than \(limits.maxTableRows) (option --max-table-rows)",
                          path: path, limit: .init(name: "max-table-rows", value: limits.maxTableRows))
        }
        var table: [String: ZoneRef] = [:]
        var names: [String: String] = [:]
        for (i, row) in rows.enumerated() {
            let p = "\(path)[\(i)]"
            guard case .object(let o) = row else {
                throw Problem(.invalidRequest, "expected a {\"key\", \"code\", \"name\"} object, found \(row.kindDescription)", path: p)
            }
            for k in o.keys where !["key", "code", "name"].contains(k) {
                throw Problem(.invalidRequest, "unknown member '\(k)' (a row has key, code and name)", path: "\(p).\(k)", field: k)
            }
            func text(_ k: String, required: Bool) throws -> String? {
                guard let v = o[k], !v.isNull else {
                    if required { throw Problem(.invalidRequest, "missing '\(k)'", path: "\(p).\(k)", field: k) }
                    return nil
                }
                guard let s = RequestParsing.scalarText(v), !s.isEmpty, !(v.boolValue != nil) else {
                    throw Problem(.invalidRequest, "'\(k)' must be a non-empty string or number, found \(v.kindDescription)",
                                  path: "\(p).\(k)", field: k)
                }
                return s
            }
            let key = try text("key", required: true)!, code = try text("code", required: true)!
            let name = try text("name", required: false) ?? code
            if let existing = table[key], existing.code != code {
                throw Problem(.invalidRequest, "key '\(key)' is assigned twice: to '\(existing.code)' and to '\(code)'", path: "\(p).key", field: "key")
            }
            if let n = names[code], n != name {
                throw Problem(.invalidRequest, "zone '\(code)' is named '\(name)' here but '\(n)' before", path: "\(p).name", field: "name")
            }
            names[code] = name
            table[key] = ZoneRef(code: code, name: name)
        }
        if table.isEmpty { throw Problem(.invalidRequest, "the table has no rows", path: path, field: "table") }
        return table
    }
}

extension Handlers {
    func dissolve(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try RequestParsing.requireMediaType(request, [MediaTypes.geoJSON, MediaTypes.json])
        try RequestParsing.checkBodyLength(request, limits: limits)
        var parameters: [String: [String]] = [:]
        for (k, v) in request.uri.queryParameters { parameters[String(k), default: []].append(String(v)) }
        let query = parameters
        let gzip = acceptsGzip(request)
        let limits = self.limits
        let representation = try await limiter.run(timeout: limits.requestTimeout, reading: { try await RequestParsing.body(request, limits: limits) }) { (body: ByteBuffer) throws -> Representation in
            if body.readableBytes == 0 { throw Problem(.invalidRequest, "the request body is empty: post a GeoJSON FeatureCollection") }
            var fc = try RequestParsing.featureCollection(body.readableBytesView, source: "request", limits: limits)
            let options = try DissolveOptions.read(query: query, body: fc.foreignMembers["dissolve"], limits: limits)
            _ = fc.foreignMembers.removeValue(forKey: "dissolve")
            let result: FeatureDissolve.Result
            do { result = try options.dissolve(fc, source: "request") } catch {
                throw Problem.data(error, kind: .invalidGeoJSON, summary: "the features cannot be dissolved")
                    ?? Problem(.invalidGeometry, "\(error)")
            }
            var out: FeatureCollection
            do { out = try options.written(result, output: "result") } catch {
                throw Problem.data(error, kind: .invalidGeometry, summary: "the result cannot be written valid at precision \(options.precision)")
                    ?? Problem(.invalidGeometry, "\(error)")
            }
            var methods: JSONObject = [:]
            for (m, n) in result.methods.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { methods[m.rawValue] = .number(Double(n)) }
            func indices(_ list: [Int]) -> JSONValue { .array(list.prefix(1000).map { JSONValue.number(Double($0)) }) }
            let leftOut: JSONValue = .object([
                "reason": .string("grouping value null or missing (keep_null=true keeps them as a group)"),
                "count": .number(Double(result.leftOut.count)),
                "features": indices(result.leftOut),
            ])
            let repaired: [JSONValue] = result.repaired.map { r -> JSONValue in
                .object(["feature": .number(Double(r.feature)), "reason": .string(r.reason)])
            }
            out.foreignMembers["zorgzones"] = .object([
                "input_features": .number(Double(fc.features.count)),
                "zones": .number(Double(out.features.count)),
                "methods": .object(methods),
                "left_out": leftOut,
                "null_geometry": indices(result.withoutGeometry),
                "repaired": .array(repaired),
                "coverage": .object([
                    // Proven clean: every edge matched and every zone's union was proven or checked. An overlap
                    // that leaves no conflicting edge (a vertex bulging into the neighbour) only shows as a zone
                    // the overlay union had to recompute.
                    "clean": .bool(result.edgeMatch.isClean && result.methods[.unaryUnion] == nil),
                    "edges_match": .bool(result.edgeMatch.isClean),
                    "zones_recomputed": .number(Double(result.methods[.unaryUnion] ?? 0)),
                    "edges": .number(Double(result.edgeMatch.edges)),
                    "shared_edges": .number(Double(result.edgeMatch.sharedEdges)),
                    "conflicting_edges": .number(Double(result.edgeMatch.conflicts.count)),
                ]),
            ])
            fc = FeatureCollection()
            let bytes: [UInt8]
            switch Result(catching: { () throws(GeoJSONError) -> [UInt8] in try GeoJSONWriter(precision: options.precision).write(out) }) {
            case .success(let b): bytes = b
            case .failure(let e): throw Problem(.invalidGeometry, "the result cannot be written as GeoJSON: \(e.message)", path: e.path)
            }
            return Representation(bytes, contentType: MediaTypes.geoJSON, gzip: gzip, minGzipBytes: limits.minGzipBytes,
                                  cacheControl: "no-store")
        }
        return try representation.response(for: request, conditional: false)
    }
}
