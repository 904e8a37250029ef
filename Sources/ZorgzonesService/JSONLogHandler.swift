import Foundation
import GeoJSON
import Logging

/// A swift-log handler that writes one JSON object per line to standard error: `ts`, `level`, `logger`,
/// `message` and the metadata as members (`hb.request.id` — the request id — `method`, `path`, `status`,
/// `duration_ms`, …), for log collectors.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var o: JSONObject = [:]
        o["ts"] = .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date()))
        o["level"] = .string(event.level.rawValue)
        o["logger"] = .string(label)
        o["message"] = .string(event.message.description)
        var all = metadata
        if let p = metadataProvider { all.merge(p.get(), uniquingKeysWith: { _, b in b }) }
        if let m = event.metadata { all.merge(m, uniquingKeysWith: { _, b in b }) }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) where o[k] == nil { o[k] = Self.json(v) }
        var line = JSONWriter().write(.object(o))
        line.append(0x0A)
        Self.lock.withLock { FileHandle.standardError.write(Data(line)) }
    }

    static func json(_ v: Logger.MetadataValue) -> JSONValue {
        switch v {
        case .string(let s): return .string(s)
        case .stringConvertible(let c):
            if let i = c as? Int { return .number(Double(i)) }
            if let d = c as? Double, d.isFinite { return .number(d) }
            if let b = c as? Bool { return .bool(b) }
            return .string(c.description)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d): return .object(JSONObject(d.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }
}
