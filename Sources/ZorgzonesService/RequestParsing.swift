import Foundation
import GeoJSON
import Hummingbird
import Check
import Compare
import DataPackage
import Jobs
import Zoning

/// Reading request bodies and parameters: sizes, content types, JSON, zone tables given as JSON rows or CSV.
enum RequestParsing {
    /// Collects the body, refusing one larger than the limit: from `Content-Length` before reading, else while
    /// reading.
    static func tooLarge(_ limits: ServiceLimits) -> Problem {
        Problem(.bodyTooLarge, "the request body is larger than \(limits.maxBodyBytes) bytes (option --max-body-bytes)",
                limit: .init(name: "max-body-bytes", value: limits.maxBodyBytes))
    }

    /// A declared Content-Length over the limit is refused before anything else (no slot, no reading).
    static func checkBodyLength(_ request: Request, limits: ServiceLimits) throws {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.maxBodyBytes {
            throw tooLarge(limits)
        }
    }

    /// The whole body, up to the limit (read once a worker slot is held: `WorkLimiter.run(timeout:reading:_:)`).
    /// With a Content-Length the buffer is allocated once at that size, so a body takes its own size in memory
    /// (a growing buffer would take up to twice that).
    static func body(_ request: Request, limits: ServiceLimits) async throws -> ByteBuffer {
        try checkBodyLength(request, limits: limits)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        var out = ByteBufferAllocator().buffer(capacity: min(declared ?? 64 * 1024, limits.maxBodyBytes))
        for try await part in request.body {
            guard out.readableBytes + part.readableBytes <= limits.maxBodyBytes else { throw tooLarge(limits) }
            var part = part
            out.writeBuffer(&part)
        }
        return out
    }

    /// The media type of the body without parameters, lowercased; nil when absent.
    static func mediaType(_ request: Request) -> String? {
        guard let ct = request.headers[.contentType] else { return nil }
        return ct.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    static func requireMediaType(_ request: Request, _ allowed: [String]) throws -> String? {
        let mt = mediaType(request)
        if let mt, !allowed.contains(mt) {
            throw Problem(.unsupportedMediaType, "Content-Type \(mt) is not accepted here; use \(allowed.joined(separator: " or "))",
                          field: "Content-Type")
        }
        return mt
    }

    /// Parses a JSON body with the depth limit.
    static func json(_ bytes: ByteBuffer, limits: ServiceLimits) throws -> JSONValue {
        if bytes.readableBytes == 0 { throw Problem(.invalidRequest, "the request body is empty") }
        switch Result(catching: { () throws(JSONParseError) -> JSONValue in
            try JSONParser(maxDepth: limits.maxDepth).parse(bytes.readableBytesView)
        }) {
        case .success(let v): return v
        case .failure(let e): throw Problem.json(e, limits: limits)
        }
    }

    /// Reads GeoJSON with every limit. `prefix` is where it sits in the body, for error paths.
    static func featureCollection<Bytes: Collection<UInt8>>(_ bytes: Bytes, source: String, limits: ServiceLimits,
                                                            prefix: String = "") throws -> FeatureCollection {
        let reader = GeoJSONReader(source: source, maxFeatures: limits.maxFeatures, maxPositions: limits.maxPositions,
                                   maxDepth: limits.maxDepth)
        switch Result(catching: { () throws(GeoJSONError) -> FeatureCollection in try reader.readFeatureCollection(bytes) }) {
        case .success(let fc): return fc
        case .failure(let e):
            // The reader checks GeoJSON structure as it scans, so `[,` reads as "a feature must be an object";
            // a full JSON parse tells a syntax error (400, with line and column) from a GeoJSON one (422).
            if e.kind != .syntax && e.kind != .limitExceeded,
               case .failure(let j) = Result(catching: { () throws(JSONParseError) -> JSONValue in
                   try JSONParser(maxDepth: limits.maxDepth).parse(bytes)
               }), j.kind == .syntax {
                throw Problem.json(j, prefix: prefix, limits: limits)
            }
            throw Problem.geoJSON(e, prefix: prefix, limits: limits)
        }
    }

    // MARK: Zone tables

    /// A zone table given in a request: JSON rows (objects whose members are the CSV columns) or CSV text.
    struct TableInput {
        var table: ZoneTable
        /// Turns a `line N` location of the table into a path in the request body.
        var locate: @Sendable (DataError) -> String?
    }

    /// A zone table from JSON rows at `path` (e.g. `zoning`): `[{"elz_code": "elz1", "rzz_code": "rzz03", …}]`.
    static func zoneTable(rows value: JSONValue, path: String, name: String, limits: ServiceLimits) throws -> TableInput {
        let rows = try table(rows: value, path: path, name: name, limits: limits)
        let table: ZoneTable
        do {
            table = try ZoneTable(csv: rows)
        } catch {
            throw Problem.data(error, kind: .invalidZoning, summary: "the zone table is invalid",
                               locate: { rowPath($0, path: path) }) ?? Problem(.invalidZoning, "\(error)", path: path)
        }
        return TableInput(table: table, locate: { rowPath($0, path: path) })
    }

    /// A zone table from CSV text.
    static func zoneTable(csv bytes: ByteBuffer, name: String, limits: ServiceLimits) throws -> TableInput {
        guard let text = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw Problem(.invalidZoning, "the CSV body is not UTF-8 text")
        }
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        if lines > limits.maxTableRows + 1 {
            throw Problem(.limitExceeded, "the table has more than \(limits.maxTableRows) rows (option --max-table-rows)",
                          limit: .init(name: "max-table-rows", value: limits.maxTableRows))
        }
        do {
            let table = try ZoneTable(csv: CSVTable(text: text, name: name))
            return TableInput(table: table, locate: { $0.location })
        } catch {
            throw Problem.data(error, kind: .invalidZoning, summary: "the zone table is invalid")
                ?? Problem(.invalidZoning, "\(error)")
        }
    }

    /// `line N` of a table made from JSON rows (row `i` is line `i + 2`, as in a CSV file) → `path[N-2]`.
    static func rowPath(_ e: DataError, path: String) -> String? {
        guard let loc = e.location else { return path }
        if loc.hasPrefix("line "), let n = Int(loc.dropFirst(5)) {
            guard n >= 2 else { return path }
            return "\(path)[\(n - 2)]" + (e.field.map { "." + $0 } ?? "")
        }
        return "\(path): \(loc)"
    }

    /// JSON rows → a table (the header is every member name in order of first appearance; values trimmed as a
    /// CSV reader trims them). Row `i` counts as line `i + 2`, so messages map back to `path[i]` (`rowPath`).
    static func table(rows value: JSONValue, path: String, name: String, limits: ServiceLimits) throws -> CSVTable {
        guard case .array(let rows) = value else {
            throw Problem(.invalidZoning, "expected an array of row objects, found \(value.kindDescription)", path: path)
        }
        if rows.isEmpty { throw Problem(.invalidZoning, "the table has no rows", path: path) }
        if rows.count > limits.maxTableRows {
            throw Problem(.limitExceeded, "the table has \(rows.count) rows, more than \(limits.maxTableRows) (option --max-table-rows)",
                          path: path, limit: .init(name: "max-table-rows", value: limits.maxTableRows))
        }
        var columns: [String] = []
        var seen = Set<String>()
        var cells: [[String: String]] = []
        cells.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard case .object(let o) = row else {
                throw Problem(.invalidZoning, "expected a row object, found \(row.kindDescription)", path: "\(path)[\(i)]")
            }
            var r: [String: String] = [:]
            for (k, v) in o {
                if k.isEmpty { throw Problem(.invalidZoning, "empty column name", path: "\(path)[\(i)]") }
                guard let s = scalarText(v) else {
                    throw Problem(.invalidZoning, "expected a string or a number, found \(v.kindDescription)",
                                  path: "\(path)[\(i)].\(k)", field: k)
                }
                r[k] = s
                if seen.insert(k).inserted { columns.append(k) }
            }
            cells.append(r)
        }
        let trimmed = { (t: String) in t.trimmingCharacters(in: .whitespaces) }
        return CSVTable(name: name, header: columns.map(trimmed),
                        rows: cells.map { r in columns.map { trimmed(r[$0] ?? "") } },
                        lines: cells.indices.map { $0 + 2 })
    }

    /// A JSON scalar as table text: strings as they are, whole numbers without a decimal point.
    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
            return n.isFinite ? String(n) : nil
        case .bool(let b): return String(b)
        case .null: return ""
        default: return nil
        }
    }

    // MARK: Negotiation

    /// The output format: `?format=` if given (must be one of `allowed`), else the first of `allowed` whose media
    /// type the `Accept` header names, else the first of `allowed`.
    static func format(_ request: Request, allowed: [(name: String, mediaType: String)]) throws -> String {
        if let f = request.uri.queryParameters["format"].map(String.init) {
            guard allowed.contains(where: { $0.name == f }) else {
                throw Problem(.invalidRequest, "format '\(f)' is not offered here; use \(allowed.map(\.name).joined(separator: ", "))",
                              field: "format")
            }
            return f
        }
        let accept = request.headers[values: .accept].joined(separator: ",").lowercased()
        if !accept.isEmpty {
            let types = accept.split(separator: ",").map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            for t in types {
                if let a = allowed.first(where: { $0.mediaType.hasPrefix(t) && !t.isEmpty && t != "*/*" }) { return a.name }
            }
        }
        return allowed[0].name
    }

    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map { String($0) }
    }

    static func queryAll(_ request: Request, _ name: String) -> [String] {
        request.uri.queryParameters[values: Substring(name)].flatMap { $0.split(separator: ",").map(String.init) }
    }
}
