import Foundation
import Zoning

/// Looks for something next to the repository: walks up from the working directory, then from the executable's
/// folder (eight levels at most each), and returns the first non-nil `match` of a folder. Used to find the data
/// directory (`../shared/geodata`), the rule sets and the map styles without configuration.
public func findUpwards(_ match: (URL) -> URL?) -> URL? {
    let fm = FileManager.default
    let starts = [URL(fileURLWithPath: fm.currentDirectoryPath),
                  URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()]
    for start in starts {
        var dir = start.standardizedFileURL
        for _ in 0..<8 {
            if let found = match(dir) { return found }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
    }
    return nil
}

/// The one rule for what the user configures (the data directory, the rule set, the style): the path given (it must
/// exist), else `$variable` (it must exist), else nil, and the caller looks upwards (`findUpwards`).
func configuredPath(explicit: String?, variable: String, what: String, missing: String) throws(DataError) -> URL? {
    let fm = FileManager.default
    if let explicit {
        guard fm.fileExists(atPath: explicit) else { throw DataError(file: explicit, message: missing) }
        return URL(fileURLWithPath: explicit)
    }
    if let env = ProcessInfo.processInfo.environment[variable], !env.isEmpty {
        guard fm.fileExists(atPath: env) else {
            throw DataError(file: env, message: "\(what) given by $\(variable) does not exist")
        }
        return URL(fileURLWithPath: env)
    }
    return nil
}
