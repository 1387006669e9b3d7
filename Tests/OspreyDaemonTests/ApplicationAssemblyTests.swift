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
import ServiceLifecycle
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

    static func configuration(_ dir: String, control: String? = nil, extra: String) -> String {
        """
            [daemon]
            state_dir = "\(dir)/state"
            [http]
            listen = "127.0.0.1:7469"
            [control]
            socket = "\(control ?? dir + "/control.sock")"
            \(extra)
            """
    }

    static func build(_ dir: String, control: String? = nil, extra: String = "") async throws(StartupFailure) -> OspreyApplication {
        let path = dir + "/osprey.toml"
        try! configuration(dir, control: control, extra: extra).write(toFile: path, atomically: true, encoding: .utf8)
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

    /// A reload reaches the trade engine ([risk]) and the scanner ([[signal]]) the same way: each follows
    /// its own typed settings on a task of its own, in reload order (two reloads in a row end with the second).
    @Test func aReloadReachesTheEngineAndTheScannerInOrder() async throws {
        try await withTemporaryDirectory { dir in
            func settings(limit: Int, signal: String) -> String {
                """
                [trading.paper.balances]
                USDT = "1000"
                [risk]
                max_position_quote = \(limit)
                max_total_exposure_quote = 100000
                min_quote_reserve = 0
                [sources.sim]
                tokens = 5
                [[signal]]
                name = "\(signal)"
                kind = "new_pair"
                max_age = "36500d"
                """
            }
            let application = try await Self.build(dir, extra: settings(limit: 1000, signal: "first"))
            defer { application.teardown.run() }
            try await application.engine.start()
            _ = try await application.scanner.scan(source: "sim")
            try await withThrowingTaskGroup(of: Void.self) { followers in
                for follower in application.followers { followers.addTask { try await follower.run() } }
                for (limit, signal) in [(5, "second"), (8, "third")] {
                    try Self.configuration(dir, extra: settings(limit: limit, signal: signal)).write(toFile: dir + "/osprey.toml", atomically: true, encoding: .utf8)
                    application.configuration.apply(try ConfigurationLoader(mainFile: dir + "/osprey.toml").load().get())
                }
                func refusal() async -> String {
                    do {
                        _ = try await application.engine.buy(symbol: "SIM1USDT", quote: Decimal(9), reason: "manual")
                        return "placed"
                    } catch {
                        return "\(error)"
                    }
                }
                let deadline = ContinuousClock.now.advanced(by: .seconds(5))
                while await !refusal().hasSuffix("max_position_quote 8") && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await Task.sleep(for: .milliseconds(200))
                #expect(await refusal().hasSuffix("max_position_quote 8"), "the earlier reload never lands after the later one")
                let scanned = try await application.scanner.scan(source: "sim")
                #expect(Set(scanned.signals.map(\.rule)) == ["third"], "the scanner has the latest [[signal]] rules")
                followers.cancelAll()
            }
        }
    }
}
