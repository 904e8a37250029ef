import Check
import DataPackage
import Foundation
import Zoning

/// `zorgzones check`: a zoning (the dataset's RZZ, or a proposal file) checked against a rule set, after the
/// blocks are validated as a coverage (and, with a snap tolerance, repaired).
public struct CheckJob: Sendable {
    public var data: DataRequest
    /// A zone table of the RZZ table's shape (elz_code, …, rzz_code, rzz_name) to check instead of the dataset's RZZ.
    public var zoningFile: String?
    public var rulesFile: String?
    public var format: ReportFormat
    /// The Markdown report's language.
    public var language: ReportLanguage = .en
    /// Snap tolerance in metres (`--snap`), nil for no repair.
    public var snapToleranceM: Double?

    public init(data: DataRequest = DataRequest(), zoningFile: String? = nil, rulesFile: String? = nil,
                format: ReportFormat = .text, snapToleranceM: Double? = nil) {
        self.data = data
        self.zoningFile = zoningFile
        self.rulesFile = rulesFile
        self.format = format
        self.snapToleranceM = snapToleranceM
    }

    /// The checks that need no data.
    public func validate() throws(UsageError) {
        if let s = snapToleranceM, !(s > 0 && s.isFinite) {
            throw UsageError("snap", "must be a positive number of metres, got \(s)")
        }
        try Self.check(format: format, language: language)
    }

    /// A language other than English is for the Markdown report (JSON has both; text is English).
    public static func check(format: ReportFormat, language: ReportLanguage) throws(UsageError) {
        guard language == .en || format == .markdown else {
            throw UsageError("lang", "\(language.rawValue) goes with the markdown format (the JSON report carries summary_nl)")
        }
    }

    /// What to print and the exit code.
    public struct Outcome: Sendable {
        /// The rendered report (stdout).
        public var output: String
        /// 0: no unexcused violation; 1: violations.
        public var exitCode: Int32
        public var report: RuleReport
    }

    /// Loads the data and the rule set, optionally repairs slivers, checks the zoning, renders the report.
    /// Bad input (a missing or malformed file, an unknown code) throws an error naming the file, the line or
    /// feature and the field.
    public func run() throws -> Outcome {
        let report = try makeReport()
        return Outcome(output: try report.rendered(format, language: language), exitCode: report.exitCode, report: report)
    }

    /// The report (throws on bad input).
    public func makeReport() throws -> RuleReport {
        try validate()
        let ruleSet = try RuleSet.load(explicit: rulesFile)
        let options = try data.options()
        var dataset = try Dataset.load(options)
        try ruleSet.validate(against: dataset)
        var topology = BlockTopology(blocks: dataset.blocks)
        var coverage = try CoverageValidation.run(blocks: dataset.blocks, topology: topology, tolerances: ruleSet.coverageCheck)
        var repairs: [SnapChange]?
        if let tol = snapToleranceM {
            let (repaired, changes) = try CoverageRepair.snap(blocks: dataset.blocks, only: Set(coverage.repairCandidates),
                                                              toleranceM: tol)
            repairs = changes
            if !changes.isEmpty {
                dataset.blocks = repaired
                topology = BlockTopology(blocks: dataset.blocks)
                coverage = try CoverageValidation.run(blocks: dataset.blocks, topology: topology, tolerances: ruleSet.coverageCheck)
            }
        }
        var engine = try RuleEngine(dataset: dataset, ruleSet: ruleSet, topology: topology, coverage: coverage)
        engine.repairs = repairs
        guard let file = zoningFile else { return try engine.checkDefault() }
        let zoning = try Workspace(dataset: dataset).zoningFile(file)
        var report = try engine.check(zoning, file: file)
        let baseline = try engine.checkDefault()
        report.delta = report.delta(from: baseline, baselineName: "the dataset's RZZ (\(options.rzzFile))")
        return report
    }
}

extension RuleSet {
    /// The rule set of a job: `explicit`, else `$ZORGZONES_RULES`, else the repository's default; validated.
    /// Reports name it as given, else by `name` of the file found (`check` prints the whole path; the service and
    /// the rules map the file name, as they always have).
    public static func load(explicit: String?, name: (URL) -> String = \.path) throws -> RuleSet {
        let url = try locate(explicit: explicit)
        return try load(url, display: explicit ?? name(url))
    }
}

/// A rule engine per dataset and rule set, built once (the block topology and coverage validation are the
/// expensive part) and shared by the render and check jobs of a process.
public final class RuleEngines: @unchecked Sendable {
    public static let shared = RuleEngines()
    private let lock = NSLock()
    private var engines: [String: RuleEngine] = [:]

    public init() {}

    public func engine(for dataset: Dataset, rulesFile: String?) throws -> RuleEngine {
        let url = try RuleSet.locate(explicit: rulesFile)
        let key = "\(dataset.fingerprint)|\(url.path)|\(dataset.totalPopulation)"
        if let e = lock.withLock({ engines[key] }) { return e }
        let ruleSet = try RuleSet.load(explicit: rulesFile, name: \.lastPathComponent)
        try ruleSet.validate(against: dataset)
        let engine = try RuleEngine(dataset: dataset, ruleSet: ruleSet)
        lock.withLock { engines[key] = engine }
        return engine
    }
}
