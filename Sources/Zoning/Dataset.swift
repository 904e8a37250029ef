import Foundation
import GeoCore
import GEOS

/// One input file with its checksum, for the manifest.
public struct InputFile: Codable, Sendable, Equatable {
    public var role: String
    public var path: String
    public var sha256: String
    public var bytes: Int
    public var records: Int

    public init(role: String, path: String, sha256: String, bytes: Int, records: Int) {
        self.role = role; self.path = path; self.sha256 = sha256; self.bytes = bytes; self.records = records
    }
}

/// Blocks, population and zonings, loaded and checked (by `DataPackage`'s `Dataset.load`). Immutable and
/// `Sendable`: load once, share everywhere.
public struct Dataset: Sendable {
    public var directory: URL
    public var blocks: [Block]
    /// Block id → index in `blocks`.
    public var blockIndex: [String: Int]
    public var populationYear: Int
    /// Layers by name: `municipalities`, `elz`, `rr`, `rzz`, then any extra zonings.
    public var zonings: [String: Zoning]
    /// Layer names in output order.
    public var layerNames: [String]
    public var inputs: [InputFile]
    /// Informational notes from loading (e.g. regions out of a zoning's scope).
    public var notes: [String]

    public init(directory: URL, blocks: [Block], populationYear: Int, zonings: [String: Zoning], layerNames: [String],
                inputs: [InputFile], notes: [String]) {
        self.directory = directory
        self.blocks = blocks
        var index: [String: Int] = [:]
        for (i, b) in blocks.enumerated() { index[b.id] = i }
        self.blockIndex = index
        self.populationYear = populationYear
        self.zonings = zonings
        self.layerNames = layerNames
        self.inputs = inputs
        self.notes = notes
    }

    /// What identifies the blocks for caches: the blocks file's checksum and the block count.
    public var fingerprint: String {
        let blocks = inputs.first { $0.role == "blocks" }?.sha256 ?? directory.path
        return "\(blocks)#\(self.blocks.count)"
    }

    public func block(_ id: String) -> Block? { blockIndex[id].map { blocks[$0] } }

    public var elz: Zoning { zonings["elz"]! }
    public var rzz: Zoning { zonings["rzz"]! }
    public var rr: Zoning { zonings["rr"]! }
    public var municipalities: Zoning { zonings["municipalities"]! }
    public var totalPopulation: Int { blocks.reduce(0) { $0 + $1.population } }

    /// Resolves one more zone table (e.g. a proposal) against this dataset's blocks, with ELZ as possible parent.
    public func resolve(_ table: ZoneTable, name: String) throws -> Zoning {
        let parents = layerNames.filter { $0 != "municipalities" }.compactMap { zonings[$0] }
        return try Zoning.resolve(table, name: name, blocks: blocks, parents: parents).zoning
    }

    /// One zone per municipality (NIS code), named after it, from the blocks.
    public static func municipalityZoning(_ blocks: [Block]) -> Zoning {
        var names: [String: String] = [:]
        var assignment: [String: String] = [:]
        for b in blocks {
            assignment[b.id] = b.nis
            if names[b.nis] == nil { names[b.nis] = b.municipalityName }
        }
        let zones = names.keys.sorted(by: naturalLess).map { ZoneRef(code: $0, name: names[$0]!) }
        return Zoning(name: "municipalities", zones: zones, assignment: assignment)
    }
}

