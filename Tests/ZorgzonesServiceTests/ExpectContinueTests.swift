import Foundation
import HummingbirdTesting
import Logging
import Testing
@testable import ZorgzonesService
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange over a plain socket, the way curl sends a large body: the head with
/// `Expect: 100-continue`, then (only after the interim answer, or a 3 s timeout) the body. Returns what arrived
/// before the body was sent, how long it took, and the rest of the connection's bytes.
private func exchangeWithExpectContinue(port: Int, path: String, body: String) throws
    -> (interim: String, wait: TimeInterval, rest: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 3, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    func send(_ s: String) { _ = s.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, 0) } }
    func receive() -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }
    send("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/geo+json\r\n"
         + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
    let started = Date()
    let interim = receive()
    let wait = Date().timeIntervalSince(started)
    // The answer itself may take longer on a loaded machine.
    timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    send(body)
    var rest = ""
    while true {
        let part = receive()
        if part.isEmpty { break }
        rest += part
    }
    return (interim, wait, rest)
}

@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    @Test("a client that waits for 100 Continue gets it at once, then the answer")
    func interimResponse() async throws {
        var configuration = ServiceConfiguration()
        configuration.port = 0
        var logger = Logger(label: "zorgzones.test")
        logger.logLevel = .error
        let app = ZorgzonesServer.application(configuration: configuration, catalogue: sharedCatalogue, logger: logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let square = #"{"type":"Feature","properties":{"zone":"A"},"geometry":{"type":"Polygon","coordinates":[[[4,51],[4.01,51],[4.01,51.01],[4,51.01],[4,51]]]}}"#
            let body = #"{"type":"FeatureCollection","features":[\#(square)]}"#
            let (interim, wait, rest) = try await Task.detached {
                try exchangeWithExpectContinue(port: port, path: "/v1/dissolve?by=zone", body: body)
            }.value
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "before the body: \(interim.debugDescription)")
            #expect(rest.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(rest.prefix(200))")
            #expect(rest.contains(#""zone":"A""#))
            // Without the interim answer the first read times out (3 s) before the body goes out.
            #expect(wait < 2.5)
        }
    }
}
