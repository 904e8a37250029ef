import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import GeoJSON

// The service as GIS clients use it: GDAL's OAPIF driver (QGIS's and ArcGIS's way to a live OGC API – Features
// layer) and GDAL's /vsicurl/ (QGIS "Add Vector Layer → HTTP(S)"), against the real `zorgzones serve` on a free
// port. The expected counts and codes come from the data package's files, not from the service.

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let executable = repository.appendingPathComponent(".build/debug/zorgzones")

/// A running `zorgzones serve --port 0`; stopped (SIGTERM) by `stop()`.
final class RunningService: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var port = 0
    var base: String { "http://127.0.0.1:\(port)" }

    /// `maps`: draw the maps at start (the workbench needs them); without, the service starts faster.
    init(arguments: [String] = [], maps: Bool = false) throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no zorgzones at \(executable.path): run `swift build`")
        log = FileManager.default.temporaryDirectory.appendingPathComponent("zz-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--data", RealData.directory.path] + (maps ? [] : ["--no-maps"]) + arguments
        process.currentDirectoryURL = TestData.repository
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening") && $0.contains("address=") }),
               let colon = line.lastIndex(of: ":"), let p = Int(line[line.index(after: colon)...].prefix { $0.isNumber }) {
                port = p
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        Issue.record("the service did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        throw CancellationError()
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: log)
    }
}

/// Runs a script of the repository (from its root, with the data package's location in the environment) and
/// returns its exit status and what it printed, standard output and error together.
/// `interpreter` is looked up on the PATH (`python3`: the one the PyPI packages were installed for).
func runScript(_ interpreter: String, _ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [interpreter, TestData.repository.appendingPathComponent(script).path] + arguments
    p.currentDirectoryURL = TestData.repository
    p.environment = ProcessInfo.processInfo.environment.merging(["ZORGZONES_DATA": RealData.directory.path]) { _, new in new }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}

/// Runs a GDAL utility; GDAL must be installed (`gdal-bin`, which `.ci/run` installs): a missing one fails.
func gdal(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let path = ["/usr/bin", "/usr/local/bin"].map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    let exe = try #require(path, "\(tool) is not installed (Debian gdal-bin)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Distinct values of a CSV column of the data package (no quoted commas in these columns).
private func distinct(_ file: String, _ column: String) throws -> Set<String> {
    let rows = try CSVRows(RealData.directory.appendingPathComponent(file))
    return Set(rows.map { $0[column] ?? "" }.filter { !$0.isEmpty })
}

/// A small RFC 4180 reader for the tests (quoted fields, doubled quotes), independent of the program's.
struct CSVRows: Sequence {
    var rows: [[String: String]] = []
    init(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        var it = text.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" { quoted = false } else { field.append(c) }
            } else if c == "\"" {
                if field.isEmpty { quoted = true } else { field.append(c) }
            } else if c == "," { record.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { record.append(field); records.append(record); record = []; field = "" }
            else if c == "\r" { continue }
            else { field.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        guard let header = records.first else { return }
        rows = records.dropFirst().filter { $0 != [""] }.map { Dictionary(zip(header, $0), uniquingKeysWith: { a, _ in a }) }
    }
    func makeIterator() -> IndexingIterator<[[String: String]]> { rows.makeIterator() }
}

@Suite(.serialized) struct GISClientTests {
    /// Features of one OAPIF collection, copied by ogr2ogr to GeoJSON and read back.
    func copy(_ service: RunningService, _ collection: String, pageSize: Int? = nil) throws -> FeatureCollection {
        var args = ["-f", "GeoJSON", "/vsistdout/", "OAPIF:\(service.base)/ogc", collection]
        if let pageSize { args = ["-oo", "PAGE_SIZE=\(pageSize)"] + args }
        let r = try gdal("ogr2ogr", args)
        #expect(r.status == 0, "ogr2ogr \(collection): \(r.stderr)")
        #expect(!r.stderr.contains("ERROR"), "\(r.stderr)")
        return try GeoJSONReader().readFeatureCollection(Data(r.stdout.utf8))
    }

    @Test func gdalReadsEveryCollectionOverOGCAPIFeatures() throws {
        let service = try RunningService()
        defer { service.stop() }

        // ogrinfo lists the collections: the four layers, every zone table of <data>/zonings, the three networks.
        let listing = try gdal("ogrinfo", ["-ro", "-q", "OAPIF:\(service.base)/ogc"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let listed = Set(listing.stdout.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            return parts.count >= 2 && parts[0].hasSuffix(":") ? String(parts[1]) : nil
        })
        let tables = try FileManager.default.contentsOfDirectory(atPath: RealData.directory.appendingPathComponent("zonings").path)
            .filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }
        #expect(listed == Set(["municipalities", "elz", "rr", "rzz", "hospital-networks", "ggz-adults", "ggz-youth"] + tables))

        // Each zone layer copied completely, the codes those of the tables (municipalities in pages of 50: GDAL
        // follows the next links).
        let blocks = try GeoJSONReader().readFeatureCollection(Data(contentsOf: RealData.directory.appendingPathComponent("blocks.geojson")))
        let nis = Set(blocks.features.compactMap { $0.properties["nis"]?.stringValue })
        let municipalities = try copy(service, "municipalities", pageSize: 50)
        #expect(municipalities.features.count == nis.count)
        #expect(Set(municipalities.features.compactMap { $0.properties["code"]?.stringValue }) == nis)
        for (layer, file, column) in [("elz", "elz.csv", "elz_code"), ("rzz", "rzz.csv", "rzz_code")] {
            let fc = try copy(service, layer)
            #expect(Set(fc.features.compactMap { $0.properties["code"]?.stringValue }) == (try distinct(file, column)), "\(layer)")
            #expect(fc.features.count == (try distinct(file, column)).count)
        }
        let rr = try copy(service, "rr")
        #expect(rr.features.count == (try distinct("referentieregio.csv", "rr_code")).count)
        // One geometry type per layer (GDAL would say "Unknown" for a mix).
        for layer in ["municipalities", "elz", "rr", "rzz"] {
            let info = try gdal("ogrinfo", ["-ro", "-so", "OAPIF:\(service.base)/ogc", layer])
            #expect(info.stdout.contains("Geometry: Multi Polygon") || info.stdout.contains("Geometry: Polygon"), "\(layer): \(info.stdout)")
        }

        // The networks: every located campus as a point, every GGZ network as an area.
        let campuses = try CSVRows(RealData.directory.appendingPathComponent("networks/hospital_campuses.csv"))
        let located = campuses.filter { Double($0["latitude"] ?? "") != nil && Double($0["longitude"] ?? "") != nil }
        let hospitals = try copy(service, "hospital-networks")
        #expect(hospitals.features.count == located.count)
        #expect(Set(hospitals.features.compactMap { $0.properties["network"]?.stringValue }) == Set(located.compactMap { $0["network"] }))
        for (layer, file) in [("ggz-adults", "networks/ggz_adults.csv"), ("ggz-youth", "networks/ggz_youth.csv")] {
            let fc = try copy(service, layer)
            #expect(Set(fc.features.compactMap { $0.properties["network"]?.stringValue }) == (try distinct(file, "network")), "\(layer)")
        }
    }

    @Test func aBoundingBoxAndAPropertySelectTheRightFeatures() throws {
        let service = try RunningService()
        defer { service.stop() }
        // A tiny box around a vertex inside Brugge's polygon (its first exterior vertex lies on its border, so the
        // box touches Brugge and perhaps a neighbour, never Antwerpen).
        let blocks = try GeoJSONReader().readFeatureCollection(Data(contentsOf: RealData.directory.appendingPathComponent("blocks.geojson")))
        let brugge = try #require(blocks.features.first { $0.properties["name"]?.stringValue == "Brugge" })
        let v = try #require(brugge.geometry?.polygons.first?.exterior.first)
        let box = "\(v.x - 0.0001),\(v.y - 0.0001),\(v.x + 0.0001),\(v.y + 0.0001)"
        let r = try gdal("ogr2ogr", ["-f", "GeoJSON", "/vsistdout/", "OAPIF:\(service.base)/ogc", "municipalities", "-spat"] + box.split(separator: ",").map(String.init))
        let fc = try GeoJSONReader().readFeatureCollection(Data(r.stdout.utf8))
        let codes = Set(fc.features.compactMap { $0.properties["code"]?.stringValue })
        #expect(codes.contains(brugge.properties["nis"]!.stringValue!))
        #expect(codes.count <= 3 && !codes.contains("11002"), "\(codes)")
        // A property filter (-where on a simple property is sent to the server as ?name=…).
        let w = try gdal("ogr2ogr", ["-f", "GeoJSON", "/vsistdout/", "OAPIF:\(service.base)/ogc", "municipalities", "-where", "name = 'Brugge'"])
        let named = try GeoJSONReader().readFeatureCollection(Data(w.stdout.utf8))
        #expect(named.features.map { $0.properties["code"]?.stringValue } == [brugge.properties["nis"]!.stringValue!])
    }

    @Test func gdalReadsALayerURLThroughVSICurl() throws {
        let service = try RunningService()
        defer { service.stop() }
        let r = try gdal("ogrinfo", ["-ro", "-so", "/vsicurl/\(service.base)/v1/layers/elz.geojson", "elz"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Feature Count: \((try distinct("elz.csv", "elz_code")).count)"), "\(r.stdout)\(r.stderr)")
        #expect(!r.stderr.contains("Range downloading not supported"))
    }
}

/// Sends raw bytes to 127.0.0.1:port and reads the answer until the server closes or `limit` bytes came.
func rawExchange(port: Int, _ bytes: [UInt8], limit: Int = 1 << 20) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var tv = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    try #require(ok == 0, "cannot connect to port \(port)")
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }   // the server may answer and close before reading everything
        sent += n
    }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while out.count < limit {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

@Suite(.serialized) struct MalformedHeadTests {
    @Test func anOversizedHeadIsA431ProblemWithARequestID() throws {
        let service = try RunningService()
        defer { service.stop() }
        func get(header size: Int) throws -> String {
            try rawExchange(port: service.port, Array("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Big: \(String(repeating: "a", count: size))\r\n\r\n".utf8))
        }
        let big = try get(header: 100_000)
        #expect(big.hasPrefix("HTTP/1.1 431 "), "\(big.prefix(200))")
        #expect(big.contains("Content-Type: application/problem+json"))
        #expect(big.contains("\"type\": \"urn:zorgzones:problem:headers-too-large\""))
        let id = try #require(big.split(separator: "\r\n").first { $0.hasPrefix("X-Request-Id: ") }?.dropFirst(14))
        #expect(big.contains("\"request_id\": \"\(id)\""))
        // Under the limit it is served.
        #expect(try get(header: 60_000).hasPrefix("HTTP/1.1 200 "))
        // A malformed head: 400, as problem+json too.
        let bad = try rawExchange(port: service.port, Array("GET /healthz HTTP/1.1\r\nHost a\r\n\r\n".utf8))
        #expect(bad.hasPrefix("HTTP/1.1 400 ") && bad.contains("urn:zorgzones:problem:malformed-request"), "\(bad)")
    }
}

@Suite(.serialized) struct OpenAPIConformanceTests {
    /// schemathesis (PyPI) against the real service: every check, 20 examples per operation; the document and the
    /// server agree (Scripts/schemathesis/schemathesis.toml lists the few 400/422 answers JSON Schema cannot
    /// describe). `.ci/run` installs schemathesis; here a missing one is installed by the script or fails.
    @Test func schemathesisFindsNoFailure() throws {
        let (status, text) = try runScript("bash", "Scripts/schemathesis.sh", ["20"])
        #expect(status == 0, "schemathesis:\n\(text.suffix(4000))")
        #expect(text.contains("passed") && !text.contains("❌"), "\(text.suffix(2000))")
    }
}

@Suite(.serialized) struct HostileClientTests {
    /// Scripts/http/edges.py against the real service: slowloris (1,100 trickling connections), a trickling upload
    /// during SIGTERM, admission before the body (Expect: 100-continue while busy), and the memory of 64
    /// concurrent 16 MiB bodies. The script prints each measurement; any failed check fails this test.
    @Test func slowClientsTricklersAndBigBodiesCannotHoldTheService() throws {
        let (status, text) = try runScript("python3", "Scripts/http/edges.py",
                                           [TestData.repository.appendingPathComponent(".build/debug/zorgzones").path])
        #expect(status == 0, "\(text)")
        #expect(text.components(separatedBy: "\nok ").count + (text.hasPrefix("ok ") ? 1 : 0) >= 5, "\(text)")
    }
}
