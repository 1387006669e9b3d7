import Foundation
import OspreyFakes
import OspreyTestSupport
import Testing

/// The Prometheus rules and Grafana dashboard shipped in the package name only metrics the daemon exports.
@Suite struct OperationsFilesTests {
    /// Metric names in PromQL text: osprey_* and process_* identifiers, plus Prometheus's own `up`.
    static func metricNames(in expression: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(osprey_[a-z0-9_]+|process_[a-z0-9_]+|up)\b"#)
        let range = NSRange(expression.startIndex..., in: expression)
        return Set(pattern.matches(in: expression, range: range).map { String(expression[Range($0.range, in: expression)!]) })
    }

    /// The family a sample name belongs to in a scrape (histogram series end in _bucket, _sum, _count).
    static func exported(_ name: String, in scrape: String) -> Bool {
        if name == "up" { return true }  // added by Prometheus itself
        let families = [name] + ["_bucket", "_sum", "_count"].filter { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) }
        return families.contains { scrape.contains("# TYPE \($0) ") }
    }

    @Test func dashboardAndRulesNameOnlyExportedMetrics() async throws {
        // Job, source and trading series exist once jobs, sources and live trading have run: dexscreener points
        // at a closed port (its requests fail, and are counted), Binance is the local strict fake.
        let exchange = CrashSafetyTests.exchange()
        try await withFakeServer(exchange.router) { port in
            let daemon = try DaemonHarness()
            try daemon.writeConfig(extra: JobsTests.jobs + "\n" + MarketDaemonTests.config + "\n"
                + CrashSafetyTests.config(daemon, exchangePort: port, weightPerMinute: 6000).replacingOccurrences(of: "name = \"reconcile\"", with: "name = \"reconcile-orders\"") + """

                [sources.dexscreener]
                base_url = "http://127.0.0.1:9"
                discover = false
                queries = ["sol"]

                [[job]]
                name = "scan-dex"
                kind = "scan"
                every = "1s"
                args = { source = "dexscreener" }
                """)
            try CrashSafetyTests.storeKey(daemon)
            try await daemon.startReady(environment: ["WATCHDOG_USEC": "2000000"])
            _ = try daemon.get("/healthz")
            let socket = daemon.controlSocket
            try await eventually("trading ready") {
                (try? DaemonHarness.runBinary(["trading", "status", "--socket", socket]).stdout.contains("state:      trading")) == true
            }
            let bought = await onOwnThread { try? DaemonHarness.runBinary(["trade", "buy", "BTCUSDT", "--quote", "100", "--socket", socket]) }
            #expect(bought?.status == 0, "\(bought?.stderr ?? "")")
            try await eventually("a job ran, a signal fired, an order filled") {
                let body = (try? daemon.get("/metrics").body) ?? ""
                return body.contains("osprey_job_last_success_timestamp_seconds{") && body.contains("osprey_signals_total{")
                    && body.contains("osprey_source_request_duration_seconds_bucket{") && body.contains("osprey_position_quote{")
                    && body.contains("osprey_exchange_clock_offset_seconds ")
            }
            let scrape = try daemon.get("/metrics").body

            let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repositoryFile("packaging/grafana/osprey.json")))) as! [String: Any]
            let panels = try #require(dashboard["panels"] as? [[String: Any]])
            let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
            #expect(expressions.count >= 10)
            let rules = try String(contentsOfFile: repositoryFile("packaging/prometheus/osprey.rules.yml"), encoding: .utf8)
                .split(separator: "\n").filter { $0.contains("expr:") }.map(String.init)
            #expect(rules.count >= 6)

            for expression in expressions + rules {
                let names = Self.metricNames(in: expression)
                #expect(!names.isEmpty, "no metric in \(expression)")
                for name in names {
                    #expect(Self.exported(name, in: scrape), "\(name) (in \(expression)) is not exported by the daemon")
                }
            }
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0)
        }
    }

    @Test func promtoolChecksAndUnitTestsTheRules() throws {
        for arguments in [["check", "rules", "osprey.rules.yml"], ["test", "rules", "osprey.rules.test.yml"]] {
            let result = try Promtool.run(arguments, in: repositoryFile("packaging/prometheus"))
            #expect(result.status == 0, "promtool \(arguments.joined(separator: " ")): \(result.output)")
        }
    }
}
