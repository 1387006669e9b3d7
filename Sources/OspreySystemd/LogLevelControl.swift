import Logging
import OspreyCore
import Synchronization

/// The process-wide log threshold, shared by every handler and changed live by a reload.
public final class LogLevelControl: Sendable {
    private let raw: Atomic<UInt8>

    public init(_ level: LogLevel) {
        raw = Atomic(Self.code(level))
    }

    public var level: Logger.Level {
        get { Logger.Level.allCases[Int(raw.load(ordering: .relaxed))] }
    }

    public func set(_ level: LogLevel) {
        raw.store(Self.code(level), ordering: .relaxed)
    }

    private static func code(_ level: LogLevel) -> UInt8 {
        UInt8(Logger.Level.allCases.firstIndex(of: Logger.Level(level))!)
    }
}

extension Logger.Level {
    public init(_ level: LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }

    /// syslog(3) priority, as the journal's PRIORITY field wants it.
    var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
