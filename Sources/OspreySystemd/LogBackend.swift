import Logging
import OspreyCore

/// Chooses where logs go for a configured format and builds handlers for `LoggingSystem.bootstrap`.
public struct LogBackend: Sendable {
    public enum Destination: String, Sendable {
        case journal, json, text
    }

    public let destination: Destination
    public let levelControl: LogLevelControl

    /// `auto` is the journal when stderr is connected to it; `journal` falls back to text on stderr when no
    /// journald socket exists (and says so in the returned `fallbackReason`).
    public init(format: LogFormat, level: LogLevel) {
        levelControl = LogLevelControl(level)
        switch format {
        case .auto: destination = JournalSocket.stderrIsJournal && JournalSocket.isAvailable ? .journal : .text
        case .journal: destination = JournalSocket.isAvailable ? .journal : .text
        case .json: destination = .json
        case .text: destination = .text
        }
    }

    public func makeHandler(label: String, metadataProvider: Logger.MetadataProvider?) -> any LogHandler {
        switch destination {
        case .journal: JournalLogHandler(label: label, levelControl: levelControl, metadataProvider: metadataProvider)
        case .json: StreamLogHandler(label: label, format: .json, levelControl: levelControl, metadataProvider: metadataProvider)
        case .text: StreamLogHandler(label: label, format: .text, levelControl: levelControl, metadataProvider: metadataProvider)
        }
    }
}
