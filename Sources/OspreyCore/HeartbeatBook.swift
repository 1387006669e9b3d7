/// The rule behind the systemd watchdog: the daemon is alive only while every registered component has
/// beaten within its own allowed silence. A stalled component means no more WATCHDOG=1, so systemd
/// restarts the daemon instead of leaving a wedged one running.
public struct HeartbeatBook<Instant: InstantProtocol>: Sendable where Instant: Sendable {
    private struct Entry: Sendable {
        var lastBeat: Instant
        var allowedSilence: Instant.Duration
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// Registers (or re-registers) a component as alive at `now`.
    public mutating func register(_ component: String, allowedSilence: Instant.Duration, now: Instant) {
        entries[component] = Entry(lastBeat: now, allowedSilence: allowedSilence)
    }

    public mutating func unregister(_ component: String) {
        entries[component] = nil
    }

    /// Records a beat; a beat from an unregistered component is ignored.
    public mutating func beat(_ component: String, at now: Instant) {
        entries[component]?.lastBeat = now
    }

    /// Components silent for longer than they are allowed, sorted by name.
    public func stalled(at now: Instant) -> [String] {
        entries.filter { _, entry in entry.lastBeat.duration(to: now) > entry.allowedSilence }
            .map(\.key)
            .sorted()
    }

    /// Whether any component is overdue; allocates nothing, for hot paths like /healthz.
    public func anyStalled(at now: Instant) -> Bool {
        entries.values.contains { $0.lastBeat.duration(to: now) > $0.allowedSilence }
    }

    public var components: [String] { entries.keys.sorted() }
}
