import Foundation

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
