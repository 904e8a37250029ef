import Foundation
import GeoJSON
import Zoning

/// `zorgzones dissolve` and `POST /v1/dissolve`: any polygon FeatureCollection dissolved by a property or an
/// assignment table, written valid at `precision`.
public struct DissolveJob: Sendable {
    public var grouping: FeatureDissolve.Grouping
    public var sum: [String] = []
    /// Property listed per zone as `members`.
    public var id: String?
    public var precision = 6
    /// Check the input polygons with GEOS (false: trusted input).
    public var validate = true
    public var makeValid = false
    public var keepNull = false

    public init(grouping: FeatureDissolve.Grouping) { self.grouping = grouping }

    public func check() throws(UsageError) {
        try Checks.precision(precision)
        if makeValid && !validate {
            throw UsageError("make_valid", "repairs what validation finds: it cannot go without validation")
        }
    }

    /// Dissolves the features; `source` names the input in messages.
    public func dissolve(_ features: FeatureCollection, source: String) throws -> FeatureDissolve.Result {
        try check()
        var job = FeatureDissolve(grouping: grouping, sum: sum, idProperty: id, source: source)
        job.validate = validate
        job.makeValid = makeValid
        job.keepNull = keepNull
        return try job.run(features)
    }

    /// The collection to write: reduced to `precision` as one layer and checked valid there (a zone that
    /// collapses is an error naming it and the precision that keeps it). `output` names the output in messages.
    public func written(_ result: FeatureDissolve.Result, output: String) throws -> FeatureCollection {
        try result.collection.reducedToPrecision(precision, source: output, knownValid: validate)
    }
}
