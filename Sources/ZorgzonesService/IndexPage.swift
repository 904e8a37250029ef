import Foundation
import Check
import Compare
import DataPackage
import Jobs
import Zoning

/// `GET /`: a small self-contained page in Dutch, the language of its maps (no external script, style or font), with the map of one layer inlined
/// as SVG, buttons to switch layers (links that work without JavaScript; with it, the map is swapped in place),
/// the zone under the pointer, and download links for the layer's GeoJSON and SVG.
enum IndexPage {
    static let defaultLayer = "rzz"

    static func html(_ catalogue: Catalogue, layer requested: String? = nil) -> String {
        let names = catalogue.layerNames
        let selected = requested.flatMap { names.contains($0) ? $0 : nil }
            ?? (names.contains(defaultLayer) ? defaultLayer : names.first ?? "")
        let layer = catalogue.layers[selected]
        var svg = layer?.svg.map { String(decoding: $0.bytes.readableBytesView, as: UTF8.self) } ?? ""
        if let r = svg.range(of: "?>") { svg = String(svg[r.upperBound...]) }
        if svg.isEmpty { svg = "<p class=\"nomap\">De dienst draait zonder kaarten (--no-maps).</p>" }

        var buttons = ""
        for n in names {
            let current = n == selected ? " aria-current=\"page\"" : ""
            buttons += "<a class=\"layer\" href=\"/?layer=\(escape(n))\" data-layer=\"\(escape(n))\"\(current)>\(escape(title(of: n)))</a>\n"
        }
        var rows = ""
        for n in names {
            guard let l = catalogue.layers[n] else { continue }
            rows += "<tr data-layer=\"\(escape(n))\"><th scope=\"row\">\(escape(n))</th><td>\(l.features)</td><td>\(kb(l.geojson.bytes.readableBytes))</td>"
            rows += "<td><a href=\"/v1/layers/\(escape(n)).geojson\" download=\"\(escape(n)).geojson\">GeoJSON</a>"
            if l.svg != nil { rows += " · <a href=\"/v1/layers/\(escape(n)).svg\" download=\"\(escape(n)).svg\">SVG</a>" }
            rows += "</td></tr>\n"
        }
        let ds = catalogue.dataset
        let population = ds.totalPopulation
        let zoneCounts = ["elz": "ELZ", "rzz": "RZZ", "rr": "referentieregio's"].sorted { $0.key < $1.key }
            .compactMap { key, label in ds.zonings[key].map { "\($0.zones.count) \(label)" } }.joined(separator: " · ")
        return """
        <!DOCTYPE html>
        <html lang="nl">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>zorgzones · zorgzones van Vlaanderen en Brussel</title>
        <style>
        :root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d8d8d2; --accent: #a50f15; --bg: #fafaf7; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink); background: var(--bg); }
        header { padding: 14px 24px 10px; border-bottom: 1px solid var(--line); background: #fff; }
        header h1 { margin: 0; font-size: 20px; }
        header p { margin: 2px 0 0; color: var(--muted); font-size: 13px; }
        nav { display: flex; flex-wrap: wrap; gap: 6px; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
        a.layer { padding: 5px 12px; border: 1px solid var(--line); border-radius: 16px; color: var(--ink); text-decoration: none; font-size: 14px; background: #fff; }
        a.layer:hover { border-color: #999; }
        a.layer[aria-current="page"] { background: var(--ink); color: #fff; border-color: var(--ink); }
        main { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 18px; padding: 16px 24px; }
        figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
        figure svg { display: block; width: 100%; height: auto; }
        figure svg .zones path:hover { fill-opacity: 0.7; }
        #zone { min-height: 2.8em; margin: 6px 4px 0; color: var(--muted); font-size: 13px; }
        aside section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 14px; }
        aside h2 { font-size: 14px; margin: 0 0 6px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 4px 5px; border-bottom: 1px solid #eee; white-space: nowrap; }
        td:nth-child(2), td:nth-child(3) { text-align: right; }
        tr.current th { color: var(--accent); }
        .download { display: inline-block; margin-top: 8px; padding: 6px 12px; background: var(--accent); color: #fff; border-radius: 4px; text-decoration: none; font-size: 14px; }
        code { font-size: 12px; }
        ul.api { margin: 0; padding-left: 16px; font-size: 13px; }
        @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
        </style>
        </head>
        <body>
        <header>
        <h1>zorgzones</h1>
        <p>Zorgzones van Vlaanderen en Brussel: \(zoneCounts) · \(ds.blocks.count) blokken · \(groupedDigits(population, dutch: true)) inwoners (\(ds.populationYear))</p>
        <p><a href="/workbench">Werkbank: verplaats ELZ en toets aan art. 18</a> · <a href="/workbench?lang=en" hreflang="en" lang="en">Workbench (English)</a></p>
        </header>
        <nav aria-label="Lagen">
        \(buttons)</nav>
        <main>
        <div>
        <figure id="map" data-layer="\(escape(selected))">\(svg)</figure>
        <p id="zone" aria-live="polite">Wijs een zone aan voor haar naam en bevolking; tikken of kiezen doe je in de <a href="/workbench">werkbank</a>.</p>
        </div>
        <aside>
        <section>
        <h2 id="title">\(escape(title(of: selected)))</h2>
        <a class="download" id="download" href="/v1/layers/\(escape(selected)).geojson" download="\(escape(selected)).geojson">GeoJSON downloaden</a>
        </section>
        <section>
        <h2>Lagen</h2>
        <table>
        <thead><tr><th>laag</th><th>zones</th><th>grootte</th><th>bestanden</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        </section>
        <section>
        <h2>API</h2>
        <ul class="api">
        <li><a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</li>
        <li><code>POST /v1/dissolve</code>, <code>/v1/check</code>, <code>/v1/compare</code>, <code>/v1/render</code></li>
        <li><a href="/v1/layers">/v1/layers</a> · <a href="/healthz">/healthz</a></li>
        </ul>
        </section>
        </aside>
        </main>
        <script>
        (function () {
          var titles = \(titlesJSON(names));
          var map = document.getElementById("map"), zone = document.getElementById("zone");
          function mark(layer) {
            document.querySelectorAll("a.layer").forEach(function (a) {
              if (a.dataset.layer === layer) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
            });
            document.querySelectorAll("tbody tr").forEach(function (tr) { tr.classList.toggle("current", tr.dataset.layer === layer); });
            var d = document.getElementById("download");
            d.href = "/v1/layers/" + layer + ".geojson"; d.setAttribute("download", layer + ".geojson");
            document.getElementById("title").textContent = titles[layer] || layer;
          }
          function show(layer, push) {
            fetch("/v1/layers/" + encodeURIComponent(layer) + ".svg").then(function (r) {
              if (!r.ok) throw new Error(r.status);
              return r.text();
            }).then(function (text) {
              map.innerHTML = text.replace(/^<\\?xml[^>]*>\\s*/, "");
              map.dataset.layer = layer;
              mark(layer);
              if (push) history.pushState({layer: layer}, "", "/?layer=" + encodeURIComponent(layer));
            }).catch(function () { location.href = "/?layer=" + encodeURIComponent(layer); });
          }
          document.querySelectorAll("a.layer").forEach(function (a) {
            a.addEventListener("click", function (e) { e.preventDefault(); show(a.dataset.layer, true); });
          });
          window.addEventListener("popstate", function (e) { show((e.state && e.state.layer) || "\(escape(selected))", false); });
          map.addEventListener("mouseover", function (e) {
            var t = e.target.closest ? e.target.closest("path[data-code]") : null;
            var title = t && t.querySelector("title");
            if (title) zone.textContent = title.textContent;
          });
          mark(map.dataset.layer);
        })();
        </script>
        </body>
        </html>

        """
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The layers' names in Dutch.
    static func title(of layer: String) -> String {
        switch layer {
        case "municipalities": return "Gemeenten"
        default: return Catalogue.title(of: layer)
        }
    }

    static func titlesJSON(_ names: [String]) -> String {
        "{" + names.map { n in
            let t = title(of: n).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "<", with: "\\u003c")
            return "\"\(n)\": \"\(t)\""
        }.joined(separator: ", ") + "}"
    }

    static func kb(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.1f MB", Double(n) / 1e6) : String(format: "%.0f kB", Double(n) / 1e3)
    }

}
