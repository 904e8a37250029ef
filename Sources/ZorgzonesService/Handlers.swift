import Cartography
import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import Check
import Compare
import DataPackage
import Jobs
import Printing
import Zoning

/// The route handlers. Cheap ones (static layers, health, the page, the OpenAPI document) answer from the
/// catalogue directly; heavy ones read the body, then do all parsing and computing in the `WorkLimiter`.
struct Handlers: Sendable {
    let catalogue: Catalogue
    let limiter: WorkLimiter
    /// The page, one variant per selected layer (`/?layer=elz`).
    let pages: [String: Representation]
    /// `GET /workbench`: the scenario workbench, one self-contained page (`Resources/workbench.html`).
    let workbench: Representation
    let openAPI: Representation
    /// OGC API – Features at `/ogc`.
    let ogc: OGCFeatures
    var limits: ServiceLimits { catalogue.limits }

    init(catalogue: Catalogue, limiter: WorkLimiter) {
        self.catalogue = catalogue
        self.limiter = limiter
        var pages: [String: Representation] = [:]
        for n in catalogue.layerNames + [""] {
            pages[n] = Representation(Array(IndexPage.html(catalogue, layer: n.isEmpty ? nil : n).utf8),
                                      contentType: MediaTypes.html, minGzipBytes: catalogue.limits.minGzipBytes)
        }
        self.pages = pages
        workbench = Representation(PackageResources.workbench_html, contentType: MediaTypes.html,
                                   minGzipBytes: catalogue.limits.minGzipBytes)
        var doc = JSONWriter(pretty: true).write(OpenAPIDocument.document(catalogue))
        doc.append(0x0A)
        openAPI = Representation(doc, contentType: MediaTypes.json, minGzipBytes: catalogue.limits.minGzipBytes)
        var api = JSONWriter(pretty: true).write(OpenAPIDocument.ogcDocument(catalogue))
        api.append(0x0A)
        ogc = OGCFeatures(store: catalogue.features, api: api, minGzipBytes: catalogue.limits.minGzipBytes)
    }

    // MARK: Static


    /// `GET /v1/scenarios`: the zoning proposals the service has, with the links of their CSV.
    func scenarioIndex(_ request: Request) throws -> Response {
        let list: [JSONValue] = catalogue.scenarios.map { s in
            ["name": .string(s.name), "label": .string(s.label), "title": .string(s.title), "title_en": .string(s.titleEn), "file": .string(s.file),
             "csv": .string("/v1/scenarios/\(s.name).csv")]
        }
        return try Representation(JSONWriter(pretty: true).write(["scenarios": .array(list)]), contentType: MediaTypes.json,
                                  minGzipBytes: limits.minGzipBytes).response(for: request)
    }

    /// `GET /v1/scenarios/{scenario}.csv`: one proposal, as the file has it.
    func scenario(_ request: Request, context: some RequestContext) throws -> Response {
        let name = context.parameters.get("scenario") ?? ""
        guard let s = catalogue.scenarios.first(where: { $0.name == name }) else {
            throw Problem(.notFound, "no scenario '\(name)'; the scenarios are \(catalogue.scenarios.map(\.name).joined(separator: ", "))",
                          field: "scenario")
        }
        var extra = HTTPFields()
        extra[.contentDisposition] = "inline; filename=\"\(s.file)\""
        return try Representation(s.csv, contentType: "text/csv; charset=utf-8", minGzipBytes: limits.minGzipBytes)
            .response(for: request, extraHeaders: extra)
    }

    func page(_ request: Request) throws -> Response {
        let layer = RequestParsing.query(request, "layer") ?? ""
        guard let page = pages[layer] else {
            throw Problem(.notFound, "no layer '\(layer)'; the layers are \(catalogue.layerNames.joined(separator: ", "))", field: "layer")
        }
        return try page.response(for: request)
    }

    func layer(_ request: Request, context: some RequestContext, svg: Bool, topojson: Bool = false) throws -> Response {
        let name = context.parameters.get("layer") ?? ""
        guard let layer = catalogue.layers[name] else {
            throw Problem(.notFound, "no layer '\(name)'; the layers are \(catalogue.layerNames.joined(separator: ", "))",
                          field: "layer")
        }
        if let s = RequestParsing.query(request, "simplify"), !svg {
            // A web layer: borders simplified on the layer's arcs (metres), neighbours aligned; properties unchanged.
            guard let metres = Double(s), metres > 0, metres <= 10_000 else {
                throw Problem(.invalidRequest, "simplify must be a number of metres above 0 and at most 10000, not '\(s)'", field: "simplify")
            }
            let simplified: FeatureCollection
            do {
                simplified = try LayerSimplification.simplified(layer.collection, toleranceM: metres).collection
                    .reducedToPrecision(6, source: "\(name).geojson", knownValid: false)
            } catch {
                // Well-formed, but the borders at that tolerance do not give valid polygons at 6 decimals.
                throw Problem(.invalidGeometry, "the layer simplified to \(s) m is not valid at 6 decimals (\(error)); choose a smaller tolerance", field: "simplify")
            }
            var extra = HTTPFields()
            extra[.contentDisposition] = "inline; filename=\"\(name)-\(s)m.\(topojson ? "topojson" : "geojson")\""
            let bytes = topojson ? try TopoJSONWriter(precision: 6).write([(name, simplified)]) : try GeoJSONWriter(precision: 6).write(simplified)
            return try Representation(bytes, contentType: topojson ? MediaTypes.topoJSON : MediaTypes.geoJSON, minGzipBytes: limits.minGzipBytes)
                .response(for: request, extraHeaders: extra)
        }
        if topojson {
            var extra = HTTPFields()
            extra[.contentDisposition] = "inline; filename=\"\(name).topojson\""
            return try layer.topojson.response(for: request, extraHeaders: extra)
        }
        if svg {
            guard let r = layer.svg else {
                throw Problem(.unavailable, "the service was started without maps (--no-maps)", field: "layer")
            }
            return try r.response(for: request)
        }
        var extra = HTTPFields()
        extra[.contentDisposition] = "inline; filename=\"\(name).geojson\""
        return try layer.geojson.response(for: request, extraHeaders: extra)
    }

    func layerIndex(_ request: Request) throws -> Response {
        let layers: [JSONValue] = catalogue.layerNames.compactMap { n in
            guard let l = catalogue.layers[n] else { return nil }
            var o: JSONObject = [
                "name": .string(n), "title": .string(Catalogue.title(of: n)), "features": .number(Double(l.features)),
                "geojson": .string("/v1/layers/\(n).geojson"), "geojson_bytes": .number(Double(l.geojson.bytes.readableBytes)),
                "geojson_etag": .string(l.geojson.etag),
            ]
            if let svg = l.svg {
                o["svg"] = .string("/v1/layers/\(n).svg")
                o["svg_bytes"] = .number(Double(svg.bytes.readableBytes))
            }
            return .object(o)
        }
        let doc: JSONValue = .object([
            "layers": .array(layers),
            "zonings": .array(catalogue.zoningNames.map(JSONValue.string)),
            "networks": .array(catalogue.networks.keys.sorted().map(JSONValue.string)),
            "population_year": .number(Double(catalogue.dataset.populationYear)),
            "blocks": .number(Double(catalogue.dataset.blocks.count)),
        ])
        return try Representation(JSONWriter(pretty: true).write(doc), contentType: MediaTypes.json,
                              gzip: acceptsGzip(request), minGzipBytes: limits.minGzipBytes).response(for: request)
    }

    func health(_ request: Request) -> Response {
        let s = limiter.snapshot
        var rules: JSONValue = .bool(true)
        if case .failure(let e) = catalogue.rules { rules = .string("unavailable: \(e)") }
        // Every worker slot held by a computation past its time limit (GEOS cannot be interrupted): the
        // process cannot serve heavy requests until one ends, so it says so (503) for a supervisor to restart it.
        let degraded = s.exhausted
        let doc: JSONValue = .object([
            "status": .string(degraded ? "degraded" : "ok"),
            "version": .string(zorgzonesVersion),
            "uptime_s": .number((Date().timeIntervalSince(catalogue.startedAt) * 10).rounded() / 10),
            "blocks": .number(Double(catalogue.dataset.blocks.count)),
            "layers": .array(catalogue.layerNames.map(JSONValue.string)),
            "rules": rules,
            "gzip": .bool(Gzip.available),
            "heavy": .object([
                "slots": .number(Double(limiter.slots)), "running": .number(Double(s.running)),
                "waiting": .number(Double(s.waiting)), "completed": .number(Double(s.completed)),
                "refused": .number(Double(s.refused)), "timed_out": .number(Double(s.timedOut)),
                "overdue": .number(Double(s.overdue)),
            ]),
        ])
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.json
        headers[.cacheControl] = "no-store"
        return Response(status: degraded ? .serviceUnavailable : .ok, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter().write(doc))))
    }

    // MARK: Zonings in requests

    /// The zoning of a JSON request member: a name (`rzz`, `elz`, a table of `<data>/zonings`) or rows.
    func zoning(_ value: JSONValue, path: String, name: String) throws -> Zoning {
        if case .string(let n) = value {
            guard let z = catalogue.namedZoning(n) else {
                throw Problem(.invalidZoning, "no zoning named '\(n)'; the named zonings are \(catalogue.zoningNames.joined(separator: ", ")), or give rows",
                              path: path)
            }
            return z
        }
        return try resolve(RequestParsing.zoneTable(rows: value, path: path, name: name, limits: limits), name: name)
    }

    func resolve(_ input: RequestParsing.TableInput, name: String) throws -> Zoning {
        do {
            return try catalogue.dataset.resolve(input.table, name: name)
        } catch {
            throw Problem.data(error, kind: .invalidZoning, summary: "the zoning does not fit the blocks", locate: input.locate)
                ?? Problem(.invalidZoning, "\(error)")
        }
    }

    /// A zoning posted as the body (check, render): CSV text, a JSON array of rows, or a JSON object with
    /// `zoning` (rows or a name) and other `members`.
    func postedZoning(_ request: Request, body: ByteBuffer, members: Set<String>) throws -> (zoning: Zoning, object: JSONObject) {
        let mt = RequestParsing.mediaType(request)
        // Query members are checked whatever the body (the document says they are non-empty).
        for q in ["name", "title"] where RequestParsing.query(request, q)?.isEmpty == true {
            throw Problem(.invalidRequest, "\(q) must be a non-empty string", field: q)
        }
        let name = RequestParsing.query(request, "name") ?? "proposal"
        if mt == "text/csv" {
            let input = try RequestParsing.zoneTable(csv: body, name: name, limits: limits)
            return (try resolve(input, name: name), [:])
        }
        let value = try RequestParsing.json(body, limits: limits)
        switch value {
        case .array:
            return (try zoning(value, path: "", name: name), [:])
        case .object(let o):
            for k in o.keys where k != "zoning" && !members.contains(k) {
                throw Problem(.invalidRequest, "unknown member '\(k)'; known: \((members.union(["zoning"])).sorted().joined(separator: ", "))",
                              path: k, field: k)
            }
            guard let z = o["zoning"] else {
                throw Problem(.invalidRequest, "missing \"zoning\": rows such as {\"elz_code\": \"elz1\", \"rzz_code\": \"rzz03\", \"rzz_name\": \"…\"}, or a zoning name",
                              path: "zoning", field: "zoning")
            }
            var n = name
            if let v = o["name"] {
                guard case .string(let s) = v, !s.isEmpty else {
                    throw Problem(.invalidRequest, "\"name\" must be a non-empty string", path: "name", field: "name")
                }
                n = s
            }
            return (try zoning(z, path: "zoning", name: n), o)
        default:
            throw Problem(.invalidRequest, "expected a JSON object with \"zoning\", an array of rows, or CSV (Content-Type: text/csv); found \(value.kindDescription)")
        }
    }

    // MARK: Check

    /// The rule engine built at start, or 503 with the reason it could not be.
    func ruleEngine() throws -> RuleEngine {
        switch catalogue.rules {
        case .success(let e): return e
        case .failure(let e): throw Problem(.unavailable, "the rule set could not be loaded at start: \(e)")
        }
    }

    func check(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try RequestParsing.requireMediaType(request, [MediaTypes.json, "text/csv"])
        let format = try RequestParsing.format(request, allowed: [("json", MediaTypes.json), ("markdown", MediaTypes.markdown),
                                                                   ("text", MediaTypes.text)])
        // The Markdown report in Dutch (`lang=nl`) or English (default); JSON carries both (`summary_nl`).
        let langText = RequestParsing.query(request, "lang") ?? "en"
        guard let lang = ReportLanguage(rawValue: langText) else {
            throw Problem(.invalidRequest, "lang must be nl or en, not '\(langText)'", field: "lang")
        }
        do throws(UsageError) { try CheckJob.check(format: ReportFormat(rawValue: format) ?? .json, language: lang) } catch {
            throw Problem(error)
        }
        let engine = try ruleEngine()
        try RequestParsing.checkBodyLength(request, limits: limits)
        let gzip = acceptsGzip(request)
        let limits = self.limits
        let baseline = catalogue.baseline
        let (rep, violations) = try await limiter.run(timeout: limits.requestTimeout, reading: { try await RequestParsing.body(request, limits: limits) }) { (body: ByteBuffer) throws -> (Representation, Int) in
            let (zoning, _) = try self.postedZoning(request, body: body, members: ["name"])
            var report: RuleReport
            do { report = try engine.check(zoning, file: zoning.name) } catch {
                throw Problem.data(error, kind: .invalidZoning, summary: "the zoning cannot be checked") ?? Problem(.invalidZoning, "\(error)")
            }
            if let baseline { report.delta = report.delta(from: baseline, baselineName: "the dataset's RZZ") }
            let text: String
            let type: String
            switch format {
            case "markdown": text = try report.rendered(.markdown, language: lang); type = MediaTypes.markdown
            case "text": text = report.text(); type = MediaTypes.text
            default: text = try report.jsonText(); type = MediaTypes.json
            }
            return (Representation(Array(text.utf8), contentType: type, gzip: gzip, minGzipBytes: limits.minGzipBytes,
                                   cacheControl: "no-store"), report.totals.violations)
        }
        var extra = HTTPFields()
        extra[HTTPField.Name("Zorgzones-Violations")!] = String(violations)
        return try rep.response(for: request, conditional: false, extraHeaders: extra)
    }

    // MARK: Render

    /// The map kinds `POST /v1/render` draws.
    static let renderKinds: [String] = ["zoning", "official", "rules", "hospitals", "ggz"]

    func render(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try RequestParsing.requireMediaType(request, [MediaTypes.json, "text/csv"])
        guard let maps = catalogue.maps else {
            throw Problem(.unavailable, "the service was started without maps (--no-maps)")
        }
        try RequestParsing.checkBodyLength(request, limits: limits)
        let gzip = acceptsGzip(request)
        let limits = self.limits
        let rep = try await limiter.run(timeout: limits.requestTimeout, reading: { try await RequestParsing.body(request, limits: limits) }) { (body: ByteBuffer) throws -> Representation in
            let (zoning, object) = try self.postedZoning(request, body: body, members: ["name", "title", "labels", "kind", "width"])
            var options = MapOptions()
            options.zoningSource = zoning.name
            options.title = RequestParsing.query(request, "title")
            if let t = object["title"] {
                guard case .string(let s) = t, !s.isEmpty else { throw Problem(.invalidRequest, "\"title\" must be a non-empty string", path: "title", field: "title") }
                options.title = s
            }
            if let l = object["labels"] {
                guard case .bool(let b) = l else { throw Problem(.invalidRequest, "\"labels\" must be true or false", path: "labels", field: "labels") }
                options.labels = b
            }
            if let w = object["width"] ?? RequestParsing.query(request, "width").map({ JSONValue.number(Double($0) ?? .nan) }) {
                guard case .number(let n) = w else { throw Problem(UsageError("width", "must be a number of pixels"), path: "width") }
                do throws(UsageError) { try RenderJob.check(width: n, maximum: 4000) } catch { throw Problem(error, path: "width") }
                options.width = n
            }
            var kind = MapKind.zoning
            if let k = object["kind"] ?? RequestParsing.query(request, "kind").map(JSONValue.string) {
                guard case .string(let s) = k, Self.renderKinds.contains(s), let mk = MapKind(rawValue: s) else {
                    throw Problem(.invalidRequest, "\"kind\" must be one of \(Self.renderKinds.joined(separator: ", "))", path: "kind", field: "kind")
                }
                kind = mk
            }
            if kind == .rules {
                let engine = try ruleEngine()
                do { options.report = try engine.check(zoning, file: zoning.name) } catch {
                    throw Problem.data(error, kind: .invalidZoning, summary: "the zoning cannot be checked") ?? Problem(.invalidZoning, "\(error)")
                }
            }
            let output = try Self.mapOutput(request, width: options.width)
            let job = RenderJob(kind: kind, zoning: zoning, options: options)
            do {
                guard let (format, paper, dpi) = output else {
                    let map = try job.run(catalogue.dataset, renderer: maps, supplies: catalogue.supplies)
                    return Representation(Array(map.svg.utf8), contentType: MediaTypes.svg, gzip: gzip, minGzipBytes: limits.minGzipBytes,
                                          cacheControl: "no-store")
                }
                var print = PrintJob(render: job, paper: paper, format: format)
                print.dpi = dpi
                print.maximumDPI = Self.maximumDPI
                let printed = try print.run(catalogue.dataset, renderer: maps, supplies: catalogue.supplies)
                return Representation(printed.bytes, contentType: format == .pdf ? "application/pdf" : "image/png", gzip: false,
                                      minGzipBytes: limits.minGzipBytes, cacheControl: "no-store")
            } catch let error as UsageError where PrintJob.isDoesNotFit(error) {
                throw Problem(.doesNotFit, error.message, field: "paper")
            } catch let error as Problem {
                throw error
            } catch {
                throw Problem.data(error, kind: .invalidZoning, summary: "the zoning cannot be drawn") ?? Problem(.invalidZoning, "the zoning cannot be drawn: \(error)")
            }
        }
        return try rep.response(for: request, conditional: false)
    }

    /// The service's largest PNG resolution (A3 at 300 dpi is 70 MB of pixels).
    static let maximumDPI = 300.0

    /// `format`, `paper`, `orientation` and `dpi` of a map request: nil for the SVG, else the sheet it is laid out
    /// for. The same checks as the CLI's (`PrintJob.check`).
    static func mapOutput(_ request: Request, width: Double?) throws -> (MapFormat, Paper, Double)? {
        let f = RequestParsing.query(request, "format") ?? "svg"
        guard let format = MapFormat(rawValue: f) else {
            throw Problem(.invalidRequest, "format must be svg, pdf or png, not '\(f)'", field: "format")
        }
        let paperText = RequestParsing.query(request, "paper") ?? "A4"
        guard let size = Paper.Size(rawValue: paperText) else {
            throw Problem(.invalidRequest, "paper must be A4 or A3, not '\(paperText)'", field: "paper")
        }
        let orientation = RequestParsing.query(request, "orientation") ?? "landscape"
        guard ["landscape", "portrait"].contains(orientation) else {
            throw Problem(.invalidRequest, "orientation must be landscape or portrait, not '\(orientation)'", field: "orientation")
        }
        let dpiText = RequestParsing.query(request, "dpi") ?? "150"
        guard let dpi = Double(dpiText), dpi == dpi.rounded() else {
            throw Problem(.invalidRequest, "dpi must be a whole number, not '\(dpiText)'", field: "dpi")
        }
        do throws(UsageError) { try PrintJob.check(format: format, dpi: dpi, width: width, maximumDPI: maximumDPI) } catch {
            throw Problem(error)
        }
        if format == .svg { return nil }
        return (format, Paper(size: size, landscape: orientation == "landscape"), dpi)
    }

    // MARK: Compare

    func compare(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try RequestParsing.requireMediaType(request, [MediaTypes.json])
        let format = try RequestParsing.format(request, allowed: [("json", MediaTypes.json), ("csv", "text/csv")])
        try RequestParsing.checkBodyLength(request, limits: limits)
        let gzip = acceptsGzip(request)
        let limits = self.limits
        let rep = try await limiter.run(timeout: limits.requestTimeout, reading: { try await RequestParsing.body(request, limits: limits) }) { (body: ByteBuffer) throws -> Representation in
            let o = try self.requestObject(body, known: ["zoning", "networks", "method", "threshold", "min_confidence", "name"],
                                           expected: "with \"zoning\" and \"networks\"")
            var name = "proposal"
            if let v = o["name"] {
                guard case .string(let s) = v, !s.isEmpty else { throw Problem(.invalidRequest, "\"name\" must be a non-empty string", path: "name", field: "name") }
                name = s
            }
            let zoning = try self.zoning(o["zoning"] ?? .string("rzz"), path: "zoning", name: name)
            guard let nv = o["networks"] else {
                throw Problem(.invalidRequest, "missing \"networks\": a layer name (\(catalogue.networks.keys.sorted().joined(separator: ", ")), a zoning name), a GeoJSON FeatureCollection, or rows",
                              path: "networks", field: "networks")
            }
            let layer = try self.networks(nv)
            var job = CompareJob(zoning: zoning, networks: layer)
            do throws(UsageError) {
                if let v = o["min_confidence"] {
                    guard case .string(let text) = v else { throw UsageError("min_confidence", "must be low, medium or high") }
                    job.minimumConfidence = try CompareJob.confidence(text)
                }
                if let v = o["method"] {
                    guard case .string(let text) = v, text == "voronoi" || text == "nearest" else {
                        throw UsageError("method", "must be voronoi or nearest (for campus layers)")
                    }
                    job.method = text == "voronoi" ? .voronoi : .nearest
                }
                if let v = o["threshold"] {
                    guard case .number(let t) = v else { throw UsageError("threshold", "is a percentage between 0 and 100") }
                    job.thresholdPercent = t
                }
            } catch { throw Problem(error, path: error.option) }
            let comparison: Comparison
            do {
                comparison = try job.run(dataset: catalogue.dataset)
            } catch let e as UsageError {
                throw Problem(e, path: e.option)
            } catch let e as DataError where e.message == CompareJob.noCampusCoordinates {
                throw Problem(.invalidNetworks, e.message, path: "networks")
            } catch {
                throw Problem.data(error, kind: .invalidNetworks, summary: "the comparison failed") ?? Problem(.invalidNetworks, "\(error)")
            }
            if format == "csv" {
                return Representation(Array(comparison.matrixCSV().utf8), contentType: MediaTypes.csv, gzip: gzip,
                                      minGzipBytes: limits.minGzipBytes, cacheControl: "no-store")
            }
            var json = Array(try comparison.reportJSON())
            json.append(0x0A)
            return Representation(json, contentType: MediaTypes.json, gzip: gzip, minGzipBytes: limits.minGzipBytes,
                                  cacheControl: "no-store")
        }
        return try rep.response(for: request, conditional: false)
    }

    /// A request body that must be a JSON object with members of `known` only (400 otherwise, naming the member).
    func requestObject(_ body: ByteBuffer, known: Set<String>, expected: String) throws -> JSONObject {
        let value = try RequestParsing.json(body, limits: limits)
        guard case .object(let o) = value else {
            throw Problem(.invalidRequest, "expected a JSON object \(expected), found \(value.kindDescription)")
        }
        for k in o.keys where !known.contains(k) {
            throw Problem(.invalidRequest, "unknown member '\(k)'; known: \(known.sorted().joined(separator: ", "))", path: k, field: k)
        }
        return o
    }

    /// The network layer of a compare request: a name, a GeoJSON FeatureCollection (points with a `network`
    /// property, or polygons), or rows (campuses with latitude/longitude, or `network` + `nis`/`block_id`).
    func networks(_ value: JSONValue) throws -> NetworkLayer {
        switch value {
        case .string(let n):
            if let l = catalogue.networks[n] { return l }
            if let z = catalogue.namedZoning(n) { return NetworkLayer.from(z, blocks: catalogue.dataset.blocks) }
            let names = catalogue.networks.keys.sorted() + catalogue.zoningNames
            throw Problem(.invalidNetworks, "no network layer named '\(n)'; use one of \(names.joined(separator: ", ")), a GeoJSON FeatureCollection or rows",
                          path: "networks")
        case .object:
            let bytes = JSONWriter().write(value)
            _ = try RequestParsing.featureCollection(bytes, source: "networks", limits: limits, prefix: "networks")
            do {
                return try NetworkLayer.readGeoJSON(Data(bytes), source: "networks", name: "networks")
            } catch {
                throw Problem.data(error, kind: .invalidNetworks, summary: "the network layer is invalid",
                                   locate: { $0.location.map { "networks." + $0 } ?? "networks" })
                    ?? Problem(.invalidNetworks, "\(error)", path: "networks")
            }
        case .array:
            let csv: CSVTable
            do { csv = try RequestParsing.table(rows: value, path: "networks", name: "networks", limits: limits) } catch var p as Problem {
                if p.kind == .invalidZoning { p.kind = .invalidNetworks }
                throw p
            }
            do {
                if NetworkLayer.isPointTable(csv.header) {
                    return NetworkLayer(name: "networks", kind: .points, sources: ["request"], campuses: try NetworkLayer.readCampuses(csv: csv))
                }
                return NetworkLayer(name: "networks", kind: .municipalities, sources: ["request"],
                                    memberships: try NetworkLayer.readMemberships(csv: csv))
            } catch {
                throw Problem.data(error, kind: .invalidNetworks, summary: "the network rows are invalid",
                                   locate: { RequestParsing.rowPath($0, path: "networks") })
                    ?? Problem(.invalidNetworks, "\(error)", path: "networks")
            }
        default:
            throw Problem(.invalidNetworks, "expected a layer name, a GeoJSON FeatureCollection or an array of rows, found \(value.kindDescription)",
                          path: "networks")
        }
    }
}
