import Foundation
import Zoning

// Where the default map style comes from, and a built-in copy of `GeoData/styles/official.json` for a binary run
// away from the repository (a test checks that the copy equals the file).

extension MapStyle {
    /// The default style: `$ZORGZONES_STYLE` (a file) if set, else `GeoData/styles/official.json` found upwards
    /// from the working directory or the executable, else the built-in copy of that file.
    public static func `default`() throws -> MapStyle {
        if let url = try locate(explicit: nil) { return try load(file: url) }
        return try decode(Data(builtInOfficialJSON.utf8))
    }

    /// A style file: `explicit` (a path, or a name of `GeoData/styles/<name>.json`), else `$ZORGZONES_STYLE`,
    /// else `GeoData/styles/official.json` upwards from the working directory or the executable; nil when none
    /// is found and nothing was asked for.
    public static func locate(explicit: String?) throws -> URL? {
        let fm = FileManager.default
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            if fm.fileExists(atPath: url.path) { return url }
            if !explicit.contains("/"), let dir = stylesDirectory() {
                let named = dir.appendingPathComponent(explicit.hasSuffix(".json") ? explicit : explicit + ".json")
                if fm.fileExists(atPath: named.path) { return named }
            }
            throw StyleError(style: explicit, message: "style file not found")
        }
        if let env = ProcessInfo.processInfo.environment["ZORGZONES_STYLE"], !env.isEmpty {
            guard fm.fileExists(atPath: env) else {
                throw StyleError(style: env, message: "style file given by $ZORGZONES_STYLE does not exist")
            }
            return URL(fileURLWithPath: env)
        }
        guard let dir = stylesDirectory() else { return nil }
        let url = dir.appendingPathComponent("official.json")
        return fm.fileExists(atPath: url.path) ? url : nil
    }

    /// `GeoData/styles` of the repository, found upwards from the working directory or the executable.
    static func stylesDirectory() -> URL? {
        findUpwards { dir in
            let candidate = dir.appendingPathComponent("GeoData/styles")
            let exists = FileManager.default.fileExists(atPath: candidate.appendingPathComponent("official.json").path)
            return exists ? candidate : nil
        }
    }

    /// Loads and validates a style file.
    public static func load(file url: URL) throws -> MapStyle {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StyleError(style: url.path, message: "cannot read the style file: \(error.localizedDescription)")
        }
        do { return try decode(data) } catch let e as StyleError { throw e } catch {
            throw StyleError(style: url.path, message: "not a valid style: \(error)")
        }
    }

    /// The built-in copy of `GeoData/styles/official.json`.
    public static var builtIn: MapStyle { try! decode(Data(builtInOfficialJSON.utf8)) }
}

/// A copy of `GeoData/styles/official.json` (regenerate when the file changes; `StyleTests` checks it).
let builtInOfficialJSON = #"""
{
  "name": "official",
  "description": "In the spirit of the map in the Flemish government's 2026 concept note on the meso level (§2.2.2): referentieregio's as coloured (pastel) areas, regionale zorgzones bounded by red lines, eerstelijnszones outlined in black with their number. Also styles the misalignment maps (hospital campuses per network, GGZ network areas) and rule-report maps.",
  "width": 1400,
  "margin": 24,
  "background": "#ffffff",
  "fontFamily": "DejaVu Sans, Verdana, Arial, sans-serif",
  "drawing": { "tolerancePixels": 0.6, "method": "visvalingam", "decimals": 1 },
  "palettes": {
    "referentieregio": ["#f4b9a0", "#a9cbea", "#c6e3a6", "#d5c2ea", "#fbd98c", "#9fd8cf", "#f2b8d2", "#e8ec9a",
                        "#bcc4f0", "#e3c7a2", "#d7efe0", "#e8a8a8", "#c8e6f5", "#d8d0a0", "#f6dcc8", "#efd0f0"],
    "networks": ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                 "#393b79", "#f2c000", "#000000", "#9ecae1", "#ad494a", "#637939", "#ff9896", "#7b4173"],
    "networkAreas": ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#ffed6f",
                     "#bc80bd", "#d9b38c", "#5fb87f", "#e78ac3", "#a6cee3", "#f4a582"]
  },
  "areas": {
    "referentieregio": { "palette": "referentieregio" },
    "noRegion": { "fill": "#dadada" },
    "zone": { "fill": "#f3f2ec" },
    "ruleFail": { "fill": "#f08a84" },
    "ruleExcused": { "fill": "#fcd49a" },
    "ruleWarning": { "fill": "#fbf1b0" },
    "rulePass": { "fill": "#eef2ea" },
    "networkArea": { "palette": "networks", "opacity": 0.3 },
    "ggzArea": { "palette": "networkAreas", "opacity": 0.75 },
    "noNetwork": { "fill": "#d4d4d4" },
    "hitArea": { "fill": "#ffffff", "opacity": 0 },
    "legendBox": { "fill": "#ffffff", "opacity": 0.9, "stroke": { "colour": "#bbbbbb", "width": 0.6 } },
    "inset": { "fill": "#ffffff", "stroke": { "colour": "#666666", "width": 0.8 } }
  },
  "lines": {
    "block": { "colour": "#ffffff", "width": 0.45, "opacity": 0.95 },
    "elz": { "colour": "#111111", "width": 0.75 },
    "elzMuted": { "colour": "#777777", "width": 0.5 },
    "rzz": { "colour": "#d7191c", "width": 2.2 },
    "outline": { "colour": "#333333", "width": 0.9 },
    "networkArea": { "colour": "#555555", "width": 0.6, "dash": [3, 2] },
    "lowConfidence": { "colour": "#333333", "width": 0.8 },
    "ruleFinding": { "colour": "#7a0177", "width": 1.6, "dash": [4, 2] },
    "scaleBar": { "colour": "#333333", "width": 1, "cap": "butt", "join": "miter" },
    "callout": { "colour": "#444444", "width": 0.7, "dash": [2, 1.5] },
    "legendFrame": { "colour": "#bbbbbb", "width": 0.6 }
  },
  "texts": {
    "title": { "size": 20, "colour": "#1a1a1a", "weight": "bold" },
    "subtitle": { "size": 12, "colour": "#444444" },
    "source": { "size": 9, "colour": "#555555" },
    "legendTitle": { "size": 11, "colour": "#222222", "weight": "bold" },
    "legend": { "size": 10, "colour": "#333333" },
    "legendIndex": { "size": 8.5, "colour": "#333333" },
    "elzLabel": { "size": 9, "minSize": 6.5, "maxSize": 11, "colour": "#222222", "weight": "bold",
                  "halo": { "colour": "#ffffff", "width": 2.2 } },
    "rzzLabel": { "size": 12, "minSize": 8, "maxSize": 14, "colour": "#a50f15", "weight": "bold",
                  "halo": { "colour": "#ffffff", "width": 3 } },
    "zoneLabel": { "size": 9, "minSize": 6.5, "maxSize": 12, "colour": "#333333",
                   "halo": { "colour": "#ffffff", "width": 2.2 } },
    "networkLabel": { "size": 9, "minSize": 7, "maxSize": 11, "colour": "#222222", "italic": true,
                      "halo": { "colour": "#ffffff", "width": 2.4 } },
    "callout": { "size": 9.5, "colour": "#222222", "italic": true,
                 "halo": { "colour": "#ffffff", "width": 2.4 } },
    "scaleBar": { "size": 9, "colour": "#333333" }
  },
  "markers": {
    "campus": { "shape": "circle", "radius": 3.8, "palette": "networks",
                "stroke": { "colour": "#ffffff", "width": 0.9 } },
    "campusUnassigned": { "shape": "square", "radius": 3, "fill": "#777777",
                          "stroke": { "colour": "#ffffff", "width": 0.9 } },
    "finding": { "shape": "diamond", "radius": 4.5, "fill": "#7a0177",
                 "stroke": { "colour": "#ffffff", "width": 1 } }
  }
}
"""#
