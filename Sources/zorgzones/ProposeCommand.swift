import ArgumentParser
import Foundation
import Compare
import DataPackage
import Jobs
import Propose

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose zonings of RZZ that meet every rule of the rule set, best first by an objective.",
        discussion: """
        Every proposal groups whole ELZ, is contiguous (Voeren and Baarle-Hertog excepted), has at least 2 ELZ \
        (Brussels excepted) and 300,000 inhabitants (or is a motivated exception of the rule set; --exceptions \
        none allows none), and there are at most 15 zones. Each is checked by the rule engine before it is shown.

        OBJECTIVE is rr-congruence (inhabitants not living in an RZZ that is exactly their referentieregio), \
        alignment (1 − ARI, NMI or mutual majority against --with NETWORKS, service areas as in compare), changes \
        (ELZ or inhabitants moved from --from ZONING), balance (coefficient of variation of the zones' \
        populations), or weights such as rr-congruence=1,alignment=0.5 (every term is a share between 0 and 1).

        Under a rule set where rr_congruence is a violation (the default art18-2026), every zoning that can pass \
        merges whole referentieregio's: these are enumerated exactly (--level referentieregio), and the output \
        says how many meet every condition and that the first is optimal. Under a rule set that does not bind \
        the RZZ to referentieregio's (GeoData/rules/art18-decree.json), --level elz searches groupings of ELZ by \
        simulated annealing over boundary-ELZ moves and ReCom steps, from the base, with --seed and --restarts; it \
        reports the best it found and a lower bound where it has one.

        With --out DIR, writes proposal-N.csv (the shape of rzz.csv, loadable by check --zoning and the \
        workbench), proposal-N.check.json, proposal-N.svg and proposals.json / proposals.txt.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("rr-congruence, alignment, changes, balance, or weights (rr-congruence=1,alignment=0.5).", valueName: "OBJECTIVE"))
    var objective: String = "rr-congruence"

    @Option(name: .customLong("with"), help: ArgumentHelp("Networks of the alignment objective: hospital-networks, ggz-adults, ggz-youth, a zoning name or a file.", valueName: "NETWORKS"))
    var networks: String?

    @Option(name: .long, help: ArgumentHelp("Service areas of point networks: voronoi (default) or nearest.", valueName: "METHOD"))
    var method: CampusMethod?

    @Option(name: .long, help: "The alignment figure: ari, nmi or mutual-majority.")
    var metric: AlignmentMetric = .ari

    @Option(name: .long, help: ArgumentHelp("The base zoning: changes are counted from it, --keep names its zones (rzz, a zoning name or a zone table CSV).", valueName: "ZONING"))
    var from: String = "rzz"

    @Option(name: .long, help: "Count changes in ELZ moved (elz) or inhabitants moved (population).")
    var changesBy: ChangeMeasure = .elz

    @Option(name: .long, help: ArgumentHelp("Zones of the base to keep as they are (codes, comma-separated).", valueName: "CODES"))
    var keep: String?

    @Option(name: .long, help: ArgumentHelp("Exactly this many zones in the counted region (Vlaams Gewest). Default: any up to the maximum; for the balance objective, as many as the base has.", valueName: "N"))
    var zones: Int?

    @Option(name: .long, help: ArgumentHelp("Motivated population exceptions: rule-set (those the rule set grants) or none.", valueName: "WHICH"))
    var exceptions: String = "rule-set"

    @Option(name: .long, help: ArgumentHelp("Rule set (JSON). Default: $ZORGZONES_RULES, else GeoData/rules/art18-2026.json.", valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: "What to search: auto (the rule set decides), referentieregio (exact) or elz (local search).")
    var level: ProposeLevel = .auto

    @Option(name: .long, help: "How many proposals to show (1–50).")
    var top: Int = 5

    @Option(name: .long, help: "Seed of the local search.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Restarts of the local search (1–100).")
    var restarts: Int = 8

    @Option(name: .long, help: "Steps per restart of the local search.")
    var iterations: Int = 4000

    @Option(name: .long, help: ArgumentHelp("Stop searching after this many seconds (the exact search then says it is incomplete).", valueName: "SECONDS"))
    var timeLimit: Double = 60

    @Option(name: .long, help: "What to print: text, json (the whole answer) or csv (every proposal's RZZ table, with a proposal column).")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Write each proposal's RZZ table, rule report and SVG map, and the answer, into this directory.", valueName: "DIR"))
    var out: String?

    var job: ProposeJob {
        var j = ProposeJob()
        j.objective = objective
        j.metric = metric
        j.changesBy = changesBy
        j.method = method?.serviceAreaMethod
        j.rulesFile = rules
        j.exceptions = exceptions
        j.search.level = level
        j.search.zones = zones
        j.search.keep = keep.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        j.search.top = top
        j.search.seed = seed
        j.search.restarts = restarts
        j.search.iterations = iterations
        j.search.timeLimit = timeLimit
        return j
    }

    func validate() throws {
        if method == .table { throw ValidationError("--method table is not for propose: use voronoi or nearest") }
        do throws(UsageError) { try job.validate() } catch { throw ValidationError(error.cliText) }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let workspace = try Workspace(dataOptions.request)
            var job = self.job
            job.networks = try networks.map { try workspace.networks($0) }
            job.base = try workspace.zoning(from)
            let dataset = workspace.dataset
            let outcome = try job.run(dataset: dataset)
            var written: [String] = []
            if let out {
                let files = try ProposeJob.files(outcome, dataset: dataset)
                try OutputFolder.publish(files, to: URL(fileURLWithPath: out))
                for f in files { written.append("wrote \(out)/\(f.name) (\(f.data.count) bytes)") }
            }
            switch format {
            case .text:
                print(outcome.report.text(), terminator: "")
                if !written.isEmpty { print(""); written.forEach { print($0) } }
                print("done in \((clock.now - start).formatted(.units(allowed: [.milliseconds])))")
            case .json:
                print(try outcome.report.jsonText(), terminator: "")
                var stderr = StandardError()
                written.forEach { print($0, to: &stderr) }
            case .csv:
                print(outcome.report.csvText(), terminator: "")
                var stderr = StandardError()
                written.forEach { print($0, to: &stderr) }
            }
        } catch {
            throw reported(error)
        }
    }
}

extension AlignmentMetric: ExpressibleByArgument {}
extension ChangeMeasure: ExpressibleByArgument {}
extension ProposeLevel: ExpressibleByArgument {}
