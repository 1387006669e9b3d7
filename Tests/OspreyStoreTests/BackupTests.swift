import Foundation
import OspreyCore
import OspreyStore
import OspreyTestSupport
import Testing

@Suite struct BackupTests {
    @Test func aBackupIsAVerifiedSelfContainedCopyAndOnlyTheNewestAreKept() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir + "/state", logger: quiet)
            defer { database.close() }
            let table = JobRunTable(database)
            for slot in Int64(0)..<500 { _ = try await table.skipped(job: "scan", scheduledAt: slot, trigger: .schedule, at: Double(slot), reason: "x") }

            let backups = dir + "/state/backups"
            var files: [String] = []
            for (offset, at) in [Int64(1_800_000_000), 1_800_000_000, 1_800_021_600].enumerated() {
                let result = try await database.backup(into: backups, keep: 2, at: at)
                files.append(result.file)
                #expect(result.bytes > 0)
                #expect(result.removed == (offset == 2 ? [files[0]] : []))
            }
            #expect(files.map { ($0 as NSString).lastPathComponent } == [
                "osprey-20270115T080000Z.db", "osprey-20270115T080000Z-2.db", "osprey-20270115T140000Z.db",
            ])
            let left = try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
            #expect(left == ["osprey-20270115T080000Z-2.db", "osprey-20270115T140000Z.db"], "no -wal, -journal or .partial files")

            // The copy opens on its own and holds the data.
            let restoreDir = dir + "/restore"
            try FileManager.default.createDirectory(atPath: restoreDir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: files[2], toPath: restoreDir + "/" + Database.fileName)
            let restored = try Database(directory: restoreDir, logger: quiet)
            defer { restored.close() }
            #expect(try JobRunTable(restored).history(job: "scan", limit: 1000).count == 500)
        }
    }

    @Test func aCancelledBackupLeavesNothingBehind() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let backups = dir + "/backups"
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await database.backup(into: backups, keep: 3, at: 1_800_000_000)
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(try FileManager.default.contentsOfDirectory(atPath: backups).isEmpty)
        }
    }

    @Test func anUnwritableBackupDirectoryIsANamedError() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir + "/state", logger: quiet)
            defer { database.close() }
            try "not a directory".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
            do {
                _ = try await database.backup(into: dir + "/file", keep: 1, at: 0)
                Issue.record("expected an error")
            } catch let error as StoreError {
                #expect(error.description == "the backup directory \(dir)/file is not usable: it is not a directory")
            }
        }
    }
}
