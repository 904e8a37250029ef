import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import ZorgzonesService

// A JSON member written twice is a 422 naming the member and its path, in every JSON body the service reads.

@Suite struct ServiceDuplicateKeyTests {
    @Test func aRepeatedMemberIsA422WithItsPath() async throws {
        try await withService { client in
            // GeoJSON: "type" twice in the second feature (the reader used to keep the first, and the last of
            // every other member).
            let twice = grid().replacingOccurrences(of: #"{"type":"Feature","properties":{"id":"a2""#,
                                                    with: #"{"type":"Feature","type":"Feature","properties":{"id":"a2""#)
            #expect(twice != grid())
            let r = try await client.post("/v1/dissolve?by=zone", twice)
            let doc = try r.expectProblem(.unprocessableContent, .duplicateKey)
            #expect(doc["path"]?.stringValue == "features[1].type")
            #expect(doc["detail"]?.stringValue?.contains("\"type\"") == true)
            #expect(doc["line"] != nil && doc["column"] != nil)
            // In the properties of a feature.
            let props = grid().replacingOccurrences(of: #""zone":"B","pop":40"#, with: #""zone":"B","pop":40,"zone":"A""#)
            let p = try await client.post("/v1/dissolve?by=zone", props)
            #expect(try p.expectProblem(.unprocessableContent, .duplicateKey)["path"]?.stringValue == "features[3].properties.zone")
            // A JSON request body.
            let check = try await client.post("/v1/check", #"{"zoning":"rzz","zoning":"elz"}"#, contentType: "application/json")
            #expect(try check.expectProblem(.unprocessableContent, .duplicateKey)["path"]?.stringValue == "zoning")
        }
    }
}
