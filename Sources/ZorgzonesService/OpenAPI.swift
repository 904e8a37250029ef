import GeoJSON
import Check
import Compare
import DataPackage
import Jobs
import Propose
import Zoning

/// The OpenAPI 3.1 description of the service, served at `GET /openapi.json`. A test checks that its paths and
/// methods are exactly the router's.
enum OpenAPIDocument {
    /// Every documented operation as `METHOD path` (the router's spelling), for the test.
    static func operations(_ doc: JSONValue) -> Set<String> {
        var out = Set<String>()
        guard case .object(let paths)? = doc["paths"] else { return out }
        for (path, item) in paths {
            guard case .object(let ops) = item else { continue }
            for (method, _) in ops where ["get", "post", "put", "delete", "patch", "head", "options"].contains(method) {
                out.insert("\(method.uppercased()) \(path)")
            }
        }
        return out
    }

    static func document(_ catalogue: Catalogue) -> JSONValue {
        let layerNames = catalogue.layerNames
        let limits = catalogue.limits
        func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
        func content(_ types: [(String, JSONValue)]) -> JSONValue {
            .object(JSONObject(types.map { ($0.0, ["schema": $0.1] as JSONValue) }))
        }
        func problems(_ codes: [Int]) -> [(String, JSONValue)] {
            codes.map { code in
                (String(code), ["description": .string(problemDescription(code)),
                                "content": content([(MediaTypes.problem, ref("Problem"))])])
            }
        }
        let layerParam: JSONValue = [
            "name": "layer", "in": "path", "required": true,
            "schema": ["type": "string", "enum": .array(layerNames.map(JSONValue.string))],
        ]
        let etagHeaders: JSONValue = [
            "ETag": ["description": "Strong validator (SHA-256 of the body); the gzip variant has its own.", "schema": ["type": "string"]],
            "Cache-Control": ["schema": ["type": "string", "const": "no-cache"]],
        ]
        let ifNoneMatch: JSONValue = ["name": "If-None-Match", "in": "header", "required": false, "schema": ["type": "string"],
                                      "description": "An ETag from an earlier answer: 304 Not Modified when it still matches."]
        let acceptEncoding: JSONValue = ["name": "Accept-Encoding", "in": "header", "required": false, "schema": ["type": "string"],
                                         "description": .string("gzip: the answer is gzip-compressed (Content-Encoding: gzip) when larger than \(limits.minGzipBytes) bytes.")]
        let heavyErrors = problems([400, 413, 415, 422, 503, 504])

        func op(_ summary: String, _ description: String, id: String, parameters: [JSONValue] = [],
                body: JSONValue? = nil, responses: [(String, JSONValue)]) -> JSONValue {
            var o: JSONObject = ["summary": .string(summary), "description": .string(description), "operationId": .string(id)]
            if !parameters.isEmpty { o["parameters"] = .array(parameters) }
            if let body { o["requestBody"] = body }
            o["responses"] = .object(JSONObject(responses))
            return .object(o)
        }

        var paths: JSONObject = [:]
        paths["/"] = ["get": op("The map page", "A small HTML page showing the official map; switch layers and download their GeoJSON. Self-contained (no external resources).",
                                id: "page", responses: [("200", ["description": "HTML", "content": content([("text/html", ["type": "string"])])])])]
        paths["/workbench"] = ["get": op("The scenario workbench", "A self-contained HTML page (no external resources; Dutch, ?lang=en for English): the zoning on a map with zoom and pan, ELZ moved between RZZ with undo and redo, the art. 18 check and the alignment with a network after every move, scenarios, downloads, a shareable link and the layers' tables. It works through /v1/check, /v1/compare and /v1/render.",
                                        id: "workbench", responses: [("200", ["description": "HTML", "content": content([("text/html", ["type": "string"])])])])]
        paths["/v1/scenarios"] = ["get": op("The scenarios", "The zoning proposals of GeoData/scenarios the service has (the two requests the 2026 note refused), with the links of their CSV.",
                                            id: "scenarios", responses: [("200", ["description": "Scenario index", "content": content([(MediaTypes.json, [
                                                "type": "object", "required": ["scenarios"],
                                                "properties": ["scenarios": ["type": "array", "items": [
                                                    "type": "object", "required": ["name", "label", "title", "title_en", "file", "csv"],
                                                    "properties": ["name": ["type": "string"], "label": ["type": "string"], "title": ["type": "string"], "title_en": ["type": "string"],
                                                                   "file": ["type": "string"], "csv": ["type": "string"]]]]]])])])])]
        paths["/v1/scenarios/{scenario}.csv"] = ["get": op("One scenario as CSV", "A zoning proposal of the RZZ table's shape, as its file has it; POST it to /v1/check or /v1/render.",
                                                           id: "scenarioCSV",
                                                           parameters: [["name": "scenario", "in": "path", "required": true,
                                                                         "schema": catalogue.scenarios.isEmpty ? ["type": "string"] : ["type": "string", "enum": .array(catalogue.scenarios.map { JSONValue.string($0.name) })]]],
                                                           responses: [("200", ["description": "CSV", "content": content([("text/csv", ["type": "string"])])]),
                                                                       ("404", ["description": "No such scenario", "content": content([(MediaTypes.problem, ref("Problem"))])])])]
        paths["/healthz"] = ["get": op("Health", "Liveness and the state of the worker slots.", id: "health",
                                       responses: [("200", ["description": "The service is up", "content": content([(MediaTypes.json, ref("Health"))])])])]
        paths["/openapi.json"] = ["get": op("This document", "The OpenAPI 3.1 description of the service.", id: "openapi",
                                            responses: [("200", ["description": "OpenAPI 3.1", "content": content([(MediaTypes.json, ["type": "object"])])])])]
        paths["/v1/layers"] = ["get": op("The layers", "The static layers with their feature counts, sizes and links; the named zonings and network layers a request may use by name.",
                                         id: "layers", responses: [("200", ["description": "Layer index", "content": content([(MediaTypes.json, ref("LayerIndex"))])])])]
        let simplifyParam: JSONValue = [
            "name": "simplify", "in": "query", "required": false,
            "schema": ["type": "number", "exclusiveMinimum": 0, "maximum": 10000],
            "description": "Borders simplified to this many metres (Visvalingam) on the layer's shared arcs: neighbours stay aligned and the layer still tiles; properties (areas, populations) stay those of the full geometry.",
        ]
        let range: JSONValue = ["name": "Range", "in": "header", "required": false, "schema": ["type": "string"],
                                "description": "One byte range (bytes=first-last, first-, -suffix): 206 with Content-Range, 416 outside the representation. Several ranges get the whole body."]
        paths["/v1/layers/{layer}.geojson"] = ["get": op(
            "A dissolved layer as GeoJSON",
            "The dataset's blocks dissolved into municipalities, eerstelijnszones (elz), referentieregio's (rr) or regionale zorgzones (rzz). Computed once at start; conditional GET with ETag; HEAD and byte ranges for GDAL's /vsicurl/ and QGIS.",
            id: "layerGeoJSON", parameters: [layerParam, simplifyParam, ifNoneMatch, acceptEncoding, range],
            responses: [("200", ["description": "RFC 7946 FeatureCollection (CRS84)", "headers": etagHeaders,
                                 "content": content([(MediaTypes.geoJSON, ref("FeatureCollection"))])]),
                        ("206", ["description": "The requested byte range"]),
                        ("304", ["description": "Not modified"])] + problems([400, 404, 416]))]
        paths["/v1/layers/{layer}.topojson"] = ["get": op(
            "A dissolved layer as TopoJSON",
            "The layer as a TopoJSON Topology with one object named after the layer: every border between two zones stored once as an arc, coordinates quantized at 6 decimals (the GeoJSON's vertices, exactly). Computed once at start; conditional GET with ETag; HEAD and byte ranges.",
            id: "layerTopoJSON", parameters: [layerParam, simplifyParam, ifNoneMatch, acceptEncoding, range],
            responses: [("200", ["description": "TopoJSON Topology", "headers": etagHeaders,
                                 "content": content([(MediaTypes.topoJSON, ["type": "object", "required": ["type", "objects", "arcs"]])])]),
                        ("206", ["description": "The requested byte range"]),
                        ("304", ["description": "Not modified"])] + problems([400, 404, 416]))]
        paths["/v1/layers/{layer}.svg"] = ["get": op(
            "A dissolved layer as an SVG map", "The layer drawn from the shared-arc topology of the blocks, with a title per zone (shown on hover); rzz is the official map (referentieregio's coloured, RZZ borders red, ELZ numbered). Drawn once at start; conditional GET with ETag.",
            id: "layerSVG", parameters: [layerParam, ifNoneMatch, acceptEncoding],
            responses: [("200", ["description": "SVG", "headers": etagHeaders, "content": content([(MediaTypes.svg, ["type": "string"])])]),
                        ("304", ["description": "Not modified"])] + problems([404, 503]))]

        // The server refuses empty names, properties and titles: the document says so.
        let nonEmpty: JSONValue = ["type": "string", "minLength": 1]
        let query = { (name: String, schema: JSONValue, description: String) -> JSONValue in
            ["name": .string(name), "in": "query", "required": false, "schema": schema, "description": .string(description)]
        }
        paths["/v1/dissolve"] = ["post": op(
            "Dissolve any polygon FeatureCollection",
            "Groups the features by a property (?by=) or by an assignment table (the FeatureCollection's foreign member \"dissolve\" with \"key\" and \"table\") and unites each group on its own: method coverage-union (proven), coverage-union-checked (checked valid by GEOS) or unary-union (recomputed by GEOS's overlay union). The result is reduced to `precision` decimals as one layer and is valid at that precision; a zone that collapses is a 422 naming it and the precision that keeps it. Invalid polygons are refused with the feature's path (make_valid=true repairs them). Features whose grouping value is null or missing are left out and listed in zorgzones.left_out (keep_null=true groups them). A sum or id property that no feature has, or a summed value that is not a number, is a 422. Limits: \(limits.maxFeatures) features, \(limits.maxPositions) positions, depth \(limits.maxDepth), \(limits.maxBodyBytes) bytes.",
            id: "dissolve",
            parameters: [["name": "by", "in": "query", "required": true, "schema": nonEmpty,
                          "description": "Feature property to group by. (Grouping by an assignment table instead: leave the query empty and send the options in the body's foreign member \"dissolve\": {\"key\": …, \"table\": [{\"key\", \"code\", \"name\"}, …]}.)"],
                         query("sum", nonEmpty, "Numeric properties to sum per zone (comma-separated or repeated)."),
                         query("id", nonEmpty, "Property listed per zone as members."),
                         query("precision", ["type": "integer", "minimum": 0, "maximum": 12, "default": 6], "Decimals of the written coordinates."),
                         query("validate", ["type": "boolean", "default": true], "Check every polygon with GEOS first (false: only for input known to be valid)."),
                         query("make_valid", ["type": "boolean", "default": false], "Repair invalid polygons with GEOS MakeValid instead of refusing them; listed in zorgzones.repaired."),
                         query("keep_null", ["type": "boolean", "default": false], "Dissolve the features whose grouping value is null or missing as one group (default: leave them out, listed in zorgzones.left_out)."),
                         acceptEncoding],
            body: ["required": true, "content": content([(MediaTypes.geoJSON, ref("DissolveInput")), (MediaTypes.json, ref("DissolveInput"))])],
            responses: [("200", ["description": "The dissolved FeatureCollection, with a foreign member \"zorgzones\" (methods, coverage check, left_out, null_geometry, repaired).",
                                 "content": content([(MediaTypes.geoJSON, ref("FeatureCollection"))])])] + heavyErrors)]
        paths["/v1/check"] = ["post": op(
            "Check a zoning against the rules (art. 18)",
            "A zoning of the RZZ table's shape (rows of elz_code, rzz_code, rzz_name, … or keyed by block_id or nis) → the rule report, with what changes compared with the dataset's RZZ. The header Zorgzones-Violations counts the unexcused violations.",
            id: "check",
            parameters: [query("format", ["type": "string", "enum": ["json", "markdown", "text"]], "Report format (else from Accept)."),
                         query("lang", ["type": "string", "enum": ["nl", "en"], "default": "en"], "The Markdown report in Dutch (nl) or English (en); JSON carries both (message, summary_nl); text is English."),
                         query("name", nonEmpty, "Name of the zoning (for a CSV body).")],
            body: ["required": true, "content": content([(MediaTypes.json, ref("ZoningInput")), ("text/csv", ["type": "string"])])],
            responses: [("200", ["description": "The rule report", "content": content([(MediaTypes.json, ["type": "object"]),
                                                                                       ("text/markdown", ["type": "string"]),
                                                                                       ("text/plain", ["type": "string"])])])] + heavyErrors)]
        paths["/v1/compare"] = ["post": op(
            "Compare a zoning with a network layer",
            "Overlap of a zoning with hospital networks, GGZ networks or any network layer: matrices, alignment indices, diagnostics. Point layers get service areas (voronoi or nearest).",
            id: "compare",
            parameters: [query("format", ["type": "string", "enum": ["json", "csv"]], "json: the report; csv: the matrix (long form).")],
            body: ["required": true, "content": content([(MediaTypes.json, ref("CompareInput"))])],
            responses: [("200", ["description": "The overlap report", "content": content([(MediaTypes.json, ["type": "object"]),
                                                                                          ("text/csv", ["type": "string"])])])] + heavyErrors)]
        paths["/v1/render"] = ["post": op(
            "Draw a zoning as an SVG map",
            "A zoning (rows, CSV or a name) → an SVG map: kind zoning (its zones coloured and named), official (an RZZ proposal in the style of the official map: referentieregio's coloured, RZZ borders red, ELZ numbered), rules (zones coloured by their worst rule finding), hospitals or ggz (the RZZ borders over the networks).",
            id: "render",
            parameters: [query("title", nonEmpty, "Map title."), query("name", nonEmpty, "Name of the zoning (for a CSV body)."),
                         query("kind", ["type": "string", "enum": .array(Handlers.renderKinds.map(JSONValue.string))], "Map kind (for a CSV body)."),
                         query("format", ["type": "string", "enum": ["svg", "pdf", "png"], "default": "svg"], "svg: the drawing; pdf: one page laid out for the sheet, no text under 7 pt (422 does-not-fit when the map cannot keep that on the sheet); png: that page at dpi. width goes with svg only."),
                         query("paper", ["type": "string", "enum": ["A4", "A3"], "default": "A4"], "pdf and png: the sheet."),
                         query("orientation", ["type": "string", "enum": ["landscape", "portrait"], "default": "landscape"], "pdf and png: the sheet's orientation."),
                         query("dpi", ["type": "integer", "minimum": 72, "maximum": .number(Handlers.maximumDPI), "default": 150], "png: dots per inch.")],
            body: ["required": true, "content": content([(MediaTypes.json, ref("RenderInput")), ("text/csv", ["type": "string"])])],
            responses: [("200", ["description": "The map: SVG, or a PDF page or PNG image of the sheet",
                                 "content": content([(MediaTypes.svg, ["type": "string"]), ("application/pdf", ["type": "string", "format": "binary"]),
                                                     ("image/png", ["type": "string", "format": "binary"])])])] + heavyErrors)]
        paths["/v1/propose"] = ["post": op(
            "Propose zonings that meet the rules, best first",
            "Zonings of RZZ made of whole ELZ that meet every rule of the service's rule set (contiguity with the Voeren and Baarle-Hertog exceptions, at least 2 ELZ, 300,000 inhabitants or a motivated exception, at most 15 zones), ranked by an objective: rr-congruence, alignment (with networks), changes (from the zoning 'from', default the dataset's RZZ), balance, or weights (rr-congruence=1,alignment=0.5). Under a rule set that binds the RZZ to referentieregio's the groupings of whole referentieregio's are enumerated exactly (search.complete, search.feasible_zonings); else a seeded local search over ELZ. Every proposal is checked by the rule engine; each carries its RZZ table (csv), objective values and the ELZ it moves.",
            id: "propose",
            parameters: [query("format", ["type": "string", "enum": ["json", "text", "csv"]], "json: the whole answer; text: a summary; csv: every proposal's RZZ table with a proposal column.")],
            body: ["required": true, "content": content([(MediaTypes.json, ref("ProposeInput"))])],
            responses: [("200", ["description": "The proposals", "content": content([(MediaTypes.json, ["type": "object"]),
                                                                                     ("text/plain", ["type": "string"]),
                                                                                     ("text/csv", ["type": "string"])])])] + heavyErrors)]

        // The example is the data package's own RZZ table (every ELZ in a zone), so *Try it out* succeeds.
        var exampleRows: [JSONValue] = []
        if let rzz = catalogue.namedZoning("rzz"), let parent = rzz.parentAssignment {
            let names = Dictionary(rzz.zones.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            for (elz, code) in parent.sorted(by: { naturalLess($0.key, $1.key) }) {
                exampleRows.append(["elz_code": .string(elz), "rzz_code": .string(code), "rzz_name": .string(names[code] ?? code)])
            }
        }
        let zoneRows: JSONValue = [
            "type": "array", "minItems": 1, "maxItems": .number(Double(limits.maxTableRows)),
            "items": ["type": "object", "minProperties": 2, "additionalProperties": ["type": ["string", "number", "null"]]],
            "description": "Rows of a zone table, members as CSV columns: key column block_id, nis, elz_code, id or key; zone code column code or *_code; name column name or *_name. Every member of the layer must be in a zone.",
            "examples": [.array(exampleRows)],
        ]
        let zoningValue: JSONValue = ["oneOf": [["type": "string", "enum": .array(catalogue.zoningNames.map(JSONValue.string)),
                                                 "description": "A named zoning"], ref("ZoneRows")]]
        let position: JSONValue = ["type": "array", "minItems": 2, "maxItems": 3,
                                   "prefixItems": [["type": "number", "minimum": -180, "maximum": 180], ["type": "number", "minimum": -90, "maximum": 90]],
                                   "items": ["type": "number"]]
        let polygonCoordinates: JSONValue = ["type": "array", "minItems": 1, "items": ["type": "array", "minItems": 4, "items": position]]
        var problemKinds: [JSONValue] = []
        for k in Problem.Kind.allCases { problemKinds.append(.string(k.uri)) }
        let schemas: JSONObject = [
            "Problem": [
                "type": "object", "description": "RFC 9457 problem details.",
                "required": ["type", "title", "status", "detail"],
                "properties": [
                    "type": ["type": "string", "enum": .array(problemKinds)],
                    "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                    "instance": ["type": "string"],
                    "path": ["type": "string", "description": "JSON path in the request body of what was wrong, e.g. features[3].geometry.coordinates[0]"],
                    "field": ["type": "string", "description": "The member, property, parameter or column that was wrong"],
                    "line": ["type": "integer"], "column": ["type": "integer"],
                    "limit": ["type": "object", "properties": ["name": ["type": "string"], "value": ["type": "integer"]]],
                    "errors": ["type": "array", "items": ["type": "object", "properties": [
                        "path": ["type": "string"], "field": ["type": "string"], "detail": ["type": "string"]]]],
                    "request_id": ["type": "string"],
                ],
            ],
            "FeatureCollection": [
                "type": "object", "required": ["type", "features"],
                "properties": ["type": ["const": "FeatureCollection"], "features": ["type": "array", "items": ["type": "object"]]],
            ],
            "DissolveInput": [
                "type": "object", "required": ["type", "features"],
                "properties": ["type": ["type": "string", "enum": ["FeatureCollection"]],
                               "features": ["type": "array", "minItems": 1, "items": ref("PolygonFeature")]],
                "description": "A GeoJSON FeatureCollection of Polygon/MultiPolygon features (CRS84). The grouping property must be in the features; rings must be closed and valid (a 422 names the feature otherwise).",
            ],
            "PolygonFeature": [
                "type": "object", "required": ["type", "properties", "geometry"],
                "properties": [
                    "type": ["type": "string", "enum": ["Feature"]],
                    "properties": ["type": "object"],
                    "geometry": ["oneOf": [
                        ["type": "object", "required": ["type", "coordinates"], "properties": [
                            "type": ["type": "string", "enum": ["Polygon"]], "coordinates": polygonCoordinates]],
                        ["type": "object", "required": ["type", "coordinates"], "properties": [
                            "type": ["type": "string", "enum": ["MultiPolygon"]],
                            "coordinates": ["type": "array", "items": polygonCoordinates]]],
                    ]],
                ],
            ],
            "NetworkFeatures": [
                "type": "object", "required": ["type", "features"],
                "properties": ["type": ["type": "string", "enum": ["FeatureCollection"]],
                               "features": ["type": "array", "minItems": 1, "items": [
                                   "type": "object", "required": ["type", "properties", "geometry"],
                                   "properties": ["type": ["type": "string", "enum": ["Feature"]],
                                                  "properties": ["type": "object", "required": ["network"], "properties": ["network": nonEmpty]],
                                                  "geometry": ["type": "object", "required": ["type", "coordinates"]]]]]],
                "description": "Campuses (Points) or network areas (Polygons) with a network property.",
            ],
            "DissolveOptions": [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "by": nonEmpty, "key": nonEmpty,
                    "table": ["type": "array", "items": [
                        "type": "object", "required": ["key", "code"], "additionalProperties": false,
                        "properties": ["key": ["type": ["string", "number"]], "code": ["type": ["string", "number"]], "name": ["type": "string"]]]],
                    "sum": ["type": "array", "items": nonEmpty], "id": nonEmpty,
                    "precision": ["type": "integer", "minimum": 0, "maximum": 12], "validate": ["type": "boolean"],
                    "make_valid": ["type": "boolean"], "keep_null": ["type": "boolean"],
                ],
            ],
            "ZoneRows": zoneRows,
            "ZoningInput": [
                "oneOf": [ref("ZoneRows"), [
                    "type": "object", "required": ["zoning"], "additionalProperties": false,
                    "properties": ["zoning": zoningValue, "name": nonEmpty]]],
            ],
            "RenderInput": [
                "oneOf": [ref("ZoneRows"), [
                    "type": "object", "required": ["zoning"], "additionalProperties": false,
                    "properties": ["zoning": zoningValue, "name": nonEmpty, "title": nonEmpty, "labels": ["type": "boolean"], "width": ["type": "integer", "minimum": 320, "maximum": 4000],
                                   "kind": ["type": "string", "enum": .array(Handlers.renderKinds.map(JSONValue.string)), "default": "zoning"]]]],
            ],
            "CompareInput": [
                "type": "object", "required": ["networks"], "additionalProperties": false,
                "properties": [
                    "zoning": zoningValue, "name": nonEmpty,
                    "networks": ["oneOf": [
                        ["type": "string", "enum": .array((catalogue.networks.keys.sorted() + catalogue.zoningNames).map(JSONValue.string)),
                         "description": "A network layer of the data package or a zoning name"],
                        ref("NetworkFeatures"),
                        ["type": "array", "minItems": 1, "items": ["type": "object", "minProperties": 2],
                         "description": "Rows: campuses (network, latitude, longitude, …) or memberships (network, nis or block_id, share, confidence)"]]],
                    "method": ["type": "string", "enum": ["voronoi", "nearest"]],
                    "threshold": ["type": "number", "minimum": 0, "maximum": 100, "default": 5],
                    "min_confidence": ["type": "string", "enum": ["low", "medium", "high"]],
                ],
            ],
            "ProposeInput": [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "objective": ["type": "string", "default": "rr-congruence",
                                  "pattern": "^(rr-congruence|changes|balance|alignment)(=[0-9]+(\\.[0-9]+)?)?(,(rr-congruence|changes|balance|alignment)(=[0-9]+(\\.[0-9]+)?)?)*$",
                                  "description": "An objective, or weights of several (every term is a share between 0 and 1). alignment needs networks."],
                    "networks": ["type": "string", "enum": .array((catalogue.networks.keys.sorted() + catalogue.zoningNames).map(JSONValue.string)),
                                 "description": "The network layer of the alignment objective"],
                    "metric": ["type": "string", "enum": .array(AlignmentMetric.allCases.map { JSONValue.string($0.rawValue) }), "default": "ari"],
                    "method": ["type": "string", "enum": ["voronoi", "nearest"]],
                    "from": zoningValue,
                    "changes_by": ["type": "string", "enum": ["elz", "population"], "default": "elz"],
                    "keep": ["type": "array", "items": ["type": "string", "minLength": 1], "description": "Codes of zones of 'from' to keep as they are"],
                    "exceptions": ["type": "string", "enum": ["rule-set", "none"], "default": "rule-set"],
                    "level": ["type": "string", "enum": .array(ProposeLevel.allCases.map { JSONValue.string($0.rawValue) }), "default": "auto"],
                    "zones": ["type": "integer", "minimum": 1, "maximum": 64, "description": "Exactly this many zones in the counted region (at most the rule set's maximum, else 400); the balance objective takes the base's number by default"],
                    "top": ["type": "integer", "minimum": 1, "maximum": .number(Double(Handlers.proposeMaxTop)), "default": 5],
                    "seed": ["type": "integer", "minimum": 0, "maximum": .number(Double(Int32.max)), "default": 1],
                    "restarts": ["type": "integer", "minimum": 1, "maximum": 100, "default": 8],
                    "iterations": ["type": "integer", "minimum": 1, "maximum": 100000, "default": 4000],
                    "time_limit": ["type": "number", "exclusiveMinimum": 0, "maximum": .number(Handlers.proposeMaxSeconds), "default": 10],
                ],
            ],
            "LayerIndex": ["type": "object", "properties": [
                "layers": ["type": "array", "items": ["type": "object"]], "zonings": ["type": "array", "items": ["type": "string"]],
                "networks": ["type": "array", "items": ["type": "string"]]]],
            "Health": ["type": "object", "properties": ["status": ["type": "string"], "version": ["type": "string"],
                                                        "heavy": ["type": "object"]]],
        ]
        for (path, item) in ogcPaths(catalogue) { paths[path] = item }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "zorgzones",
                "version": .string(zorgzonesVersion),
                "description": "GeoJSON processing for the care zones of Flanders and Brussels: dissolved layers, dissolve of any polygon layer, the art. 18 rule check, comparisons with networks, SVG maps. Errors are application/problem+json (RFC 9457).",
            ],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    /// The OGC API – Features part: one description for both documents. `/openapi.json` holds it among the other
    /// routes, with the router's generic paths under `/ogc`; `/ogc/api` is the OGC part alone as OpenAPI 3.0 (the
    /// oas30 conformance class), relative to its server `/ogc`, with one path per collection as pygeoapi writes
    /// them: GDAL's OAPIF driver reads a collection's filterable properties from the parameters of
    /// `/collections/{its id}/items`. Written in the subset of JSON Schema that OpenAPI 3.0 and 3.1 share.
    static func ogcPaths(_ catalogue: Catalogue, prefix: String = "/ogc", perCollection: Bool = false) -> JSONObject {
        let ids = catalogue.features.collections.map { JSONValue.string($0.id) }
        let fParam: JSONValue = ["name": "f", "in": "query", "required": false, "style": "form", "explode": false,
                                 "description": "The format: json (GeoJSON for features) or html. Without it, the Accept header decides.",
                                 "schema": ["type": "string", "enum": ["json", "html"]]]
        let collectionId: JSONValue = ["name": "collectionId", "in": "path", "required": true,
                                       "schema": ["type": "string", "enum": .array(ids)]]
        let featureId: JSONValue = ["name": "featureId", "in": "path", "required": true, "schema": ["type": "string", "minLength": 1]]
        let link: JSONValue = ["type": "object", "required": ["href", "rel"], "properties": [
            "href": ["type": "string"], "rel": ["type": "string"], "type": ["type": "string"], "title": ["type": "string"]]]
        let links: JSONValue = ["type": "array", "items": link]
        let json: JSONValue = ["schema": ["type": "object", "properties": ["links": links]]]
        let html: JSONValue = ["schema": ["type": "string"]]
        let feature: JSONValue = ["type": "object", "required": ["type", "geometry", "properties"], "properties": [
            "type": ["type": "string", "enum": ["Feature"]], "id": ["type": "string"],
            "geometry": ["type": "object", "nullable": true], "properties": ["type": "object", "nullable": true], "links": links]]
        let items: JSONValue = ["type": "object", "required": ["type", "features"], "properties": [
            "type": ["type": "string", "enum": ["FeatureCollection"]], "features": ["type": "array", "items": feature],
            "links": links, "numberMatched": ["type": "integer", "minimum": 0], "numberReturned": ["type": "integer", "minimum": 0]]]
        let problem: JSONValue = ["description": "A problem (application/problem+json) naming the parameter",
                                  "content": [MediaTypes.problem: ["schema": ["type": "object"]]]]
        func ok(_ what: String, _ jsonType: String, _ body: JSONValue) -> JSONValue {
            ["description": .string(what), "content": [jsonType: body, "text/html": html]]
        }
        func get(_ summary: String, id: String, parameters: [JSONValue], response: JSONValue, notFound: Bool = false) -> JSONValue {
            var responses: JSONObject = ["200": response, "400": problem]
            if notFound { responses["404"] = problem }
            return ["get": ["summary": .string(summary), "operationId": .string(id), "tags": ["OGC API – Features"],
                            "parameters": .array(parameters), "responses": .object(responses)]]
        }
        let itemParameters: [JSONValue] = [
            fParam,
            ["name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
             "description": .string("Features per page; larger values are served as \(OGCFeatures.maximumLimit)."),
             "schema": ["type": "integer", "minimum": 1, "default": .number(Double(OGCFeatures.defaultLimit))]],
            ["name": "offset", "in": "query", "required": false, "style": "form", "explode": false,
             "description": "Features to skip (the next link sets it).", "schema": ["type": "integer", "minimum": 0, "default": 0]],
            ["name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
             "description": "minLon,minLat,maxLon,maxLat (CRS84): the features whose geometry intersects the box.",
             "schema": ["type": "array", "minItems": 4, "maxItems": 4,
                        "prefixItems": [["type": "number", "minimum": -180, "maximum": 180], ["type": "number", "minimum": -90, "maximum": 90],
                                        ["type": "number", "minimum": -180, "maximum": 180], ["type": "number", "minimum": -90, "maximum": 90]],
                        "items": ["type": "number"]]],
            ["name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
             "description": "Accepted; the features have no time, so every feature matches.", "schema": ["type": "string"]],
        ]
        func filters(_ names: [String], _ kinds: [String: String]) -> [JSONValue] {
            names.map { q in
                ["name": .string(q), "in": "query", "required": false, "style": "form", "explode": false,
                 "description": .string("Equality on the property '\(q)'."),
                 "schema": ["type": .string(kinds[q] == "number" ? "number" : kinds[q] == "boolean" ? "boolean" : "string")]]
            }
        }
        var paths: JSONObject = [
            prefix.isEmpty ? "/" : prefix: get("Landing page", id: "ogcLanding", parameters: [fParam], response: ok("Links to the API definition, conformance and collections", MediaTypes.json, json)),
            prefix + "/conformance": get("Conformance classes", id: "ogcConformance", parameters: [fParam],
                                    response: ok("The conformance classes", MediaTypes.json, ["schema": ["type": "object", "required": ["conformsTo"], "properties": ["conformsTo": ["type": "array", "items": ["type": "string"]]]]])),
            prefix + "/api": get("This API definition (OpenAPI 3.0)", id: "ogcAPI", parameters: [["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json"]]]],
                            response: ["description": "The OpenAPI 3.0 document", "content": [OGCFeatures.openAPIType: ["schema": ["type": "object"]]]]),
            prefix + "/collections": get("The feature collections", id: "ogcCollections", parameters: [fParam],
                                    response: ok("The collections", MediaTypes.json, ["schema": ["type": "object", "required": ["links", "collections"], "properties": ["links": links, "collections": ["type": "array", "items": ["type": "object"]]]]])),
        ]
        if perCollection {
            for c in catalogue.features.collections {
                let path = prefix + "/collections/" + OGCFeatures.percentEncoded(c.id)
                paths[path] = get(c.title, id: "collection-\(c.id)", parameters: [fParam], response: ok("The collection", MediaTypes.json, json))
                paths[path + "/items"] = get("\(c.title): features", id: "items-\(c.id)",
                                             parameters: itemParameters + filters(c.queryables.keys.sorted(), c.queryables),
                                             response: ok("A page of features", MediaTypes.geoJSON, ["schema": items]))
                paths[path + "/items/{featureId}"] = get("\(c.title): one feature", id: "item-\(c.id)", parameters: [featureId, fParam],
                                                         response: ok("The feature", MediaTypes.geoJSON, ["schema": feature]), notFound: true)
            }
        } else {
            paths[prefix + "/collections/{collectionId}"] = get("One collection", id: "ogcCollection", parameters: [collectionId, fParam],
                                                                response: ok("The collection", MediaTypes.json, json), notFound: true)
            // Each collection's property filters differ: /ogc/api lists them per collection.
            paths[prefix + "/collections/{collectionId}/items"] = get("The features of a collection (property filters: see /ogc/api)", id: "ogcItems",
                                                                      parameters: [collectionId] + itemParameters,
                                                                      response: ok("A page of features", MediaTypes.geoJSON, ["schema": items]), notFound: true)
            paths[prefix + "/collections/{collectionId}/items/{featureId}"] = get("One feature", id: "ogcItem", parameters: [collectionId, featureId, fParam],
                                                                                  response: ok("The feature", MediaTypes.geoJSON, ["schema": feature]), notFound: true)
        }
        return paths
    }

    /// `/ogc/api`: the OGC part alone, OpenAPI 3.0.
    static func ogcDocument(_ catalogue: Catalogue) -> JSONValue {
        [
            "openapi": "3.0.3",
            "info": ["title": "zorgzones – OGC API – Features", "version": .string(zorgzonesVersion),
                     "description": "The layers, zone tables and network layers of zorgzones as OGC API – Features collections (CRS84)."],
            "servers": [["url": "/ogc"]],
            "paths": .object(ogcPaths(catalogue, prefix: "", perCollection: true)),
        ]
    }

    static func problemDescription(_ code: Int) -> String {
        switch code {
        case 400: return "Malformed JSON or an invalid request (problem+json names the member)"
        case 404: return "No such layer"
        case 413: return "Body larger than --max-body-bytes"
        case 415: return "Unsupported Content-Type"
        case 416: return "The byte range is outside the representation (Content-Range: bytes */length)"
        case 422: return "Invalid GeoJSON, geometry, zoning or networks, or a limit exceeded (features, positions, depth, rows)"
        case 503: return "All worker slots busy and the queue full (Retry-After), or the part is unavailable"
        case 504: return "The work took longer than --timeout"
        default: return "Error"
        }
    }
}
