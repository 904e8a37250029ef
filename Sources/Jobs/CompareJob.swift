import Compare
import DataPackage
import Foundation
import GeoJSON
import Zoning

/// `zorgzones compare` and `POST /v1/compare`: how a zoning lines up with a network layer.
public struct CompareJob: Sendable {
    public var zoning: Zoning
    public var networks: NetworkLayer
    /// Service areas of a campus layer (nil: voronoi); area layers have their own.
    public var method: ServiceAreaMethod?
    /// The catchment table of `method == .table`.
    public var catchment: NetworkLayer?
    /// Share in percent above which a zone counts for a network and a network for a zone.
    public var thresholdPercent: Double = 5
    /// Network rows below this confidence are left out.
    public var minimumConfidence: Confidence = .low

    public init(zoning: Zoning, networks: NetworkLayer) {
        self.zoning = zoning
        self.networks = networks
    }

    /// The message of a campus layer none of whose campuses has coordinates.
    public static let noCampusCoordinates = "no campus has coordinates"

    /// The checks of the options that need no data.
    public static func check(thresholdPercent: Double) throws(UsageError) {
        guard (0...100).contains(thresholdPercent) else { throw UsageError("threshold", "is a percentage between 0 and 100") }
    }

    /// A catchment table is the service areas of method `table` only.
    public static func check(catchmentGiven: Bool, method: ServiceAreaMethod?) throws(UsageError) {
        if catchmentGiven && method != .table { throw UsageError("catchment", "goes with method table") }
    }

    /// `low`, `medium` or `high`.
    public static func confidence(_ text: String) throws(UsageError) -> Confidence {
        guard let c = Confidence(parsing: text), c != .unspecified else {
            throw UsageError("min_confidence", "must be low, medium or high")
        }
        return c
    }

    /// A campus layer needs located campuses, unless its service areas come from a catchment table.
    static func requireCampusCoordinates(_ layer: NetworkLayer, method: ServiceAreaMethod?) throws {
        if layer.kind == .points && layer.locatedCampuses.isEmpty && method != .table {
            throw DataError(file: layer.sources.first ?? layer.name, message: noCampusCoordinates)
        }
    }

    /// The service areas of `layer` over the dataset's blocks, as `run` computes them (for `propose`, which
    /// weighs many zonings against one layer). The domain's option checks come back as `UsageError`s.
    static func serviceAreas(_ layer: NetworkLayer, dataset: Dataset, method: ServiceAreaMethod?) throws -> ServiceAreas {
        try requireCampusCoordinates(layer, method: method)
        do {
            return try Comparison.serviceAreas(dataset: dataset, layer: layer, method: method).areas
        } catch let e as CompareUsageError {
            throw UsageError(e.option, e.message)
        }
    }

    /// Runs the comparison. The domain's own checks (a method that does not fit the layer, a table without its
    /// catchment) come back as `UsageError`s naming the option.
    public func run(dataset: Dataset) throws -> Comparison {
        try Self.check(thresholdPercent: thresholdPercent)
        var layer = networks.filtered(minimumConfidence: minimumConfidence)
        layer.name = layer.name.isEmpty ? "networks" : layer.name
        let catchment = self.catchment?.filtered(minimumConfidence: minimumConfidence)
        try Self.check(catchmentGiven: catchment != nil, method: method)
        try Self.requireCampusCoordinates(layer, method: method)
        do {
            return try Comparison.run(dataset: dataset, zoning: zoning, layer: layer, method: method,
                                      catchment: catchment, threshold: thresholdPercent / 100)
        } catch let e as CompareUsageError {
            throw UsageError(e.option, e.message)
        }
    }
}
