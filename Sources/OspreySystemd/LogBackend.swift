import Logging
import OspreyCore

/// Chooses where logs go for a configured format and builds handlers for `LoggingSystem.bootstrap`.
public struct LogBackend: Sendable {
    public let destination: OspreyLogHandler.Sink
    public let levelControl: LogLevelControl

    /// `auto` is the journal when stderr is connected to it; `journal` falls back to text on stderr when no
    /// journald socket exists.
    public init(format: LogFormat, level: LogLevel) {
        levelControl = LogLevelControl(level)
        switch format {
        case .auto: destination = JournalSocket.stderrIsJournal && JournalSocket.isAvailable ? .journal : .text
        case .journal: destination = JournalSocket.isAvailable ? .journal : .text
        case .json: destination = .json
        case .text: destination = .text
        }
    }

    public func makeHandler(metadataProvider: Logger.MetadataProvider?) -> any LogHandler {
        OspreyLogHandler(sink: destination, levelControl: levelControl, metadataProvider: metadataProvider)
    }
}
