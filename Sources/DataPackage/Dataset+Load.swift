import Crypto
import Formats
import Foundation
import GeoCore
import GEOS
import GeoJSON
import Projection
import Zoning

/// Where the data files are and which to use. Defaults follow the data package layout (`../shared/geodata`).
public struct DatasetOptions: Sendable {
    public var directory: URL
    public var blocksFile = "blocks.geojson"
    /// The layer of `blocksFile` when it is a GDAL source with several.
    public var blocksLayer: String?
    public var populationFile = "population.csv"
    public var elzFile = "elz.csv"
    public var rrFile = "referentieregio.csv"
    public var rzzFile = "rzz.csv"
    /// Extra zonings: layer name → CSV file (absolute, or relative to the working directory).
    public var extraZonings: [(name: String, url: URL)] = []

    public init(directory: URL) { self.directory = directory }

    /// The data directory: `explicit` if given, else `$ZORGZONES_DATA`, else `../shared/geodata` next to the
    /// repository root (found from the working directory or the executable's location).
    public static func locateDataDirectory(explicit: String?) throws -> URL {
        let fm = FileManager.default
        if let url = try configuredPath(explicit: explicit, variable: "ZORGZONES_DATA", what: "data directory",
                                        missing: "data directory does not exist") { return url }
        let found = findUpwards { dir in
            let candidate = dir.deletingLastPathComponent().appendingPathComponent("shared/geodata")
            let isRepository = fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
            return isRepository && fm.fileExists(atPath: candidate.appendingPathComponent("blocks.geojson").path) ? candidate : nil
        }
        if let found { return found }
        throw DataError(file: "../shared/geodata",
                        message: "no data directory found: pass --data DIR or set ZORGZONES_DATA")
    }
}

extension Dataset {
    /// Loads and checks everything. Reports all problems of a file together.
    public static func load(_ options: DatasetOptions) throws -> Dataset {
        let dir = options.directory
        func url(_ f: String) -> URL { f.hasPrefix("/") ? URL(fileURLWithPath: f) : dir.appendingPathComponent(f) }
        var inputs: [InputFile] = []
        var notes: [String] = []

        var blocks: [Block]
        if options.blocksFile.hasPrefix("PG:") || VectorFormat.guess(options.blocksFile).map({ $0 != .geoJSON }) ?? false {
            // Any source GDAL opens, reprojected to CRS84 on read; the checksum is of the features as read.
            let source = options.blocksFile.hasPrefix("PG:") ? options.blocksFile : url(options.blocksFile).path
            let fc = try VectorOutput.read(source, layer: options.blocksLayer)
            let display = options.blocksFile.hasPrefix("PG:") ? VectorWriter.redacted(options.blocksFile) : options.blocksFile
            blocks = try readBlocks(fc, source: display)
            let text = Data(try GeoJSONWriter(precision: 9, includeBBox: false).write(fc))
            inputs.append(InputFile(role: "blocks", path: display, sha256: sha256(text), bytes: text.count, records: blocks.count))
        } else {
            let blocksURL = url(options.blocksFile)
            let blocksData = try readFile(blocksURL, display: options.blocksFile)
            blocks = try readBlocks(blocksData, source: options.blocksFile)
            inputs.append(InputFile(role: "blocks", path: options.blocksFile, sha256: sha256(blocksData),
                                    bytes: blocksData.count, records: blocks.count))
        }

        let popURL = url(options.populationFile)
        let popData = try readFile(popURL, display: options.populationFile)
        let year = try applyPopulation(popData, source: options.populationFile, to: &blocks)
        inputs.append(InputFile(role: "population", path: options.populationFile, sha256: sha256(popData),
                                bytes: popData.count, records: blocks.count))

        var zonings: [String: Zoning] = [:]
        zonings["municipalities"] = Dataset.municipalityZoning(blocks)
        var names = ["municipalities"]

        func addZoning(_ name: String, url: URL, display: String, role: String, codeColumn: String? = nil) throws {
            let data = try readFile(url, display: display)
            guard let text = String(data: data, encoding: .utf8) else {
                throw DataError(file: display, message: "the file is not UTF-8 text")
            }
            let table = try ZoneTable(csv: CSVTable(text: text, name: display), codeColumn: codeColumn)
            let parents = names.compactMap { zonings[$0] }.filter { $0.name != "municipalities" }
            let (z, outOfScope) = try Zoning.resolve(table, name: name, blocks: blocks, parents: parents)
            zonings[name] = z
            names.append(name)
            for r in outOfScope {
                notes.append("\(display): no block of \(r) is in a zone; \(r) is outside this zoning's scope")
            }
            inputs.append(InputFile(role: role, path: display, sha256: sha256(data), bytes: data.count,
                                    records: table.rows.count))
        }
        try addZoning("elz", url: url(options.elzFile), display: options.elzFile, role: "zoning elz", codeColumn: "elz_code")
        try addZoning("rr", url: url(options.rrFile), display: options.rrFile, role: "zoning rr", codeColumn: "rr_code")
        try addZoning("rzz", url: url(options.rzzFile), display: options.rzzFile, role: "zoning rzz", codeColumn: "rzz_code")
        for (name, url) in options.extraZonings {
            if zonings[name] != nil {
                throw DataError(file: url.path, message: "layer name '\(name)' is already used; pick another name")
            }
            try addZoning(name, url: url, display: url.path, role: "zoning \(name)")
        }
        return Dataset(directory: dir, blocks: blocks, populationYear: year, zonings: zonings,
                       layerNames: names, inputs: inputs, notes: notes)
    }

    // MARK: - Readers

    static func readFile(_ url: URL, display: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError(file: display, message: "file not found (looked at \(url.path))")
        }
        do { return try Data(contentsOf: url) } catch {
            throw DataError(file: display, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads blocks from GeoJSON: properties `id`, `nis`, `name`, `region`, `province`; Polygon or MultiPolygon.
    /// GEOS's reason and location when `shape` is not valid, nil when it is.
    static func blockValidityProblem(_ shape: Shape) -> String? {
        do {
            return try Geometry(shape).validityProblem()
        } catch {
            return "\(error)"
        }
    }

    public static func readBlocks(_ data: Data, source: String) throws -> [Block] {
        let fc: FeatureCollection
        switch Result(catching: { try GeoJSONReader(source: source).readFeatureCollection(data) }) {
        case .success(let v): fc = v
        case .failure(let e):
            if let e = e as? GeoJSONError {
                throw DataError(file: source, location: e.path.isEmpty ? nil : e.path, message: e.message)
            }
            throw e
        }
        return try readBlocks(fc, source: source)
    }

    /// Blocks from features (read from GeoJSON or through GDAL), with every problem reported together.
    public static func readBlocks(_ fc: FeatureCollection, source: String) throws -> [Block] {
        var errors: [DataError] = []
        var blocks: [Block] = []
        blocks.reserveCapacity(fc.features.count)
        var seen: [String: Int] = [:]
        var pending: [(index: Int, id: String, nis: String, name: String, region: String, province: String?, shape: Shape)] = []
        for (i, f) in fc.features.enumerated() {
            let loc = "features[\(i)]"
            func string(_ key: String, required: Bool = true) -> String? {
                switch f.properties[key] {
                case .string(let s)? where !s.isEmpty: return s
                case .number(let n)?: return n == n.rounded() ? String(Int(n)) : String(n)
                case .null?, nil:
                    if required {
                        errors.append(DataError(file: source, location: loc, field: "properties.\(key)", message: "missing"))
                    }
                    return nil
                default:
                    errors.append(DataError(file: source, location: loc, field: "properties.\(key)",
                                            message: "expected a non-empty string"))
                    return nil
                }
            }
            let id = string("id")
            let nis = string("nis")
            let name = string("name", required: false) ?? id ?? ""
            let region = string("region", required: false) ?? ""
            let province = string("province", required: false)
            guard let id, let nis else { continue }
            if let j = seen[id] {
                errors.append(DataError(file: source, location: loc, field: "properties.id",
                                        message: "duplicate block id '\(id)' (also features[\(j)])"))
                continue
            }
            seen[id] = i
            guard let shape = f.geometry, !shape.polygons.isEmpty, shape.isPolygonal else {
                errors.append(DataError(file: source, location: loc, field: "geometry",
                                        message: "block '\(id)' must have a Polygon or MultiPolygon geometry, found \(f.geometry?.typeName ?? "none")"))
                continue
            }
            pending.append((i, id, nis, name, region, province, shape))
        }
        // Projection and validity of every block, in parallel (PROJ clones its transformation per thread). Every
        // block must be valid as GEOS defines it: proven by the Swift union where it can, else asked of GEOS, so
        // that an invalid block is named the same way by every command and the service (issue 11).
        let done = ResultSlots<(projected: Shape?, problem: String?)>(count: pending.count)
        let items = pending
        DispatchQueue.concurrentPerform(iterations: items.count) { k in
            let shape = items[k].shape
            let problem = CoverageUnion.provesValid(shape.polygons) ? nil : blockValidityProblem(shape)
            do {
                done.set(k, .success((try Projection.transform(shape, from: .crs84, to: .lambert72), problem)))
            } catch {
                done.set(k, .success((nil, "cannot project: \(error)")))
            }
        }
        for (k, r) in (try done.results()).enumerated() {
            let b = items[k]
            let loc = "features[\(b.index)]"
            if let problem = r.problem {
                let message = r.projected == nil ? problem
                    : "block '\(b.id)' (\(b.name)) is not a valid polygon: \(problem); repair it (e.g. ST_MakeValid, ogr2ogr -makevalid)"
                errors.append(DataError(file: source, location: loc, field: "geometry", message: message))
                continue
            }
            guard let projected = r.projected else { continue }
            blocks.append(Block(id: b.id, nis: b.nis, name: b.name, region: b.region, province: b.province, shape: b.shape,
                                projected: projected, areaKm2: projected.area / 1e6, population: 0))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if blocks.isEmpty { throw DataError(file: source, message: "no features") }
        return blocks
    }

    /// Applies `block_id, population, year` rows; returns the population year. Every block needs a value.
    static func applyPopulation(_ data: Data, source: String, to blocks: inout [Block]) throws -> Int {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: source, message: "the file is not UTF-8 text")
        }
        let csv = try CSVTable(text: text, name: source)
        let idCol = try csv.column("block_id", "id", "nis")
        let popCol = try csv.column("population", "pop")
        let yearCol = csv.optionalColumn("year")
        var index: [String: Int] = [:]
        for (i, b) in blocks.enumerated() { index[b.id] = i }
        var seen = Set<String>()
        var years = Set<Int>()
        var errors: [DataError] = []
        for (r, line) in zip(csv.rows, csv.lines) {
            let id = r[idCol]
            guard let i = index[id] else {
                let split = blocks.contains { $0.nis == id && $0.id != id }
                errors.append(DataError(file: source, location: "line \(line)", field: csv.header[idCol],
                                        message: split ? "'\(id)' is a municipality split into several blocks; give a population per block"
                                            : "'\(id)' matches no block"))
                continue
            }
            if !seen.insert(id).inserted {
                errors.append(DataError(file: source, location: "line \(line)", field: csv.header[idCol],
                                        message: "duplicate population row for block '\(id)'"))
                continue
            }
            guard let p = Int(r[popCol]), p >= 0 else {
                errors.append(DataError(file: source, location: "line \(line)", field: csv.header[popCol],
                                        message: "'\(r[popCol])' is not a non-negative whole number"))
                continue
            }
            blocks[i].population = p
            if let yearCol, let y = Int(r[yearCol]) { years.insert(y) }
        }
        for b in blocks where !seen.contains(b.id) {
            errors.append(DataError(file: source, field: csv.header[idCol],
                                    message: "missing population for block '\(b.id)' (\(b.name))"))
        }
        if years.count > 1 {
            errors.append(DataError(file: source, field: "year",
                                    message: "mixed population years: \(years.sorted().map(String.init).joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        return years.first ?? 0
    }

}
