// zzbench: in-process phase timings of zorgzones, printed as JSON for Scripts/bench/bench.py.
//
//   zzbench real --data DIR [--runs N] [--warmup N]
//       Phases of `zorgzones build` on the data package: parse blocks.geojson, Dataset.load (parse, project,
//       tables), the edge-matching check, the dissolve of each layer, encoding the layers, and the whole build
//       (load + dissolve + encode + write) into a temporary directory.
//   zzbench dissolve INPUT.geojson PROPERTY OUTPUT.geojson [--runs N] [--warmup N]
//       A generic dissolve of any polygon FeatureCollection by a property: the product's FeatureDissolve.run
//       (what `zorgzones dissolve` runs), then the same work step by step with the same building blocks
//       (GEOS validity, EdgeMatch, GEOS coverage union or unary union), one zone after the other on one
//       thread: read file, parse, input validity, edge check, Shape -> GEOS, union, result validity,
//       GEOS -> Shape, encode (GeoJSONWriter), write file.
//
// Every phase is timed on every run; the harness takes min and median. Nothing here is used by the product.

import Foundation
import Geometry
import GeoJSON
import Projection
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
        let dissolver = rec.time("edge-matching check (EdgeMatch)") { Dissolver(dataset) }
        var layers: [Layer] = []
        for name in dataset.layerNames {
            layers.append(try rec.time("dissolve \(name)") { try dissolver.dissolve(dataset.zonings[name]!) })
        }
        let files = try rec.time("encode layers + manifest (Atlas.files)") {
            try Atlas.files(dataset, layers: layers, edgeMatch: dissolver.edgeMatch)
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
        // edge-matching check, union per zone on all cores, areas.
        let product = try rec.time("FeatureDissolve.run (product: validate + check + union, all cores)") {
            try FeatureDissolve(grouping: .property(property), source: input).run(fc)
        }
        rec.info["product_methods"] = product.methods.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
        // The same work again, step by step on one thread, to see which step costs what.
        try rec.time("input validity (GEOS, per feature)") {
            for f in fc.features { if let g = f.geometry, !(try Geometry(g).isValid()) { fail("invalid input") } }
        }
        let edge = rec.time("edge-matching check (EdgeMatch)") {
            EdgeMatch(blocks: fc.features.enumerated().compactMap { i, f in f.geometry.map { (String(i), $0) } })
        }
        var zones: [(String, Shape)] = []
        var unions: [Geometry] = []
        var inputs: [Geometry] = []
        try rec.time("Shape -> GEOS") {
            for k in keys {
                let shapes = groups[k]!.flatMap { (fc.features[$0].geometry?.polygons ?? []).map(Shape.polygon) }
                inputs.append(try Geometry.collection(of: shapes))
            }
        }
        try rec.time(edge.isClean ? "coverage union (GEOS)" : "unary union (GEOS)") {
            for g in inputs { unions.append(edge.isClean ? try g.coverageUnion() : try g.unaryUnion()) }
        }
        try rec.time("result validity (GEOS isValid)") {
            for u in unions where !(try u.isValid()) { fail("invalid union") }
        }
        try rec.time("GEOS -> Shape") {
            for (k, u) in zip(keys, unions) { zones.append((k, Shape.polygonal(try u.shape().polygons))) }
        }
        inputs.removeAll()
        unions.removeAll()
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
        rec.info["output_bytes"] = String(bytes.count)
    }
    rec.info["geos"] = geosVersion
    print(rec.json())
}

// MARK: - prototype: Swift edge-cancelling coverage union versus GEOS 3.11 coverage union

func benchUnionProto(_ o: Options) throws {
    guard o.positional.count == 2 else { fail("union-proto INPUT PROPERTY") }
    let (input, property) = (o.positional[0], o.positional[1])
    let rec = Recorder()
    let fc = try GeoJSONReader(source: input).readFeatureCollection(try Data(contentsOf: URL(fileURLWithPath: input)))
    var groups: [String: [Polygon]] = [:]
    for f in fc.features { if let k = key(f.properties[property]) { groups[k, default: []] += f.geometry?.polygons ?? [] } }
    let keys = groups.keys.sorted()
    var maxRelDiff = 0.0, invalid = 0, mismatched = 0, fallbacks = 0
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        var geos: [Shape] = []
        var proto: [Shape?] = []
        try rec.time("GEOS 3.11 coverage union + isValid + GEOS -> Shape") {
            for k in keys {
                let u = try Geometry.collection(of: groups[k]!.map(Shape.polygon)).coverageUnion()
                if !(try u.isValid()) { invalid += 1 }
                geos.append(try u.shape())
            }
        }
        rec.time("Swift edge cancellation + ring tracing") {
            for k in keys { proto.append(EdgeUnionPrototype.union(groups[k]!).map(Shape.polygonal)) }
        }
        try rec.time("  + GEOS isValid of the result (safety net)") {
            for s in proto { if let s, !(try Geometry(s).isValid()) { invalid += 1 } }
        }
        if run == 0 {
            for (g, p) in zip(geos, proto) {
                guard let p else { fallbacks += 1; continue }
                let a = try Geometry(g), b = try Geometry(p)
                let sym = try a.symmetricDifference(b).area()
                let rel = sym / max(try a.area(), 1e-300)
                maxRelDiff = max(maxRelDiff, rel)
                if rel > 1e-12 || g.polygons.count != p.polygons.count { mismatched += 1 }
            }
        }
    }
    rec.info["zones"] = String(keys.count)
    rec.info["max_rel_symdiff"] = String(maxRelDiff)
    rec.info["mismatched_zones"] = String(mismatched)
    rec.info["invalid_results"] = String(invalid)
    rec.info["prototype_gave_up"] = String(fallbacks)
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

// MARK: - prototype: EdgeMatch without an allocation per edge

func benchEdgeProto(_ o: Options) throws {
    guard o.positional.count == 1 else { fail("edge-proto INPUT") }
    let input = o.positional[0]
    let fc = try GeoJSONReader(source: input).readFeatureCollection(try Data(contentsOf: URL(fileURLWithPath: input)))
    let blocks = fc.features.enumerated().compactMap { i, f in f.geometry.map { (String(i), $0) } }
    let rec = Recorder()
    for run in 0..<(o.warmup + o.runs) {
        rec.recording = run >= o.warmup
        let a = rec.time("EdgeMatch (product)") { EdgeMatch(blocks: blocks) }
        let b = rec.time("EdgeMatch prototype (no allocation per edge)") { EdgeMatchPrototype(blocks: blocks) }
        if a.edges != b.edges || a.sharedEdges != b.sharedEdges || a.conflicts.count != b.conflicts {
            fail("prototype disagrees: \(a.edges)/\(a.sharedEdges)/\(a.conflicts.count) vs \(b.edges)/\(b.sharedEdges)/\(b.conflicts)")
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
    case "union-proto": try benchUnionProto(opts)
    case "proj": try benchProj(opts)
    case "edge-proto": try benchEdgeProto(opts)
    default: fail("unknown command \(args[1])")
    }
} catch {
    fail("\(error)")
}
