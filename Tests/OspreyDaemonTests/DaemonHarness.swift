import Foundation
import OspreyControlClient
import OspreyTestSupport

/// The real `osprey` binary, started the way systemd starts it: a config file, a state directory,
/// NOTIFY_SOCKET (and optionally WATCHDOG_USEC) in the environment, stderr captured.
final class DaemonHarness {
    /// Built by `swift build`/`swift test` next to the test bundle; `OSPREY_BINARY` overrides.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["OSPREY_BINARY"] { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("osprey").path
    }

    let directory: String
    let configPath: String
    let port: Int
    let notify: NotifyListener
    let stderrPath: String
    private(set) var process: Process?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("osprey-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/osprey.toml"
        stderrPath = directory + "/stderr.log"
        port = HTTPProbe.freePort()
        notify = try NotifyListener(directory: directory)
        try writeConfig()
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        notify.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `<directory>/state` unless a test points it elsewhere (before `writeConfig`).
    lazy var stateDirectory = directory + "/state"
    var controlSocket: String { directory + "/control.sock" }

    /// Writes the config with the given `[log]` level and format, more `[http]` keys, plus any extra TOML.
    func writeConfig(level: String = "info", format: String = "json", http: String = "", extra: String = "") throws {
        let text = """
            [daemon]
            state_dir = "\(stateDirectory)"
            [log]
            level = "\(level)"
            format = "\(format)"
            [http]
            listen = "127.0.0.1:\(port)"\(http.isEmpty ? "" : "\n" + http)
            [control]
            socket = "\(controlSocket)"
            \(extra)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func start(environment extra: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["run", "--config", configPath]
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "STATE_DIRECTORY", "RUNTIME_DIRECTORY"] {
            environment[key] = nil
        }
        environment["NOTIFY_SOCKET"] = notify.path
        environment.merge(extra) { $1 }
        process.environment = environment
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// Starts the daemon and waits for READY=1.
    func startReady(environment: [String: String] = [:]) async throws {
        let seen = notify.all.count
        try start(environment: environment)
        try await notify.wait(after: seen - 1, for: "READY=1") { $0.contains("READY=1") }
    }

    var pid: Int32? { process?.processIdentifier }

    func signal(_ signal: Int32) {
        if let process { kill(process.processIdentifier, signal) }
    }

    func waitForExit(timeout: Duration = .seconds(15)) async throws -> Int32 {
        guard let process else { throw HarnessError("not started") }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw HarnessError("the daemon did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    var stderr: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// stderr as JSON log records (the `json` format).
    var logRecords: [[String: String]] {
        stderr.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> HTTPReply {
        try HTTPProbe.request(port: port, path: path, headers: headers)
    }

    /// The value of an unlabelled sample in a fresh scrape.
    func metric(_ name: String) throws -> Double? {
        try get("/metrics").body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .flatMap { Double($0.split(separator: " ")[1]) }
    }

    /// Runs the osprey CLI (not the daemon) and returns its exit status and output.
    func cli(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Self.runBinary(arguments)
    }

    /// The CLI with `input` on standard input (for `keys add`).
    func cli(_ arguments: [String], input: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try Self.runBinary(arguments, input: input)
    }

    /// Runs the osprey binary, or `viaExecutable` (e.g. setpriv) with `arguments` naming the binary itself.
    static func runBinary(
        _ arguments: [String], environment: [String: String]? = nil, input: String? = nil, viaExecutable: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try runProcess(
            viaExecutable ?? binary, viaExecutable == nil ? arguments : Array(arguments.dropFirst()),
            input: input, environment: environment)
        return (result.status, result.stdout, result.stderr)
    }
}

/// CLOCK_MONOTONIC in microseconds, the clock of RELOADING's MONOTONIC_USEC.
func monotonicMicroseconds() -> UInt64 {
    UInt64(ProcessInfo.processInfo.systemUptime * 1_000_000)  // clock_gettime(CLOCK_MONOTONIC) on Linux
}

/// The CLI's `--json` answers, decoded the way the daemon encodes them (snake_case keys).
enum ControlJSON {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        ControlCodec.decode(type, from: Array(text.utf8))
    }
}
