import Metrics
import OspreyCore
import Synchronization

/// The per-job metric handles, created when a job first appears and destroyed when a reload removes it, so
/// a removed job's series leave /metrics instead of tripping alerts forever.
final class JobMetrics: Sendable {
    struct Handles: Sendable {
        let runs: [JobOutcome: Counter]
        let duration: Timer
        let running: Meter
        let nextRun: Gauge
        let dropped: Counter

        init(job: String) {
            let label = [("job", job)]
            runs = Dictionary(uniqueKeysWithValues: JobOutcome.allCases.map {
                ($0, Counter(label: MetricCatalog.jobRuns.name, dimensions: label + [("outcome", $0.rawValue)]))
            })
            duration = Timer(label: MetricCatalog.jobDuration.name, dimensions: label)
            running = Meter(label: MetricCatalog.jobRunning.name, dimensions: label)
            nextRun = Gauge(label: MetricCatalog.jobNextRun.name, dimensions: label)
            dropped = Counter(label: MetricCatalog.jobDropped.name, dimensions: label)
            running.set(0)
        }

        func destroy() {
            runs.values.forEach { $0.destroy() }
            duration.destroy()
            running.destroy()
            nextRun.destroy()
            dropped.destroy()
        }
    }

    let queueDepth = Gauge(label: MetricCatalog.jobQueueDepth.name)
    let lateness = Timer(label: MetricCatalog.jobLateness.name)
    private let handles = Mutex<[String: Handles]>([:])
    /// Created at a job's first success, so a job that never succeeded has no series (not a 0 that reads as 1970).
    private let lastSuccess = Mutex<[String: Gauge]>([:])

    func recordSuccess(_ job: String, at unixSeconds: Double) {
        let gauge = lastSuccess.withLock { gauges in
            if let gauge = gauges[job] { return gauge }
            let gauge = Gauge(label: MetricCatalog.jobLastSuccess.name, dimensions: [("job", job)])
            gauges[job] = gauge
            return gauge
        }
        gauge.record(unixSeconds)
    }

    subscript(job: String) -> Handles {
        handles.withLock { handles in
            if let existing = handles[job] { return existing }
            let created = Handles(job: job)
            handles[job] = created
            return created
        }
    }

    /// Destroys the series of every job not in `keep`.
    func retain(_ keep: Set<String>) {
        let removed = handles.withLock { handles in
            let gone = handles.filter { !keep.contains($0.key) }
            for name in gone.keys { handles[name] = nil }
            return Array(gone.values)
        }
        removed.forEach { $0.destroy() }
        let removedSuccess = lastSuccess.withLock { gauges in
            let gone = gauges.filter { !keep.contains($0.key) }
            for name in gone.keys { gauges[name] = nil }
            return Array(gone.values)
        }
        removedSuccess.forEach { $0.destroy() }
    }
}
