import Foundation
import OspreyTestSupport
import Testing

/// Reads log entries back from a real systemd-journald, run with the daemon inside a private mount
/// namespace so that /run/systemd/journal/socket is journald's and the host is untouched.
@Suite struct JournalTests {
    static let script = #"""
        set -u
        mount -t tmpfs -o mode=755 tmpfs /run/systemd && mkdir -p /run/systemd/journal || exit 90
        mkdir -p /run/log /var/log/journal
        mount -t tmpfs -o mode=755 tmpfs /run/log || exit 91
        mount -t tmpfs -o mode=755 tmpfs /var/log/journal || exit 92
        env -u NOTIFY_SOCKET /lib/systemd/systemd-journald & J=$!
        for i in $(seq 200); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
        bash -c 'echo $$ > "$DIR/daemon.pid"; exec "$OSPREY" run --config "$CONFIG"' 2>"$DIR/stderr.log" & D=$!
        wait $D; rc=$?
        journalctl --sync 2>/dev/null || sleep 0.5
        journalctl -o json --no-pager SYSLOG_IDENTIFIER=osprey > "$DIR/journal.json"
        journalctl -o json --no-pager SYSLOG_IDENTIFIER=osprey OSPREY_COMPONENT=http > "$DIR/journal-http.json"
        kill $J; wait $J
        exit $rc
        """#

    @Test(.enabled(if: getuid() == 0, "needs root for a private mount namespace"))
    func entriesCarryNativeFieldsAndFilterByComponent() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(format: "journal", extra: "[[job]]\nname = \"backup\"\nkind = \"db.backup\"\nevery = \"6h\"\n")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        shell.arguments = ["-m", "--propagation", "private", "bash", "-c", Self.script]
        var environment = ProcessInfo.processInfo.environment
        environment["OSPREY"] = DaemonHarness.binary
        environment["CONFIG"] = daemon.configPath
        environment["DIR"] = daemon.directory
        environment["NOTIFY_SOCKET"] = daemon.notify.path
        shell.environment = environment
        try shell.run()

        try await daemon.notify.wait(for: "READY=1") { $0.contains("READY=1") }
        let pid = try #require(Int32(try String(contentsOfFile: daemon.directory + "/daemon.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        try await eventually("the backup job ran") {
            (try? FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory + "/backups").count) == 1
        }
        try daemon.writeConfig(format: "journal", extra: "[log]\nlevel = \"debug\"\n")
        kill(pid, SIGHUP)
        try await daemon.notify.wait(for: "rejected reload") { $0.contains("configuration rejected") }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while shell.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!shell.isRunning)
        #expect(shell.terminationStatus == 0, "script/daemon exit status \(shell.terminationStatus)")

        func entries(_ file: String) throws -> [[String: Any]] {
            try String(contentsOfFile: daemon.directory + "/" + file, encoding: .utf8).split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        let all = try entries("journal.json")
        let ready = try #require(all.first { $0["MESSAGE"] as? String == "osprey is ready" }, "entries: \(all.count)")
        #expect(ready["PRIORITY"] as? String == "5")
        #expect(ready["SYSLOG_IDENTIFIER"] as? String == "osprey")
        #expect(ready["CODE_FILE"] as? String == "osprey/Services.swift", "the module and file that logged it")
        #expect(Int(ready["CODE_LINE"] as? String ?? "") != nil)
        #expect(ready["CODE_FUNC"] as? String != nil)
        #expect(ready["OSPREY_HTTP_LISTEN"] as? String == "127.0.0.1:\(daemon.port)")
        #expect(ready["OSPREY_STATE_DIR"] as? String == daemon.stateDirectory)

        let rejected = try #require(all.first { $0["PRIORITY"] as? String == "3" })
        #expect(rejected["OSPREY_COMPONENT"] as? String == "config")
        #expect(rejected["OSPREY_CONFIG_FILE"] as? String == daemon.configPath)
        #expect(rejected["OSPREY_CONFIG_LINE"] as? String == "10")
        #expect(rejected["OSPREY_CONFIG_KEY"] as? String == "log")
        #expect((rejected["MESSAGE"] as? String)?.hasSuffix("\(daemon.configPath):10:1: log: [log] is already defined at \(daemon.configPath):3:1") == true, "\(rejected["MESSAGE"] ?? "")")
        #expect(all.contains { $0["MESSAGE"] as? String == "shutting down" })

        let run = try #require(all.first { $0["MESSAGE"] as? String == "job run finished" })
        #expect(run["OSPREY_JOB"] as? String == "backup")
        #expect(run["OSPREY_RUN_ID"] as? String == "1")
        #expect(run["OSPREY_OUTCOME"] as? String == "ok")
        #expect(run["OSPREY_COMPONENT"] as? String == "scheduler")

        let http = try entries("journal-http.json")
        #expect(!http.isEmpty)
        #expect(http.allSatisfy { $0["OSPREY_COMPONENT"] as? String == "http" })
        #expect(try String(contentsOfFile: daemon.directory + "/stderr.log", encoding: .utf8).isEmpty,
                "with journald listening nothing falls back to stderr")
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/journal/socket"), "needs a host without journald"))
    func withoutJournaldTheJournalFormatFallsBackToStderr() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(format: "journal")
        try await daemon.startReady()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains(" notice osprey is ready "), "\(daemon.stderr)")
    }
}
