import Foundation
import Metrics
import OspreyCore
import OspreyMetrics
import OspreyTestSupport
import Prometheus
import Testing

@Suite struct ExpositionTests {
    func exposition() -> (MetricsExposition, CatalogMetricsFactory) {
        let registry = PrometheusCollectorRegistry()
        let factory = CatalogMetricsFactory(registry: registry)
        return (MetricsExposition(registry: registry, build: BuildInfo(version: "1.2.3", revision: "abc", swiftVersion: "6.3")), factory)
    }

    @Test func catalogMetricsCarryTheirHelpAndTypes() {
        let (exposition, factory) = exposition()
        factory.makeCounter(label: MetricCatalog.httpRequests.name, dimensions: [("route", "/metrics"), ("method", "GET"), ("status", "200")]).increment(by: 3)
        factory.makeTimer(label: MetricCatalog.dbQueryDuration.name, dimensions: [("op", "select")]).recordNanoseconds(2_000_000)
        let text = exposition.render(.prometheus)
        #expect(text.contains("# HELP osprey_http_requests_total \(MetricCatalog.httpRequests.help)\n# TYPE osprey_http_requests_total counter\n"))
        #expect(text.contains("osprey_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"200\"} 3\n"))
        #expect(text.contains("# TYPE osprey_db_query_duration_seconds histogram"))
        #expect(text.contains("osprey_db_query_duration_seconds_bucket{op=\"select\",le=\"0.0025\"} 1"))
        #expect(text.contains("osprey_db_query_duration_seconds_bucket{op=\"select\",le=\"0.001\"} 0"))
        #expect(text.contains("osprey_build_info{version=\"1.2.3\",revision=\"abc\",swift_version=\"6.3\"} 1"))
    }

    @Test func processMetricsDescribeThisProcess() throws {
        let text = exposition().0.render(.prometheus)
        func value(_ name: String) throws -> Double {
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(name + " ") })
            return try #require(Double(line.split(separator: " ")[1]))
        }
        #expect(try value("process_resident_memory_bytes") > 1_000_000)
        #expect(try value("process_virtual_memory_bytes") >= value("process_resident_memory_bytes"))
        #expect(try value("process_open_fds") >= 3)
        #expect(try value("process_max_fds") >= value("process_open_fds"))
        #expect(try value("process_threads") >= 1)
        let start = try value("process_start_time_seconds")
        let now = Date().timeIntervalSince1970
        #expect(start <= now + 1 && start > now - 3600, "started within the last hour: \(start) vs \(now)")
        #expect(try value("process_cpu_seconds_total") >= 0)
    }

    @Test func openMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEOF() {
        let (exposition, factory) = exposition()
        factory.makeCounter(label: MetricCatalog.watchdogPings.name, dimensions: []).increment(by: 1)
        let text = exposition.render(.openMetrics)
        #expect(text.contains("# HELP osprey_watchdog_pings \(MetricCatalog.watchdogPings.help)\n# TYPE osprey_watchdog_pings counter\nosprey_watchdog_pings_total 1\n"))
        #expect(text.contains("# TYPE process_cpu_seconds counter\nprocess_cpu_seconds_total "))
        #expect(text.hasSuffix("# EOF\n"))
        #expect(MetricsExposition.Format(accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5") == .openMetrics)
        #expect(MetricsExposition.Format(accept: "text/plain") == .prometheus)
        #expect(MetricsExposition.Format(accept: nil).contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test func promtoolFindsNothingToLint() throws {
        let (exposition, factory) = exposition()
        for info in MetricCatalog.all where info.name != MetricCatalog.buildInfo.name {
            let labels = info.labels.map { ($0, "x") }
            switch info.kind {
            case .counter: factory.makeCounter(label: info.name, dimensions: labels).increment(by: 1)
            case .gauge: factory.makeRecorder(label: info.name, dimensions: labels, aggregate: false).record(Int64(1))
            case .histogram: factory.makeTimer(label: info.name, dimensions: labels).recordNanoseconds(1000)
            }
        }
        let result = try Promtool.checkMetrics(exposition.render(.prometheus))
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.isEmpty, "promtool: \(result.output)")
    }
}

@Suite struct MetricDocumentationTests {
    @Test func everyCatalogMetricIsDocumented() throws {
        let text = try String(contentsOfFile: repositoryFile("docs/metrics.md"), encoding: .utf8)
        for info in MetricCatalog.all {
            #expect(text.contains("| `\(info.name)` | \(info.kind.rawValue) |"), "\(info.name) is not in docs/metrics.md")
        }
    }
}
