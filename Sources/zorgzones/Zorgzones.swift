import ArgumentParser
import Foundation
import Jobs
import Zoning

@main
struct Zorgzones: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgzones",
        abstract: "Dissolve, check, compare and map the care zones of Flanders and Brussels (ELZ, RZZ, referentieregio's).",
        version: zorgzonesVersion,
        subcommands: [Build.self, Dissolve.self, Check.self, Compare.self, Propose.self, Serve.self, Render.self])
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

    @Option(name: .long, help: ArgumentHelp("Blocks: a GeoJSON file, or any vector source GDAL opens (GeoPackage, Shapefile, FlatGeobuf, PG:\"dbname=…\") in the CRS it declares (EPSG:31370, EPSG:3812 …; reprojected on read). Default: blocks.geojson in the data directory.", valueName: "SOURCE"))
    var blocks: String?

    @Option(name: .long, help: ArgumentHelp("The layer (or PostGIS table) of --blocks when it has several.", valueName: "NAME"))
    var blocksLayer: String?

    /// The files to read, as `Jobs` takes them (resolved there, once for every command and the service).
    var request: DataRequest {
        DataRequest(directory: data, population: population, elz: elz, rr: rr, rzz: rzz, blocks: blocks, blocksLayer: blocksLayer)
    }
}

/// Prints an error the way every command does and exits with `code`.
func fail(_ error: Error, code: Int32 = 2) -> ExitCode {
    var stderr = StandardError()
    print("zorgzones: error: \(error)", to: &stderr)
    return ExitCode(code)
}

/// How a command reports an error: an option's (`UsageError`) as ArgumentParser's usage error (exit 64), anything
/// else printed with `fail` (exit 2).
func reported(_ error: Error) -> Error {
    switch error {
    case let e as UsageError: return ValidationError(e.cliText)
    case is ValidationError, is ExitCode: return error
    default: return fail(error)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
