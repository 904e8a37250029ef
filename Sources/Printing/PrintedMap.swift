import CRSVG

/// A sheet of paper in PostScript points (1/72 inch).
public struct Paper: Sendable, Equatable, CustomStringConvertible {
    public enum Size: String, Sendable, CaseIterable { case a4 = "A4", a3 = "A3" }
    public var size: Size
    public var landscape: Bool
    /// Margin on every side, in points (10 mm).
    public var margin = 10 / 25.4 * 72

    public init(size: Size, landscape: Bool = true) {
        self.size = size
        self.landscape = landscape
    }

    /// ISO 216 sizes.
    public var widthPt: Double { landscape ? long : short }
    public var heightPt: Double { landscape ? short : long }
    private var short: Double { size == .a4 ? 210 / 25.4 * 72 : 297 / 25.4 * 72 }
    private var long: Double { size == .a4 ? 297 / 25.4 * 72 : 420 / 25.4 * 72 }

    public var description: String { "\(size.rawValue) \(landscape ? "landscape" : "portrait")" }

    /// The room inside the margins, in points.
    public var printableWidth: Double { widthPt - 2 * margin }
    public var printableHeight: Double { heightPt - 2 * margin }

    /// The scale (points per SVG pixel) at which a `width` × `height` drawing fits inside the margins.
    public func scale(width: Double, height: Double) -> Double {
        min(printableWidth / width, printableHeight / height)
    }
}

public struct PrintError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// SVG maps on paper through librsvg and cairo (Debian librsvg2-dev): a one-page PDF (text stays text, in the
/// embedded fonts) or a PNG at a given resolution, the drawing centred inside the margins at the largest scale
/// that fits. Hand-written glue only: the rendering is librsvg's, the PDF and PNG writing cairo's.
public enum PrintedMap {
    /// The SVG's size in pixels (its `width` and `height`).
    public static func size(of svg: [UInt8]) throws -> (width: Double, height: Double) {
        try withHandle(svg, intrinsicSize)
    }

    /// A one-page PDF of `svg` on `paper`.
    public static func pdf(_ svg: [UInt8], paper: Paper, title: String? = nil) throws -> [UInt8] {
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        guard let surface = cairo_pdf_surface_create_for_stream(Sink.write, unmanaged.toOpaque(), paper.widthPt, paper.heightPt) else {
            throw PrintError(message: "cairo could not make a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "zorgzones")
        try draw(svg, on: surface, paper: paper, pixelsPerPoint: 1)
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw PrintError(message: "cairo could not write the PDF: \(String(cString: cairo_status_to_string(cairo_surface_status(surface))))")
        }
        return sink.bytes
    }

    /// A PNG of `svg` on `paper` at `dpi` (white paper).
    public static func png(_ svg: [UInt8], paper: Paper, dpi: Double) throws -> [UInt8] {
        let ppp = dpi / 72
        let w = Int32((paper.widthPt * ppp).rounded()), h = Int32((paper.heightPt * ppp).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h) else { throw PrintError(message: "cairo could not make an image") }
        defer { cairo_surface_destroy(surface) }
        try draw(svg, on: surface, paper: paper, pixelsPerPoint: ppp, background: true)
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let status = cairo_surface_write_to_png_stream(surface, Sink.write, unmanaged.toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw PrintError(message: "cairo could not write the PNG") }
        return sink.bytes
    }

    /// The bytes cairo writes, through `write` (its stream callback for PDF and PNG alike).
    private final class Sink {
        var bytes: [UInt8] = []
        static let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
    }

    /// The SVG's `width` and `height` in pixels.
    private static func intrinsicSize(_ handle: UnsafeMutablePointer<RsvgHandle>) throws -> (width: Double, height: Double) {
        var w = 0.0, h = 0.0
        guard rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h) != 0, w > 0, h > 0 else {
            throw PrintError(message: "the SVG has no size in pixels")
        }
        return (w, h)
    }

    /// librsvg's error as a `PrintError` (the GError freed).
    private static func printError(_ error: UnsafeMutablePointer<GError>?, otherwise: String) -> PrintError {
        let message = error.map { String(cString: $0.pointee.message) } ?? otherwise
        if let error { g_error_free(error) }
        return PrintError(message: message)
    }

    private static func draw(_ svg: [UInt8], on surface: OpaquePointer, paper: Paper, pixelsPerPoint ppp: Double,
                             background: Bool = false) throws {
        guard let cr = cairo_create(surface) else { throw PrintError(message: "cairo could not draw") }
        defer { cairo_destroy(cr) }
        if background {
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
        }
        try withHandle(svg) { handle in
            let (w, h) = try intrinsicSize(handle)
            let s = paper.scale(width: w, height: h)
            var viewport = RsvgRectangle(x: ((paper.widthPt - w * s) / 2) * ppp, y: ((paper.heightPt - h * s) / 2) * ppp,
                                         width: w * s * ppp, height: h * s * ppp)
            var error: UnsafeMutablePointer<GError>?
            guard rsvg_handle_render_document(handle, cr, &viewport, &error) != 0 else {
                throw printError(error, otherwise: "librsvg could not draw the SVG")
            }
        }
    }

    private static func withHandle<T>(_ svg: [UInt8], _ body: (UnsafeMutablePointer<RsvgHandle>) throws -> T) throws -> T {
        var error: UnsafeMutablePointer<GError>?
        guard let handle = svg.withUnsafeBufferPointer({ rsvg_handle_new_from_data($0.baseAddress, gsize($0.count), &error) }) else {
            throw printError(error, otherwise: "librsvg could not read the SVG")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }
        return try body(handle)
    }
}

/// The smallest text size of an SVG, in its pixels: every `font-size` attribute and style property.
public func smallestFontSize(ofSVG svg: String) -> Double? {
    var sizes: [Double] = []
    let key = Array("font-size".utf8)
    let bytes = Array(svg.utf8)
    var i = 0
    while i + key.count < bytes.count {
        if bytes[i] == key[0] && Array(bytes[i ..< i + key.count]) == key {
            var j = i + key.count
            while j < bytes.count, [UInt8(ascii: "="), UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "'")].contains(bytes[j]) { j += 1 }
            var k = j
            while k < bytes.count, (bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")) || bytes[k] == UInt8(ascii: ".") { k += 1 }
            if let v = Double(String(decoding: bytes[j ..< k], as: UTF8.self)), v > 0 { sizes.append(v) }
            i = k
        } else {
            i += 1
        }
    }
    return sizes.min()
}
