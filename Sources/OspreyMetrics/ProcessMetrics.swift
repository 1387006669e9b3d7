#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics, read from /proc at scrape time the way the Prometheus Go client
/// does, so dashboards made for any exporter work unchanged.
struct ProcessMetrics {
    let startTimeSeconds: Double
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    /// Start time = now − (time since boot − the process's start, in ticks since boot). CLOCK_BOOTTIME stands in
    /// for /proc/stat's btime, which systemd's ProcSubset=pid hides.
    init() {
        var realtime = timespec(), boottime = timespec()
        clock_gettime(CLOCK_REALTIME, &realtime)
        clock_gettime(CLOCK_BOOTTIME, &boottime)
        let startTicks = Self.statFields().flatMap { $0.count > 19 ? Double($0[19]) : nil } ?? 0
        let sinceBoot = Double(boottime.tv_sec) + Double(boottime.tv_nsec) / 1e9
        let now = Double(realtime.tv_sec) + Double(realtime.tv_nsec) / 1e9
        startTimeSeconds = ((now - sinceBoot + startTicks / Double(sysconf(Int32(_SC_CLK_TCK)))) * 100).rounded() / 100
    }

    /// The fields of /proc/self/stat after the parenthesised command name (index 0 is field 3, "state").
    static func statFields() -> [Substring]? {
        guard let text = readFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    func render(into out: inout String) {
        var cpu = 0.0, threads = 0.0, virtual = 0.0, resident = 0.0
        if let fields = Self.statFields(), fields.count > 21 {
            cpu = ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticksPerSecond
            threads = Double(fields[17]) ?? 0
            virtual = Double(fields[20]) ?? 0
            resident = (Double(fields[21]) ?? 0) * pageSize
        }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)

        Self.family(&out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpu)
        Self.family(&out, "process_open_fds", "gauge", "Number of open file descriptors.", Double(Self.openDescriptors()))
        Self.family(&out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", Double(limit.rlim_cur))
        Self.family(&out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual)
        Self.family(&out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", resident)
        Self.family(&out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTimeSeconds)
        Self.family(&out, "process_threads", "gauge", "Number of OS threads in the process.", threads)
    }

    static func family(_ out: inout String, _ name: String, _ type: String, _ help: String, _ value: Double) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(format(value))\n"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        return max(0, count - 1)  // the directory stream's own descriptor
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
