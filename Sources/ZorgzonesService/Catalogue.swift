import Cartography
import Foundation
import GeoJSON
import Logging
import Check
import Compare
import DataPackage
import Jobs
import Zoning

/// Everything the service computes once at start and then only reads: the dataset, the dissolved layers as
/// GeoJSON (and SVG) with their ETags, the rule engine with the report of the dataset's own RZZ, the network
/// layers of the data package. Immutable and `Sendable`: shared by every request.
public struct Catalogue: Sendable {
    public struct StaticLayer: Sendable {
        public var name: String
        public var features: Int
        var geojson: Representation
        var svg: Representation?
        /// The layer as TopoJSON (shared arcs, quantized at 6 decimals like the GeoJSON).
        var topojson: Representation
        /// The features as written (6 decimals), for simplified variants.
        var collection: FeatureCollection
    }

    public let dataset: Dataset
    /// The limits requests are held to (a copy with other limits serves the same data under other rules).
    public var limits: ServiceLimits
    let layers: [String: StaticLayer]
    /// Layer names in the dataset's order (`municipalities`, `elz`, `rr`, `rzz`, extras).
    public let layerNames: [String]
    /// The rule engine (block topology and coverage validation done once), nil if the rule set could not be
    /// loaded (then `/v1/check` answers 503 with the reason).
    let rules: Result<RuleEngine, Error>
    /// The zoning proposals of `GeoData/scenarios` (the workbench loads them).
    public let scenarios: [ScenarioFile]
    /// The report of the dataset's RZZ: the baseline a posted zoning is compared with.
    let baseline: RuleReport?
    /// The network layers of the data package, by name (`hospital-networks`, `ggz-adults`, `ggz-youth`).
    let networks: [String: NetworkLayer]
    let networkErrors: [String: String]
    /// Named zone tables of the data package (`<data>/zonings/*.csv`), resolved.
    let zoningTables: [String: Zoning]
    /// The collections of OGC API – Features (`/ogc`): the layers, the zone tables and the network layers.
    public let features: FeatureStore
    /// Cartography's renderer (it caches the block topology); nil when started with `--no-maps`.
    let maps: MapRenderer?
    /// What the maps draw, read once: the style, network layers and campus placements.
    let supplies = MapSupplies()
    let startedAt: Date

    /// Loads and precomputes. Throws only when the dataset itself cannot be loaded or dissolved.
    public static func load(dataDirectory: URL, rulesFile: String? = nil, limits: ServiceLimits = ServiceLimits(),
                            renderMaps: Bool = true, logger: Logger? = nil) throws -> Catalogue {
        let clock = ContinuousClock()
        let t0 = clock.now
        let dataset = try Dataset.load(DatasetOptions(directory: dataDirectory))
        return try Catalogue(dataset: dataset, rulesFile: rulesFile, limits: limits, renderMaps: renderMaps,
                             logger: logger, started: t0)
    }

    public init(dataset: Dataset, rulesFile: String? = nil, limits: ServiceLimits = ServiceLimits(),
                renderMaps: Bool = true, logger: Logger? = nil) throws {
        try self.init(dataset: dataset, rulesFile: rulesFile, limits: limits, renderMaps: renderMaps, logger: logger,
                      started: ContinuousClock().now)
    }

    private init(dataset: Dataset, rulesFile: String?, limits: ServiceLimits, renderMaps: Bool, logger: Logger?,
                 started: ContinuousClock.Instant) throws {
        let clock = ContinuousClock()
        func ms(_ since: ContinuousClock.Instant) -> Logger.MetadataValue {
            .stringConvertible(Int(((clock.now - since) / .milliseconds(1)).rounded()))
        }
        self.dataset = dataset
        self.limits = limits
        startedAt = Date()
        logger?.info("dataset loaded", metadata: ["blocks": .stringConvertible(dataset.blocks.count),
                                                   "directory": .string(dataset.directory.path), "ms": ms(started)])

        var t = clock.now
        let dissolver = Dissolver(dataset)
        let dissolved = try Atlas.layers(dataset, dissolver: dissolver)
        let files = try Atlas.files(dataset, layers: dissolved, edgeMatch: dissolver.edgeMatch())
        let bytesByFile = Dictionary(files.map { ($0.name, $0.data) }, uniquingKeysWith: { a, _ in a })
        logger?.info("layers dissolved", metadata: ["layers": .stringConvertible(dissolved.count), "ms": ms(t)])

        t = clock.now
        let maps = renderMaps ? MapRenderer() : nil
        self.maps = maps
        var layers: [String: StaticLayer] = [:]
        for layer in dissolved {
            let data = bytesByFile["\(layer.name).geojson"] ?? Data()
            var svg: Representation?
            if let maps {
                // The RZZ layer is the official map (referentieregio's coloured, RZZ borders red, ELZ numbered);
                // the others are zoning maps.
                var options = MapOptions()
                options.title = Self.mapTitle(of: layer.name)
                let map = try RenderJob(kind: layer.name == "rzz" ? .official : .zoning, zoning: layer.zoning, options: options)
                    .run(dataset, renderer: maps, supplies: supplies)
                svg = Representation(Array(map.svg.utf8), contentType: MediaTypes.svg, minGzipBytes: limits.minGzipBytes)
            }
            let collection = try layer.featureCollection(populationYear: dataset.populationYear)
                .reducedToPrecision(6, source: "\(layer.name).geojson", knownValid: true)
            let topojson = try TopoJSONWriter(precision: 6).write([(layer.name, collection)])
            layers[layer.name] = StaticLayer(
                name: layer.name, features: layer.features.count,
                geojson: Representation(Array(data), contentType: MediaTypes.geoJSON, minGzipBytes: limits.minGzipBytes),
                svg: svg,
                topojson: Representation(topojson, contentType: MediaTypes.topoJSON, minGzipBytes: limits.minGzipBytes),
                collection: collection)
        }
        self.layers = layers
        layerNames = dissolved.map(\.name)
        logger?.info("layers encoded", metadata: ["svg": .stringConvertible(maps != nil), "gzip": .stringConvertible(Gzip.available),
                                                   "ms": ms(t)])

        t = clock.now
        let rules = Result<RuleEngine, Error> {
            let ruleSet = try RuleSet.load(explicit: rulesFile, name: \.lastPathComponent)
            try ruleSet.validate(against: dataset)
            return try RuleEngine(dataset: dataset, ruleSet: ruleSet)
        }
        self.rules = rules
        switch rules {
        case .success(let engine):
            baseline = try? engine.checkDefault()
            logger?.info("rule engine ready", metadata: ["rule_set": .string(engine.ruleSet.id), "ms": ms(t)])
        case .failure(let e):
            baseline = nil
            logger?.warning("no rule set: POST /v1/check will answer 503", metadata: ["error": .string("\(e)")])
        }

        scenarios = try Scenarios.load()

        var networks: [String: NetworkLayer] = [:]
        var networkErrors: [String: String] = [:]
        for n in BuiltInNetworkLayer.allCases {
            do { networks[n.rawValue] = try supplies.layer(n, dataset: dataset) } catch {
                networkErrors[n.rawValue] = "\(error)"
                logger?.warning("network layer not loaded", metadata: ["layer": .string(n.rawValue), "error": .string("\(error)")])
            }
        }
        self.networks = networks
        self.networkErrors = networkErrors

        var tables: [String: Zoning] = [:]
        let workspace = Workspace(dataset: dataset)
        for name in workspace.zoningTableNames where dataset.zonings[name] == nil {
            do { tables[name] = try workspace.zoning(name) } catch {
                logger?.warning("zone table not loaded", metadata: ["table": .string("\(name).csv"), "error": .string("\(error)")])
            }
        }
        zoningTables = tables

        t = clock.now
        var collections: [FeatureStore.Collection] = []
        for layer in dissolved {
            collections.append(try FeatureStore.Collection(
                id: layer.name, title: Self.title(of: layer.name),
                description: "\(Self.title(of: layer.name)) dissolved from the \(dataset.blocks.count) blocks of the data package, population \(dataset.populationYear).",
                collection: layer.featureCollection(populationYear: dataset.populationYear)))
        }
        for name in tables.keys.sorted() {
            let layer = try dissolver.dissolve(tables[name]!)
            collections.append(try FeatureStore.Collection(
                id: name, title: name, description: "The zoning of the table zonings/\(name).csv, dissolved from the blocks.",
                collection: layer.featureCollection(populationYear: dataset.populationYear)))
        }
        for name in networks.keys.sorted() {
            let layer = networks[name]!
            collections.append(layer.kind == .points
                ? try FeatureStore.campusCollection(layer, title: Self.title(of: name))
                : try FeatureStore.areaCollection(layer, dataset: dataset, title: Self.title(of: name)))
        }
        features = FeatureStore(collections)
        logger?.info("feature collections ready", metadata: ["collections": .stringConvertible(collections.count), "ms": ms(t)])
        logger?.info("service data ready", metadata: ["ms": ms(started)])
    }

    static func title(of layer: String) -> String {
        switch layer {
        case "municipalities": return "Municipalities (gemeenten)"
        case "elz": return "Eerstelijnszones (ELZ)"
        case "rr": return "Referentieregio's"
        case "rzz": return "Regionale zorgzones (RZZ)"
        case "hospital-networks": return "Hospital networks (campuses)"
        case "ggz-adults": return "GGZ networks, adults"
        case "ggz-youth": return "GGZ networks, children and youth"
        default: return layer
        }
    }

    /// The title drawn on a layer's map (in the maps' language, Dutch); nil: the map's own (the official map).
    static func mapTitle(of layer: String) -> String? {
        switch layer {
        case "municipalities": return "Gemeenten"
        case "elz": return "Eerstelijnszones (ELZ)"
        case "rr": return "Referentieregio's"
        default: return nil
        }
    }

    /// A zoning by name: a layer of the dataset or a table of `<data>/zonings`.
    func namedZoning(_ name: String) -> Zoning? { dataset.zonings[name] ?? zoningTables[name] }

    var zoningNames: [String] { layerNames + zoningTables.keys.sorted() }
}
