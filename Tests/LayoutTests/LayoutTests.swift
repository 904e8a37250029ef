import Foundation
import Testing

// The layout's rules, checked on the sources (swift-system checks its C confinement the same way, mechanically):
// C stays in its four rooms, only the I/O targets touch files and the environment, and no target depends on one
// that comes after it in the data flow.

/// The repository root (this file is Tests/LayoutTests/LayoutTests.swift).
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The targets in flow order, as README.md's layout lists them.
private let flow = ["CGEOS", "CPROJ", "CGDAL", "CRSVG", "GeoCore", "GEOS", "Projection", "GeoJSON", "Zoning", "Formats",
                    "Check", "Compare", "Propose", "Cartography", "Printing", "DataPackage", "Jobs", "ZorgzonesService", "zorgzones"]

/// The system libraries: the first of the flow, and the targets allowed to import each.
private let rooms: [String: Set<String>] = ["CGEOS": ["GEOS"], "CPROJ": ["Projection"], "CGDAL": ["Formats"],
                                            "CRSVG": ["Printing"]]

/// Every Swift source file of a target: (target, path relative to the root, text).
private func sources() throws -> [(target: String, path: String, text: String)] {
    let dir = root.appendingPathComponent("Sources")
    var out: [(String, String, String)] = []
    let fm = FileManager.default
    for target in try fm.contentsOfDirectory(atPath: dir.path).sorted() {
        guard let walk = fm.enumerator(atPath: dir.appendingPathComponent(target).path) else { continue }
        for case let file as String in walk where file.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(target).appendingPathComponent(file), encoding: .utf8)
            out.append((target, "Sources/\(target)/\(file)", text))
        }
    }
    return out
}

/// Lines of code, comments left out (a comment may name what the code may not use).
private func codeLines(_ text: String) -> [(number: Int, line: String)] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, l in
        let code = l.components(separatedBy: "//").first ?? ""
        return code.trimmingCharacters(in: .whitespaces).isEmpty ? nil : (i + 1, code)
    }
}

@Suite struct LayoutTests {
    @Test func everyTargetIsInTheFlow() throws {
        let targets = Set(try sources().map(\.target))
        #expect(targets.subtracting(flow).isEmpty, "targets outside the flow: \(targets.subtracting(flow).sorted())")
        #expect(targets.count >= 12)
    }

    @Test func cStaysInItsRooms() throws {
        var found: [String] = []
        for (target, path, text) in try sources() {
            for (n, line) in codeLines(text) {
                for (module, allowed) in rooms where line.contains("import \(module)") && !allowed.contains(target) {
                    found.append("\(path):\(n): \(line)")
                }
                if line.contains("OpaquePointer") && !rooms.values.contains(where: { $0.contains(target) }) { found.append("\(path):\(n): \(line)") }
            }
        }
        #expect(found.isEmpty, "C outside its room:\n\(found.joined(separator: "\n"))")
    }

    @Test func onlyTheIOTargetsTouchFilesAndTheEnvironment() throws {
        let io: Set<String> = ["DataPackage", "Jobs", "ZorgzonesService", "zorgzones"]
        // activeProcessorCount is not I/O (the dissolve sizes its chunks by it).
        let forbidden = ["FileManager", "getenv", "processInfo.environment", "Data(contentsOf", "String(contentsOf",
                         "contentsOfFile", "CommandLine", "fopen(", "FileHandle"]
        var found: [String] = []
        for (target, path, text) in try sources() where !io.contains(target) {
            for (n, line) in codeLines(text) {
                for word in forbidden where line.contains(word) { found.append("\(path):\(n): \(word)") }
            }
        }
        #expect(found.isEmpty, "I/O outside DataPackage, Jobs and the front ends:\n\(found.joined(separator: "\n"))")
    }

    @Test func noDependencyRunsBackwards() throws {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // `.target(name: "X", dependencies: [ ... ])`, `.executableTarget(...)`: the quoted names in the list.
        let pattern = try NSRegularExpression(pattern: #"\.(?:target|executableTarget)\(name: "([A-Za-z]+)"(?:, dependencies: \[([^\]]*)\])?"#)
        let ns = manifest as NSString
        var checked = 0
        for m in pattern.matches(in: manifest, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: m.range(at: 1))
            if name == "TestSupport" { continue }   // Tests/TestSupport: helpers of the test targets, not the product
            let index = try #require(flow.firstIndex(of: name), "\(name) is not in the flow")
            guard m.range(at: 2).location != NSNotFound else { checked += 1; continue }
            let deps = ns.substring(with: m.range(at: 2))
            let quoted = try NSRegularExpression(pattern: #"^\s*"([A-Za-z]+)""#, options: .anchorsMatchLines)
            for item in deps.split(separator: ",") {
                let s = String(item)
                guard let q = quoted.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) else { continue }
                let dep = (s as NSString).substring(with: q.range(at: 1))
                let di = try #require(flow.firstIndex(of: dep), "\(name) depends on \(dep), which is not in the flow")
                #expect(di < index, "\(name) depends on \(dep), which comes after it")
            }
            checked += 1
        }
        #expect(checked == flow.count - rooms.count)   // every target but the system libraries
    }

    /// A test file may import only the modules of ours its target declares: an incremental build finds any built
    /// module, a clean one (CI) does not.
    @Test func testTargetsDeclareWhatTheyImport() throws {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let ns = manifest as NSString
        let pattern = try NSRegularExpression(pattern: #"\.testTarget\(name: "([A-Za-z]+)"(?:, dependencies: \[([^\]]*)\])?"#)
        var declared: [String: Set<String>] = [:]
        for m in pattern.matches(in: manifest, range: NSRange(location: 0, length: ns.length)) {
            let deps = m.range(at: 2).location == NSNotFound ? "" : ns.substring(with: m.range(at: 2))
            declared[ns.substring(with: m.range(at: 1))] = Set(flow.filter { deps.contains("\"\($0)\"") })
        }
        let tests = root.appendingPathComponent("Tests")
        var found: [String] = []
        for target in try FileManager.default.contentsOfDirectory(atPath: tests.path).sorted() where target != "TestSupport" {
            let allowed = try #require(declared[target], "Tests/\(target) is not a test target of Package.swift")
            for file in try FileManager.default.contentsOfDirectory(atPath: tests.appendingPathComponent(target).path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: tests.appendingPathComponent(target).appendingPathComponent(file), encoding: .utf8)
                for (n, line) in codeLines(text) {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i + 1 < words.count else { continue }
                    let module = String(words[i + 1])
                    if flow.contains(module) && !allowed.contains(module) { found.append("Tests/\(target)/\(file):\(n): \(module)") }
                }
            }
        }
        #expect(found.isEmpty, "imports their target does not declare:\n\(found.joined(separator: "\n"))")
    }
}
