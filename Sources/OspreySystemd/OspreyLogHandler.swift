import Logging

/// Osprey's one log handler: merges metadata, applies the shared live level, and hands each record to
/// its sink (the journal, JSON lines or text lines on stderr).
public struct OspreyLogHandler: LogHandler {
    public enum Sink: Sendable {
        case journal, json, text
    }

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: Sink
    private let levelControl: LogLevelControl
    private var levelOverride: Logger.Level?

    public init(sink: Sink, levelControl: LogLevelControl, metadataProvider: Logger.MetadataProvider? = nil) {
        self.sink = sink
        self.levelControl = levelControl
        self.metadataProvider = metadataProvider
    }

    public var logLevel: Logger.Level {
        get { levelOverride ?? levelControl.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let record = LogRecord(
            level: event.level, message: event.message,
            metadata: mergedMetadata(metadata, metadataProvider, event.metadata),
            file: event.file, function: event.function, line: event.line)
        switch sink {
        case .journal:
            // libsystemd reports errors only when sending fails outright; then stderr gets the line.
            if JournalSink.send(record) < 0 { StderrSink.write(record, json: false) }
        case .json: StderrSink.write(record, json: true)
        case .text: StderrSink.write(record, json: false)
        }
    }

    private func mergedMetadata(_ handler: Logger.Metadata, _ provider: Logger.MetadataProvider?, _ call: Logger.Metadata?) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get() { merged.merge(provided) { $1 } }
        if let call { merged.merge(call) { $1 } }
        return merged
    }
}
