import ArgumentParser
import Foundation
import Zoning

@main
struct Zorgzones: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgzones",
        abstract: "Dissolve, check, compare and map the care zones of Flanders and Brussels (ELZ, RZZ, referentieregio's).",
        version: zorgzonesVersion,
        subcommands: [Build.self, Dissolve.self, Check.self, Compare.self, Serve.self, Render.self])
}

/// Options shared by every command that reads the dataset.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (blocks.geojson, population.csv, elz.csv, referentieregio.csv, rzz.csv). Default: $ZORGZONES_DATA, else ../shared/geodata next to the repository.", valueName: "DIR"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Population table (block_id, population, year), relative to the data directory or absolute. Default: population.csv.", valueName: "FILE"))
    var population: String?

    @Option(name: .long, help: ArgumentHelp("ELZ table (block_id, elz_code, elz_name). Default: elz.csv in the data directory.", valueName: "FILE"))
    var elz: String?

    @Option(name: .long, help: ArgumentHelp("Referentieregio table (nis, rr_code, rr_name). Default: referentieregio.csv.", valueName: "FILE"))
    var rr: String?

    @Option(name: .long, help: ArgumentHelp("RZZ table (elz_code, elz_name, rzz_code, rzz_name, …). Default: rzz.csv.", valueName: "FILE"))
    var rzz: String?

    func options(extraZonings: [(String, URL)] = []) throws -> DatasetOptions {
        var o = DatasetOptions(directory: try DatasetOptions.locateDataDirectory(explicit: data))
        func path(_ p: String?) -> String? {
            guard let p else { return nil }
            if p.hasPrefix("/") { return p }
            // A path that exists relative to the working directory wins; else relative to the data directory.
            let cwd = FileManager.default.currentDirectoryPath + "/" + p
            return FileManager.default.fileExists(atPath: cwd) ? cwd : p
        }
        if let p = path(population) { o.populationFile = p }
        if let p = path(elz) { o.elzFile = p }
        if let p = path(rr) { o.rrFile = p }
        if let p = path(rzz) { o.rzzFile = p }
        o.extraZonings = extraZonings.map { name, url in
            // Relative to the working directory if it exists there, else to the data directory.
            let fm = FileManager.default
            if !fm.fileExists(atPath: url.path) {
                let rel = url.path.replacingOccurrences(of: fm.currentDirectoryPath + "/", with: "")
                let inData = o.directory.appendingPathComponent(rel)
                if !rel.hasPrefix("/"), fm.fileExists(atPath: inData.path) { return (name, inData) }
            }
            return (name, url)
        }
        return o
    }

    func load(extraZonings: [(String, URL)] = []) throws -> Dataset {
        try Dataset.load(options(extraZonings: extraZonings))
    }
}

/// Prints an error the way every command does and exits with `code`.
func fail(_ error: Error, code: Int32 = 2) -> ExitCode {
    var stderr = StandardError()
    print("zorgzones: error: \(error)", to: &stderr)
    return ExitCode(code)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
