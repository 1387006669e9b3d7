import Foundation
import OspreyStore
import OspreyTestSupport
import Testing

@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func concurrentWritesAllLandAndAFailingOneUndoesOnlyItself() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let insert = "INSERT INTO job_run (job, scheduled_at, trigger, attempt) VALUES (?, ?, 'schedule', 1)"
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for slot in Int64(0)..<300 {
                    group.addTask {
                        try await database.commit { connection in
                            try connection.execute(insert, [.text("scan"), .integer(slot)])
                            return connection.lastInsertRowID
                        }
                    }
                }
                group.addTask {
                    try await database.commit { connection in
                        try connection.execute(insert, [.text("doomed"), .integer(0)])
                        throw Refused()
                    }
                }
                var ids: [Int64] = []
                while let next = await group.nextResult() {
                    if case .success(let id) = next { ids.append(id) }
                }
                return ids
            }
            #expect(Set(ids).count == 300, "each write got its own row id")
            let counts = try database.read { connection in
                try connection.query("SELECT job, count(*) FROM job_run GROUP BY job").map { "\($0[0].text ?? "")=\($0[1].integer ?? 0)" }
            }
            #expect(counts == ["scan=300"], "the failing write was rolled back alone")
            await #expect(throws: Refused.self) { try await database.commit { _ in throw Refused() } as Int }
        }
    }

    @Test func checkpointsCopyTheWALFromTheirOwnConnectionWhileWritesGoOn() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let insert = "INSERT INTO job_run (job, scheduled_at, trigger, attempt) VALUES ('scan', ?, 'schedule', 1)"
            for slot in Int64(0)..<200 { try await database.commit { try $0.execute(insert, [.integer(slot)]) } }
            let walBytes = { () -> Int64 in
                var info = stat()
                return stat(dir + "/osprey.db-wal", &info) == 0 ? Int64(info.st_size) : -1
            }
            #expect(walBytes() > 0)
            #expect(try database.checkpoint() == 0, "every committed page was copied into the database file")
            try await database.commit { try $0.execute(insert, [.integer(200)]) }
            #expect(try database.checkpoint() == 0)
            #expect(try database.read { try $0.query("SELECT count(*) FROM job_run").first?[0].integer } == 201)
        }
    }
}
