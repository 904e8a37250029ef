import Cartography
import Check
import Compare
import DataPackage
import Foundation
import Propose
import Zoning

/// `zorgzones propose` and `POST /v1/propose`: zonings of RZZ that meet every rule of the rule set, best first
/// by an objective, each checked by the rule engine.
public struct ProposeJob: Sendable {
    /// The objective: a name or weights (`rr-congruence=1,alignment=0.5`).
    public var objective = "rr-congruence"
    public var metric: AlignmentMetric = .ari
    public var changesBy: ChangeMeasure = .elz
    /// The network layer of the alignment objective, loaded.
    public var networks: NetworkLayer?
    public var method: ServiceAreaMethod?
    /// The base zoning (changes are counted from it; `keep` names its zones); nil: the dataset's RZZ.
    public var base: Zoning?
    public var rulesFile: String?
    /// `rule-set` or `none`.
    public var exceptions = "rule-set"
    /// Level, kept zones, number of zones, how many proposals, seed and length of the search.
    public var search = SearchOptions()

    public init() {}

    /// The checks that need no data. `maxTop`, `maxTime`: the CLI allows more than the service.
    public func validate(maxTop: Int = 50, maxTime: Double = 3600) throws(UsageError) {
        _ = try settings()

        guard (1...maxTop).contains(search.top) else { throw UsageError("top", "must be a whole number from 1 to \(maxTop)") }
        guard search.timeLimit > 0 && search.timeLimit <= maxTime else { throw UsageError("time_limit", "must be a number of seconds above 0 and at most \(Int(maxTime))") }
        guard (1...100).contains(search.restarts) else { throw UsageError("restarts", "must be a whole number from 1 to 100") }
        guard (1...1_000_000).contains(search.iterations) else { throw UsageError("iterations", "must be a whole number from 1 to 1000000") }
        guard ["rule-set", "none"].contains(exceptions) else { throw UsageError("exceptions", "must be rule-set or none") }
    }

    func settings() throws(UsageError) -> ProposeSettings {
        var objective: Objective
        do { objective = try Objective.parse(self.objective) } catch { throw UsageError(error.option, error.message) }
        objective.metric = metric
        objective.changesBy = changesBy
        var s = ProposeSettings(objective: objective)
        s.motivatedExceptions = exceptions != "none"
        s.search = search
        return s
    }

    public struct Outcome: Sendable {
        public var report: ProposalReport
        /// Each proposal's rule report, in rank order.
        public var checks: [RuleReport]
        /// The ELZ graph searched (written as elz-graph.json by --out).
        public var graph: ELZGraphDocument
        public var objective: Objective
    }

    /// Runs the search. `engine`: the rule engine to use (the service's, built at start); nil: the shared one for
    /// `rulesFile`.
    public func run(dataset: Dataset, engine given: RuleEngine? = nil) throws -> Outcome {
        try validate()
        let settings = try self.settings()
        let engine = try given ?? RuleEngines.shared.engine(for: dataset, rulesFile: rulesFile)
        // The same service areas as `compare` computes.
        let alignment = try networks.map { layer in
            let areas = try CompareJob.serviceAreas(layer, dataset: dataset, method: method)
            return AlignmentInput(name: layer.name.isEmpty ? "networks" : layer.name, method: areas.method.rawValue, areas: areas)
        }
        do {
            let proposer = try Proposer(engine: engine, base: base ?? dataset.rzz, settings: settings, alignment: alignment)
            let (report, checks) = try proposer.run()
            return Outcome(report: report, checks: checks, graph: proposer.graphDocument(), objective: settings.objective)
        } catch let e as ProposeUsageError {
            throw UsageError(e.option, e.message)
        }
    }

    /// The files of `--out`: each proposal's RZZ table, rule report and map, the whole answer as JSON and text, and
    /// the ELZ graph searched.
    public static func files(_ outcome: Outcome, dataset: Dataset) throws -> [(name: String, data: Data)] {
        var files: [(name: String, data: Data)] = [("proposals.json", Data(try outcome.report.jsonText().utf8)),
                                                   ("proposals.txt", Data(outcome.report.text().utf8)),
                                                   ("elz-graph.json", try snakeCaseJSON(outcome.graph))]
        for (p, check) in zip(outcome.report.proposals, outcome.checks) {
            let name = "proposal-\(p.rank)"
            files.append(("\(name).csv", Data(p.csv.utf8)))
            files.append(("\(name).check.json", Data(try check.jsonText().utf8)))
            let table = try ZoneTable(csv: CSVTable(text: p.csv, name: "\(name).csv"))
            let zoning = try dataset.resolve(table, name: name)
            var options = MapOptions()
            options.zoningSource = "\(name).csv"
            options.title = "Voorstel \(p.rank) (zorgzones propose): \(outcome.objective.dutchName)"
            let map = try RenderJob(kind: .official, zoning: zoning, options: options).run(dataset)
            files.append(("\(name).svg", map.data))
        }
        return files
    }
}
