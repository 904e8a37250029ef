import Foundation
import GeoCore
import GEOS

/// The version of zorgzones written into manifests and reports.
public let zorgzonesVersion = "0.1.0"

/// The main job: dissolve every zoning of a dataset and produce GeoJSON files plus a manifest.
public enum Atlas {
    /// Dissolves all layers of the dataset (`municipalities`, `elz`, `rr`, `rzz`, extras).
    public static func layers(_ dataset: Dataset, dissolver: Dissolver? = nil) throws -> [Layer] {
        let d = dissolver ?? Dissolver(dataset)
        return try dataset.layerNames.map { try d.dissolve(dataset.zonings[$0]!) }
    }
}
