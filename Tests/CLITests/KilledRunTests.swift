import Foundation
import Testing
import TestSupport
import DataPackage
import GeoJSON
import Zoning

// A `zorgzones build` killed at any moment leaves its output folder all old or all new (issue 11). The real CLI
// (the debug build that `swift test` builds next to the tests) is started over an earlier build and killed with
// SIGKILL after a spread of delays; each time the folder must hold exactly the files of one run, each matching
// the SHA-256 its manifest gives. The issue's reproduction used strace's fault injection at each rename; a
// spread of kill times covers the same points without strace.

private let executable: URL = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/zorgzones")
}()

/// The folder's files are those of one run: exactly the layers its manifest lists (and the manifest), each with
/// the manifest's SHA-256. Returns the manifest's creation time, or a description of what is wrong.
private func oneRun(_ out: URL) -> Result<String, Failure> {
    struct Manifest: Decodable {
        struct Layer: Decodable { var file: String; var sha256: String }
        var created: String
        var layers: [Layer]
    }
    guard let data = FileManager.default.contents(atPath: out.appendingPathComponent("manifest.json").path) else {
        return .failure(Failure("no manifest.json"))
    }
    guard let m = try? JSONDecoder().decode(Manifest.self, from: data) else { return .failure(Failure("unreadable manifest")) }
    let present = Set((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [])
    let listed = Set(m.layers.map(\.file) + ["manifest.json"])
    if present != listed { return .failure(Failure("files \(present.sorted()) but the manifest lists \(listed.sorted())")) }
    for l in m.layers {
        let bytes = FileManager.default.contents(atPath: out.appendingPathComponent(l.file).path) ?? Data()
        if Dataset.sha256(bytes) != l.sha256 { return .failure(Failure("\(l.file) is not the file its manifest describes")) }
    }
    return .success(m.created + " " + m.layers.map(\.sha256).joined())
}

private struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

private func build(_ out: URL, precision: Int) throws -> Process {
    let p = Process()
    p.executableURL = executable
    p.arguments = ["build", "--data", RealData.directory.path, "--out", out.path, "--precision", String(precision), "--quiet"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

@Suite(.serialized) struct KilledRunTests {
    @Test func aKilledBuildLeavesTheFolderAllOldOrAllNew() throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "the zorgzones executable is not at \(executable.path): run `swift build` (swift test builds it)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zz-killed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")

        let first = try build(out, precision: 6)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        var runs: Set<String> = []
        guard case .success(let old) = oneRun(out) else { Issue.record("the first build is not one run"); return }
        runs.insert(old)

        // Kill a build over it after 0 to ~1.5 s (a debug build takes about that long), alternating precisions so
        // that every completed run writes other bytes than the one before.
        var killed = 0, completed = 0
        for (k, delayMs) in [0, 20, 50, 100, 200, 300, 450, 600, 800, 1000, 1300, 1700].enumerated() {
            let p = try build(out, precision: k % 2 == 0 ? 5 : 4)
            Thread.sleep(forTimeInterval: Double(delayMs) / 1000)
            if p.isRunning { kill(p.processIdentifier, SIGKILL); killed += 1 } else { completed += 1 }
            p.waitUntilExit()
            switch oneRun(out) {
            case .success(let id): runs.insert(id)
            case .failure(let f): Issue.record("after a kill at \(delayMs) ms the folder is a mix: \(f)")
            }
        }
        #expect(killed > 0)
        // The next run completes and removes the staging folders the killed ones left.
        let last = try build(out, precision: 6)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
        if case .failure(let f) = oneRun(out) { Issue.record("the last build is not one run: \(f)") }
    }
}
