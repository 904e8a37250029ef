// Where campuses lie and which municipalities networks share. `NetworkMunicipalityRef` carries the population the
// diagnostics weigh by; the rules name municipalities with `MunicipalityRef` (NIS code and name only).
import Foundation
import Zoning
import GeoCore
import GEOS
import Projection

/// Where a campus lies among the blocks.
public struct CampusPlacement: Sendable, Codable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// The point lies in a block (in Flanders or Brussels).
        case inBlock = "in-block"
        /// The point lies in no block: outside Flanders and Brussels (the Walloon campuses of Brussels networks).
        case outside
        /// The campus has no coordinates.
        case unlocated
    }

    public var campus: Campus
    public var status: Status
    /// Ids of the blocks whose polygon covers the point, in block order: exactly one for a point inside a block,
    /// two for a point on a shared border (then the first is used).
    public var blocks: [String]
    /// The block used: the first of `blocks`.
    public var block: String? { blocks.first }
    /// Whether `block` equals the input's `block_id`; nil when the input gives none (or the point is outside).
    public var matchesDeclaredBlock: Bool?
    /// The NIS code of `block` when it differs from the address's `municipality_nis` (a geocode that lands in a
    /// neighbouring municipality); nil when they agree or either is unknown.
    public var pointMunicipality: String?
    /// EPSG:31370 coordinates (metres), for located campuses.
    public var x: Double?
    public var y: Double?

    public var projected: Position? {
        guard let x, let y else { return nil }
        return Position(x, y)
    }
}

/// Places campuses in blocks: point-in-polygon on the blocks' CRS84 geometry, with a GEOS STRtree over the block
/// envelopes and prepared geometries for the candidates. A point is "in" a block when the block covers it
/// (interior or boundary).
public enum CampusLocator {
    public static func place(_ campuses: [Campus], in blocks: [Block]) throws -> [CampusPlacement] {
        let located = campuses.compactMap(\.position)
        let projected = try Projection.transform(located, from: .crs84, to: .lambert72)
        let geometries = try blocks.map { try Geometry($0.shape) }
        let tree = try SpatialIndex(geometries)
        var prepared: [Int: PreparedGeometry] = [:]
        var nisOf: [String: String] = [:]
        for b in blocks { nisOf[b.id] = b.nis }
        var out: [CampusPlacement] = []
        out.reserveCapacity(campuses.count)
        var k = 0
        for c in campuses {
            guard let p = c.position else {
                out.append(CampusPlacement(campus: c, status: .unlocated, blocks: [], matchesDeclaredBlock: nil,
                                           pointMunicipality: nil, x: nil, y: nil))
                continue
            }
            let xy = projected[k]
            k += 1
            let point = try Geometry(.point(p))
            var hits: [String] = []
            for i in tree.query(point) {
                if prepared[i] == nil { prepared[i] = try geometries[i].prepared() }
                if try prepared[i]!.covers(point) { hits.append(blocks[i].id) }
            }
            let block = hits.first
            var pointNIS: String?
            if let block, let nis = nisOf[block], let stated = c.municipalityNIS, nis != stated { pointNIS = nis }
            out.append(CampusPlacement(campus: c, status: block == nil ? .outside : .inBlock, blocks: hits,
                                       matchesDeclaredBlock: c.declaredBlock.map { $0 == block },
                                       pointMunicipality: pointNIS, x: xy.x, y: xy.y))
        }
        return out
    }
}

// MARK: - Diagnostics

/// A municipality, for reports.
public struct NetworkMunicipalityRef: Sendable, Codable, Hashable {
    public var nis: String
    public var name: String
    public var population: Int
}

/// A municipality in more than one network, with the shares used.
public struct SharedMunicipality: Sendable, Codable, Hashable {
    public var nis: String
    public var name: String
    public var population: Int
    /// Network → share of the municipality's population (equal split unless the table gives shares).
    public var networks: [NetworkShareEntry]
}

/// A municipality that the layer covers only in part (explicit shares under 100 %, or polygons with a gap).
public struct PartialMunicipality: Sendable, Codable, Hashable {
    public var nis: String
    public var name: String
    public var population: Int
    /// Share of the population with a network.
    public var assignedShare: Double
}

public struct NetworkShareEntry: Sendable, Codable, Hashable {
    public var network: String
    public var share: Double
}

/// A campus in a diagnostic list.
public struct CampusRef: Sendable, Codable, Hashable {
    public var network: String
    public var hospital: String
    public var campus: String
    public var confidence: Confidence
    public var location: String
    public var latitude: Double?
    public var longitude: Double?
    /// The block found by point-in-polygon (if any).
    public var block: String?
    /// The input's `block_id` (if any).
    public var declaredBlock: String?
    /// The input's `municipality_nis` (if any).
    public var municipalityNIS: String?
    public var note: String?

    public init(_ p: CampusPlacement, note: String? = nil) {
        network = p.campus.network
        hospital = p.campus.hospital
        campus = p.campus.name
        confidence = p.campus.confidence
        location = p.campus.location
        latitude = p.campus.latitude
        longitude = p.campus.longitude
        block = p.block
        declaredBlock = p.campus.declaredBlock
        municipalityNIS = p.campus.municipalityNIS
        self.note = note
    }
}

/// An input row with confidence `low`, flagged in every output.
public struct LowConfidenceRow: Sendable, Codable, Hashable {
    public var network: String
    /// Campus label (point layers) or municipality "NIS name" (area tables) or the polygon's location.
    public var item: String
    public var location: String
    public var note: String?
}

/// What was found in the network layer that a reader of the comparison must know.
public struct NetworkDiagnostics: Sendable, Codable {
    /// Municipalities in no network (area layers; for polygon layers: less than 1 % of the area covered).
    public var municipalitiesWithoutNetwork: [NetworkMunicipalityRef] = []
    /// Municipalities in two or more networks (area tables; for polygon layers: overlapping polygons).
    public var municipalitiesInSeveralNetworks: [SharedMunicipality] = []
    /// Municipalities only partly covered (shares under 100 %, or polygons with a gap of at least 1 %).
    public var municipalitiesPartlyCovered: [PartialMunicipality] = []
    /// Keys of the table that are NIS codes of no block (municipalities outside Flanders and Brussels).
    public var keysOutsideStudyArea: [String] = []
    /// Located campuses that lie in no block (outside Flanders and Brussels).
    public var campusesOutside: [CampusRef] = []
    /// Campuses without coordinates (from the table or its `_unlocated` companion): not placed, not used.
    public var campusesUnlocated: [CampusRef] = []
    /// Campuses on a shared border (covered by two blocks).
    public var campusesOnBorder: [CampusRef] = []
    /// Campuses whose point-in-polygon block differs from the input's `block_id`.
    public var campusesBlockMismatch: [CampusRef] = []
    /// Campuses whose point lies in another municipality than the address's `municipality_nis`.
    public var campusesAddressElsewhere: [CampusRef] = []
    /// Every input row with confidence `low`.
    public var lowConfidenceRows: [LowConfidenceRow] = []
    /// Input rows by confidence, over the whole layer.
    public var rowsByConfidence: [String: Int] = [:]

    public init() {}
}
