import Foundation
import Zoning
import GeoCore
import GEOS
import GeoJSON

// Networks that others drew: loco-regional hospital networks (campuses as points) and mental-health (GGZ)
// networks (areas). This file holds the values and the readers; `NetworkPlacement.swift` places campuses in
// blocks, `NetworkServiceArea.swift` gives point networks an area, `Compare.swift` measures the overlap.

/// How sure the compiler of a network table was about a row (`confidence` column of the data package).
///
/// `unspecified` is used when the input has no confidence column or leaves the cell empty; only `low` rows are
/// flagged in the outputs.
public enum Confidence: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high, unspecified

    private var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        case .unspecified: return 3
        }
    }

    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }

    /// Parses `high`, `medium`, `low` (also Dutch `hoog`, `middel(matig)`, `laag`), case-insensitively; empty is
    /// `unspecified`. Nil for anything else.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "": self = .unspecified
        case "high", "hoog", "h": self = .high
        case "medium", "middel", "middelmatig", "gemiddeld", "m": self = .medium
        case "low", "laag", "l": self = .low
        default: return nil
        }
    }
}

/// A hospital campus (site) of a loco-regional hospital network. Dutch: *campus* of a *ziekenhuisnetwerk*.
public struct Campus: Sendable, Codable, Hashable {
    /// The network the campus belongs to.
    public var network: String
    /// The hospital that runs it (may be empty when not identified).
    public var hospital: String
    /// The campus or site name.
    public var name: String
    /// REFNIS code of the municipality of the address, when given.
    public var municipalityNIS: String?
    /// CRS84 coordinates; nil for an unlocated campus.
    public var longitude: Double?
    public var latitude: Double?
    public var confidence: Confidence
    /// The block the input file says contains the point (`block_id` column), if any.
    public var declaredBlock: String?
    public var notes: String?
    /// Where the row is, e.g. `hospital_campuses.csv: line 12` or `campuses.geojson: features[3]`.
    public var location: String

    public init(network: String, hospital: String, name: String, municipalityNIS: String? = nil,
                longitude: Double?, latitude: Double?, confidence: Confidence = .unspecified,
                declaredBlock: String? = nil, notes: String? = nil, location: String) {
        self.network = network
        self.hospital = hospital
        self.name = name
        self.municipalityNIS = municipalityNIS
        self.longitude = longitude
        self.latitude = latitude
        self.confidence = confidence
        self.declaredBlock = declaredBlock
        self.notes = notes
        self.location = location
    }

    /// CRS84 position, or nil when unlocated.
    public var position: Position? {
        guard let longitude, let latitude else { return nil }
        return Position(longitude, latitude)
    }

    /// "hospital – campus" (or the campus alone when the hospital is not known).
    public var label: String { hospital.isEmpty ? name : (name.isEmpty ? hospital : "\(hospital) – \(name)") }
}

/// One row of an area table: a municipality (NIS code) or a block in a network, optionally with a share.
/// The GGZ tables (`network, nis, confidence, via`) and user catchment tables (`nis, network, share`) read into
/// these.
public struct AreaMembership: Sendable, Codable, Hashable {
    public var network: String
    /// NIS code or block id.
    public var key: String
    /// The share of the municipality's population in this network (0…1), when the table gives one; nil means
    /// "split equally between the networks that list this municipality".
    public var share: Double?
    public var confidence: Confidence
    /// Provenance column (`via`, `source`), if any.
    public var via: String?
    public var location: String

    public init(network: String, key: String, share: Double? = nil, confidence: Confidence = .unspecified,
                via: String? = nil, location: String) {
        self.network = network
        self.key = key
        self.share = share
        self.confidence = confidence
        self.via = via
        self.location = location
    }
}

/// A network area given as a polygon (GeoJSON). Several polygons of one network are united.
public struct NetworkPolygon: Sendable, Hashable {
    public var network: String
    /// CRS84.
    public var shape: Shape
    public var confidence: Confidence
    public var location: String

    public init(network: String, shape: Shape, confidence: Confidence = .unspecified, location: String) {
        self.network = network
        self.shape = shape
        self.confidence = confidence
        self.location = location
    }
}

/// What a network layer is made of.
public enum NetworkLayerKind: String, Codable, Sendable {
    /// Campuses (points) with a network attribute: hospital networks. They need a service-area method.
    case points
    /// A table of municipalities (or blocks) per network: GGZ networks, catchment tables, other zonings.
    case municipalities
    /// Polygons per network (GeoJSON).
    case polygons
}

/// A layer of networks. Dutch: *ziekenhuisnetwerken*, *GGZ-netwerken*.
public struct NetworkLayer: Sendable {
    /// Layer name: `hospital-networks`, `ggz-adults`, `ggz-youth`, or the input file's stem.
    public var name: String
    public var kind: NetworkLayerKind
    /// The files read, for the report.
    public var sources: [String]
    /// Network names, in display order (natural order).
    public var networks: [String]
    /// Campuses (point layers), located and unlocated, in file order.
    public var campuses: [Campus]
    /// Area-table rows (municipality layers).
    public var memberships: [AreaMembership]
    /// Polygons (polygon layers).
    public var polygons: [NetworkPolygon]
    /// Informational notes from reading.
    public var notes: [String]

    public init(name: String, kind: NetworkLayerKind, sources: [String], networks: [String]? = nil,
                campuses: [Campus] = [], memberships: [AreaMembership] = [], polygons: [NetworkPolygon] = [],
                notes: [String] = []) {
        self.name = name
        self.kind = kind
        self.sources = sources
        let found = Set(campuses.map(\.network)).union(memberships.map(\.network)).union(polygons.map(\.network))
        self.networks = networks ?? found.sorted(by: naturalLess)
        self.campuses = campuses
        self.memberships = memberships
        self.polygons = polygons
        self.notes = notes
    }

    public var locatedCampuses: [Campus] { campuses.filter { $0.position != nil } }
    public var unlocatedCampuses: [Campus] { campuses.filter { $0.position == nil } }

    /// Confidence of every input row, counted per network: network → confidence → rows.
    public var confidenceCounts: [String: [Confidence: Int]] {
        var out: [String: [Confidence: Int]] = [:]
        for c in campuses { out[c.network, default: [:]][c.confidence, default: 0] += 1 }
        for m in memberships { out[m.network, default: [:]][m.confidence, default: 0] += 1 }
        for p in polygons { out[p.network, default: [:]][p.confidence, default: 0] += 1 }
        return out
    }

    /// A copy without the rows below `minimum` confidence (`unspecified` rows are always kept).
    public func filtered(minimumConfidence minimum: Confidence) -> NetworkLayer {
        guard minimum != .low, minimum != .unspecified else { return self }
        func keep(_ c: Confidence) -> Bool { c == .unspecified || c >= minimum }
        var copy = self
        let dropped = campuses.filter { !keep($0.confidence) }.count + memberships.filter { !keep($0.confidence) }.count
            + polygons.filter { !keep($0.confidence) }.count
        copy.campuses = campuses.filter { keep($0.confidence) }
        copy.memberships = memberships.filter { keep($0.confidence) }
        copy.polygons = polygons.filter { keep($0.confidence) }
        copy.notes.append("\(dropped) row\(dropped == 1 ? "" : "s") below confidence '\(minimum.rawValue)' left out")
        return copy
    }
}

// MARK: - Readers

extension NetworkLayer {
    /// Column names accepted for each field (first match wins).
    enum Columns {
        static let network = ["network", "network_name", "netwerk", "networkname"]
        static let latitude = ["latitude", "lat", "breedtegraad"]
        static let longitude = ["longitude", "lon", "lng", "long", "lengtegraad"]
        static let hospital = ["hospital", "hospital_name", "ziekenhuis"]
        static let campus = ["campus", "campus_name", "site", "site_name"]
        static let confidence = ["confidence", "betrouwbaarheid"]
        static let block = ["block_id"]
        static let nis = ["municipality_nis", "nis", "nis_code", "refnis"]
        static let notes = ["notes", "note"]
        static let share = ["share", "fraction", "weight", "aandeel", "percent", "percentage"]
        static let via = ["via", "source", "bron"]
    }

    static func find(_ names: [String], in header: [String]) -> Int? {
        let lower = header.map { $0.lowercased() }
        for n in names { if let i = lower.firstIndex(of: n) { return i } }
        return nil
    }

    /// Whether a CSV header describes points (it has latitude and longitude columns).
    public static func isPointTable(_ header: [String]) -> Bool {
        find(Columns.latitude, in: header) != nil && find(Columns.longitude, in: header) != nil
    }

    /// Parses a FeatureCollection, turning a GeoJSON error into a `DataError` at the same place.
    static func readFeatures(_ data: Data, source: String) throws(DataError) -> FeatureCollection {
        do {
            return try GeoJSONReader(source: source).readFeatureCollection(data)
        } catch {
            throw DataError(file: source, location: error.path.isEmpty ? nil : error.path, message: error.message)
        }
    }

    /// Reads campuses from a CSV with a network column and latitude / longitude (WGS 84 degrees). Optional
    /// columns: `hospital`, `campus`, `confidence`, `block_id`, `municipality_nis`, `notes`. A row with both
    /// coordinates empty is an unlocated campus (kept and reported); every other problem is an error that names
    /// the file, line and field. All problems of the file are reported together.
    public static func readCampuses(csv: CSVTable) throws -> [Campus] {
        let h = csv.header
        guard let netCol = find(Columns.network, in: h) else {
            throw DataError(file: csv.name, location: "line 1", field: "network",
                            message: "missing column 'network' (columns are: \(h.joined(separator: ", ")))")
        }
        guard let latCol = find(Columns.latitude, in: h), let lonCol = find(Columns.longitude, in: h) else {
            throw DataError(file: csv.name, location: "line 1", field: "latitude",
                            message: "a campus table needs 'latitude' and 'longitude' columns (columns are: \(h.joined(separator: ", ")))")
        }
        let hospCol = find(Columns.hospital, in: h), campCol = find(Columns.campus, in: h)
        let confCol = find(Columns.confidence, in: h), blockCol = find(Columns.block, in: h)
        let nisCol = find(Columns.nis, in: h), notesCol = find(Columns.notes, in: h)
        var errors: [DataError] = []
        var out: [Campus] = []
        for (r, line) in zip(csv.rows, csv.lines) {
            let loc = "line \(line)"
            func err(_ col: Int, _ msg: String) {
                errors.append(DataError(file: csv.name, location: loc, field: h[col], message: msg))
            }
            let network = r[netCol]
            if network.isEmpty { err(netCol, "empty network name"); continue }
            var confidence = Confidence.unspecified
            if let confCol {
                guard let c = Confidence(parsing: r[confCol]) else {
                    err(confCol, "'\(r[confCol])' is not a confidence (high, medium or low)"); continue
                }
                confidence = c
            }
            let latText = r[latCol], lonText = r[lonCol]
            var lat: Double?, lon: Double?
            if latText.isEmpty != lonText.isEmpty {
                err(latText.isEmpty ? latCol : lonCol, "one coordinate is given and the other is empty"); continue
            }
            if !latText.isEmpty {
                guard let la = Double(latText), la.isFinite else { err(latCol, "'\(latText)' is not a number"); continue }
                guard let lo = Double(lonText), lo.isFinite else { err(lonCol, "'\(lonText)' is not a number"); continue }
                guard (-90...90).contains(la) else { err(latCol, "latitude \(latText) is outside -90…90"); continue }
                guard (-180...180).contains(lo) else { err(lonCol, "longitude \(lonText) is outside -180…180"); continue }
                // Belgium spans 49.5–51.5 °N and 2.5–6.4 °E: values the other way round are swapped columns.
                if (49...52).contains(lo) && (2...7).contains(la) {
                    err(latCol, "latitude \(latText) and longitude \(lonText) look swapped"); continue
                }
                lat = la; lon = lo
            }
            func opt(_ c: Int?) -> String? { c.map { r[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            out.append(Campus(network: network, hospital: opt(hospCol) ?? "", name: opt(campCol) ?? "",
                              municipalityNIS: opt(nisCol), longitude: lon, latitude: lat, confidence: confidence,
                              declaredBlock: opt(blockCol), notes: opt(notesCol), location: "\(csv.name): \(loc)"))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if out.isEmpty { throw DataError(file: csv.name, message: "the table has a header but no rows") }
        return out
    }

    /// Reads an area table: one row per (network, municipality or block). Key column: `nis` /
    /// `municipality_nis` or `block_id`; network column: `network` (else `name`, else `code`, for a zoning table
    /// such as `zonings/gezondheidsmakers.csv`). Optional: `share` (0…1, or a percentage written `30%`, or a
    /// `percent` column), `confidence`, `via`. Errors name file, line and field; all are reported together.
    public static func readMemberships(csv: CSVTable) throws -> [AreaMembership] {
        let h = csv.header
        guard let keyCol = find(["block_id"] + Columns.nis + ["key", "id"], in: h) else {
            throw DataError(file: csv.name, location: "line 1", field: "nis",
                            message: "an area table needs a 'nis' or 'block_id' column (columns are: \(h.joined(separator: ", ")))")
        }
        guard let netCol = find(Columns.network + ["name", "code", "zone", "zone_name"], in: h), netCol != keyCol else {
            throw DataError(file: csv.name, location: "line 1", field: "network",
                            message: "missing column 'network' (columns are: \(h.joined(separator: ", ")))")
        }
        let shareCol = find(Columns.share, in: h), confCol = find(Columns.confidence, in: h)
        let viaCol = find(Columns.via, in: h)
        let percentColumn = shareCol.map { ["percent", "percentage"].contains(h[$0].lowercased()) } ?? false
        var errors: [DataError] = []
        var out: [AreaMembership] = []
        var seen: [String: String] = [:]
        for (r, line) in zip(csv.rows, csv.lines) {
            let loc = "line \(line)"
            func err(_ col: Int, _ msg: String) {
                errors.append(DataError(file: csv.name, location: loc, field: h[col], message: msg))
            }
            let key = r[keyCol], network = r[netCol]
            if key.isEmpty { err(keyCol, "empty key"); continue }
            if network.isEmpty { err(netCol, "empty network name for '\(key)'"); continue }
            var share: Double?
            if let shareCol {
                var text = r[shareCol]
                if text.isEmpty { err(shareCol, "empty share (the table has a share column: give every row a share)"); continue }
                var percent = percentColumn
                if text.hasSuffix("%") { percent = true; text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
                guard let v = Double(text), v.isFinite else { err(shareCol, "'\(r[shareCol])' is not a number"); continue }
                let s = percent ? v / 100 : v
                guard s >= 0, s <= 1 + 1e-9 else {
                    err(shareCol, percent ? "share \(r[shareCol]) is outside 0…100 %"
                        : "share \(r[shareCol]) is outside 0…1 (write 30% for a percentage)")
                    continue
                }
                share = min(s, 1)
            }
            var confidence = Confidence.unspecified
            if let confCol {
                guard let c = Confidence(parsing: r[confCol]) else {
                    err(confCol, "'\(r[confCol])' is not a confidence (high, medium or low)"); continue
                }
                confidence = c
            }
            let pair = network + "\u{1}" + key
            if let first = seen[pair] {
                err(keyCol, "'\(key)' is listed twice for network '\(network)' (also on \(first))"); continue
            }
            seen[pair] = loc
            let via = viaCol.map { r[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            out.append(AreaMembership(network: network, key: key, share: share, confidence: confidence, via: via,
                                      location: "\(csv.name): \(loc)"))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if out.isEmpty { throw DataError(file: csv.name, message: "the table has a header but no rows") }
        return out
    }

    /// Reads a GeoJSON network layer: Point features (campuses; a feature with `"geometry": null` is an
    /// unlocated campus) or Polygon / MultiPolygon features (network areas). Property `network` (or `name`) is
    /// required; `hospital`, `campus`, `confidence`, `block_id`, `municipality_nis` are optional. A layer mixes
    /// no kinds.
    public static func readGeoJSON(_ data: Data, source: String, name: String) throws -> NetworkLayer {
        try read(features: try readFeatures(data, source: source), source: source, name: name)
    }

    /// As `readGeoJSON`, from features already read (through GDAL from a GeoPackage, Shapefile, … in CRS84).
    public static func read(features fc: FeatureCollection, source: String, name: String) throws -> NetworkLayer {
        var errors: [DataError] = []
        var campuses: [Campus] = []
        var polygons: [NetworkPolygon] = []
        for (i, f) in fc.features.enumerated() {
            let loc = "features[\(i)]"
            func prop(_ keys: [String]) -> String? {
                for k in keys {
                    switch f.properties[k] {
                    case .string(let s)? where !s.isEmpty: return s
                    case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
                    default: continue
                    }
                }
                return nil
            }
            guard let network = prop(Columns.network + ["name"]) else {
                errors.append(DataError(file: source, location: loc, field: "properties.network",
                                        message: "missing network name"))
                continue
            }
            var confidence = Confidence.unspecified
            if let text = prop(Columns.confidence) {
                guard let c = Confidence(parsing: text) else {
                    errors.append(DataError(file: source, location: loc, field: "properties.confidence",
                                            message: "'\(text)' is not a confidence (high, medium or low)"))
                    continue
                }
                confidence = c
            }
            guard let geometry = f.geometry else {
                campuses.append(Campus(network: network, hospital: prop(Columns.hospital) ?? "",
                                       name: prop(Columns.campus) ?? "", municipalityNIS: prop(Columns.nis),
                                       longitude: nil, latitude: nil, confidence: confidence,
                                       declaredBlock: prop(Columns.block), notes: prop(Columns.notes),
                                       location: "\(source): \(loc)"))
                continue
            }
            switch geometry {
            case .point(let p):
                campuses.append(Campus(network: network, hospital: prop(Columns.hospital) ?? "",
                                       name: prop(Columns.campus) ?? "", municipalityNIS: prop(Columns.nis),
                                       longitude: p.x, latitude: p.y, confidence: confidence,
                                       declaredBlock: prop(Columns.block), notes: prop(Columns.notes),
                                       location: "\(source): \(loc)"))
            case .polygon, .multiPolygon:
                polygons.append(NetworkPolygon(network: network, shape: geometry, confidence: confidence,
                                               location: "\(source): \(loc)"))
            default:
                errors.append(DataError(file: source, location: loc, field: "geometry",
                                        message: "expected a Point, Polygon or MultiPolygon, found \(geometry.typeName)"))
            }
        }
        if !campuses.isEmpty && !polygons.isEmpty {
            errors.append(DataError(file: source, field: "geometry",
                                    message: "the layer mixes points (\(campuses.count)) and polygons (\(polygons.count)); give campuses and areas in separate files"))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        if campuses.isEmpty && polygons.isEmpty { throw DataError(file: source, message: "no features") }
        if !polygons.isEmpty {
            return NetworkLayer(name: name, kind: .polygons, sources: [source], polygons: polygons)
        }
        return NetworkLayer(name: name, kind: .points, sources: [source], campuses: campuses)
    }

    /// A zoning seen as a network layer (each zone is a network), to compare two zonings.
    public static func from(_ zoning: Zoning, blocks: [Block]) -> NetworkLayer {
        // Zones are networks by name; where two zones share a name, "name (code)" keeps them apart.
        var nameCount: [String: Int] = [:]
        for z in zoning.zones { nameCount[z.name, default: 0] += 1 }
        let names = Dictionary(zoning.zones.map { ($0.code, nameCount[$0.name]! > 1 ? "\($0.name) (\($0.code))" : $0.name) },
                               uniquingKeysWith: { a, _ in a })
        let memberships = blocks.compactMap { b -> AreaMembership? in
            guard let z = zoning.assignment[b.id] else { return nil }
            return AreaMembership(network: names[z] ?? z, key: b.id, location: "\(zoning.name): block \(b.id)")
        }
        return NetworkLayer(name: zoning.name, kind: .municipalities, sources: ["zoning \(zoning.name)"],
                            networks: zoning.zones.map { names[$0.code] ?? $0.code }, memberships: memberships)
    }
}

/// The network layers of the data package, by the names the CLI accepts.
public enum BuiltInNetworkLayer: String, CaseIterable, Sendable {
    case hospitalNetworks = "hospital-networks"
    case ggzAdults = "ggz-adults"
    case ggzYouth = "ggz-youth"

    /// The file, relative to the data directory.
    public var file: String {
        switch self {
        case .hospitalNetworks: return "networks/hospital_campuses.csv"
        case .ggzAdults: return "networks/ggz_adults.csv"
        case .ggzYouth: return "networks/ggz_youth.csv"
        }
    }
}
