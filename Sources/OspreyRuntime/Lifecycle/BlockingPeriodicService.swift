import Dispatch
import ServiceLifecycle

/// Runs blocking work (a WAL checkpoint's fsync) on an interval, on a thread of its own rather than the
/// Swift concurrency pool, whose few threads must never wait for a disk.
public struct BlockingPeriodicService<C: Clock>: Service, CustomStringConvertible where C.Duration == Duration {
    public let description: String
    private let interval: Duration
    private let clock: C
    private let work: @Sendable () -> Void
    private let queue: DispatchQueue

    public init(_ name: String, interval: Duration, clock: C, work: @escaping @Sendable () -> Void) {
        self.description = name
        self.interval = interval
        self.clock = clock
        self.work = work
        queue = DispatchQueue(label: "osprey.\(name)")
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async {
                    work()
                    done.resume()
                }
            }
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
