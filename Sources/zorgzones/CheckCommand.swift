import ArgumentParser
import Foundation
import Check
import DataPackage
import Jobs

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a zoning of regionale zorgzones against art. 18 of the eerstelijnsdecreet (rule set as data), after validating the blocks as a coverage.",
        discussion: """
        Rules: every block in one RZZ and one ELZ; every ELZ inside one RZZ; at least 2 ELZ per RZZ (Brussels \
        excepted); one contiguous territory (rook adjacency; pieces made only of Voeren or Baarle-Hertog excused; \
        touching in a point is its own finding); at least 300,000 inhabitants (motivated exceptions excused); at most \
        15 RZZ in the Dutch language area; alignment with the referentieregio's (granted ELZ exceptions excused). \
        ELZ contiguity is checked too, as a warning. Default: the dataset's RZZ (rzz.csv) against \
        GeoData/rules/art18-2026.json. Exit status: 0 no unexcused violation, 1 violations, 2 bad input.
        """)

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("A proposal to check instead of the dataset's RZZ: a CSV of the RZZ table's shape (elz_code, elz_name, rzz_code, rzz_name, …), or keyed by block id or NIS code. The report then also lists what it changes compared with the dataset's RZZ.", valueName: "FILE"))
    var zoning: String?

    @Option(name: .long, help: ArgumentHelp("Rule set (JSON). Default: $ZORGZONES_RULES, else GeoData/rules/art18-2026.json in the repository.", valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: "Report format: text, json or markdown.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Language of the markdown report: en or nl (the JSON carries both).")
    var lang: ReportLanguage = .en

    @Option(name: .long, help: ArgumentHelp("Repair slivers and small overlaps between blocks by snapping vertices within M metres, and report what changed.", valueName: "M"))
    var snap: Double?

    @Option(name: .long, help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    var job: CheckJob {
        var job = CheckJob(data: dataOptions.request, zoningFile: zoning, rulesFile: rules, format: format, snapToleranceM: snap)
        job.language = lang
        return job
    }

    func validate() throws {
        do throws(UsageError) { try job.validate() } catch { throw ValidationError(error.cliText) }
    }

    func run() throws {
        let outcome: CheckJob.Outcome
        do { outcome = try job.run() } catch { throw reported(error) }
        if let output {
            do { try writeAtomically(Data(outcome.output.utf8), to: URL(fileURLWithPath: output)) } catch { throw fail(error) }
        } else {
            print(outcome.output, terminator: "")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension ReportFormat: ExpressibleByArgument {}

extension ReportLanguage: ExpressibleByArgument {}
