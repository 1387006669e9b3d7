import Foundation
import Testing

@Suite(.serialized) struct LifecycleTests {
    @Test func readyReloadRejectAndGracefulStop() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady(environment: ["WATCHDOG_USEC": "400000"])

        // READY carries a status line; the gauges are set at start-up.
        let ready = try #require(daemon.notify.all.first { $0.text.contains("READY=1") })
        #expect(ready.text.contains("STATUS=running; http 127.0.0.1:\(daemon.port)"))
        #expect(try daemon.metric("osprey_config_last_reload_successful") == 1)
        let startStamp = try #require(try daemon.metric("osprey_config_last_reload_success_timestamp_seconds"))
        #expect(abs(startStamp - Date().timeIntervalSince1970) < 60)

        // A valid change: RELOADING=1 with MONOTONIC_USEC, then READY=1; the new level is live.
        try await Task.sleep(for: .milliseconds(20))
        try daemon.writeConfig(level: "debug")
        let before = monotonicMicroseconds()
        let count = daemon.notify.all.count
        daemon.signal(SIGHUP)
        let reloading = try await daemon.notify.wait(after: count - 1, for: "RELOADING=1") { $0.hasPrefix("RELOADING=1") }
        let reloadText = daemon.notify.all[reloading].text
        let monotonic = try #require(reloadText.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst(15)) })
        #expect(monotonic >= before && monotonic <= monotonicMicroseconds(), "MONOTONIC_USEC is CLOCK_MONOTONIC at the reload")
        try await daemon.notify.wait(after: reloading, for: "READY=1 after reload") { $0.contains("READY=1") }
        #expect(try daemon.metric("osprey_config_last_reload_successful") == 1)
        let reloadStamp = try #require(try daemon.metric("osprey_config_last_reload_success_timestamp_seconds"))
        #expect(reloadStamp > startStamp)
        let status = try daemon.cli(["status", "--socket", daemon.controlSocket])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("log level:  debug"))

        // A broken file: the old configuration keeps serving, the gauge drops to 0, the error names the place.
        try daemon.writeConfig(level: "debug", extra: "[http]\nlisten = \"127.0.0.1:1\"\n")
        let brokenAt = daemon.notify.all.count
        daemon.signal(SIGHUP)
        let rejected = try await daemon.notify.wait(after: brokenAt - 1, for: "RELOADING=1") { $0.hasPrefix("RELOADING=1") }
        let readyAgain = try await daemon.notify.wait(after: rejected, for: "READY=1 after a rejected reload") { $0.contains("READY=1") }
        #expect(daemon.notify.all[readyAgain].text.contains("configuration rejected"))
        #expect(try daemon.metric("osprey_config_last_reload_successful") == 0)
        #expect(try daemon.metric("osprey_config_last_reload_success_timestamp_seconds") == reloadStamp)
        #expect(try daemon.get("/healthz").status == 200)
        let error = try #require(daemon.logRecords.first { $0["PRIORITY"] == "3" && $0["OSPREY_COMPONENT"] == "config" })
        #expect(error["MESSAGE"]?.contains("\(daemon.configPath):10:1: http: ") == true, "\(error)")
        #expect(error["OSPREY_CONFIG_FILE"] == daemon.configPath)
        #expect(error["OSPREY_CONFIG_LINE"] == "10")
        let stillDebug = try daemon.cli(["status", "--socket", daemon.controlSocket])
        #expect(stillDebug.stdout.contains("log level:  debug"))
        #expect(stillDebug.stdout.contains("last reload REJECTED: \(daemon.configPath):10:1"))

        // The watchdog was pinged all along (every 200 ms).
        #expect(daemon.notify.count { $0 == "WATCHDOG=1" } >= 2)

        // SIGTERM: STOPPING=1 and exit 0; the run is recorded as clean.
        daemon.signal(SIGTERM)
        try await daemon.notify.wait(for: "STOPPING=1") { $0 == "STOPPING=1" }
        #expect(try await daemon.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.controlSocket), "the control socket is removed on a clean stop")
        let afterStop = try daemon.cli(["status", "--socket", daemon.controlSocket])
        #expect(afterStop.status == 1)
        #expect(afterStop.stderr.contains("cannot reach the osprey daemon at \(daemon.controlSocket)"))
    }

    @Test func aRestartOnlyKeyChangeIsAppliedLaterAndSaidSo() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        try daemon.writeConfig(format: "text")
        let result = try daemon.cli(["reload", "--socket", daemon.controlSocket])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("changed, needs a restart: log.format"))
        let warning = try #require(daemon.logRecords.first { $0["OSPREY_CONFIG_KEY"] == "log.format" })
        #expect(warning["PRIORITY"] == "4")
        #expect(warning["MESSAGE"] == "configuration key changed; restart osprey to apply it")

        try daemon.writeConfig(extra: "[daemon.x]\n")
        let rejected = try daemon.cli(["reload", "--socket", daemon.controlSocket])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("error: \(daemon.configPath):10:9: daemon.x: unknown key; known keys here are state_dir"), "\(rejected.stderr)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func noRequestFailsDuringReloads() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        let port = daemon.port
        let hammer = Task.detached { () -> (ok: Int, failed: [String]) in
            var ok = 0
            var failed: [String] = []
            let deadline = ContinuousClock.now + .seconds(2)
            while ContinuousClock.now < deadline {
                for path in ["/healthz", "/metrics", "/readyz"] {
                    do {
                        let reply = try HTTPProbe.request(port: port, path: path)
                        if reply.status == 200 { ok += 1 } else { failed.append("\(path) \(reply.status)") }
                    } catch {
                        failed.append("\(path) \(error)")
                    }
                }
            }
            return (ok, failed)
        }
        for round in 0..<20 {
            try daemon.writeConfig(level: round % 2 == 0 ? "debug" : "info")
            daemon.signal(SIGHUP)
            try await Task.sleep(for: .milliseconds(80))
        }
        let result = await hammer.value
        #expect(result.failed.isEmpty, "\(result.failed.prefix(5))")
        #expect(result.ok > 20)
        #expect(daemon.notify.count { $0.hasPrefix("RELOADING=1") } == 20)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

@Suite struct WatchdogProtocolTests {
    @Test func pingsFollowWatchdogUSecAndOnlyForTheNamedProcess() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady(environment: ["WATCHDOG_USEC": "200000"])
        try await Task.sleep(for: .seconds(1))
        let pings = daemon.notify.count { $0 == "WATCHDOG=1" }
        #expect(pings >= 4, "about one ping per 100 ms, saw \(pings) in 1 s")
        #expect(try daemon.metric("osprey_watchdog_pings_total").map { $0 >= Double(pings) } == true)
        #expect(try daemon.metric("osprey_watchdog_stalled_components") == 0)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        // WATCHDOG_PID names another process: the watchdog is not ours, so no pings.
        let other = try DaemonHarness()
        try await other.startReady(environment: ["WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"])
        try await Task.sleep(for: .milliseconds(600))
        #expect(other.notify.count { $0 == "WATCHDOG=1" } == 0)
        other.signal(SIGTERM)
        #expect(try await other.waitForExit() == 0)
    }
}
