import Check
import Foundation
import Zoning

/// Finding and reading rule set files. The default rule set (`GeoData/rules/art18-2026.json`) is built into the
/// binary, so `check` works wherever the binary is; `--rules FILE` or `$ZORGZONES_RULES` pick another.
extension RuleSet {
    /// Reads and checks a rule set. Errors name the file, the line (for JSON syntax errors) and the field path.
    public static func load(_ url: URL, display: String? = nil) throws -> RuleSet {
        let name = display ?? url.path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError(file: name, message: "rule set file not found")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(file: name, message: "cannot read the rule set: \(error.localizedDescription)")
        }
        var set = try decode(data, source: name)
        set.file = name
        return set
    }

    /// The rule set file: `explicit` if given, else `$ZORGZONES_RULES`, else `GeoData/rules/art18-2026.json` in
    /// the repository (found upwards from the working directory or the executable's location).
    public static func locate(explicit: String?) throws -> URL {
        let fm = FileManager.default
        if let url = try configuredPath(explicit: explicit, variable: "ZORGZONES_RULES", what: "rule set file",
                                        missing: "rule set file not found") { return url }
        let found = findUpwards { dir in
            let candidate = dir.appendingPathComponent("GeoData/rules/\(defaultFileName)")
            return fm.fileExists(atPath: candidate.path) ? candidate : nil
        }
        if let found { return found }
        throw DataError(file: "GeoData/rules/\(defaultFileName)",
                        message: "no rule set found: pass --rules FILE or set ZORGZONES_RULES")
    }
}
