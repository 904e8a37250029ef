import CGDAL
import GeoCore
import GeoJSON
import Zoning

/// GDAL, once per process: the drivers registered, GDAL's own error printing replaced by ours.
enum GDALSession {
    static let ready: Bool = {
        GDALAllRegister()
        return true
    }()

    /// Runs `body` with GDAL's errors kept quiet (they are read back and thrown by `check`), on this thread.
    static func quietly<T>(_ body: () throws -> T) rethrows -> T {
        _ = ready
        CPLPushErrorHandler(CPLQuietErrorHandler)
        defer { CPLPopErrorHandler() }
        CPLErrorReset()
        return try body()
    }

    /// GDAL's last error message on this thread, if the last call failed (or warned, with `warnings`).
    static func lastError(warnings: Bool = false) -> String? {
        let type = CPLGetLastErrorType()
        guard type == CE_Failure || type == CE_Fatal || (warnings && type == CE_Warning) else { return nil }
        let message = String(cString: CPLGetLastErrorMsg())
        return message.isEmpty ? "GDAL error \(CPLGetLastErrorNo())" : message
    }

    static var version: String { String(cString: GDALVersionInfo("RELEASE_NAME")) }
}

/// A spatial reference for an EPSG code, in longitude/latitude (x/y) order whatever the EPSG axis order says.
final class SpatialReference {
    let handle: OGRSpatialReferenceH

    init(epsg: Int32) throws {
        guard let h = OSRNewSpatialReference(nil) else { throw DataError(file: "GDAL", message: "GDAL could not make a spatial reference") }
        guard OSRImportFromEPSG(h, epsg) == OGRERR_NONE else {
            OSRDestroySpatialReference(h)
            throw DataError(file: "CRS", field: "crs", message: "EPSG:\(epsg) is not a CRS that PROJ knows")
        }
        OSRSetAxisMappingStrategy(h, OAMS_TRADITIONAL_GIS_ORDER)
        handle = h
    }

    /// A CRS as users write it: `EPSG:31370`, `31370`, `OGC:CRS84`, WKT or PROJ strings.
    init(userInput text: String) throws {
        guard let h = OSRNewSpatialReference(nil) else { throw DataError(file: "GDAL", message: "GDAL could not make a spatial reference") }
        guard OSRSetFromUserInput(h, Int(text) != nil ? "EPSG:\(text)" : text) == OGRERR_NONE else {
            OSRDestroySpatialReference(h)
            throw DataError(file: "CRS", field: "crs", message: "'\(text)' is not a CRS that PROJ knows (write it as EPSG:31370, EPSG:3812, OGC:CRS84 …)")
        }
        OSRSetAxisMappingStrategy(h, OAMS_TRADITIONAL_GIS_ORDER)
        handle = h
    }

    /// A copy of a layer's CRS (which belongs to the layer), in x/y order.
    init(cloning h: OGRSpatialReferenceH) {
        handle = OSRClone(h)
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    deinit { OSRDestroySpatialReference(handle) }

    /// `EPSG:31370`, or the CRS's name when it has no EPSG code.
    var label: String {
        if let auth = OSRGetAuthorityName(handle, nil), let code = OSRGetAuthorityCode(handle, nil) {
            return "\(String(cString: auth)):\(String(cString: code))"
        }
        return OSRGetName(handle).map { String(cString: $0) } ?? "unnamed CRS"
    }

    func isSame(as other: SpatialReference) -> Bool { OSRIsSame(handle, other.handle) != 0 }
}

/// A coordinate transformation between two spatial references (PROJ, through GDAL).
final class Transformation {
    let handle: OGRCoordinateTransformationH

    init(from: SpatialReference, to: SpatialReference) throws {
        guard let h = OCTNewCoordinateTransformation(from.handle, to.handle) else {
            throw DataError(file: "CRS", field: "crs", message: "no transformation from \(from.label) to \(to.label): \(GDALSession.lastError() ?? "PROJ has none")")
        }
        handle = h
    }

    deinit { OCTDestroyCoordinateTransformation(handle) }
}
