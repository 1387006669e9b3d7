import Foundation
import Logging
@testable import osprey
import OspreyConfig
import OspreyCore
import OspreyMetrics
import OspreyRuntime
import OspreyStore
import OspreyTestSupport
import Prometheus
import Testing

/// The daemon's whole object graph built in-process from a configuration file, without the binary: driven
/// from a simulated scan through a signal and a strategy to a paper order; and a start that fails halfway
/// stops what it started and records the stop, so the next start finds a clean shutdown.
@Suite struct ApplicationAssemblyTests {
    struct SilentNotifier: ServiceNotifier {
        func ready(status: String) {}
        func reloading() {}
        func stopping() {}
        func status(_ text: String) {}
        func watchdogPing() {}
        var watchdogInterval: Duration? { nil }
    }

    static let quiet = Logger(label: "assembly") { _ in SwiftLogNoOpLogHandler() }

    static func build(_ dir: String, control: String? = nil, extra: String = "") async throws(StartupFailure) -> OspreyApplication {
        let path = dir + "/osprey.toml"
        try! """
            [daemon]
            state_dir = "\(dir)/state"
            [http]
            listen = "127.0.0.1:\(HTTPProbe.freePort())"
            [control]
            socket = "\(control ?? dir + "/control.sock")"
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let source = ConfigurationLoader(mainFile: path)
        let loaded = try! source.load().get()
        let environment = OspreyApplication.Environment(
            paths: RuntimePaths.forDaemon(loaded.configuration, environment: [:], isRoot: false, workingDirectory: dir),
            clock: .system, notifier: SilentNotifier(),
            exposition: MetricsExposition(registry: PrometheusCollectorRegistry(), build: Build.info), setLogLevel: { _ in })
        return try await OspreyApplication.build(loaded, source: source, environment: environment, logger: quiet)
    }

    @Test func aSimulatedScanSignalsAStrategyThatPlacesAPaperOrder() async throws {
        try await withTemporaryDirectory { dir in
            let application = try await Self.build(dir, extra: """
                [trading.paper.balances]
                USDT = "1000"
                [sources.sim]
                tokens = 5
                [[signal]]
                name = "fresh"
                kind = "new_pair"
                max_age = "36500d"
                [[strategy]]
                name = "rider"
                kind = "signal"
                signals = ["fresh"]
                symbols = ["*"]
                quote = 10
                """)
            defer { application.teardown.run() }
            try await application.engine.start()
            let signals = application.bus.subscribe()
            let summary = try await application.scanner.scan(source: "sim")
            #expect(summary.signals.count == 5, "every simulated pair is new")
            var received = signals.makeAsyncIterator()
            let signal = try #require(await received.next())
            #expect(signal.rule == "fresh")
            await application.strategies.handle(signal)
            let orders = try LedgerTables(application.database).orders(unsettledOnly: false, limit: 10)
            #expect(orders.count == 1, "\(orders.map(\.detail))")
            #expect(orders.first?.status == .filled && orders.first?.reason == "strategy:rider")
            #expect(orders.first?.request.symbol == signal.symbol + "USDT" && orders.first?.request.quoteQuantity == Decimal(10))
            #expect(await application.engine.positions().map(\.symbol) == [signal.symbol + "USDT"])
        }
    }

    @Test func aStartThatFailsStopsWhatItStartedAndRecordsTheStop() async throws {
        try await withTemporaryDirectory { dir in
            // The control socket's path is a regular file: the database is open by the time that fails.
            FileManager.default.createFile(atPath: dir + "/not-a-socket", contents: Data())
            await #expect {
                _ = try await Self.build(dir, control: dir + "/not-a-socket")
            } throws: { error in
                (error as? StartupFailure)?.component == "control" && "\(error)".contains("is not a socket")
            }
            let database = try Database(directory: dir + "/state", logger: Self.quiet)
            defer { database.close() }
            let start = try DaemonRunLog(database).recordStart(version: "test", at: 1)
            #expect(start.previousRunClean == true, "the failed start was recorded as stopped, and the database closed")
        }
    }
}
