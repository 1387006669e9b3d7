import Logging
import OspreyCore
import OspreyRuntime
import Synchronization
import Testing

@Suite struct ReloadServiceTests {
    func loaded(_ level: LogLevel, port: Int = 7469) -> LoadedConfiguration {
        var configuration = DaemonConfiguration()
        configuration.log.level = level
        configuration.http.listen.port = port
        return LoadedConfiguration(configuration: configuration, files: ["/etc/osprey/osprey.toml"])
    }

    @Test func aValidReloadSwapsLiveKeysAndSaysReloadingThenReady() throws {
        let source = ScriptedSource(.success(loaded(.info)))
        let store = ConfigurationStore(loaded(.info))
        let applied = LockedBox<[LogLevel]>([])
        store.onEveryReload { change in applied.mutate { $0.append(change.effective.log.level) } }
        let notifier = RecordingNotifier()
        let logs = LogCapture()
        let service = ReloadService(source: source, store: store, notifier: notifier, logger: logs.logger,
                                    wallClock: { 1000 }, statusLine: { "running" })

        source.answer(.success(loaded(.debug, port: 9999)))
        let change = try service.reload().get()

        #expect(notifier.all == ["RELOADING", "READY"])
        #expect(change.appliedLive == ["log.level"])
        #expect(change.restartRequired == ["http.listen"])
        #expect(store.current.log.level == .debug)
        #expect(store.current.http.listen.port == 7469, "a restart-only key keeps its running value")
        #expect(applied.value == [.debug])
        #expect(service.lastRejection.isEmpty)
        let warning = logs.lines.withLock { $0.first { $0.0 == .warning } }
        #expect(warning?.2["config.key"] == "http.listen")
    }

    @Test func anInvalidReloadKeepsTheRunningConfigurationAndStillSaysReady() throws {
        let source = ScriptedSource(.success(loaded(.info)))
        let store = ConfigurationStore(loaded(.warning))
        let notifier = RecordingNotifier()
        let logs = LogCapture()
        let service = ReloadService(source: source, store: store, notifier: notifier, logger: logs.logger,
                                    wallClock: { 1000 }, statusLine: { "running" })
        let problem = ConfigurationProblem(at: SourceLocation(file: "/etc/osprey/osprey.toml", line: 4, column: 9),
                                           key: "log.level", "expected one of …")
        source.answer(.failure(ConfigurationErrors([problem])))

        guard case .failure = service.reload() else {
            Issue.record("an invalid configuration was accepted")
            return
        }
        #expect(notifier.all == ["RELOADING", "READY"])
        #expect(store.current.log.level == .warning)
        #expect(service.lastRejection == [problem])
        let error = try #require(logs.lines.withLock { $0.first { $0.0 == .error } })
        #expect(error.1.contains("/etc/osprey/osprey.toml:4:9: log.level"))
        #expect(error.2["config.line"] == "4")
        #expect(error.2["config.column"] == "9")

        // The next good file clears the rejection.
        source.answer(.success(loaded(.error)))
        _ = try service.reload().get()
        #expect(service.lastRejection.isEmpty)
        #expect(store.current.log.level == .error)
    }
}

/// A tiny thread-safe box for values tests collect from callbacks.
final class LockedBox<Value: Sendable>: Sendable {
    private let storage: Synchronization.Mutex<Value>
    init(_ value: Value) { storage = Synchronization.Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func mutate(_ body: (inout Value) -> Void) { storage.withLock { body(&$0) } }
}
