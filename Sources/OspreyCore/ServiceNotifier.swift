/// The service manager's notification protocol (sd_notify), as a port the runtime talks to.
/// The systemd adapter implements it; tests use a recording fake.
public protocol ServiceNotifier: Sendable {
    /// `READY=1` (with the current status line).
    func ready(status: String)
    /// `RELOADING=1` with `MONOTONIC_USEC` taken now.
    func reloading()
    /// `STOPPING=1`.
    func stopping()
    /// `STATUS=…`: one line, kept current.
    func status(_ text: String)
    /// `WATCHDOG=1`.
    func watchdogPing()
    /// How often systemd expects a ping, if it enabled the watchdog for this process.
    var watchdogInterval: Duration? { get }
}
