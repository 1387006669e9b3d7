// Ingest of 10,000 DexScreener-format pairs, the full path a scan takes: JSON parse (numbers kept as text),
// decode into exact-decimal snapshots, merge into the tracked set, persist (a history row per token and the
// token rows that are due, in one transaction through the group commit, a real SQLite file in WAL mode).
// Prints CPU ms per pass (each, and per stage), RSS after the last pass and peak RSS.
// Usage: osprey-ingest-bench <fixture.json> [passes]   (Benchmarks/ingest runs it with the Python equivalent)
import Logging
import OspreyCore
import OspreyNet
import OspreyRuntime
import OspreyStore

#if canImport(Glibc)
import Glibc
#endif

func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// `VmRSS` (now) or `VmHWM` (the peak) from /proc/self/status, in MB.
func residentMegabytes(_ field: String = "VmRSS:") -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix(field) {
            return (Double(text.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }
    }
    return 0
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "r") else { fatalError("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes
}

ProcessMemory.tuneAllocator()  // as `osprey run` does
let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fatalError("usage: osprey-ingest-bench <fixture.json> [passes]") }
let fixture = readFile(arguments[1])
let passes = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let directory = "/tmp/osprey-ingest-bench-\(getpid())"
let database = try Database(directory: directory, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
let store = MarketTables(database)
var tracker = TokenTracker(capacity: 20_000)

var timings: [Double] = []
var stages: [String: Double] = [:]
for pass in 0..<passes {
    let now = 1_800_000_000.0 + Double(pass) * 30
    let started = cpuSeconds()
    var mark = started
    func stage(_ name: String) {
        let time = cpuSeconds()
        stages[name, default: 0] += (time - mark) * 1000 / Double(passes)
        mark = time
    }
    let document = try JSON.parse(fixture)
    stage("parse")
    let decoded = try DexScreenerFormat.pairs(document, source: "dexscreener", observedAt: now)
    stage("decode")
    let (updated, evicted) = tracker.ingest(decoded.pairs, now: now)
    stage("merge")
    try await store.save(ScanRecord(tracked: tracker.tokens, updated: updated, evicted: evicted, historyBefore: now - 21600))
    stage("persist")
    timings.append((cpuSeconds() - started) * 1000)
    if pass == 0 { precondition(decoded.pairs.count == 10_000 && updated.count == 10_000, "fixture: \(decoded.pairs.count) pairs") }
}
database.close()
for name in ["osprey.db", "osprey.db-wal", "osprey.db-shm"] { unlink(directory + "/" + name) }
rmdir(directory)
print("passes:", timings.map { Int($0) })
let sorted = timings.sorted()
print("stages (CPU ms, mean): " + stages.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value))" }.joined(separator: ", "))
print("swift: \(passes) passes of 10000 pairs: CPU ms per pass median \(Int(sorted[sorted.count / 2])) (first \(Int(timings[0])), min \(Int(sorted[0]))); RSS \(Int(residentMegabytes())) MB with 10k tracked, peak \(Int(residentMegabytes("VmHWM:"))) MB")
