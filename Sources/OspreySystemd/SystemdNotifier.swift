import CSystemd
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// `sd_notify` for the service manager. Without `$NOTIFY_SOCKET` every call is a no-op, as libsystemd does.
public struct SystemdNotifier: ServiceNotifier {
    public init() {}

    private func send(_ state: String) {
        _ = sd_notify(0, state)
    }

    public func ready(status: String) {
        send("READY=1\nSTATUS=\(Self.oneLine(status))")
    }

    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    public func stopping() {
        send("STOPPING=1")
    }

    public func status(_ text: String) {
        send("STATUS=\(Self.oneLine(text))")
    }

    public func watchdogPing() {
        send("WATCHDOG=1")
    }

    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
