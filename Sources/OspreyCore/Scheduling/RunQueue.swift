/// The bounded queue of runs waiting for a worker: highest priority first, first-in first-out within a
/// priority. When it is full a new run either evicts the newest run of a lower priority or, if nothing queued
/// is lower, is itself dropped: low-priority work is shed, high-priority work never waits behind it.
public struct RunQueue<Run>: Sendable where Run: Sendable {
    public let capacity: Int
    private var lanes: [JobPriority: [Run]] = [.high: [], .normal: [], .low: []]

    public init(capacity: Int) {
        precondition(capacity > 0, "a run queue holds at least one run")
        self.capacity = capacity
    }

    public var count: Int { lanes.values.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { count == 0 }

    /// Queues `run`; returns the run that was dropped to respect the capacity (the new one or an evicted one).
    public mutating func push(_ run: Run, priority: JobPriority) -> Run? {
        guard count >= capacity else {
            lanes[priority, default: []].append(run)
            return nil
        }
        for victim in JobPriority.allCases.reversed() where victim < priority {
            if let evicted = lanes[victim]?.popLast() {
                lanes[priority, default: []].append(run)
                return evicted
            }
        }
        return run
    }

    /// The next run to start: the oldest of the highest priority present.
    public mutating func pop() -> Run? {
        for priority in JobPriority.allCases where !(lanes[priority]?.isEmpty ?? true) {
            return lanes[priority]?.removeFirst()
        }
        return nil
    }

    /// Queued runs, in the order they would start.
    public var ordered: [Run] {
        JobPriority.allCases.flatMap { lanes[$0] ?? [] }
    }
}
