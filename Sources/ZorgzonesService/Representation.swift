import Foundation
import Hummingbird
import Check
import Compare
import DataPackage
import Jobs
import Zoning
#if canImport(CompressNIO)
import CompressNIO
#endif

/// gzip through compress-nio (zlib), when the package is linked.
enum Gzip {
    #if canImport(CompressNIO)
    static let available = true

    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var input = ByteBuffer(bytes: bytes)
        guard let out = try? input.compress(with: .gzip()) else { return nil }
        return Array(out.readableBytesView)
    }

    static func decompress(_ bytes: [UInt8], maxSize: Int = 1 << 30) -> [UInt8]? {
        var input = ByteBuffer(bytes: bytes)
        guard let out = try? input.decompress(with: .gzip(), maxSize: maxSize) else { return nil }
        return Array(out.readableBytesView)
    }
    #else
    static let available = false
    static func compress(_ bytes: [UInt8]) -> [UInt8]? { nil }
    static func decompress(_ bytes: [UInt8], maxSize: Int = 1 << 30) -> [UInt8]? { nil }
    #endif
}

/// A response body with its content type, its strong ETag and (when worth it and possible) a gzip copy.
struct Representation: Sendable {
    var contentType: String
    var bytes: ByteBuffer
    var etag: String
    var gzipped: ByteBuffer?
    var cacheControl: String

    /// Hashes (SHA-256) and, when `gzip`, compresses. Used at start for the static resources and inside the
    /// worker for computed ones.
    init(_ raw: [UInt8], contentType: String, gzip: Bool = true, minGzipBytes: Int = 1024,
         cacheControl: String = "no-cache") {
        self.contentType = contentType
        self.cacheControl = cacheControl
        bytes = ByteBuffer(bytes: raw)
        etag = "\"\(Dataset.sha256(Data(raw)).prefix(32))\""
        if gzip && raw.count >= minGzipBytes, let z = Gzip.compress(raw), z.count < raw.count {
            gzipped = ByteBuffer(bytes: z)
        }
    }

    /// The gzip variant's ETag: another representation, so another strong validator.
    var gzipETag: String { String(etag.dropLast()) + "-gz\"" }

    /// The response for `request`: gzip when accepted, `304 Not Modified` when `If-None-Match` matches, and, for
    /// the cached (conditional) representations, a single byte range (`206`, or `416` outside it) as GDAL's
    /// `/vsicurl/` and other range readers ask for. A range is served from the identity bytes (the ranges of
    /// one representation must not change with `Accept-Encoding`); `If-Range` with another validator, several
    /// ranges or a malformed `Range` get the whole representation, as RFC 9110 §14.2 allows.
    func response(for request: Request, status: HTTPResponse.Status = .ok, conditional: Bool = true,
                  extraHeaders: HTTPFields = [:]) throws -> Response {
        let range = conditional && status == .ok ? byteRange(for: request) : nil
        let useGzip = gzipped != nil && acceptsGzip(request) && range == nil
        var headers = extraHeaders
        headers[.contentType] = contentType
        headers[.eTag] = useGzip ? gzipETag : etag
        headers[.cacheControl] = cacheControl
        if gzipped != nil { headers[.vary] = "Accept-Encoding" }
        if conditional { headers[.acceptRanges] = "bytes" }
        if conditional, status == .ok, let inm = request.headers[.ifNoneMatch], matches(inm) {
            return Response(status: .notModified, headers: headers)
        }
        if let range {
            let length = bytes.readableBytes
            guard let (first, last) = range.resolved(length: length) else {
                var h = HTTPFields()
                h[.contentRange] = "bytes */\(length)"
                throw Problem(.rangeNotSatisfiable, "the range \(range) is outside the \(length) bytes of this representation", headers: h)
            }
            headers[.contentRange] = "bytes \(first)-\(last)/\(length)"
            return Response(status: .partialContent, headers: headers,
                            body: .init(byteBuffer: bytes.getSlice(at: bytes.readerIndex + first, length: last - first + 1)!))
        }
        if useGzip {
            headers[.contentEncoding] = "gzip"
            return Response(status: status, headers: headers, body: .init(byteBuffer: gzipped!))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// The single byte range `request` asks for, if it is to be honoured.
    func byteRange(for request: Request) -> ByteRange? {
        guard request.method == .get || request.method == .head, let header = request.headers[.range],
              let range = ByteRange(header) else { return nil }
        if let ifRange = request.headers[.ifRange], ifRange.trimmingCharacters(in: .whitespaces) != etag { return nil }
        return range
    }

    /// `If-None-Match` with weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal to one of ours.
    func matches(_ header: String) -> Bool {
        for raw in header.split(separator: ",") {
            var tag = raw.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag || tag == gzipETag { return true }
        }
        return false
    }
}

/// Whether the request accepts gzip (`Accept-Encoding: gzip` or `*`, with a q-value above 0).
func acceptsGzip(_ request: Request) -> Bool {
    guard Gzip.available else { return false }
    let values = request.headers[values: .acceptEncoding].flatMap { $0.split(separator: ",") }
    for v in values {
        let parts = v.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
        var q = 1.0
        for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 1 }
        if q > 0 { return true }
    }
    return false
}

/// One range of a `Range: bytes=…` header (RFC 9110 §14.1.2): `first-last`, `first-` or the suffix `-n`.
struct ByteRange: Equatable, CustomStringConvertible {
    var first: Int?
    var last: Int?

    /// Nil for anything but one well-formed byte range (other units, several ranges, bad numbers).
    init?(_ header: String) {
        let h = header.trimmingCharacters(in: .whitespaces)
        guard h.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = h.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let a = spec[..<dash], b = spec[spec.index(after: dash)...]
        func number(_ s: Substring) -> Int? {
            guard !s.isEmpty, s.count <= 18, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(s)
        }
        switch (a.isEmpty, b.isEmpty) {
        case (true, true): return nil
        case (true, false): guard let n = number(b) else { return nil }; first = nil; last = n
        case (false, true): guard let f = number(a) else { return nil }; first = f; last = nil
        case (false, false):
            guard let f = number(a), let l = number(b), f <= l else { return nil }
            first = f; last = l
        }
    }

    /// The first and last byte within `length`, or nil when the range is not satisfiable.
    func resolved(length: Int) -> (Int, Int)? {
        if let first {
            guard first < length else { return nil }
            return (first, min(last ?? length - 1, length - 1))
        }
        let suffix = last ?? 0
        guard suffix > 0, length > 0 else { return nil }
        return (max(0, length - suffix), length - 1)
    }

    var description: String { "bytes=\(first.map(String.init) ?? "")-\(last.map(String.init) ?? "")" }
}
