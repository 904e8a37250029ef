import Foundation
import GeoJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Zoning
@testable import ZorgzonesService

@Suite("Limits")
struct LimitTests {
    func limits(_ change: (inout ServiceLimits) -> Void) -> ServiceLimits {
        var l = ServiceLimits()
        change(&l)
        return l
    }

    @Test("a body larger than --max-body-bytes: 413")
    func bodySize() async throws {
        try await withService(limits: limits { $0.maxBodyBytes = 500 }) { client in
            let r = try await client.post("/v1/dissolve?by=zone", grid())
            let doc = try r.expectProblem(.contentTooLarge, .bodyTooLarge)
            #expect(doc["limit"]?["name"]?.stringValue == "max-body-bytes")
            #expect(doc["limit"]?["value"]?.intValue == 500)
            let check = try await client.post("/v1/check", try fileBytes("rzz.csv"), contentType: "text/csv")
            try check.expectProblem(.contentTooLarge, .bodyTooLarge)
            // A small body still passes.
            let small = try await client.post("/v1/compare", #"{"networks":"ggz-youth"}"#, contentType: "application/json")
            #expect(small.status == .ok)
        }
    }

    @Test("more features than --max-features: 422 naming the limit and the feature")
    func features() async throws {
        try await withService(limits: limits { $0.maxFeatures = 3 }) { client in
            let r = try await client.post("/v1/dissolve?by=zone", grid())
            let doc = try r.expectProblem(.unprocessableContent, .limitExceeded)
            #expect(doc["limit"]?["name"]?.stringValue == "max-features")
            #expect(doc["path"]?.stringValue?.hasPrefix("features[3]") == true)
        }
    }

    @Test("more positions than --max-positions: 422")
    func positions() async throws {
        try await withService(limits: limits { $0.maxPositions = 12 }) { client in
            let r = try await client.post("/v1/dissolve?by=zone", grid())
            let doc = try r.expectProblem(.unprocessableContent, .limitExceeded)
            #expect(doc["limit"]?["name"]?.stringValue == "max-positions")
            #expect(doc["path"]?.stringValue?.hasPrefix("features[2].geometry.coordinates") == true)
        }
    }

    @Test("deeply nested arrays: 422, never a crash", arguments: [65, 1_000, 200_000])
    func depth(_ levels: Int) async throws {
        try await withService { client in
            let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            let bare = try await client.post("/v1/dissolve?by=zone", nested)
            #expect(try bare.expectProblem(.unprocessableContent, .limitExceeded)["limit"]?["name"]?.stringValue == "max-depth")
            let inCoordinates = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Polygon","coordinates":\#(nested)}}]}"#
            let c = try await client.post("/v1/dissolve?by=zone", inCoordinates)
            #expect(c.status == .unprocessableContent)
            let inMember = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"by":\#(nested)}"#))
            #expect(inMember.status == .unprocessableContent)
            let check = try await client.post("/v1/check", #"{"zoning":\#(nested)}"#, contentType: "application/json")
            try check.expectProblem(.unprocessableContent, .limitExceeded)
            let compare = try await client.post("/v1/compare", #"{"networks":\#(nested)}"#, contentType: "application/json")
            try compare.expectProblem(.unprocessableContent, .limitExceeded)
        }
    }

    @Test("a smaller --max-depth refuses a MultiPolygon collection nested deeper")
    func smallDepth() async throws {
        try await withService(limits: limits { $0.maxDepth = 7 }) { client in
            let multi = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"MultiPolygon","coordinates":[[[[4,51],[4.1,51],[4.1,51.1],[4,51]]]]}}]}"#
            let r = try await client.post("/v1/dissolve?by=zone", multi)
            #expect(try r.expectProblem(.unprocessableContent, .limitExceeded)["limit"]?["value"]?.intValue == 7)
            let polygon = try await client.post("/v1/dissolve?by=zone", grid())
            #expect(polygon.status == .ok)
        }
    }

    @Test("more table rows than --max-table-rows: 422")
    func tableRows() async throws {
        try await withService(limits: limits { $0.maxTableRows = 5 }) { client in
            let r = try await client.post("/v1/check", try rzzRows(), contentType: "application/json")
            #expect(try r.expectProblem(.unprocessableContent, .limitExceeded)["limit"]?["name"]?.stringValue == "max-table-rows")
            let csv = try await client.post("/v1/check", try fileBytes("rzz.csv"), contentType: "text/csv")
            try csv.expectProblem(.unprocessableContent, .limitExceeded)
            let table = (0..<6).map { #"{"key":"\#($0)","code":"Z"}"# }.joined(separator: ",")
            let d = try await client.post("/v1/dissolve", grid(extraMembers: #""dissolve":{"key":"nis","table":[\#(table)]}"#))
            try d.expectProblem(.unprocessableContent, .limitExceeded)
        }
    }

    @Test("work longer than --timeout: 504, and the service goes on")
    func timeout() async throws {
        let limiter = WorkLimiter(slots: 2, queueLimit: 4)
        try await withService(limits: limits { $0.requestTimeout = .milliseconds(1) }, limiter: limiter) { client in
            let r = try await client.post("/v1/dissolve?by=region", try fileBytes("blocks.geojson"))
            let doc = try r.expectProblem(.gatewayTimeout, .timeout)
            #expect(doc["limit"]?["name"]?.stringValue == "timeout")
            #expect(try await client.get("/healthz").status == .ok)
            // The computation finishes in the background and gives its slot back.
            for _ in 0..<200 where limiter.snapshot.running > 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(limiter.snapshot.running == 0)
            #expect(limiter.snapshot.timedOut >= 1)
        }
    }

    @Test("all worker slots busy and the queue full: 503 with Retry-After")
    func busy() async throws {
        let limiter = WorkLimiter(slots: 1, queueLimit: 0)
        let release = Gate()
        let blocker = Task { try await limiter.run(timeout: .seconds(30)) { release.wait(); return 1 } }
        for _ in 0..<200 where limiter.snapshot.running == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try await withService(limiter: limiter) { client in
            let r = try await client.post("/v1/dissolve?by=zone", grid())
            let doc = try r.expectProblem(.serviceUnavailable, .busy)
            #expect(r.headers[.retryAfter] == "1")
            #expect(doc["limit"]?["name"]?.stringValue == "max-queued")
            // Static routes do not need a slot.
            #expect(try await client.get("/v1/layers/rzz.geojson").status == .ok)
            release.open()
            _ = try await blocker.value
            let again = try await client.post("/v1/dissolve?by=zone", grid())
            #expect(again.status == .ok)
        }
        #expect(limiter.snapshot.refused == 1)
    }

    @Test("every slot held by an overdue computation: /healthz says degraded (503) until one ends")
    func degraded() async throws {
        let limiter = WorkLimiter(slots: 1, queueLimit: 2)
        let gate = Gate()
        try await withService(limits: limits { $0.requestTimeout = .milliseconds(300) }, limiter: limiter) { client in
            do {
                _ = try await limiter.run(timeout: .milliseconds(20)) { gate.wait(); return 0 }
                Issue.record("the stuck computation was not cut off")
            } catch let p as Problem {
                #expect(p.kind == .timeout)
            }
            #expect(limiter.snapshot.overdue == 1)
            let health = try await client.get("/healthz")
            #expect(health.status == .serviceUnavailable)
            #expect(try health.json["status"]?.stringValue == "degraded")
            let heavy = try await client.post("/v1/dissolve?by=zone", grid())
            #expect(heavy.status == .gatewayTimeout || heavy.status == .serviceUnavailable)
            gate.open()
            for _ in 0..<200 where limiter.snapshot.running > 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(limiter.snapshot.overdue == 0)
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.post("/v1/dissolve?by=zone", grid()).status == .ok)
        }
    }

    @Test("the worker queue: waiters run in turn, a full queue refuses, a waiter can time out")
    func queue() async throws {
        let limiter = WorkLimiter(slots: 1, queueLimit: 1)
        let gate = Gate()
        let first = Task { try await limiter.run(timeout: .seconds(30)) { gate.wait(); return "first" } }
        for _ in 0..<200 where limiter.snapshot.running == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let second = Task { try await limiter.run(timeout: .seconds(30)) { "second" } }
        for _ in 0..<200 where limiter.snapshot.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await #expect(throws: Problem.self) { try await limiter.run(timeout: .seconds(30)) { "third" } }
        gate.open()
        #expect(try await first.value == "first")
        #expect(try await second.value == "second")

        let gate2 = Gate()
        let busy = Task { try await limiter.run(timeout: .seconds(30)) { gate2.wait(); return 0 } }
        for _ in 0..<200 where limiter.snapshot.running == 0 { try await Task.sleep(for: .milliseconds(10)) }
        do {
            _ = try await limiter.run(timeout: .milliseconds(50)) { 1 }
            Issue.record("a waiter past its time limit ran")
        } catch let p as Problem {
            #expect(p.kind == .timeout)
        }
        #expect(limiter.snapshot.waiting == 0)
        gate2.open()
        _ = try await busy.value
        #expect(limiter.snapshot.running == 0)
        // Errors thrown by the work come through, and free the slot.
        await #expect(throws: Problem.self) { try await limiter.run(timeout: .seconds(5)) { () throws -> Int in throw Problem(.invalidRequest, "x") } }
        #expect(limiter.snapshot.running == 0)
    }
}

/// A gate a worker thread waits at until a test opens it.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false
    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
