import Testing
import Compare
@testable import Jobs

/// Each option check exists once, in `Jobs`; both front ends show it (the CLI as `--name`, the service as the
/// request member). Ranges from the options' documentation.
@Suite struct OptionCheckTests {
    @Test func precisionIsZeroToTwelve() throws {
        for p in [0, 6, 12] { try Checks.precision(p) }
        for p in [-1, 13] {
            #expect(throws: UsageError("precision", "must be a whole number from 0 to 12")) { try Checks.precision(p) }
        }
    }

    @Test func aUsageErrorIsSpelledForEachFrontEnd() {
        let e = UsageError("min_confidence", "must be low, medium or high")
        #expect(e.cliText == "--min-confidence must be low, medium or high")
        #expect(e.requestText == "'min_confidence' must be low, medium or high")
    }

    @Test func thresholdAndConfidence() throws {
        try CompareJob.check(thresholdPercent: 0)
        try CompareJob.check(thresholdPercent: 100)
        #expect(throws: UsageError.self) { try CompareJob.check(thresholdPercent: 100.5) }
        #expect(try CompareJob.confidence("medium") == .medium)
        #expect(throws: UsageError("min_confidence", "must be low, medium or high")) { try CompareJob.confidence("unspecified") }
    }

    @Test func widthsFrom320ToTheFrontEndsMaximum() throws {
        try RenderJob.check(width: nil, maximum: 4000)
        try RenderJob.check(width: 320, maximum: 4000)
        #expect(throws: UsageError.self) { try RenderJob.check(width: 4001, maximum: 4000) }
        #expect(throws: UsageError.self) { try RenderJob.check(width: 800.5, maximum: 4000) }
        try RenderJob.check(width: 10_000, maximum: 10_000)
    }

    @Test func zoningLayersAreNameEqualsFile() throws {
        let z = try BuildJob.zoningOption("police-zones=zonings/politiezone.csv")
        #expect(z.name == "police-zones" && z.path == "zonings/politiezone.csv")
        for bad in ["=x.csv", "name=", "noequals", "bad name=x.csv"] {
            #expect(throws: UsageError.self, "\(bad)") { try BuildJob.zoningOption(bad) }
        }
    }

    @Test func dissolveRefusesRepairWithoutValidation() {
        var job = DissolveJob(grouping: .property("nis"))
        job.makeValid = true
        job.validate = false
        #expect(throws: UsageError.self) { try job.check() }
    }
}
