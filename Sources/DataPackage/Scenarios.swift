import Foundation
import Zoning

/// A zoning proposal the project keeps in `GeoData/scenarios/`: a CSV of the RZZ table's shape, named
/// `LABEL-words.csv` (`b-regio-gent-gesplitst.csv`: label `b`), titled in `scenarios.json` (Dutch `title`, English
/// `title_en`), else by the words of its name.
public struct ScenarioFile: Sendable, Equatable {
    public var name: String
    public var label: String
    public var title: String
    public var titleEn: String
    public var file: String
    public var csv: [UInt8]
}

public enum Scenarios {
    /// The scenarios of `directory`, or of `GeoData/scenarios` in the repository (found upwards from the working
    /// directory or the executable's location, as the rule set is), sorted by name; none where there is no folder.
    /// A file that cannot be read is an error naming it.
    public static func load(directory: URL? = nil) throws -> [ScenarioFile] {
        let fm = FileManager.default
        let dir = directory ?? findUpwards { d in
            let c = d.appendingPathComponent("GeoData/scenarios")
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: c.path, isDirectory: &isDir) && isDir.boolValue ? c : nil
        }
        guard let dir, let files = try? fm.contentsOfDirectory(atPath: dir.path) else { return [] }
        struct Index: Decodable {
            struct Entry: Decodable { var file: String; var title: String; var title_en: String? }
            var scenarios: [Entry]
        }
        var titles: [String: Index.Entry] = [:]
        let indexURL = dir.appendingPathComponent("scenarios.json")
        if fm.fileExists(atPath: indexURL.path) {
            do {
                for e in try JSONDecoder().decode(Index.self, from: Data(contentsOf: indexURL)).scenarios { titles[e.file] = e }
            } catch {
                throw DataError(file: "GeoData/scenarios/scenarios.json", message: "not a scenario index: \(error)")
            }
        }
        return try files.filter { $0.hasSuffix(".csv") }.sorted().map { file in
            let name = String(file.dropLast(4))
            let words = name.split(separator: "-").map(String.init)
            let label = words.count > 1 ? words[0] : name
            var title = (words.count > 1 ? words.dropFirst() : words[...]).joined(separator: " ")
            if let f = title.first { title = f.uppercased() + title.dropFirst() }
            let data: Data
            do { data = try Data(contentsOf: dir.appendingPathComponent(file)) } catch {
                throw DataError(file: "GeoData/scenarios/\(file)", message: "cannot read the scenario: \(error.localizedDescription)")
            }
            return ScenarioFile(name: name, label: label, title: titles[file]?.title ?? title,
                                titleEn: titles[file]?.title_en ?? titles[file]?.title ?? title, file: file, csv: [UInt8](data))
        }
    }
}
