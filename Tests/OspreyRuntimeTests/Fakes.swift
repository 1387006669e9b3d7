import Logging
import OspreyCore
import Synchronization

/// Records every notification, in order, like a NOTIFY_SOCKET listener would.
final class RecordingNotifier: ServiceNotifier {
    let messages = Mutex<[String]>([])
    let watchdogInterval: Duration?

    init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    func ready(status: String) { messages.withLock { $0.append("READY") } }
    func reloading() { messages.withLock { $0.append("RELOADING") } }
    func stopping() { messages.withLock { $0.append("STOPPING") } }
    func status(_ text: String) { messages.withLock { $0.append("STATUS=\(text)") } }
    func watchdogPing() { messages.withLock { $0.append("WATCHDOG") } }

    var all: [String] { messages.withLock { $0 } }
    var pings: Int { all.filter { $0 == "WATCHDOG" }.count }
}

/// A configuration source whose next answer the test sets.
final class ScriptedSource: ConfigurationSource {
    let next: Mutex<Result<LoadedConfiguration, ConfigurationErrors>>

    init(_ first: Result<LoadedConfiguration, ConfigurationErrors>) {
        next = Mutex(first)
    }

    func load() -> Result<LoadedConfiguration, ConfigurationErrors> { next.withLock { $0 } }
    func answer(_ result: Result<LoadedConfiguration, ConfigurationErrors>) { next.withLock { $0 = result } }
}

/// Captures log lines so tests can assert what an operator would read.
final class LogCapture: Sendable {
    let lines = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in CaptureHandler(capture: self) }
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.lines.withLock { $0.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })) }
        }
    }
}
