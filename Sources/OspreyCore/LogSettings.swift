/// Severity threshold for log output, from most to least verbose (the swift-log and journald ladder).
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }
}

/// Where and how log records are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// The journal when stderr is connected to it (`$JOURNAL_STREAM`), otherwise text.
    case auto
    /// Native journal entries with structured `OSPREY_*` fields.
    case journal
    /// One JSON object per line on stderr.
    case json
    /// Human-readable lines on stderr.
    case text
}

/// `[log]`: level is applied live on reload; format needs a restart.
public struct LogSettings: Sendable, Equatable {
    public var level: LogLevel
    public var format: LogFormat

    public init(level: LogLevel = .info, format: LogFormat = .auto) {
        self.level = level
        self.format = format
    }
}
