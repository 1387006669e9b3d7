import Foundation
import OspreyControlClient
import OspreyTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP listener under connection abuse: one client holding many connections gets only its share, the
/// rest are closed on accept and counted; other clients and the control socket still get answers; idle,
/// half-sent and keep-alive connections are closed after the idle timeout; a line that is not an HTTP/1.1
/// request line gets a 400 and a close.
@Suite struct ConnectionLimitTests {
    @Test func aFloodIsCappedAndIdleConnectionsAreClosed() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(http: """
            idle_timeout = "2s"
            max_connections = 30
            max_connections_per_client = 10
            """)
        try await daemon.startReady()
        let flood = try (0..<50).map { _ in try HTTPProbe.connect(port: daemon.port, from: "127.0.0.1") }
        defer { for fd in flood { close(fd) } }
        try await eventually("the flood is cut to its share", timeout: .seconds(5)) { flood.filter(HTTPProbe.isOpen).count == 10 }

        let started = ContinuousClock.now
        let health = try HTTPProbe.raw(port: daemon.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", from: "127.0.0.2")
        #expect(health.status == 200 && started.duration(to: .now) < .seconds(1), "another client is answered while one floods")
        let status = try ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 5).send("GET", "/v1/status")
        #expect(status.status == 200, "the control socket answers during the flood")
        let metrics = try HTTPProbe.raw(port: daemon.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", from: "127.0.0.3").body
        let refused = metrics.split(separator: "\n").first { $0.hasPrefix(#"osprey_http_connections_refused_total{reason="per_client"}"#) }
        #expect(refused.flatMap { Double($0.split(separator: " ").last!) }.map { $0 >= 40 } == true, "\(refused ?? "no refusal counter")")

        // Idle, half a request head, and after a keep-alive reply: closed once the idle timeout (2 s) passes.
        let idle = try HTTPProbe.connect(port: daemon.port, from: "127.0.0.4")
        let half = try HTTPProbe.connect(port: daemon.port, from: "127.0.0.4")
        let kept = try HTTPProbe.connect(port: daemon.port, from: "127.0.0.4")
        defer { for fd in [idle, half, kept] { close(fd) } }
        _ = Array("GET /healthz HTTP/1.1\r\nHos".utf8).withUnsafeBytes { send(half, $0.baseAddress, $0.count, 0) }
        _ = Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8).withUnsafeBytes { send(kept, $0.baseAddress, $0.count, 0) }
        try await Task.sleep(for: .milliseconds(500))
        var reply = [UInt8](repeating: 0, count: 4096)
        let answered = recv(kept, &reply, reply.count, Int32(MSG_DONTWAIT))
        #expect(answered > 0 && String(decoding: reply.prefix(answered), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        #expect(HTTPProbe.isOpen(idle) && HTTPProbe.isOpen(half) && HTTPProbe.isOpen(kept), "not closed before the timeout")
        try await eventually("idle connections closed", timeout: .seconds(5)) {
            !HTTPProbe.isOpen(idle) && !HTTPProbe.isOpen(half) && !HTTPProbe.isOpen(kept)
        }
        #expect(flood.filter(HTTPProbe.isOpen).isEmpty, "the flood's own idle connections were closed too")

        for line in ["GET /\r\n", "\r\n\r\n", "\u{1}\u{2} junk\r\n"] {
            let reply = try HTTPProbe.raw(port: daemon.port, line, from: "127.0.0.5")
            #expect(reply.status == 400, "\(line.debugDescription): \(reply.status)")
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
