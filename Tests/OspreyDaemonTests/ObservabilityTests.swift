import Foundation
import OspreyTestSupport
import Testing

@Suite struct ObservabilityTests {
    @Test func aRealScrapePassesPromtoolAndHasTheContractMetrics() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        _ = try daemon.get("/healthz")
        _ = try daemon.get("/readyz")
        _ = try daemon.get("/no/such/path")
        let scrape = try daemon.get("/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")

        let promtool = try Promtool.checkMetrics(scrape.body)
        #expect(promtool.status == 0 && promtool.output.isEmpty, "promtool check metrics: \(promtool.output)")

        for name in [
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
            "process_open_fds", "process_max_fds", "process_start_time_seconds", "process_threads",
            "osprey_config_last_reload_successful", "osprey_config_last_reload_success_timestamp_seconds",
        ] {
            #expect(scrape.body.contains("\n\(name) ") || scrape.body.hasPrefix("# HELP \(name) "), "\(name) missing")
        }
        #expect(scrape.body.contains("osprey_build_info{version=\"0.1.0\",revision=\""))
        #expect(scrape.body.contains("osprey_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"))
        #expect(scrape.body.contains("osprey_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"))
        #expect(scrape.body.contains("osprey_http_request_duration_seconds_bucket{route=\"/readyz\",le=\"+Inf\"} 1"))
        #expect(scrape.body.contains("osprey_db_query_duration_seconds_count{op=\"insert\"}"))
        #expect(scrape.body.contains("osprey_component_up{component=\"store\"} 1"))

        let open = try daemon.get("/metrics", headers: ["Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"])
        #expect(open.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(open.body.hasSuffix("# EOF\n"))
        #expect(open.body.contains("# TYPE osprey_http_requests counter\n"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func healthReadinessAndWhereMutationsLive() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        let health = try daemon.get("/healthz")
        #expect(health.status == 200 && health.body == "ok\n")

        let ready = try daemon.get("/readyz")
        #expect(ready.status == 200)
        #expect(ready.headers["content-type"] == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "up")
        let components = try #require(json["components"] as? [String: [String: Any]])
        #expect(components["store"]?["status"] as? String == "up")
        #expect(components["event-loop"]?["status"] as? String == "up")

        // The TCP listener has no control routes; the Unix socket does, and it is 0660.
        #expect(try HTTPProbe.request("POST", port: daemon.port, path: "/v1/reload").status == 404)
        #expect(try daemon.get("/v1/status").status == 404)
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.controlSocket)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
        let status = try daemon.cli(["status", "--json", "--socket", daemon.controlSocket])
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(payload["ready"] as? Bool == true)
        #expect(payload["http_listen"] as? String == "127.0.0.1:\(daemon.port)")
        #expect(payload["state_directory"] as? String == daemon.stateDirectory)
        daemon.signal(SIGINT)
        #expect(try await daemon.waitForExit() == 0)
    }
}
