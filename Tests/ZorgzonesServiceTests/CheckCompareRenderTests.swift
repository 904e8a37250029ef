import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Zoning
@testable import ZorgzonesService

/// The dataset's RZZ table as JSON rows.
func rzzRows(_ change: (inout [[String: String]]) -> Void = { _ in }) throws -> String {
    let csv = try CSVTable(contentsOf: dataDirectory.appendingPathComponent("rzz.csv"))
    var rows = csv.rows.map { Dictionary(uniqueKeysWithValues: zip(csv.header, $0)) }
    change(&rows)
    let json = JSONValue.array(rows.map { r in .object(JSONObject(csv.header.compactMap { h in r[h].map { (h, JSONValue.string($0)) } })) })
    return JSONWriter().string(json)
}

/// The service names its default rule set by the file name in reports, as it always has (the CLI's `check`
/// prints the path it found).
@Test func theDefaultRuleSetIsNamedByItsFileName() throws {
    let catalogue = try Catalogue(dataset: sharedCatalogue.dataset, rulesFile: nil, renderMaps: false)
    let engine = try catalogue.rules.get()
    #expect(engine.ruleSet.file == "art18-2026.json")
}

@Suite("POST /v1/check")
struct CheckTests {
    @Test("the dataset's RZZ as CSV: a report without violations")
    func csvBody() async throws {
        try await withService { client in
            let r = try await client.post("/v1/check", try fileBytes("rzz.csv"), contentType: "text/csv")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            #expect(r.headers[.contentType] == "application/json")
            #expect(r.headers[HTTPField.Name("Zorgzones-Violations")!] == "0")
            let doc = try r.json
            #expect(doc["zones"]?.arrayValue?.count == sharedCatalogue.dataset.rzz.zones.count)
            #expect(doc["totals"]?["violations"]?.intValue == 0)
            #expect(doc["delta"]?["introduced"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("JSON rows; markdown and text formats; a zoning by name")
    func jsonRowsAndFormats() async throws {
        let rows = try rzzRows()
        try await withService { client in
            let r = try await client.post("/v1/check?format=markdown", #"{"name":"mine","zoning":\#(rows)}"#, contentType: "application/json")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            #expect(r.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(r.text.contains("mine"))
            let text = try await client.post("/v1/check", rows, contentType: "application/json", headers: [.accept: "text/plain"])
            #expect(text.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(text.text.contains("PASS"))
            let named = try await client.post("/v1/check", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(named.status == .ok)
            let bad = try await client.post("/v1/check?format=pdf", rows, contentType: "application/json")
            #expect(try bad.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "format")
        }
    }

    @Test("a zoning that breaks the rules: 200 with the violations counted")
    func violations() async throws {
        // Every ELZ its own RZZ: too few ELZ and too few inhabitants per zone, too many zones.
        let rows = try rzzRows { rows in
            for i in rows.indices { rows[i]["rzz_code"] = "z\(i)"; rows[i]["rzz_name"] = "Zone \(i)" }
        }
        try await withService { client in
            let r = try await client.post("/v1/check", rows, contentType: "application/json")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            let n = Int(r.headers[HTTPField.Name("Zorgzones-Violations")!] ?? "") ?? 0
            #expect(n > 0)
            #expect(try r.json["totals"]?["violations"]?.intValue == n)
            #expect(try r.json["delta"]?["introduced"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test("unknown zone codes and incomplete tables: 422 naming the row and column")
    func unknownCodes() async throws {
        let rows = try rzzRows { $0[1]["elz_code"] = "elz999" }
        try await withService { client in
            let r = try await client.post("/v1/check", #"{"zoning":\#(rows)}"#, contentType: "application/json")
            let doc = try r.expectProblem(.unprocessableContent, .invalidZoning)
            #expect(doc["path"]?.stringValue == "zoning[1].elz_code")
            #expect(doc["detail"]?.stringValue?.contains("elz999") == true)
            #expect(doc["errors"]?.arrayValue?.count ?? 0 >= 2)

            let csv = "elz_code,rzz_code,rzz_name\nelz1,rzz03,Halle-Vilvoorde\nnope,rzz03,Halle-Vilvoorde\n"
            let c = try await client.post("/v1/check", csv, contentType: "text/csv")
            let cd = try c.expectProblem(.unprocessableContent, .invalidZoning)
            #expect(cd["errors"]?.arrayValue?.contains { $0["path"]?.stringValue == "line 3" } == true)

            let unnamed = try await client.post("/v1/check", #"{"zoning":"nope"}"#, contentType: "application/json")
            #expect(try unnamed.expectProblem(.unprocessableContent, .invalidZoning)["path"]?.stringValue == "zoning")
        }
    }

    @Test("malformed and mis-shaped bodies")
    func badBodies() async throws {
        try await withService { client in
            try await client.post("/v1/check", "{\"zoning\": [", contentType: "application/json").expectProblem(.badRequest, .malformedJSON)
            try await client.post("/v1/check", "[]", contentType: "application/json").expectProblem(.unprocessableContent, .invalidZoning)
            let notRows = try await client.post("/v1/check", "[1, 2]", contentType: "application/json")
            #expect(try notRows.expectProblem(.unprocessableContent, .invalidZoning)["path"]?.stringValue == "[0]")
            let nested = try await client.post("/v1/check", #"{"zoning":[{"elz_code":["elz1"]}]}"#, contentType: "application/json")
            #expect(try nested.expectProblem(.unprocessableContent, .invalidZoning)["path"]?.stringValue == "zoning[0].elz_code")
            let member = try await client.post("/v1/check", #"{"zoning":"rzz","rules":"x"}"#, contentType: "application/json")
            #expect(try member.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "rules")
            try await client.post("/v1/check", "42", contentType: "application/json").expectProblem(.badRequest, .invalidRequest)
            try await client.post("/v1/check", "a,b", contentType: "application/xml").expectProblem(.unsupportedMediaType, .unsupportedMediaType)
            try await client.post("/v1/check", "", contentType: "text/csv").expectProblem(.unprocessableContent, .invalidZoning)
        }
    }
}

@Suite("POST /v1/compare")
struct CompareTests {
    @Test("the RZZ with the hospital networks (nearest campus) and the ELZ with the GGZ networks")
    func named() async throws {
        try await withService { client in
            let r = try await client.post("/v1/compare", #"{"zoning":"rzz","networks":"hospital-networks","method":"nearest"}"#,
                                          contentType: "application/json")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            let doc = try r.json
            #expect(doc["zoning"]?.stringValue == "rzz")
            #expect(doc["method"]?.stringValue == "nearest")
            #expect(doc["zones"]?.arrayValue?.count == sharedCatalogue.dataset.rzz.zones.count)
            let csv = try await client.post("/v1/compare?format=csv", #"{"zoning":"elz","networks":"ggz-adults"}"#, contentType: "application/json")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("zone_code,zone_name,network"))
            let zonings = try await client.post("/v1/compare", #"{"zoning":"rzz","networks":"rr"}"#, contentType: "application/json")
            #expect(zonings.status == .ok)
        }
    }

    @Test("a posted zoning against posted campuses (GeoJSON) and posted memberships (rows)")
    func posted() async throws {
        let rows = try rzzRows()
        try await withService { client in
            let points = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"network":"A"},"geometry":{"type":"Point","coordinates":[4.40,51.21]}},{"type":"Feature","properties":{"network":"B"},"geometry":{"type":"Point","coordinates":[3.72,51.05]}}]}"#
            let r = try await client.post("/v1/compare", #"{"zoning":\#(rows),"networks":\#(points)}"#, contentType: "application/json")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            #expect(try r.json["networks"]?.arrayValue?.count == 2)
            let members = #"[{"network":"N1","nis":"11001"},{"network":"N1","nis":"11002"},{"network":"N2","nis":"44021"}]"#
            let m = try await client.post("/v1/compare", #"{"networks":\#(members)}"#, contentType: "application/json")
            #expect(m.status == .ok, "\(m.text.prefix(400))")
        }
    }

    @Test("bad requests: unknown names, bad members, invalid network features")
    func bad() async throws {
        try await withService { client in
            let unknown = try await client.post("/v1/compare", #"{"networks":"trams"}"#, contentType: "application/json")
            #expect(try unknown.expectProblem(.unprocessableContent, .invalidNetworks)["path"]?.stringValue == "networks")
            let missing = try await client.post("/v1/compare", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(try missing.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "networks")
            let method = try await client.post("/v1/compare", #"{"networks":"ggz-youth","method":"voronoi"}"#, contentType: "application/json")
            #expect(try method.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "method")
            let threshold = try await client.post("/v1/compare", #"{"networks":"ggz-youth","threshold":150}"#, contentType: "application/json")
            #expect(try threshold.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "threshold")
            let noName = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[4.4,51.2]}}]}"#
            let feature = try await client.post("/v1/compare", #"{"networks":\#(noName)}"#, contentType: "application/json")
            #expect(try feature.expectProblem(.unprocessableContent, .invalidNetworks)["path"]?.stringValue == "networks.features[0].properties.network")
            let geometry = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"network":"A"},"geometry":{"type":"Point","coordinates":[400,51.2]}}]}"#
            let g = try await client.post("/v1/compare", #"{"networks":\#(geometry)}"#, contentType: "application/json")
            #expect(try g.expectProblem(.unprocessableContent, .invalidGeoJSON)["path"]?.stringValue?.hasPrefix("networks.features[0].geometry") == true)
            let rows = try await client.post("/v1/compare", #"{"networks":[{"nis":"11001","share":1}]}"#, contentType: "application/json")
            try rows.expectProblem(.unprocessableContent, .invalidNetworks)
            try await client.post("/v1/compare", "[]", contentType: "application/json").expectProblem(.badRequest, .invalidRequest)
        }
    }
}

@Suite("POST /v1/check?lang=nl")
struct DutchReportTests {
    @Test("the Markdown report in Dutch; lang goes with markdown")
    func dutch() async throws {
        try await withService { client in
            let md = try await client.post("/v1/check?format=markdown&lang=nl", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(md.status == .ok)
            #expect(md.text.hasPrefix("# Toetsing: ") && md.text.contains("## Uitzonderingen (toegestaan)"), "\(md.text.prefix(400))")
            #expect(!md.text.contains("Excused") && !md.text.contains("inhabitants"))
            let json = try await client.post("/v1/check?format=json&lang=nl", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(try json.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "lang")
            // Every finding of the JSON report has its Dutch phrase.
            let report = try await client.post("/v1/check", #"{"zoning":"rzz"}"#, contentType: "application/json").json
            let findings = report["findings"]?.arrayValue ?? []
            #expect(!findings.isEmpty && findings.allSatisfy { ($0["summary_nl"]?.stringValue ?? "").isEmpty == false })
        }
    }
}

@Suite("POST /v1/render")
struct RenderTests {
    @Test("a zoning as CSV, as rows and by name → SVG")
    func render() async throws {
        let rows = try rzzRows()
        try await withService { client in
            let csv = try await client.post("/v1/render?title=Politiezones", try fileBytes("zonings/politiezone.csv"), contentType: "text/csv")
            #expect(csv.status == .ok, "\(csv.text.prefix(300))")
            #expect(csv.headers[.contentType] == "image/svg+xml")
            #expect(csv.text.contains("<title>Politiezones</title>"))
            let json = try await client.post("/v1/render", #"{"zoning":\#(rows),"title":"Mijn <voorstel>","labels":false}"#, contentType: "application/json")
            #expect(json.status == .ok)
            #expect(json.text.contains("Mijn &lt;voorstel&gt;"))
            #expect(json.text.components(separatedBy: #"class="zone""#).count - 1 == sharedCatalogue.dataset.rzz.zones.count)
            for kind in ["official", "rules", "hospitals", "ggz"] {
                let r = try await client.post("/v1/render", #"{"zoning":\#(rows),"kind":"\#(kind)"}"#, contentType: "application/json")
                #expect(r.status == .ok, "\(kind): \(r.text.prefix(300))")
                #expect(r.text.contains(#"data-map="\#(kind)""#))
            }
            let kind = try await client.post("/v1/render", #"{"zoning":"rzz","kind":"pie"}"#, contentType: "application/json")
            #expect(try kind.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "kind")
            let wide = try await client.post("/v1/render", #"{"zoning":"rzz","kind":"rules","width":1000}"#, contentType: "application/json")
            #expect(wide.status == .ok)
            #expect(wide.text.contains(#"width="1000""#))
            let width = try await client.post("/v1/render", #"{"zoning":"rzz","width":50}"#, contentType: "application/json")
            #expect(try width.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "width")
            let named = try await client.post("/v1/render", #"{"zoning":"vervoerregio"}"#, contentType: "application/json")
            #expect(named.status == .ok)
            let bad = try await client.post("/v1/render", #"{"zoning":[{"nis":"1","code":"x"}]}"#, contentType: "application/json")
            try bad.expectProblem(.unprocessableContent, .invalidZoning)
            let labels = try await client.post("/v1/render", #"{"zoning":"rzz","labels":"yes"}"#, contentType: "application/json")
            try labels.expectProblem(.badRequest, .invalidRequest)
        }
    }

    @Test("format=pdf|png: the map laid out for a sheet; what does not fit is a 422")
    func printed() async throws {
        try await withService { client in
            let pdf = try await client.post("/v1/render?kind=official&format=pdf&paper=A4", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(pdf.status == .ok, "\(pdf.text.prefix(300))")
            #expect(pdf.headers[.contentType] == "application/pdf")
            let text = String(decoding: pdf.bytes, as: UTF8.self)
            #expect(text.hasPrefix("%PDF-") && text.contains("/Count 1"))
            // A4 landscape in points (ISO 216: 297 × 210 mm).
            #expect(text.contains("/MediaBox [ 0 0 841.889764 595.275591 ]") || text.contains("/MediaBox [0 0 841.89 595.28]"), "\(text.prefix(2000))")
            let png = try await client.post("/v1/render?kind=zoning&format=png&paper=A3&orientation=portrait&dpi=100", #"{"zoning":"elz"}"#, contentType: "application/json")
            #expect(png.status == .ok, "\(png.text.prefix(300))")
            #expect(png.headers[.contentType] == "image/png")
            let b = png.bytes
            func be(_ i: Int) -> Int { b[i ..< i + 4].reduce(0) { $0 << 8 | Int($1) } }
            // A3 portrait at 100 dpi: 297 × 420 mm.
            #expect(be(16) == Int((297 / 25.4 * 100).rounded()) && be(20) == Int((420 / 25.4 * 100).rounded()))
            let tooSmall = try await client.post("/v1/render?kind=rules&format=pdf&paper=A4", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(try tooSmall.expectProblem(.unprocessableContent, .doesNotFit)["field"]?.stringValue == "paper")
            let width = try await client.post("/v1/render?format=pdf&width=900", #"{"zoning":"rzz"}"#, contentType: "application/json")
            #expect(try width.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == "width")
            for (q, field) in [("format=tiff", "format"), ("format=png&dpi=301", "dpi"), ("format=pdf&paper=A5", "paper"), ("format=pdf&orientation=up", "orientation")] {
                let r = try await client.post("/v1/render?\(q)", #"{"zoning":"rzz"}"#, contentType: "application/json")
                #expect(try r.expectProblem(.badRequest, .invalidRequest)["field"]?.stringValue == field, "\(q)")
            }
        }
    }
}

@Suite("POST /v1/propose")
struct ProposeTests {
    @Test("congruence and alignment proposals, each with its RZZ table and a passing check")
    func proposals() async throws {
        try await withService { client in
            let r = try await client.post("/v1/propose", #"{"objective":"rr-congruence","top":2}"#, contentType: "application/json")
            #expect(r.status == .ok, "\(r.text.prefix(400))")
            let doc = try r.json
            #expect(doc["search"]?["complete"]?.boolValue == true)
            #expect(doc["search"]?["level"]?.stringValue == "referentieregio")
            let proposals = try #require(doc["proposals"]?.arrayValue)
            #expect(proposals.count == 2)
            for p in proposals {
                #expect(p["check"]?["passes"]?.boolValue == true)
                // The RZZ table of a proposal, posted back to /v1/check, passes.
                let csv = try #require(p["csv"]?.stringValue)
                let check = try await client.post("/v1/check", csv, contentType: "text/csv")
                #expect(check.status == .ok)
                #expect(check.headers[HTTPField.Name("Zorgzones-Violations")!] == "0")
            }
            let a = try await client.post("/v1/propose?format=text", #"{"objective":"alignment","networks":"hospital-networks","top":1}"#,
                                          contentType: "application/json")
            #expect(a.status == .ok)
            #expect(a.text.contains("ARI 0.528"))   // the 2026 RZZ's own figure (Voronoi), for comparison
            let csv = try await client.post("/v1/propose?format=csv", #"{"top":1}"#, contentType: "application/json")
            #expect(csv.text.hasPrefix("proposal,elz_code,elz_name,rzz_code,rzz_name"))
        }
    }

    @Test("bad requests name the member")
    func bad() async throws {
        try await withService { client in
            for (body, field) in [(#"{"objective":"happiness"}"#, "objective"), (#"{"objective":"alignment"}"#, "networks"),
                                  (#"{"top":0}"#, "top"), (#"{"time_limit":100}"#, "time_limit"), (#"{"keep":"rzz01"}"#, "keep"),
                                  (#"{"level":"elz"}"#, "level"), (#"{"foo":1}"#, "foo"), (#"{"keep":["rzz99"]}"#, "keep")] {
                let r = try await client.post("/v1/propose", body, contentType: "application/json")
                #expect(r.status == .badRequest, "\(body): \(r.text.prefix(300))")
                #expect(try r.json["field"]?.stringValue == field, "\(body): \(r.text.prefix(300))")
            }
        }
    }
}
