import Foundation
import Cartography
import Zoning

// Where the map style comes from: a file given, `$ZORGZONES_STYLE`, `GeoData/styles` of the repository, else the
// copy of `GeoData/styles/official.json` built into Cartography (`MapStyle.builtIn`).

extension MapStyle {
    /// The default style: `$ZORGZONES_STYLE` (a file) if set, else `GeoData/styles/official.json` found upwards
    /// from the working directory or the executable, else the built-in copy of that file.
    public static func `default`() throws -> MapStyle {
        if let url = try locate(explicit: nil) { return try load(file: url) }
        return builtIn
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
        do {
            if let url = try configuredPath(explicit: nil, variable: "ZORGZONES_STYLE", what: "style file", missing: "") {
                return url
            }
        } catch {
            throw StyleError(style: error.file, message: error.message)
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

    /// Loads `<directory>/<name>.json` (e.g. `GeoData/styles/official.json`).
    public static func load(named name: String, in directory: URL) throws -> MapStyle {
        try decode(Data(contentsOf: directory.appendingPathComponent(name + ".json")))
    }
}
