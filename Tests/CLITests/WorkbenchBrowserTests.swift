import Foundation
import Testing
import TestSupport

// The workbench in a real browser: the service started from the debug binary on a free port, then
// Scripts/browser/workbench.py drives headless Chromium (Debian chromium, chromium-driver) with Selenium (PyPI)
// through the scenario: move ELZ Oostkust into RZZ Limburg and see the contiguity violation naming it,
// undo it, load scenario b (3 violations), download the CSV and compare it with the scenario's file, zoom in on
// Antwerp, every RZZ's hover title reachable, no console error. Screenshots at 1400×1000 and 390×844 stay in
// .build/browser-artefacts.

@Suite(.serialized) struct WorkbenchBrowserTests {
    @Test func theWorkbenchPassesTheBrowserScenario() throws {
        let service = try RunningService(maps: true)
        defer { service.stop() }
        let out = TestData.repository.appendingPathComponent(".build/browser-artefacts")
        let (status, text) = try runScript("python3", "Scripts/browser/workbench.py",
                                           [service.base, RealData.directory.path, TestData.repository.path, out.path])
        #expect(status == 0, "\(text)")
        #expect(text.components(separatedBy: "\nok ").count >= 14, "\(text)")
        for shot in ["workbench-1400x1000.png", "workbench-390x844.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(shot).path), "no screenshot \(shot)")
        }
    }
}
