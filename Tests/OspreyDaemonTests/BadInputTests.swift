import Foundation
import OspreyControlClient
import OspreyTestSupport
import Testing

/// Bad input never kills the daemon or the CLI: numbers that overflow and nesting that would exhaust the
/// stack are errors that name the problem, and a reload with such a file keeps the running configuration.
@Suite struct BadInputTests {
    /// A daemon on its defaults for `body`, then a graceful stop that must exit 0: nothing above killed it.
    static func withRunningDaemon(_ body: (DaemonHarness) async throws -> Void) async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        try await body(daemon)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// A SIGHUP with `extra` appended to the configuration: rejected, logged, and the daemon still answers.
    func rejectsReload(_ daemon: DaemonHarness, _ extra: String, expecting message: String) async throws {
        try daemon.writeConfig(extra: extra)
        let checked = try daemon.cli(["check-config", "--config", daemon.configPath])
        #expect(checked.status == 1 && checked.stderr.contains(daemon.configPath + ":") && checked.stderr.contains(message), "\(checked)")
        let failures = daemon.logRecords.filter { $0["MESSAGE"]?.contains(message) == true }.count
        daemon.signal(SIGHUP)
        try await eventually("the reload was rejected", timeout: .seconds(10)) {
            daemon.logRecords.filter { $0["MESSAGE"]?.contains(message) == true }.count > failures
        }
        #expect(try daemon.metric("osprey_config_last_reload_successful") == 0)
        #expect(try daemon.get("/healthz").status == 200, "the daemon survived the reload")
    }

    @Test func overflowingDurationsAndDeepNestingAreErrorsNotCrashes() async throws {
        try await Self.withRunningDaemon { daemon in
            let client = ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 5)
            for since in ["2562047788015216h", "106751991167301d", "99999999999999999999999s"] {
                let reply = try client.send("GET", "/v1/signals?since=\(since)")
                #expect(reply.status == 400 && reply.text.contains("at most 36500d"), "\(since): \(reply.status) \(reply.text)")
        }
        let cli = try daemon.cli(["signals", "--since", "106751991167301d", "--config", daemon.configPath])
        #expect(cli.status == 64 && cli.stderr.contains("at most 36500d"), "\(cli)")

        let job = """
            [[job]]
            name = "far"
            kind = "db.prune"
            every = "106751991167301d"
            """
        try await rejectsReload(daemon, job, expecting: "job.far.every: expected a duration")
        let deep = "y = " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try await rejectsReload(daemon, deep, expecting: "more than 32 levels deep")
        let inline = "z = " + String(repeating: "{a = ", count: 5_000) + "1" + String(repeating: "}", count: 5_000)
        try await rejectsReload(daemon, inline, expecting: "more than 32 levels deep")
        let header = "[" + Array(repeating: "a", count: 32_000).joined(separator: ".") + "]"
        try await rejectsReload(daemon, header, expecting: "more than 32 dotted parts")
        }
    }

    @Test func aRequestWithoutExactlyOneHostHeaderIsABadRequest() async throws {
        try await Self.withRunningDaemon { daemon in
            let missing = try HTTPProbe.raw(port: daemon.port, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
            let twice = try HTTPProbe.raw(port: daemon.port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
            let empty = try HTTPProbe.raw(port: daemon.port, "GET /healthz HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n")
            for reply in [missing, twice, empty] {
                #expect(reply.status == 400 && reply.body.contains("exactly one Host header"), "\(reply)")
        }
        #expect(try HTTPProbe.raw(port: daemon.port, "GET /healthz HTTP/1.1\r\nHost: osprey\r\nConnection: close\r\n\r\n").status == 200)
        }
    }

    /// Control-API input that is too big, too deep or aimed nowhere gets a 4xx with a JSON error, and the
    /// daemon goes on answering.
    @Test func everyControlErrorIsJSONAndNothingCrashes() async throws {
        try await Self.withRunningDaemon { daemon in
            let client = ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 10)
            struct ErrorBody: Decodable { let error: String }
            let deep = #"{"symbol":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
            let cases: [(String, String, [UInt8], Int, String)] = [
                ("POST", "/v1/jobs//run", [], 404, "no route POST /v1/jobs//run"),
                ("GET", "/v1/nothing", [], 404, "no route GET /v1/nothing"),
                ("POST", "/v1/trade/buy", [UInt8](repeating: 0x20, count: (1 << 20) + 1), 413, "larger than 1048576 bytes"),
                ("POST", "/v1/trade/buy", Array(deep.utf8), 400, "expected"),
                ("POST", "/v1/trade/buy", [0xFF, 0xFE, 0x7B], 400, "expected"),
            ]
            for (method, path, body, status, message) in cases {
                let reply = try client.send(method, path, body: body)
                let error = ControlJSON.decode(ErrorBody.self, reply.text)?.error ?? "(not JSON: \(reply.text.prefix(80)))"
                #expect(reply.status == status && error.contains(message), "\(method) \(path): \(reply.status) \(error)")
        }
        #expect(try daemon.get("/healthz").status == 200)
        }
    }

    /// Every control route and every HTTP route, given overflowing numbers, huge and invalid UTF-8 values,
    /// deep JSON and oversized bodies: each answered within 5 s with a status below 500 or a JSON error,
    /// and the daemon still running at the end.
    @Test func everyEndpointSurvivesHostileInput() async throws {
        try await Self.withRunningDaemon { daemon in
            let client = ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 5)
            let values = [
                "99999999999999999999999", "-1", "1e309", "%FF%FE%00", String(repeating: "9", count: 5000), "2562047788015216h",
                "106751991167301d", "NaN", "%F0%9F%98%80", String(repeating: "%5B", count: 2000),
            ]
            let gets = ["/v1/jobs", "/v1/jobs/%FF/history", "/v1/orders", "/v1/positions", "/v1/signals", "/v1/status", "/v1/tokens", "/v1/trading"]
            let posts = ["/v1/jobs/%00/run", "/v1/trade/buy", "/v1/trade/sell", "/v1/trade/cancel", "/v1/trading/pause", "/v1/trading/resume"]
            let bodies: [[UInt8]] = [
                Array(#"{"symbol":"BTCUSDT","quote":"1e999999"}"#.utf8), Array(#"{"symbol":"BTCUSDT","quote":"99999999999999999999999999999999999999999"}"#.utf8),
                Array(#"{"symbol":"BTCUSDT","quantity":"-5","price":"0"}"#.utf8), Array(#"{"client_order_id":""#.utf8) + [UInt8](repeating: 0x41, count: 100_000) + Array(#""}"#.utf8),
                Array((#"{"symbol":"# + String(repeating: "{\"a\":", count: 20_000)).utf8), [0xC0, 0x80, 0xFF, 0xFE], [],
            ]
            for path in gets {
                for key in ["limit", "since", "sort", "open"] {
                    for value in values {
                        let started = ContinuousClock.now
                        let reply = try client.send("GET", path + "?\(key)=\(value)")
                        #expect(reply.status < 500 && started.duration(to: .now) < .seconds(5), "GET \(path)?\(key)=\(value.prefix(40)): \(reply.status)")
                    }
                }
        }
        for path in posts {
            for body in bodies {
                let started = ContinuousClock.now
                let reply = try client.send("POST", path, body: body)
                #expect(reply.status < 500 && started.duration(to: .now) < .seconds(5), "POST \(path) with \(body.count) bytes: \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.text.hasPrefix("{"), "POST \(path): a JSON answer")
            }
        }
        for path in ["/metrics", "/healthz", "/readyz"] {
            for value in values {
                let reply = try daemon.get(path + "?x=\(value)", headers: ["Accept": value, "X-Junk": String(repeating: "a", count: 8000)])
                #expect(reply.status == 200 || reply.status == 503, "\(path)?x=\(value.prefix(40)): \(reply.status)")
            }
        }
        #expect(try daemon.get("/healthz").status == 200, "the daemon is still running")
        }
    }
}
