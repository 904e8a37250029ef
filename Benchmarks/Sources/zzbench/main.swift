// zzbench: in-process phase timings of zorgzones, printed as JSON for Scripts/bench/bench.py.
//
//   zzbench real --data DIR [--runs N] [--warmup N]
//       Phases of `zorgzones build` on the data package: parse blocks.geojson, Dataset.load (parse, project,
//       tables), the projected-vertex map, the coverage report (EdgeMatch), the dissolve of each layer, encoding the layers, and the whole build
//       (load + dissolve + encode + write) into a temporary directory.
//   zzbench dissolve INPUT.geojson PROPERTY OUTPUT.geojson [--runs N] [--warmup N]
//       A generic dissolve of any polygon FeatureCollection by a property: the product's FeatureDissolve.run
//       (what `zorgzones dissolve` runs), then the same work step by step with the same building blocks, one
//       zone after the other on one thread: read file, parse, input validity (GEOS), coverage union (Swift),
//       result validity (GEOS, only for zones the union could not prove valid), union of the zones that are not a
//       clean coverage (GEOS), the coverage report (EdgeMatch), encode (GeoJSONWriter), write file.
//   zzbench union-compare INPUT.geojson PROPERTY      Swift coverage union versus GEOS 3.11's, same zones.
//   zzbench edge-compare INPUT.geojson                EdgeMatch versus its Dictionary-based predecessor.
//
// Every phase is timed on every run; the harness takes min and median. Nothing here is used by the product.

import Foundation
import GeoCore
import GEOS
import GeoJSON
import Projection
import DataPackage
import Zoning

struct Options {
    var runs = 5
    var warmup = 1
    var data: String?
    var positional: [String] = []

    init(_ args: ArraySlice<String>) {
        var it = args.makeIterator()
        while let a = it.next() {
            switch a {
            case "--runs": runs = Int(it.next() ?? "") ?? runs
            case "--warmup": warmup = Int(it.next() ?? "") ?? warmup
            case "--data": data = it.next()
            default: positional.append(a)
            }
        }
    }
}

/// Samples (seconds) per phase, in first-seen order.
final class Recorder {
    var order: [String] = []
    var samples: [String: [Double]] = [:]
    var info: [String: String] = [:]
    var recording = true

    @discardableResult
    func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if recording {
            if samples[name] == nil { order.append(name) }
            samples[name, default: []].append(s)
        }
        return r
    }

    func json() -> String {
        func esc(_ s: String) -> String {
            var o = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                default: o.unicodeScalars.append(c)
                }
            }
            return o + "\""
        }
        let phases = order.map { n in
            "{\"name\":\(esc(n)),\"samples\":[\(samples[n]!.map { String($0) }.joined(separator: ","))]}"
        }
        let inf = info.keys.sorted().map { "\(esc($0)):\(esc(info[$0]!))" }
        return "{\"phases\":[\(phases.joined(separator: ","))],\"info\":{\(inf.joined(separator: ","))}}"
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("zzbench: \(message)\n".utf8))
    exit(2)
}

// MARK: - real

func benchReal(_ o: Options) throws {
    guard let dataPath = o.data else { fail("real needs --data DIR") }
    let dir = URL(fileURLWithPath: dataPath)
    let rec = Recorder()
    let blocksData = try Data(contentsOf: dir.appendingPathComponent("blocks.geojson"))
    let outDir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("zzbench-build-\(getpid())")
    defer { try? FileManager.default.removeItem(at: outDir) }
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        let fc = try rec.time("parse blocks.geojson (GeoJSONReader)") {
            try GeoJSONReader(source: "blocks.geojson").readFeatureCollection(blocksData)
        }
        rec.info["blocks"] = String(fc.features.count)
        let dataset = try rec.time("Dataset.load (read, parse, project, tables)") {
            try Dataset.load(DatasetOptions(directory: dir))
        }
        let dissolver = rec.time("Dissolver (map of the blocks' projected vertices)") { Dissolver(dataset) }
        let edgeMatch = rec.time("coverage report (EdgeMatch)") { dissolver.edgeMatch() }
        var layers: [Layer] = []
        for name in dataset.layerNames {
            layers.append(try rec.time("dissolve \(name)") { try dissolver.dissolve(dataset.zonings[name]!) })
        }
        let files = try rec.time("encode layers + manifest (Atlas.files)") {
            try Atlas.files(dataset, layers: layers, edgeMatch: edgeMatch)
        }
        rec.info["output_bytes"] = String(files.reduce(0) { $0 + $1.data.count })
        try rec.time("whole build: load + dissolve + encode + write (Atlas.build)") {
            let ds = try Dataset.load(DatasetOptions(directory: dir))
            try Atlas.build(ds, to: outDir)
        }
    }
    rec.info["geos"] = geosVersion
    print(rec.json())
}

// MARK: - generic dissolve

func key(_ v: JSONValue?) -> String? {
    switch v {
    case .string(let s)?: return s
    case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .bool(let b)?: return String(b)
    default: return nil
    }
}

func benchDissolve(_ o: Options) throws {
    guard o.positional.count == 3 else { fail("dissolve INPUT PROPERTY OUTPUT") }
    let (input, property, output) = (o.positional[0], o.positional[1], o.positional[2])
    let rec = Recorder()
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        let data = try rec.time("read file") { try Data(contentsOf: URL(fileURLWithPath: input)) }
        let fc = try rec.time("parse GeoJSON") { try GeoJSONReader(source: input).readFeatureCollection(data) }
        var groups: [String: [Int]] = [:]
        var keys: [String] = []
        rec.time("group by property") {
            for (i, f) in fc.features.enumerated() {
                guard let k = key(f.properties[property]) else { continue }
                if groups[k] == nil { keys.append(k) }
                groups[k, default: []].append(i)
            }
            keys.sort()
        }
        // The product's generic dissolve (what `zorgzones dissolve` runs): validity of every input polygon,
        // union per zone on all cores (Swift coverage union, GEOS where it cannot prove the result), the coverage
        // report (EdgeMatch), areas.
        let product = try rec.time("FeatureDissolve.run (product: validate + check + union, all cores)") {
            try FeatureDissolve(grouping: .property(property), source: input).run(fc)
        }
        rec.info["product_methods"] = product.methods.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
        // The same work again, step by step on one thread, to see which step costs what.
        try rec.time("input validity (GEOS, per feature)") {
            for f in fc.features { if let g = f.geometry, !(try Geometry(g).isValid()) { fail("invalid input") } }
        }
        // The union of each zone, as `dissolveShapes` does it: the Swift coverage union; GEOS validity for the
        // zones it could not prove valid; GEOS's unary union for zones that are not a clean coverage.
        var zones: [(String, Shape)] = []
        var outcomes: [CoverageUnion.Outcome] = []
        rec.time("coverage union (Swift, per zone)") {
            for k in keys {
                outcomes.append(CoverageUnion.union(groups[k]!.flatMap { fc.features[$0].geometry?.polygons ?? [] }))
            }
        }
        var redo: [Int] = []
        try rec.time("result validity (GEOS isValid, unproven zones only)") {
            for (i, o) in outcomes.enumerated() {
                switch o {
                case .certified(let p): zones.append((keys[i], Shape.polygonal(p)))
                case .unverified(let p, _):
                    if try Geometry(Shape.polygonal(p)).isValid() { zones.append((keys[i], Shape.polygonal(p))) } else { redo.append(i) }
                case .notACoverage, .unsupported: redo.append(i)
                }
            }
        }
        try rec.time("unary union (GEOS, zones that are not a clean coverage)") {
            for i in redo {
                let shapes = groups[keys[i]]!.flatMap { (fc.features[$0].geometry?.polygons ?? []).map(Shape.polygon) }
                zones.append((keys[i], Shape.polygonal(try Geometry.collection(of: shapes).unaryUnion().polygons())))
            }
        }
        let certified = outcomes.filter { if case .certified = $0 { true } else { false } }.count
        let edge = rec.time("coverage report (EdgeMatch, all features)") {
            EdgeMatch(blocks: fc.features.enumerated().compactMap { i, f in f.geometry.map { (String(i), $0) } })
        }
        let bytes = try rec.time("encode GeoJSON (GeoJSONWriter)") {
            var features: [Feature] = []
            for (k, s) in zones {
                var p = JSONObject()
                p[property] = .string(k)
                features.append(Feature(properties: p, geometry: s))
            }
            return try GeoJSONWriter().write(FeatureCollection(features: features))
        }
        try rec.time("write file") { try Data(bytes).write(to: URL(fileURLWithPath: output)) }
        rec.info["features"] = String(fc.features.count)
        rec.info["zones"] = String(keys.count)
        rec.info["vertices"] = String(fc.features.reduce(0) { $0 + ($1.geometry?.vertexCount ?? 0) })
        rec.info["edges"] = String(edge.edges)
        rec.info["clean"] = String(edge.isClean)
        rec.info["zones_certified"] = String(certified)
        rec.info["zones_overlay"] = String(redo.count)
        rec.info["output_bytes"] = String(bytes.count)
    }
    rec.info["geos"] = geosVersion
    print(rec.json())
}

// MARK: - Swift coverage union (the product's) versus GEOS 3.11 coverage union

func benchUnionCompare(_ o: Options) throws {
    guard o.positional.count == 2 else { fail("union-compare INPUT PROPERTY") }
    let (input, property) = (o.positional[0], o.positional[1])
    let rec = Recorder()
    let fc = try GeoJSONReader(source: input).readFeatureCollection(try Data(contentsOf: URL(fileURLWithPath: input)))
    var groups: [String: [Polygon]] = [:]
    for f in fc.features { if let k = key(f.properties[property]) { groups[k, default: []] += f.geometry?.polygons ?? [] } }
    let keys = groups.keys.sorted()
    var maxRelDiff = 0.0, invalid = 0, mismatched = 0, notHandled = 0, certified = 0
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        var geos: [Shape] = []
        var swift: [Shape?] = []
        try rec.time("GEOS 3.11 coverage union + isValid + GEOS -> Shape") {
            for k in keys {
                let u = try Geometry.collection(of: groups[k]!.map(Shape.polygon)).coverageUnion()
                if !(try u.isValid()) { invalid += 1 }
                geos.append(try u.shape())
            }
        }
        var unproven: [Int] = []
        rec.time("Swift coverage union (proves validity)") {
            for (i, k) in keys.enumerated() {
                switch CoverageUnion.union(groups[k]!) {
                case .certified(let p): swift.append(Shape.polygonal(p)); if run == 0 { certified += 1 }
                case .unverified(let p, _): swift.append(Shape.polygonal(p)); unproven.append(i)
                default: swift.append(nil)
                }
            }
        }
        try rec.time("  + GEOS isValid of the zones it could not prove valid") {
            for i in unproven { if let s = swift[i], !(try Geometry(s).isValid()) { invalid += 1 } }
        }
        if run == 0 {
            for (g, p) in zip(geos, swift) {
                guard let p else { notHandled += 1; continue }
                let a = try Geometry(g), b = try Geometry(p)
                let sym = try a.symmetricDifference(b).area()
                let rel = sym / max(try a.area(), 1e-300)
                maxRelDiff = max(maxRelDiff, rel)
                if rel > 1e-12 || g.polygons.count != p.polygons.count { mismatched += 1 }
            }
        }
    }
    rec.info["zones"] = String(keys.count)
    rec.info["certified_zones"] = String(certified)
    rec.info["max_rel_symdiff"] = String(maxRelDiff)
    rec.info["mismatched_zones"] = String(mismatched)
    rec.info["invalid_results"] = String(invalid)
    rec.info["not_handled"] = String(notHandled)
    print(rec.json())
}

// MARK: - PROJ: cost of a transformer (created once per thread) versus the points

func benchProj(_ o: Options) throws {
    let rec = Recorder()
    let pts = (0..<71_296).map { i in Position(2.6 + Double(i % 1000) * 0.003, 50.7 + Double(i / 1000) * 0.011) }
    for _ in 0..<o.runs {
        // A fresh thread has no transformer yet: the first call creates one (proj_create_crs_to_crs).
        nonisolated(unsafe) let r = rec
        let done = DispatchSemaphore(value: 0)
        let w = Thread {
            r.time("first transform on a new thread (creates the PROJ transformer)") {
                _ = try? Projection.transform(Position(4.4, 51.2), from: .crs84, to: .lambert72)
            }
            r.time("transform 71,296 positions (the blocks' vertex count)") {
                _ = try? Projection.transform(pts, from: .crs84, to: .lambert72)
            }
            done.signal()
        }
        w.start()
        done.wait()
    }
    print(rec.json())
}

// MARK: - EdgeMatch versus its Dictionary-based predecessor

func benchEdgeCompare(_ o: Options) throws {
    guard o.positional.count == 1 else { fail("edge-compare INPUT") }
    let input = o.positional[0]
    let fc = try GeoJSONReader(source: input).readFeatureCollection(try Data(contentsOf: URL(fileURLWithPath: input)))
    let blocks = fc.features.enumerated().compactMap { i, f in f.geometry.map { (String(i), $0) } }
    let rec = Recorder()
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        let a = rec.time("EdgeMatch (product: interned vertices, edge chains)") { EdgeMatch(blocks: blocks) }
        let b = rec.time("EdgeMatch before (Dictionary keyed by coordinates)") { EdgeMatchDictionary(blocks: blocks) }
        if a.edges != b.edges || a.sharedEdges != b.sharedEdges || a.conflicts.count != b.conflicts {
            fail("EdgeMatch disagrees with its predecessor: \(a.edges)/\(a.sharedEdges)/\(a.conflicts.count) vs \(b.edges)/\(b.sharedEdges)/\(b.conflicts)")
        }
        rec.info["edges"] = String(a.edges)
        rec.info["shared"] = String(a.sharedEdges)
    }
    print(rec.json())
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: zzbench real --data DIR | zzbench dissolve INPUT PROPERTY OUTPUT [--runs N]") }
let opts = Options(args.dropFirst(2))
do {
    switch args[1] {
    case "real": try benchReal(opts)
    case "dissolve": try benchDissolve(opts)
    case "union-compare": try benchUnionCompare(opts)
    case "proj": try benchProj(opts)
    case "edge-compare": try benchEdgeCompare(opts)
    default: fail("unknown command \(args[1])")
    }
} catch {
    fail("\(error)")
}
