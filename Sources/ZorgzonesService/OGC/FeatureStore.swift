import Foundation
import GeoCore
import GEOS
import GeoJSON
import Compare
import Zoning

/// The feature collections the service publishes through OGC API – Features (`/ogc`): the dissolved layers, the
/// other zonings of the data package, and the network layers (hospital campuses as points, GGZ networks as the
/// union of their municipalities). Built once at start; each feature is encoded once, so a page of items is a
/// concatenation of ready bytes.
public struct FeatureStore: Sendable {
    public struct Item: Sendable {
        /// The feature id as the URL spells it (`/items/{featureId}`).
        public var id: String
        public var properties: JSONObject
        public var shape: Shape?
        public var bounds: BoundingBox?
        /// The encoded Feature object (6 decimals, bbox), without a trailing newline.
        var bytes: [UInt8]
    }

    public struct Collection: Sendable {
        public var id: String
        public var title: String
        public var description: String
        /// GeoJSON geometry type of every feature (`Polygon`, `MultiPolygon`, `Point`), or nil when mixed.
        public var geometryType: String?
        public var items: [Item]
        public var extent: BoundingBox?
        /// Properties with a simple value (string, number, boolean) in every feature that has them: the
        /// properties a request may filter on (`?name=Brugge`).
        public var queryables: [String: String]
        var index: [String: Int]

        init(id: String, title: String, description: String, collection: FeatureCollection) throws {
            self.id = id
            self.title = title
            self.description = description
            let writer = GeoJSONWriter()
            // One geometry type per collection: a layer mixing Polygon and MultiPolygon is published as
            // MultiPolygon, so that GDAL and QGIS see a typed layer (not "Unknown"), as ogr2ogr's
            // PROMOTE_TO_MULTI does.
            var collection = collection
            if Set(collection.features.compactMap { $0.geometry?.typeName }) == ["Polygon", "MultiPolygon"] {
                collection = collection.promotedToMulti()
            }
            var items: [Item] = []
            var index: [String: Int] = [:]
            var types = Set<String>()
            var kinds: [String: String] = [:]
            var notSimple = Set<String>()
            for (i, f) in collection.features.enumerated() {
                var f = f
                let key: String
                switch f.id {
                case .string(let s)?: key = s
                case .number(let n)? where n == n.rounded() && abs(n) < 1e15: key = String(Int64(n))
                default: key = String(i + 1); f.id = .string(key)
                }
                guard index[key] == nil else {
                    throw DataError(file: id, location: "features[\(i)]", field: "id", message: "feature id '\(key)' is not unique")
                }
                index[key] = items.count
                if let g = f.geometry { types.insert(g.typeName) }
                for (k, v) in f.properties {
                    let kind: String?
                    switch v {
                    case .string: kind = "string"
                    case .number: kind = "number"
                    case .bool: kind = "boolean"
                    case .null: kind = kinds[k]
                    default: kind = nil
                    }
                    guard let kind else { notSimple.insert(k); continue }
                    if let seen = kinds[k], seen != kind { notSimple.insert(k) } else { kinds[k] = kind }
                }
                items.append(Item(id: key, properties: f.properties, shape: f.geometry, bounds: f.geometry?.bounds,
                                  bytes: try writer.writeFeature(f)))
            }
            self.items = items
            self.index = index
            geometryType = types.count == 1 ? types.first : nil
            extent = items.compactMap(\.bounds).reduce(nil as BoundingBox?) { acc, b in
                guard let a = acc else { return b }
                return BoundingBox(minX: min(a.minX, b.minX), minY: min(a.minY, b.minY),
                                   maxX: max(a.maxX, b.maxX), maxY: max(a.maxY, b.maxY))
            }
            queryables = kinds.filter { !notSimple.contains($0.key) }
        }

        public func item(_ id: String) -> Item? { index[id].map { items[$0] } }
    }

    /// In publishing order.
    public let collections: [Collection]
    let byID: [String: Int]

    public init(_ collections: [Collection]) {
        self.collections = collections
        byID = Dictionary(collections.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func collection(_ id: String) -> Collection? { byID[id].map { collections[$0] } }
}

// MARK: - Queries

/// What `/collections/{id}/items` selects: a bounding box (CRS84, may cross the antimeridian) and equality on
/// simple properties. Paging is applied to the result.
public struct FeatureQuery: Sendable {
    public var bbox: BoundingBox?
    public var properties: [(name: String, value: String)] = []

    public init(bbox: BoundingBox? = nil, properties: [(name: String, value: String)] = []) {
        self.bbox = bbox
        self.properties = properties
    }

    /// The indices of the matching items, in collection order. The bbox test is exact (GEOS intersects on the
    /// feature's geometry), after a test of the feature's bounds.
    public func matches(in collection: FeatureStore.Collection) throws -> [Int] {
        var boxes: [BoundingBox] = []
        if let b = bbox {
            if b.minX <= b.maxX { boxes = [b] } else {
                boxes = [BoundingBox(minX: b.minX, minY: b.minY, maxX: 180, maxY: b.maxY),
                         BoundingBox(minX: -180, minY: b.minY, maxX: b.maxX, maxY: b.maxY)]
            }
        }
        let rectangles = try boxes.map { try Geometry.rectangle($0).prepared() }
        var out: [Int] = []
        for (i, item) in collection.items.enumerated() {
            guard properties.allSatisfy({ Self.equal(item.properties[$0.name], $0.value) }) else { continue }
            if bbox != nil {
                guard let shape = item.shape, let bounds = item.bounds else { continue }
                var hit = false
                for (k, box) in boxes.enumerated() where box.intersects(bounds) {
                    if box.contains(bounds) { hit = true; break }
                    if try rectangles[k].intersects(try Geometry(shape)) { hit = true; break }
                }
                guard hit else { continue }
            }
            out.append(i)
        }
        return out
    }

    /// A property value equal to the text of a query parameter: strings exactly, numbers by value, booleans as
    /// `true`/`false`.
    static func equal(_ value: JSONValue?, _ text: String) -> Bool {
        switch value {
        case .string(let s)?: return s == text
        case .number(let n)?: return Double(text).map { $0 == n } ?? false
        case .bool(let b)?: return text == (b ? "true" : "false")
        default: return false
        }
    }
}

// MARK: - Building the collections

extension FeatureStore {
    /// A collection of hospital campuses (located ones) as points.
    static func campusCollection(_ layer: NetworkLayer, title: String) throws -> Collection {
        var features: [Feature] = []
        for (i, c) in layer.campuses.enumerated() {
            guard let lon = c.longitude, let lat = c.latitude else { continue }
            var p: JSONObject = ["network": .string(c.network), "hospital": .string(c.hospital), "name": .string(c.name),
                                 "confidence": .string(c.confidence.rawValue)]
            p["nis"] = c.municipalityNIS.map(JSONValue.string) ?? .null
            p["block_id"] = c.declaredBlock.map(JSONValue.string) ?? .null
            features.append(Feature(id: .string(String(i + 1)), properties: p, geometry: .point(Position(lon, lat))))
        }
        return try Collection(
            id: layer.name, title: title,
            description: "Hospital campuses with their network (\(layer.networks.count) networks; \(features.count) located campuses of \(layer.campuses.count)). Sources: \(layer.sources.joined(separator: ", ")).",
            collection: FeatureCollection(name: layer.name, features: features))
    }

    /// A collection of network areas: each network as the union of the blocks its table lists (municipality
    /// layers) or as its polygons (polygon layers). Networks may overlap: a municipality can belong to several.
    static func areaCollection(_ layer: NetworkLayer, dataset: Dataset, title: String) throws -> Collection {
        var features: [Feature] = []
        switch layer.kind {
        case .polygons:
            for (i, p) in layer.polygons.enumerated() {
                features.append(Feature(id: .string(String(i + 1)), properties: ["network": .string(p.network)], geometry: p.shape))
            }
            return try Collection(id: layer.name, title: title, description: "Network areas (\(layer.networks.count) networks).",
                                  collection: FeatureCollection(name: layer.name, features: features))
        default:
            break
        }
        let byID = Dictionary(dataset.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byNIS = Dictionary(grouping: dataset.blocks, by: \.nis)
        var members: [Feature] = []
        var shares: [String: [String]] = [:]
        for m in layer.memberships {
            let blocks = byID[m.key].map { [$0] } ?? byNIS[m.key] ?? []
            for b in blocks {
                members.append(Feature(properties: ["network": .string(m.network), "block": .string(b.id)], geometry: b.shape))
            }
            if m.share != nil && m.share! < 1 { shares[m.network, default: []].append(m.key) }
        }
        var dissolve = FeatureDissolve(grouping: .property("network"), idProperty: "block", source: layer.name)
        dissolve.validate = false
        let result = try dissolve.run(FeatureCollection(name: layer.name, features: members))
        let order = Dictionary(layer.networks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for var f in result.collection.features {
            guard case .string(let network)? = f.properties["network"] else { continue }
            f.properties["municipalities_shared"] = .number(Double(shares[network]?.count ?? 0))
            _ = f.properties.removeValue(forKey: "method")
            features.append(f)
        }
        features.sort { (order[$0.id?.stringValue ?? ""] ?? .max) < (order[$1.id?.stringValue ?? ""] ?? .max) }
        return try Collection(
            id: layer.name, title: title,
            description: "\(layer.networks.count) networks, each the union of the municipalities its table lists (networks overlap where a municipality is shared; municipalities_shared counts those with a share under 100 %). Sources: \(layer.sources.joined(separator: ", ")).",
            collection: FeatureCollection(name: layer.name, features: features))
    }
}
