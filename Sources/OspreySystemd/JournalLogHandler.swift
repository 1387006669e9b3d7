import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Writes native journal entries with `sd_journal_sendv`, so `journalctl -u osprey OSPREY_COMPONENT=http`
/// filters by field. Used only after `JournalSocket.isAvailable` said journald listens: libsystemd reports
/// success even when nobody does.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let levelControl: LogLevelControl
    private var levelOverride: Logger.Level?
    private let fallback: StreamLogHandler

    public init(label: String, levelControl: LogLevelControl, metadataProvider: Logger.MetadataProvider? = nil) {
        self.levelControl = levelControl
        self.metadataProvider = metadataProvider
        self.fallback = StreamLogHandler(label: label, format: .text, levelControl: levelControl)
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
        let lines = record.fields.map { "\($0.name)=\($0.value)" }
        let rc = Self.send(lines)
        if rc < 0 { fallback.write(record) }
    }

    /// Each field is one iovec `NAME=value`; values may contain newlines (the journal keeps them).
    static func send(_ fields: [String]) -> Int32 {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = bytes.count
            bytes.append(contentsOf: field.utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeMutableBytes { buffer in
            var vectors = ranges.map { iovec(iov_base: buffer.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}

/// Whether journald is there to receive entries, and whether stderr is connected to it.
public enum JournalSocket {
    public static let path = "/run/systemd/journal/socket"

    public static var isAvailable: Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// True when `$JOURNAL_STREAM` (set by systemd) names the device and inode of our stderr.
    public static var stderrIsJournal: Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        let parts = value.split(separator: ":")
        var info = stat()
        guard parts.count == 2, fstat(2, &info) == 0 else { return false }
        return parts[0] == "\(info.st_dev)" && parts[1] == "\(info.st_ino)"
    }
}
