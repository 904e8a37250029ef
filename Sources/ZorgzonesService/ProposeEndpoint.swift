import Check
import Foundation
import Hummingbird
import Jobs
import NIOCore
import Propose
import Zoning

extension Handlers {
    /// The members of a `POST /v1/propose` body, as `ProposeJob` takes them.
    static let proposeMembers: Set<String> = ["objective", "networks", "metric", "method", "from", "changes_by", "keep",
                                             "exceptions", "level", "zones", "top", "seed", "restarts", "iterations", "time_limit"]
    /// The service's bounds: fewer proposals and a shorter search than the CLI allows (the request timeout is 30 s).
    static let proposeMaxTop = 20
    static let proposeMaxSeconds = 20.0

    /// `POST /v1/propose`: zonings that meet the rule set, best first by an objective (JSON, text or CSV).
    func propose(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try RequestParsing.requireMediaType(request, [MediaTypes.json])
        let format = try RequestParsing.format(request, allowed: [("json", MediaTypes.json), ("text", MediaTypes.text), ("csv", "text/csv")])
        let engine = try ruleEngine()
        try RequestParsing.checkBodyLength(request, limits: limits)
        let gzip = acceptsGzip(request)
        let limits = self.limits
        let rep = try await limiter.run(timeout: limits.requestTimeout, reading: { try await RequestParsing.body(request, limits: limits) }) { (body: ByteBuffer) throws -> Representation in
            let o = try self.requestObject(body, known: Self.proposeMembers,
                                           expected: "(members: \(Self.proposeMembers.sorted().joined(separator: ", ")))")
            var job = ProposeJob()
            job.search.timeLimit = 10
            do throws(UsageError) {
                func string(_ key: String, _ what: String) throws(UsageError) -> String? {
                    guard let v = o[key] else { return nil }
                    guard case .string(let s) = v, !s.isEmpty else { throw UsageError(key, "must be \(what)") }
                    return s
                }
                func integer(_ key: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int? {
                    guard let v = o[key] else { return nil }
                    guard case .number(let n) = v, n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
                        throw UsageError(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                    }
                    return Int(n)
                }
                if let s = try string("objective", "an objective: rr-congruence, alignment, changes, balance, or weights") { job.objective = s }
                if let s = try string("metric", "ari, nmi or mutual-majority") {
                    guard let m = AlignmentMetric(rawValue: s) else { throw UsageError("metric", "must be ari, nmi or mutual-majority") }
                    job.metric = m
                }
                if let s = try string("changes_by", "elz or population") {
                    guard let m = ChangeMeasure(rawValue: s) else { throw UsageError("changes_by", "must be elz or population") }
                    job.changesBy = m
                }
                if let s = try string("method", "voronoi or nearest") {
                    guard s == "voronoi" || s == "nearest" else { throw UsageError("method", "must be voronoi or nearest (for campus layers)") }
                    job.method = s == "voronoi" ? .voronoi : .nearest
                }
                if let s = try string("exceptions", "rule-set or none") { job.exceptions = s }
                if let s = try string("level", "auto, referentieregio or elz") {
                    guard let l = ProposeLevel(rawValue: s) else { throw UsageError("level", "must be auto, referentieregio or elz") }
                    job.search.level = l
                }
                if let v = o["keep"] {
                    guard case .array(let items) = v else { throw UsageError("keep", "must be an array of zone codes") }
                    job.search.keep = try items.map { item throws(UsageError) -> String in
                        guard case .string(let s) = item, !s.isEmpty else { throw UsageError("keep", "must be an array of zone codes") }
                        return s
                    }
                }
                if let n = try integer("top", 1...Self.proposeMaxTop) { job.search.top = n }
                if let n = try integer("zones", 1...64) { job.search.zones = n }
                if let n = try integer("seed", 0...Int(Int32.max)) { job.search.seed = UInt64(n) }
                if let n = try integer("restarts", 1...100) { job.search.restarts = n }
                if let n = try integer("iterations", 1...100_000) { job.search.iterations = n }
                if let v = o["time_limit"] {
                    guard case .number(let t) = v, t > 0, t <= Self.proposeMaxSeconds else {
                        throw UsageError("time_limit", "must be a number of seconds above 0 and at most \(Int(Self.proposeMaxSeconds))")
                    }
                    job.search.timeLimit = t
                }
                try job.validate(maxTop: Self.proposeMaxTop, maxTime: Self.proposeMaxSeconds)
            } catch { throw Problem(error, path: error.option) }
            if let nv = o["networks"] { job.networks = try self.networks(nv) }
            job.base = try self.zoning(o["from"] ?? .string("rzz"), path: "from", name: "from")
            let outcome: ProposeJob.Outcome
            do {
                outcome = try job.run(dataset: catalogue.dataset, engine: engine)
            } catch let e as UsageError {
                // The CLI's --with is the request's "networks".
                let member = e.option == "with" ? UsageError("networks", e.message) : e
                throw Problem(member, path: member.option)
            } catch let e as ProposalFailsRules {
                throw Problem(.internalError, e.description)
            } catch {
                throw Problem.data(error, kind: .invalidZoning, summary: "no proposal could be made") ?? Problem(.invalidZoning, "\(error)")
            }
            let text: String, type: String
            switch format {
            case "text": text = outcome.report.text(); type = MediaTypes.text
            case "csv": text = outcome.report.csvText(); type = MediaTypes.csv
            default: text = try outcome.report.jsonText(); type = MediaTypes.json
            }
            return Representation(Array(text.utf8), contentType: type, gzip: gzip, minGzipBytes: limits.minGzipBytes,
                                  cacheControl: "no-store")
        }
        return try rep.response(for: request, conditional: false)
    }
}
