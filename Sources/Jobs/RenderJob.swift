import Cartography
import Check
import Compare
import DataPackage
import Foundation
import Zoning

/// `zorgzones render` and `POST /v1/render`: a map of a zoning. The job supplies what Cartography draws: the
/// style, the network layer and campus placements, the rule report.
public struct RenderJob: Sendable {
    public var kind: MapKind
    /// The zoning to draw (nil: the dataset's RZZ; for `.zoning`, the dataset's RZZ too).
    public var zoning: Zoning?
    public var options: MapOptions
    /// rules: the rule set file (nil: `$ZORGZONES_RULES`, else the repository's default).
    public var rulesFile: String?
    /// hospitals / ggz: a network layer to draw instead of the data package's.
    public var networks: NetworkLayer?

    public init(kind: MapKind, zoning: Zoning? = nil, options: MapOptions = MapOptions()) {
        self.kind = kind
        self.zoning = zoning
        self.options = options
    }

    /// Map widths in pixels: from 320 to `maximum` (the CLI allows 10,000, the service 4,000).
    public static func check(width: Double?, maximum: Double) throws(UsageError) {
        guard let width else { return }
        guard width == width.rounded(), width >= 320, width <= maximum else {
            throw UsageError("width", "must be a whole number of pixels from 320 to \(Int(maximum))")
        }
    }

    /// Draws the map with `supplies`' caches (network layers, placements and rule engines per dataset).
    public func run(_ dataset: Dataset, renderer: MapRenderer = .shared, supplies: MapSupplies = .shared) throws -> RenderedMap {
        var options = self.options
        if options.style == nil { options.style = try supplies.defaultStyle() }
        let drawn = zoning ?? dataset.rzz
        switch kind {
        case .hospitals:
            let layer = try networks ?? supplies.layer(.hospitalNetworks, dataset: dataset)
            options.networks = layer
            let placements = try supplies.placements(layer, dataset: dataset, cache: networks == nil)
            options.placements = placements
            switch options.serviceAreas {
            case .voronoi?: options.serviceAreaResult = try ServiceAreas.voronoi(placements, networks: layer.networks, blocks: dataset.blocks)
            case .nearest?: options.serviceAreaResult = try ServiceAreas.nearest(placements, networks: layer.networks, blocks: dataset.blocks)
            case nil: break
            case let other?: throw UsageError("service_areas", "\(other.rawValue) is not a service-area method for campuses: use voronoi or nearest")
            }
        case .ggz:
            options.networks = try networks ?? supplies.layer(options.ggz == .adults ? .ggzAdults : .ggzYouth, dataset: dataset)
        case .rules:
            if options.report == nil {
                options.report = try RuleEngines.shared.engine(for: dataset, rulesFile: rulesFile)
                    .check(drawn, file: options.zoningSource)
            }
        case .official, .zoning:
            break
        }
        return try renderer.render(kind: kind, dataset: dataset, zoning: zoning, options: options)
    }
}

/// What maps draw that is read or computed once per dataset: the default style, the data package's network
/// layers and their campus placements. Thread-safe.
public final class MapSupplies: @unchecked Sendable {
    public static let shared = MapSupplies()
    private let lock = NSLock()
    private var style: MapStyle?
    private var layers: [String: NetworkLayer] = [:]
    private var placements: [String: [CampusPlacement]] = [:]

    public init() {}

    /// `MapStyle.default()`, read once.
    public func defaultStyle() throws -> MapStyle {
        if let s = lock.withLock({ style }) { return s }
        let s = try MapStyle.default()
        lock.withLock { style = s }
        return s
    }

    public func layer(_ which: BuiltInNetworkLayer, dataset: Dataset) throws -> NetworkLayer {
        let key = dataset.directory.path + "|" + which.rawValue
        if let l = lock.withLock({ layers[key] }) { return l }
        let l = try which.load(from: dataset.directory)
        lock.withLock { layers[key] = l }
        return l
    }

    /// Where each campus of `layer` lies; cached for the data package's layers (`cache`).
    public func placements(_ layer: NetworkLayer, dataset: Dataset, cache: Bool) throws -> [CampusPlacement] {
        let key = dataset.fingerprint + "|" + layer.name
        if cache, let p = lock.withLock({ placements[key] }) { return p }
        let p = try CampusLocator.place(layer.campuses, in: dataset.blocks)
        if cache { lock.withLock { placements[key] = p } }
        return p
    }
}
