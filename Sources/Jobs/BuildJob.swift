import DataPackage
import Foundation
import GeoJSON
import Zoning

/// `zorgzones build`: every layer of the dataset dissolved, written as GeoJSON with a manifest.
public struct BuildJob: Sendable {
    public var data: DataRequest
    /// The output folder (swapped in whole).
    public var out: String
    /// Extra layers: `NAME=FILE` zone tables.
    public var zonings: [String]
    public var precision: Int
    public var bbox: Bool

    public init(data: DataRequest = DataRequest(), out: String, zonings: [String] = [], precision: Int = 6, bbox: Bool = true) {
        self.data = data
        self.out = out
        self.zonings = zonings
        self.precision = precision
        self.bbox = bbox
    }

    /// `NAME=FILE`, with a layer name of letters, digits, `-` and `_`.
    public static func zoningOption(_ s: String) throws(UsageError) -> (name: String, path: String) {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex, s.index(after: eq) != s.endIndex else {
            throw UsageError("zoning", "expects NAME=FILE, got '\(s)'")
        }
        let name = String(s[..<eq]), file = String(s[s.index(after: eq)...])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw UsageError("zoning", "layer name '\(name)' may only use letters, digits, '-' and '_'")
        }
        return (name, file)
    }

    public func validate() throws(UsageError) {
        try Checks.precision(precision)
        for z in zonings { _ = try Self.zoningOption(z) }
    }

    public struct Outcome: Sendable {
        public var files: [(name: String, data: Data)]
        public var notes: [String]
    }

    public func run() throws -> Outcome {
        try validate()
        let extras = try zonings.map { z throws(UsageError) in try Self.zoningOption(z) }
        let dataset = try data.load(extraZonings: extras)
        let files = try Atlas.build(dataset, to: URL(fileURLWithPath: out),
                                    writer: GeoJSONWriter(precision: precision, includeBBox: bbox))
        return Outcome(files: files, notes: dataset.notes)
    }
}
