// The scheduler's dispatch overhead through the full path the daemon uses: queue, a run record in a real
// SQLite file (WAL), Prometheus metrics, JSON log lines (to stderr; run with 2>/dev/null), no-op handlers.
//
// 1. throughput: 32 clients flood `runNow` on 200 low-priority jobs; recorded runs per second.
// 2. lateness: meanwhile 50 high-priority jobs fire every second (jitter spreads them over the second);
//    lateness = start of the handler - due time, so it includes the timer, the queue and the start record.
import Logging
import Metrics
import OspreyCore
import OspreyMetrics
import OspreyRuntime
import OspreyStore
import OspreySystemd
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

func wallClock() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

let seconds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20 : 20
let directory = "/tmp/osprey-scheduler-bench-\(getpid())"
let logBackend = LogBackend(format: .json, level: .info)
LoggingSystem.bootstrap { _ in logBackend.makeHandler(metadataProvider: nil) }
MetricsSystem.bootstrap(CatalogMetricsFactory(registry: PrometheusCollectorRegistry()))
let logger = Logger(label: "bench")
let database = try Database(directory: directory, logger: logger)

let flood = (0..<200).map { JobSpec(name: "flood-\($0)", kind: "noop", timing: .every(.seconds(86400)), priority: .low, maxConcurrency: 64, catchUp: .skip) }
let timed = (0..<50).map { JobSpec(name: "timed-\($0)", kind: "noop", timing: .every(.seconds(1)), jitter: .seconds(1), priority: .high) }
let lateness = Mutex<[Double]>([])
let completed = Atomic<Int>(0)
let handlers = JobHandlers(["noop": { context in
    if context.job.hasPrefix("timed-") {
        let late = wallClock() - context.dueAt
        lateness.withLock { $0.append(late) }
    }
}])
let scheduler = try Scheduler(
    settings: SchedulerSettings(workers: 8, queueSize: 4096), jobs: flood + timed, store: JobRunTable(database),
    handlers: handlers, clock: ContinuousClock(), wallClock: wallClock, logger: logger)

let started = ContinuousClock.now
let deadline = started + .seconds(seconds)
await withTaskGroup(of: Void.self) { group in
    group.addTask { try? await scheduler.run() }
    for client in 0..<32 {
        group.addTask {
            var job = client
            while ContinuousClock.now < deadline {
                if case .success = await scheduler.runNow("flood-\(job % 200)") { completed.add(1, ordering: .relaxed) }
                job += 32
            }
        }
    }
    try? await Task.sleep(until: deadline + .milliseconds(100))
    group.cancelAll()
}
let elapsed = started.duration(to: .now)
let total = try database.read { try $0.query("SELECT count(*) FROM job_run WHERE outcome IS NOT NULL").first?[0].integer ?? 0 }
database.close()
removeDatabase(in: directory)

let samples = lateness.withLock { $0 }.sorted()
func percentile(_ p: Double) -> Double { samples.isEmpty ? .nan : samples[min(samples.count - 1, Int(Double(samples.count) * p))] * 1000 }
let rate = Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
print("scheduler: \(total) recorded runs in \(seconds) s = \(Int(rate)) runs/s (goal ≥ 2000); manual runs completed: \(completed.load(ordering: .relaxed))")
print("timer lateness of \(samples.count) high-priority runs under that load: p50 \(format3(percentile(0.5))) ms, p99 \(format3(percentile(0.99))) ms, max \(format3(percentile(1))) ms (goal p99 < 5 ms)")

func format3(_ value: Double) -> String {
    let scaled = (value * 1000).rounded() / 1000
    return "\(scaled)"
}

func removeDatabase(in path: String) {
    for name in ["osprey.db", "osprey.db-wal", "osprey.db-shm"] { unlink(path + "/" + name) }
    rmdir(path)
}
