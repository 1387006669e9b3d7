import Foundation
import Testing

@Suite struct StartupTests {
    @Test func checkConfigValidatesWithoutStarting() throws {
        let daemon = try DaemonHarness()
        let good = try daemon.cli(["check-config", "--config", daemon.configPath])
        #expect(good.status == 0)
        #expect(good.stdout == "configuration OK: \(daemon.configPath)\n")

        try daemon.writeConfig(level: "loud")
        let bad = try daemon.cli(["check-config", "--config", daemon.configPath])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("error: \(daemon.configPath):4:9: log.level: expected one of \"trace\""))
        #expect(bad.stderr.hasSuffix("configuration has 1 problem\n"))
        #expect(!FileManager.default.fileExists(atPath: daemon.stateDirectory), "check-config touches no state")

        let missing = try daemon.cli(["check-config", "--config", daemon.directory + "/absent.toml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(daemon.directory)/absent.toml: the file does not exist"))
    }

    @Test func anInvalidConfigurationStopsStartWithItsLocation() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: "[http]\nlisten = 80\n")
        try daemon.start()
        #expect(try await daemon.waitForExit() == 1)
        #expect(daemon.stderr.contains("osprey: configuration error: \(daemon.configPath):10:1: http: "), "\(daemon.stderr)")
        #expect(daemon.notify.all.isEmpty, "no READY for a daemon that did not start")
    }

    @Test func anUnusableStateDirectoryIsOneClearLineAndExit1() async throws {
        let daemon = try DaemonHarness()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: daemon.stateDirectory))
        try daemon.start()
        #expect(try await daemon.waitForExit() == 1)
        let critical = try #require(daemon.logRecords.first { $0["PRIORITY"] == "2" })
        #expect(critical["MESSAGE"] == "cannot start: the state directory \(daemon.stateDirectory) is not usable: it is not a directory")
        #expect(critical["OSPREY_ERROR_KIND"] == "not_writable")
    }

    @Test func aCorruptDatabaseIsNamedNotCrashedOn() async throws {
        let daemon = try DaemonHarness()
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: daemon.stateDirectory + "/osprey.db"))
        try daemon.start()
        #expect(try await daemon.waitForExit() == 1)
        let critical = try #require(daemon.logRecords.first { $0["PRIORITY"] == "2" })
        #expect(critical["MESSAGE"]?.hasPrefix("cannot start: the database \(daemon.stateDirectory)/osprey.db is damaged") == true)
    }

    @Test func aBusyPortAndASecondDaemonAreRefused() async throws {
        let first = try DaemonHarness()
        try await first.startReady()

        // Same HTTP port, its own socket and state: the bind error names the address.
        let second = try DaemonHarness()
        try second.writeConfig(extra: "")
        let text = try String(contentsOfFile: second.configPath, encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:\(second.port)", with: "127.0.0.1:\(first.port)")
        try text.write(toFile: second.configPath, atomically: true, encoding: .utf8)
        try second.start()
        #expect(try await second.waitForExit() == 1)
        #expect(second.stderr.contains("Address already in use"), "\(second.stderr)")

        // Same control socket: refused before binding, and the first daemon keeps its socket.
        let third = try DaemonHarness()
        let thirdText = try String(contentsOfFile: third.configPath, encoding: .utf8)
            .replacingOccurrences(of: third.controlSocket, with: first.controlSocket)
        try thirdText.write(toFile: third.configPath, atomically: true, encoding: .utf8)
        try third.start()
        #expect(try await third.waitForExit() == 1)
        #expect(third.stderr.contains("another osprey is already serving \(first.controlSocket)"), "\(third.stderr)")
        #expect(try first.cli(["status", "--socket", first.controlSocket]).status == 0)

        first.signal(SIGTERM)
        #expect(try await first.waitForExit() == 0)
    }

    @Test func aKilledRunIsNoticedAtTheNextStart() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        daemon.signal(SIGKILL)
        _ = try await daemon.waitForExit()
        try await daemon.startReady()
        #expect(daemon.logRecords.contains { $0["MESSAGE"] == "the previous run did not shut down cleanly" })
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        try await daemon.startReady()
        #expect(daemon.logRecords.filter { $0["MESSAGE"] == "the previous run did not shut down cleanly" }.isEmpty)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

@Suite struct CheckConfigJobsTests {
    /// `check-config` lists the jobs it validated, so an operator sees what the daemon will run.
    @Test func checkConfigListsTheJobsItWillRun() throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: JobsTests.jobs + "\nenabled = false\n")
        let check = try daemon.cli(["check-config", "--config", daemon.configPath])
        #expect(check.status == 0)
        #expect(check.stdout.hasSuffix("job backup: db.backup, every 6h\njob prune: db.prune, cron 15 3 * * * (disabled)\n"), "\(check.stdout)")
    }
}

@Suite struct StorageStartupTests {
    /// Run as an unprivileged user (nobody), the daemon cannot write a root-owned state directory: one line, exit 1.
    @Test(.enabled(if: getuid() == 0, "needs root to switch to nobody"))
    func anUnwritableStateDirectoryIsNamed() async throws {
        let daemon = try DaemonHarness()
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: daemon.stateDirectory)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: daemon.directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: daemon.configPath)
        let result = try DaemonHarness.runBinary(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.binary, "run", "--config", daemon.configPath],
            viaExecutable: "/usr/bin/setpriv")
        #expect(result.status == 1)
        let critical = result.stderr.split(separator: "\n").filter { $0.contains("\"PRIORITY\":\"2\"") }
        #expect(critical.count == 1, "\(result.stderr)")
        #expect(critical.first?.contains("cannot start: the state directory \(daemon.stateDirectory) is not usable: Permission denied (uid 65534 needs write access)") == true)
    }

    /// Another process holding the database's write lock: after the busy timeout, one line and exit 1.
    @Test func aDatabaseLockedByAnotherProcessIsNamed() async throws {
        let daemon = try DaemonHarness()
        try await daemon.startReady()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(30)
            """, daemon.stateDirectory + "/osprey.db"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.terminate() }
        _ = output.fileHandleForReading.availableData  // "locked"

        try daemon.start()
        #expect(try await daemon.waitForExit(timeout: .seconds(20)) == 1)
        let critical = try #require(daemon.logRecords.first { $0["PRIORITY"] == "2" })
        #expect(critical["MESSAGE"] == "cannot start: the database \(daemon.stateDirectory)/osprey.db is locked by another process; is another osprey running?")
    }
}
