/// The wall clock in Unix seconds: the one port through which components read the time of day (cache
/// expiry, HTTP dates, an exchange's server-time offset, schedules, ledger times). The daemon passes the
/// system clock; tests pass a clock they move.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Double

    public init(_ now: @escaping @Sendable () -> Double) {
        self.now = now
    }
}
