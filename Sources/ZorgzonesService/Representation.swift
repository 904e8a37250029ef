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

    /// The response for `request`: gzip when accepted, `304 Not Modified` when `If-None-Match` matches.
    func response(for request: Request, status: HTTPResponse.Status = .ok, conditional: Bool = true,
                  extraHeaders: HTTPFields = [:]) -> Response {
        let useGzip = gzipped != nil && acceptsGzip(request)
        var headers = extraHeaders
        headers[.contentType] = contentType
        headers[.eTag] = useGzip ? gzipETag : etag
        headers[.cacheControl] = cacheControl
        if gzipped != nil { headers[.vary] = "Accept-Encoding" }
        if conditional, status == .ok, let inm = request.headers[.ifNoneMatch], matches(inm) {
            return Response(status: .notModified, headers: headers)
        }
        if useGzip {
            headers[.contentEncoding] = "gzip"
            return Response(status: status, headers: headers, body: .init(byteBuffer: gzipped!))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
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
