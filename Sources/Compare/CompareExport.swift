import Foundation
import Zoning
import GeoCore
import GEOS
import GeoJSON
import Projection

// Views of a comparison: intersection pieces and network areas as geometry, GeoJSON, CSV matrices, JSON and a
// text summary. Nothing here touches the file system: `Comparison.files` returns names and bytes, and the CLI
// writes them (atomically, after everything is encoded).

/// The part of a zone served by a network (or by none): one feature of the pieces GeoJSON.
public struct OverlapPiece: Sendable {
    public var zone: ZoneRef
    /// Network name, or `(no network)`.
    public var network: String
    public var areaKm2: Double
    public var population: Double
    public var lowConfidencePopulation: Double
    public var campuses: Int
    /// Whether some of the piece's blocks are also given (in part) to another network (tables with a
    /// municipality in two networks): the pieces of those networks then overlap, and the population is split.
    public var overlapsOtherNetworks: Bool
    /// CRS84.
    public var shape: Shape
}

/// A network's service area within the zoning's scope (clipped to Flanders + Brussels).
public struct NetworkArea: Sendable {
    public var network: String
    public var areaKm2: Double
    public var population: Double
    /// CRS84.
    public var shape: Shape
}

extension Comparison {
    /// Computes the intersection pieces (zone × network) and the network areas.
    ///
    /// Geometric methods (Voronoi, polygons): a piece is the dissolved zone intersected with the network's area
    /// (so it is clipped to Flanders + Brussels); a network's area is its cells or polygons intersected with the
    /// union of the zoning's blocks. Block-based methods (nearest, tables): a piece is the union of the zone's
    /// blocks given (in part) to the network. Areas and populations are those of the matrix (sums over blocks),
    /// so the GeoJSON and the CSV agree. Runs in parallel, one GEOS context per thread.
    public func geometry(dataset: Dataset) throws -> (pieces: [OverlapPiece], networkAreas: [NetworkArea]) {
        let dissolver = Dissolver(dataset)
        let blocks = dataset.blocks
        let nn = networks.count
        let members = zoning.members(in: blocks)
        let scope = blocks.indices.filter { zoning.assignment[blocks[$0].id] != nil }
        let scopeIDs = scope.map { blocks[$0].id }
        let dummy = Zoning(name: "pieces", zones: [], assignment: [:])
        let shares = serviceAreas.shares
        var blockIndex: [String: Int] = [:]
        for (i, b) in blocks.enumerated() { blockIndex[b.id] = i }

        struct Job: Sendable { var zone: Int?; var network: Int } // network == nn: no network
        var jobs: [Job] = []
        for z in zones.indices {
            for k in 0...nn where areaKm2[z][k] > 1e-9 { jobs.append(Job(zone: z, network: k)) }
        }
        let pieceJobs = jobs.count
        for k in 0..<nn { jobs.append(Job(zone: nil, network: k)) }

        let geometric = serviceAreas.method.isGeometric
        let areas = serviceAreas.areas ?? []
        let zoneShapes: [Shape]
        let outline: Shape?
        if geometric {
            let layer = try dissolver.dissolve(zoning)
            var byCode: [String: Shape] = [:]
            for f in layer.features { byCode[f.zone.code] = f.projected }
            zoneShapes = zones.map { byCode[$0.code] ?? .multiPolygon([]) }
            outline = try dissolver.dissolveZone(ZoneRef(code: "scope", name: "scope"), blockIDs: scopeIDs,
                                                 zoning: dummy).projected
        } else {
            zoneShapes = []
            outline = nil
        }
        let zones = self.zones, networks = self.networks
        let jobList = jobs, blockIndexOf = blockIndex
        let slots = ResultSlots<Shape?>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            slots.set(j, Result {
                let job = jobList[j]
                if geometric {
                    let base = try Geometry(job.zone.map { zoneShapes[$0] } ?? outline!)
                    let result: Geometry
                    if job.network < nn {
                        guard let a = areas[job.network] else { return nil }
                        result = try base.intersection(try Geometry(a))
                    } else {
                        let all = areas.compactMap { $0 }
                        result = all.isEmpty ? base : try base.difference(try Geometry.collection(of: all.flatMap { $0.polygons.map(Shape.polygon) }).unaryUnion())
                    }
                    let polys = try result.polygons()
                    if polys.isEmpty { return nil }
                    return try Projection.transform(Shape.polygonal(polys), from: .lambert72, to: .crs84)
                }
                // Block-based: the blocks given (in part) to the network.
                let candidates = job.zone.map { members[zones[$0].code] ?? [] } ?? scopeIDs
                let ids = candidates.filter { id in
                    let ss = shares[blockIndexOf[id]!]
                    if job.network < nn { return ss.contains { $0.network == job.network && ($0.area > 0 || $0.population > 0) } }
                    return ss.reduce(0) { $0 + $1.area } < 1 - 1e-9
                }
                if ids.isEmpty { return nil }
                let label = job.network < nn ? networks[job.network] : noNetworkLabel
                return try dissolver.dissolveZone(ZoneRef(code: label, name: label), blockIDs: ids, zoning: dummy).shape
            })
        }
        let shapes = try slots.results()
        var pieces: [OverlapPiece] = []
        for j in 0..<pieceJobs {
            guard let shape = shapes[j], let z = jobs[j].zone else { continue }
            let k = jobs[j].network
            var overlaps = false
            if !geometric && k < nn {
                overlaps = (members[zones[z].code] ?? []).contains { id in
                    let ss = shares[blockIndex[id]!]
                    return ss.contains { $0.network == k } && ss.count > 1
                }
            }
            pieces.append(OverlapPiece(zone: zones[z], network: k < nn ? networks[k] : noNetworkLabel,
                                       areaKm2: areaKm2[z][k], population: population[z][k],
                                       lowConfidencePopulation: lowConfidencePopulation[z][k],
                                       campuses: k < nn ? campuses[z][k] : 0, overlapsOtherNetworks: overlaps, shape: shape))
        }
        var networkAreas: [NetworkArea] = []
        for j in pieceJobs..<jobs.count {
            guard let shape = shapes[j] else { continue }
            let k = jobs[j].network
            networkAreas.append(NetworkArea(network: networks[k], areaKm2: zones.indices.reduce(0) { $0 + areaKm2[$1][k] },
                                            population: zones.indices.reduce(0) { $0 + population[$1][k] }, shape: shape))
        }
        return (pieces, networkAreas)
    }

    // MARK: GeoJSON

    /// The pieces as GeoJSON features: `zone`, `zone_name`, `network`, `area_km2`, `population`,
    /// `share_of_zone_population`, `share_of_network_population`, `low_confidence_population`, `campuses`,
    /// `overlaps_other_networks`, `method`, `zoning`, `network_layer`.
    public func piecesCollection(_ pieces: [OverlapPiece]) -> FeatureCollection {
        let zonePop = Dictionary(report.zones.map { ($0.zone.code, Double($0.population)) }, uniquingKeysWith: { a, _ in a })
        let netPop = Dictionary(report.networks.map { ($0.network, $0.population) }, uniquingKeysWith: { a, _ in a })
        let features = pieces.enumerated().map { i, p -> Feature in
            var props: JSONObject = [:]
            props["zone"] = .string(p.zone.code)
            props["zone_name"] = .string(p.zone.name)
            props["network"] = .string(p.network)
            props["area_km2"] = .number(rounded(p.areaKm2, 4))
            props["population"] = .number(rounded(p.population, 1))
            let zp = zonePop[p.zone.code] ?? 0
            props["share_of_zone_population"] = .number(rounded(zp > 0 ? p.population / zp : 0, 6))
            if let np = netPop[p.network] {
                props["share_of_network_population"] = .number(rounded(np > 0 ? p.population / np : 0, 6))
            } else {
                props["share_of_network_population"] = .null
            }
            props["low_confidence_population"] = .number(rounded(p.lowConfidencePopulation, 1))
            props["campuses"] = .number(Double(p.campuses))
            props["overlaps_other_networks"] = .bool(p.overlapsOtherNetworks)
            props["method"] = .string(report.method.rawValue)
            props["zoning"] = .string(report.zoning)
            props["network_layer"] = .string(report.networkLayer)
            return Feature(id: .number(Double(i + 1)), properties: props, geometry: p.shape)
        }
        return FeatureCollection(name: "\(report.zoning) x \(report.networkLayer) (\(report.method.rawValue))", features: features)
    }

    /// The network areas as GeoJSON: `network`, `area_km2`, `population`, `low_confidence_share`, `campuses`,
    /// `method`.
    public func networkAreasCollection(_ areas: [NetworkArea]) -> FeatureCollection {
        let byName = Dictionary(report.networks.map { ($0.network, $0) }, uniquingKeysWith: { a, _ in a })
        let features = areas.map { a -> Feature in
            var props: JSONObject = [:]
            props["network"] = .string(a.network)
            props["area_km2"] = .number(rounded(a.areaKm2, 4))
            props["population"] = .number(rounded(a.population, 1))
            props["low_confidence_share"] = .number(byName[a.network]?.lowConfidenceShare ?? 0)
            props["campuses"] = .number(Double(byName[a.network]?.campuses ?? 0))
            props["method"] = .string(report.method.rawValue)
            return Feature(id: .string(a.network), properties: props, geometry: a.shape)
        }
        return FeatureCollection(name: "\(report.networkLayer) (\(report.method.rawValue))", features: features)
    }

    /// The campuses as GeoJSON points (unlocated ones with a null geometry): `network`, `hospital`, `campus`,
    /// `confidence`, `low_confidence`, `status`, `block`, `zone`, `zone_name`, `source`.
    public func campusesCollection() -> FeatureCollection {
        let features = report.campuses.map { c -> Feature in
            var props: JSONObject = [:]
            props["network"] = .string(c.network)
            props["hospital"] = .string(c.hospital)
            props["campus"] = .string(c.campus)
            props["confidence"] = .string(c.confidence.rawValue)
            props["low_confidence"] = .bool(c.confidence == .low)
            props["status"] = .string(c.status.rawValue)
            props["block"] = c.block.map(JSONValue.string) ?? .null
            props["zone"] = c.zone.map(JSONValue.string) ?? .null
            props["zone_name"] = c.zoneName.map(JSONValue.string) ?? .null
            props["source"] = .string(c.location)
            let geometry: Shape? = c.longitude.flatMap { lon in c.latitude.map { Shape.point(Position(lon, $0)) } }
            return Feature(properties: props, geometry: geometry)
        }
        return FeatureCollection(name: "\(report.networkLayer) campuses", features: features)
    }

    // MARK: CSV

    /// The matrix in long form, one row per non-empty cell: `zone_code, zone_name, network, area_km2,
    /// population, share_of_zone_area, share_of_zone_population, share_of_network_area,
    /// share_of_network_population, low_confidence_population, campuses, method`.
    public func matrixCSV() -> String {
        var lines = ["zone_code,zone_name,network,area_km2,population,share_of_zone_area,share_of_zone_population,share_of_network_area,share_of_network_population,low_confidence_population,campuses,method"]
        for c in report.cells {
            lines.append([csvField(c.zone), csvField(c.zoneName), csvField(c.network), fixed(c.areaKm2, 4), fixed(c.population, 1),
                          fixed(c.shareOfZoneArea, 6), fixed(c.shareOfZonePopulation, 6),
                          c.shareOfNetworkArea.map { fixed($0, 6) } ?? "", c.shareOfNetworkPopulation.map { fixed($0, 6) } ?? "",
                          fixed(c.lowConfidencePopulation, 1), String(c.campuses), report.method.rawValue].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public enum Measure: String, Sendable { case area, population }

    /// The matrix in wide form: one row per zone (`zone_code, zone_name`, one column per network, then
    /// `(no network)` when anyone has none, then `total`) and a `total` row. When the layer has rows of
    /// confidence `low`, a `low_confidence_rows` row follows (and for population a `low_confidence_population`
    /// row), so the flag travels with the matrix.
    public func wideCSV(_ measure: Measure) -> String {
        let m = measure == .area ? areaKm2 : population
        let digits = measure == .area ? 4 : 1
        let nn = networks.count
        let withNone = zones.indices.contains { m[$0][nn] > 1e-9 }
        let cols = Array(0..<nn) + (withNone ? [nn] : [])
        var lines = [(["zone_code", "zone_name"] + cols.map { $0 < nn ? networks[$0] : noNetworkLabel } + ["total"]).map(csvField).joined(separator: ",")]
        var colTotals = [Double](repeating: 0, count: nn + 1)
        for z in zones.indices {
            var row = [csvField(zones[z].code), csvField(zones[z].name)]
            var total = 0.0
            for k in cols { row.append(fixed(m[z][k], digits)); total += m[z][k]; colTotals[k] += m[z][k] }
            row.append(fixed(total, digits))
            lines.append(row.joined(separator: ","))
        }
        lines.append((["total", ""] + cols.map { fixed(colTotals[$0], digits) } + [fixed(cols.reduce(0) { $0 + colTotals[$1] }, digits)]).joined(separator: ","))
        // Low-confidence flags, when the layer has such rows: input rows per network, and (population matrix)
        // the population resting on them.
        let lowRows = Dictionary(report.networks.map { ($0.network, $0.lowConfidenceRows) }, uniquingKeysWith: { a, _ in a })
        if lowRows.values.contains(where: { $0 > 0 }) {
            let counts = cols.map { $0 < nn ? lowRows[networks[$0]] ?? 0 : 0 }
            lines.append((["low_confidence_rows", ""] + counts.map(String.init) + [String(counts.reduce(0, +))]).joined(separator: ","))
            if measure == .population {
                let low = cols.map { k in k < nn ? zones.indices.reduce(0) { $0 + lowConfidencePopulation[$1][k] } : 0 }
                lines.append((["low_confidence_population", ""] + low.map { fixed($0, 1) } + [fixed(low.reduce(0, +), 1)]).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// The report as pretty JSON with snake_case keys.
    public func reportJSON() throws -> Data {
        try snakeCaseJSON(report)
    }

    /// The base of the output file names: `<zoning>-<network layer>-<method>`.
    public var fileBase: String { "\(report.zoning)-\(report.networkLayer)-\(report.method.rawValue)" }

    /// Every output file, encoded: `<base>.matrix.csv`, `.matrix-area.csv`, `.matrix-population.csv`,
    /// `.report.json`, `.pieces.geojson`, `.networks.geojson`, and for point layers `.campuses.geojson`.
    /// Nothing is written here.
    public func files(dataset: Dataset, writer: GeoJSONWriter = GeoJSONWriter()) throws -> [(name: String, data: Data)] {
        let (pieces, networkAreas) = try geometry(dataset: dataset)
        var out: [(String, Data)] = []
        out.append(("\(fileBase).matrix.csv", Data(matrixCSV().utf8)))
        out.append(("\(fileBase).matrix-area.csv", Data(wideCSV(.area).utf8)))
        out.append(("\(fileBase).matrix-population.csv", Data(wideCSV(.population).utf8)))
        out.append(("\(fileBase).report.json", try reportJSON()))
        out.append(("\(fileBase).pieces.geojson", Data(try writer.writeLayer(piecesCollection(pieces), source: "\(fileBase).pieces.geojson"))))
        out.append(("\(fileBase).networks.geojson", Data(try writer.writeLayer(networkAreasCollection(networkAreas), source: "\(fileBase).networks.geojson"))))
        if report.networkLayerKind == .points {
            out.append(("\(fileBase).campuses.geojson", Data(try writer.write(campusesCollection()))))
        }
        return out
    }
}

package func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

package func fixed(_ x: Double, _ digits: Int) -> String {
    let s = String(format: "%.\(digits)f", x)
    return s == "-" + String(format: "%.\(digits)f", 0.0) ? String(format: "%.\(digits)f", 0.0) : s
}

// MARK: - Text

extension ComparisonReport {
    /// A readable summary for the terminal.
    public func textSummary(maxZones: Int = 60) -> String {
        var o: [String] = []
        func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
        func int(_ x: Double) -> String { groupedDigits(Int(x.rounded())) }
        let campusesLocated = campuses.filter { $0.status != .unlocated }.count
        o.append("\(zoning) × \(networkLayer): \(networks.count) networks\(networkLayerKind == .points ? ", \(campusesLocated) located campuses" : "") — \(zones.count) zones, \(groupedDigits(population)) inhabitants (\(populationYear)), \(String(format: "%.1f", areaKm2)) km²")
        o.append("method: \(method.rawValue). \(methodStatement)")
        o.append("")
        o.append("Alignment (over the \(pct(alignment.coveredShare)) of the population with a network)")
        o.append("  mutual-majority share        \(pct(alignment.mutualMajorityShare))")
        o.append("  adjusted Rand index          \(String(format: "%.3f", alignment.adjustedRandIndex))")
        o.append("  normalised mutual information \(String(format: "%.3f", alignment.normalizedMutualInformation))")
        if !alignment.matchedPairs.isEmpty {
            o.append("  matched pairs: " + alignment.matchedPairs.map { "\($0.zoneName) ↔ \(shortNetworkName($0.network))" }.joined(separator: ", "))
        }
        o.append("")
        o.append("Per network: dominant zone, zones with ≥ \(pct(threshold)) of its population, campuses per zone")
        for n in networks {
            var head = "  \(n.network): \(int(n.population)) inhabitants, \(String(format: "%.1f", n.areaKm2)) km², touches \(n.zonesTouched) zone\(n.zonesTouched == 1 ? "" : "s")"
            if n.lowConfidenceRows > 0 {
                head += " [LOW CONFIDENCE: \(n.lowConfidenceRows) row\(n.lowConfidenceRows == 1 ? "" : "s"), \(pct(n.lowConfidenceShare)) of its population]"
            }
            o.append(head)
            if let d = n.dominantZone { o.append("      dominant: \(d.name) \(pct(d.share))") }
            if !n.zonesAboveThreshold.isEmpty {
                o.append("      zones ≥ \(pct(threshold)): " + n.zonesAboveThreshold.map { "\($0.name) \(pct($0.share))" }.joined(separator: ", "))
            }
            if networkLayerKind == .points {
                var parts = n.campusesPerZone.map { "\($0.name) \($0.campuses)" }
                if n.campusesOutsideZoning > 0 { parts.append("outside \(n.campusesOutsideZoning)") }
                if n.campusesUnlocated > 0 { parts.append("unlocated \(n.campusesUnlocated)") }
                o.append("      campuses: " + (parts.isEmpty ? "none" : parts.joined(separator: ", ")))
            }
        }
        o.append("")
        o.append("Per zone: main network and its share of the zone's population; other networks")
        for z in zones.prefix(maxZones) {
            var line = "  \(z.zone.name) (\(z.zone.code)): \(groupedDigits(z.population))"
            if let m = z.mainNetwork { line += " — main \(shortNetworkName(m)) \(pct(z.mainNetworkShare))" }
            let others = z.networks.dropFirst().filter { $0.share >= 0.0005 }
            if !others.isEmpty { line += "; " + others.map { "\(shortNetworkName($0.network)) \(pct($0.share))" }.joined(separator: ", ") }
            if z.withoutNetworkShare > 0 { line += "; no network \(pct(z.withoutNetworkShare))" }
            if z.lowConfidenceShare > 0 { line += " [low confidence \(pct(z.lowConfidenceShare))]" }
            o.append(line)
        }
        if zones.count > maxZones { o.append("  … \(zones.count - maxZones) more zones (see the JSON report)") }
        let d = diagnostics
        var findings: [String] = []
        if !d.municipalitiesWithoutNetwork.isEmpty {
            findings.append("\(d.municipalitiesWithoutNetwork.count) municipalities in no network: " + d.municipalitiesWithoutNetwork.map(\.name).joined(separator: ", "))
        }
        if !d.municipalitiesInSeveralNetworks.isEmpty {
            findings.append("\(d.municipalitiesInSeveralNetworks.count) municipalities in two or more networks: " + d.municipalitiesInSeveralNetworks.prefix(12).map(\.name).joined(separator: ", ") + (d.municipalitiesInSeveralNetworks.count > 12 ? ", …" : ""))
        }
        if !d.municipalitiesPartlyCovered.isEmpty {
            findings.append("\(d.municipalitiesPartlyCovered.count) municipalities partly covered: " + d.municipalitiesPartlyCovered.prefix(12).map { "\($0.name) \(pct($0.assignedShare))" }.joined(separator: ", "))
        }
        if !d.keysOutsideStudyArea.isEmpty { findings.append("\(d.keysOutsideStudyArea.count) NIS codes outside Flanders and Brussels left out") }
        if !d.campusesOutside.isEmpty {
            findings.append("\(d.campusesOutside.count) campuses outside Flanders and Brussels: " + d.campusesOutside.map { "\($0.hospital.isEmpty ? $0.campus : $0.hospital + " " + $0.campus) (\(shortNetworkName($0.network)))" }.joined(separator: "; "))
        }
        if !d.campusesUnlocated.isEmpty {
            findings.append("\(d.campusesUnlocated.count) unlocated campuses (not used): " + d.campusesUnlocated.map { "\($0.hospital.isEmpty ? $0.campus : $0.hospital + " " + $0.campus) (\(shortNetworkName($0.network)))" }.joined(separator: "; "))
        }
        if !d.campusesBlockMismatch.isEmpty { findings.append("\(d.campusesBlockMismatch.count) campuses in another block than their block_id: " + d.campusesBlockMismatch.map { "\($0.campus) (\($0.note ?? ""))" }.joined(separator: "; ")) }
        if !d.campusesAddressElsewhere.isEmpty { findings.append("\(d.campusesAddressElsewhere.count) campuses whose point lies outside their address's municipality: " + d.campusesAddressElsewhere.map { "\($0.campus) (\($0.note ?? ""))" }.joined(separator: "; ")) }
        if !d.campusesOnBorder.isEmpty { findings.append("\(d.campusesOnBorder.count) campuses on a block border") }
        if !d.lowConfidenceRows.isEmpty {
            let shown = d.lowConfidenceRows.prefix(12).map { "\($0.item) (\(shortNetworkName($0.network)))" }.joined(separator: "; ")
            findings.append("LOW CONFIDENCE: \(d.lowConfidenceRows.count) input rows: \(shown)\(d.lowConfidenceRows.count > 12 ? "; …" : "")")
        }
        if !findings.isEmpty || !notes.isEmpty {
            o.append("")
            o.append("Findings")
            for f in findings { o.append("  - " + f) }
            for n in notes { o.append("  - note: " + n) }
        }
        return o.joined(separator: "\n") + "\n"
    }
}

/// A short label for tight text: "KOM (Kust, Ommeland, Meetjesland)" → "KOM"; a long name with a short
/// abbreviation in brackets gives the abbreviation ("Ziekenhuisnetwerk Gent (ZNG)" → "ZNG"); "Het PAKT - Netwerk
/// GGZ …" → "Het PAKT". Full names stay in the JSON, CSV and GeoJSON.
public func shortNetworkName(_ name: String) -> String {
    if let open = name.range(of: " ("), open.lowerBound != name.startIndex {
        let head = String(name[..<open.lowerBound])
        if let close = name[open.upperBound...].firstIndex(of: ")") {
            let inner = String(name[open.upperBound..<close])
            if head.count > 20 && inner.count <= 8 && !inner.contains(";") { return inner }
        }
        return head
    }
    if let dash = name.range(of: " - "), name.distance(from: name.startIndex, to: dash.lowerBound) >= 3 {
        return String(name[..<dash.lowerBound])
    }
    return name
}

