import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport
import Zoning
@testable import ZorgzonesService

/// The data package (`TestSupport`: `$ZORGZONES_DATA`, else `../shared/geodata` next to the repository).
let dataDirectory = TestData.directory

let repositoryRoot = TestData.repository

/// Loaded once for every test: the dataset, its layers, maps and rule engine.
let sharedCatalogue: Catalogue = {
    do {
        return try Catalogue.load(dataDirectory: dataDirectory,
                                  rulesFile: repositoryRoot.appendingPathComponent("GeoData/rules/art18-2026.json").path)
    } catch {
        fatalError("cannot load the test dataset from \(dataDirectory.path): \(error)")
    }
}()

/// Runs `body` against the router of the shared catalogue, with other limits if given.
func withService<T: Sendable>(limits: ServiceLimits? = nil, limiter: WorkLimiter? = nil,
                              _ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
    var catalogue = sharedCatalogue
    if let limits { catalogue.limits = limits }
    var logger = Logger(label: "zorgzones.test")
    logger.logLevel = ProcessInfo.processInfo.environment["ZORGZONES_TEST_LOG"] == nil ? .error : .info
    let app = Application(responder: ZorgzonesServer.responder(catalogue: catalogue, limiter: limiter), logger: logger)
    return try await app.test(.router) { client in try await body(client) }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, _ body: String, contentType: String? = "application/geo+json",
              headers: HTTPFields = [:]) async throws -> TestResponse {
        try await post(uri, Array(body.utf8), contentType: contentType, headers: headers)
    }

    func post(_ uri: String, _ body: [UInt8], contentType: String? = "application/geo+json",
              headers: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        if let contentType { h[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: h, body: ByteBuffer(bytes: body))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var bytes: [UInt8] { Array(body.readableBytesView) }

    /// The body as JSON (fails the test when it is not).
    var json: JSONValue {
        get throws {
            switch Result(catching: { () throws(JSONParseError) -> JSONValue in try JSONParser().parse(body.readableBytesView) }) {
            case .success(let v): return v
            case .failure(let e): throw e
            }
        }
    }

    /// Checks that this is a problem+json answer with `status` and `kind`; returns the document.
    @discardableResult
    func expectProblem(_ status: HTTPResponse.Status, _ kind: Problem.Kind, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let doc = try json
        #expect(doc["type"]?.stringValue == kind.uri, "body: \(text)", sourceLocation: sourceLocation)
        #expect(doc["status"]?.intValue == Int(status.code), sourceLocation: sourceLocation)
        #expect(doc["title"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(doc["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(doc["request_id"]?.stringValue == headers[HTTPField.Name("X-Request-Id")!], sourceLocation: sourceLocation)
        return doc
    }
}

// MARK: - Small GeoJSON for the dissolve tests

/// A square [x, x+1] × [y, y+1] (degrees, inside Belgium when x, y are near 4, 51) with properties.
func square(_ x: Double, _ y: Double, size: Double = 0.01, properties: String) -> String {
    let x1 = x + size, y1 = y + size
    return #"{"type":"Feature","properties":\#(properties),"geometry":{"type":"Polygon","coordinates":[[[\#(x),\#(y)],[\#(x1),\#(y)],[\#(x1),\#(y1)],[\#(x),\#(y1)],[\#(x),\#(y)]]]}}"#
}

/// Four squares in a 2 × 2 grid with `zone` A A / B B, `id` and `pop`.
func grid(extraMembers: String = "") -> String {
    let s = 0.01
    let features = [
        square(4.0, 51.0, size: s, properties: #"{"id":"a1","zone":"A","pop":10,"nis":"1"}"#),
        square(4.0 + s, 51.0, size: s, properties: #"{"id":"a2","zone":"A","pop":20,"nis":"2"}"#),
        square(4.0, 51.0 + s, size: s, properties: #"{"id":"b1","zone":"B","pop":30,"nis":"3"}"#),
        square(4.0 + s, 51.0 + s, size: s, properties: #"{"id":"b2","zone":"B","pop":40,"nis":"4"}"#),
    ]
    return #"{"type":"FeatureCollection"\#(extraMembers.isEmpty ? "" : "," + extraMembers),"features":[\#(features.joined(separator: ","))]}"#
}

func readCollection(_ bytes: [UInt8]) throws -> FeatureCollection {
    switch Result(catching: { () throws(GeoJSONError) -> FeatureCollection in try GeoJSONReader().readFeatureCollection(bytes) }) {
    case .success(let fc): return fc
    case .failure(let e): throw e
    }
}

func fileBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: dataDirectory.appendingPathComponent(relative)))
}
