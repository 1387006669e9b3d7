import Foundation
import OspreyTestSupport
import Testing

/// The state directory on a small tmpfs (root mounts it): a full disk takes the store down in /readyz with
/// the reason, the free-space gauge says so, the failing checkpoint is logged without flooding the journal,
/// and freeing space brings everything back; a start on a full disk says "full", not "disk I/O error".
@Suite(.serialized) struct DiskFullTests {
    /// A 16 MiB tmpfs at `<daemon directory>/small`, unmounted afterwards.
    func withSmallDisk(_ daemon: DaemonHarness, _ body: (String) async throws -> Void) async throws {
        let mountPoint = daemon.directory + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint])
        try #require(mounted.status == 0, "mount tmpfs (needs root): \(mounted.output)")
        defer { _ = try? runProcess("/bin/umount", ["-l", mountPoint]) }
        daemon.stateDirectory = mountPoint + "/state"
        try await body(mountPoint)
    }

    /// Writes zeros into `path` until the disk is full.
    func fill(_ path: String) throws {
        _ = try runProcess("/bin/dd", ["if=/dev/zero", "of=\(path)", "bs=64k"])
    }

    static let scanning = """
        [sources.sim]
        tokens = 200
        [[job]]
        name = "scan"
        kind = "scan"
        every = "1s"
        args = { source = "sim" }
        """

    @Test func aFullDiskTakesTheStoreDownAndFreeingSpaceBringsItBack() async throws {
        let daemon = try DaemonHarness()
        try await withSmallDisk(daemon) { disk in
            try daemon.writeConfig(extra: Self.scanning)
            try await daemon.startReady()
            try await eventually("ready", timeout: .seconds(15)) { (try? daemon.get("/readyz").status) == 200 }
            try fill(disk + "/fill")
            let filled = ContinuousClock.now
            try await eventually("the store is down because the disk is full", timeout: .seconds(15)) {
                guard let reply = try? daemon.get("/readyz") else { return false }
                return reply.status == 503 && reply.body.contains(#""store":{"detail":"the disk holding"#) && reply.body.contains("is full")
            }
            #expect(try daemon.metric("osprey_store_free_bytes").map { $0 < 65536 } == true)
            try await Task.sleep(for: .seconds(3))
            let checkpointLines = daemon.logRecords.filter { $0["MESSAGE"] == "WAL checkpoint failed" }.count
            #expect(checkpointLines <= 2, "the failing checkpoint (4 a second) was logged \(checkpointLines) times in \(filled.duration(to: .now))")
            try FileManager.default.removeItem(atPath: disk + "/fill")
            try await eventually("ready again once space is free", timeout: .seconds(10)) { (try? daemon.get("/readyz").status) == 200 }
            #expect(daemon.logRecords.contains { $0["MESSAGE"] == "WAL checkpoint failed: recovered" } || checkpointLines == 0)
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0)
        }
    }

    @Test func startingOnAFullDiskSaysTheDiskIsFull() async throws {
        let daemon = try DaemonHarness()
        try await withSmallDisk(daemon) { disk in
            try daemon.writeConfig()
            try fill(disk + "/fill")
            try daemon.start()
            #expect(try await daemon.waitForExit() == 1)
            #expect(daemon.stderr.contains("is full"), "\(daemon.stderr.suffix(600))")
            #expect(!daemon.stderr.contains("disk I/O error"))
        }
    }
}
