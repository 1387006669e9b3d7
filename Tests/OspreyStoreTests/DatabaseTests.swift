import Foundation
import Logging
import OspreyStore
import OspreyTestSupport
import Testing

let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// The `StoreError` that `body` throws, or nil (recording an issue) if it throws none.
func storeError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
    do {
        try body()
        Issue.record("no error was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("\(error) is not a StoreError", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite struct DatabaseTests {
    @Test func createsTheDirectoryAndAppliesMigrationsOnce() throws {
        try withTemporaryDirectory { dir in
            let state = dir + "/nested/state"
            let database = try Database(directory: state, logger: quiet)
            let version = try database.read { try $0.query("PRAGMA user_version").first?[0].integer }
            #expect(version == Int64(Schema.migrations.count))
            let mode = try database.read { try $0.query("PRAGMA journal_mode").first?[0].text }
            #expect(mode == "wal")
            let foreignKeys = try database.read { try $0.query("PRAGMA foreign_keys").first?[0].integer }
            #expect(foreignKeys == 1)
            database.close()
            // Reopening applies nothing again (a second CREATE TABLE would fail).
            let again = try Database(directory: state, logger: quiet)
            again.close()
            var info = stat()
            #expect(stat(state, &info) == 0 && info.st_mode & 0o777 == 0o750)
        }
    }

    @Test func aFailingMigrationLeavesTheSchemaAsItWas() throws {
        try withTemporaryDirectory { dir in
            let migrations = [
                Migration(version: 1, name: "good", sql: "CREATE TABLE kept (id INTEGER);"),
                Migration(version: 2, name: "bad", sql: "CREATE TABLE broken (id INTEGER"),
            ]
            #expect(throws: StoreError.self) { try Database(directory: dir, migrations: migrations, logger: quiet) }
            let database = try Database(directory: dir, migrations: [], logger: quiet)
            defer { database.close() }
            let version = try database.read { try $0.query("PRAGMA user_version").first?[0].integer }
            let tables = try database.read { try $0.query("SELECT name FROM sqlite_master WHERE name = 'kept'") }
            #expect(version == 0)
            #expect(tables.isEmpty)
        }
    }

    @Test func aNewerSchemaIsRefused() throws {
        try withTemporaryDirectory { dir in
            try Database(directory: dir, logger: quiet).close()
            let error = storeError { _ = try Database(directory: dir, migrations: [], logger: quiet) }
            #expect(error?.shortDescription == "schema_too_new")
            #expect(error?.description.contains("newer than this osprey knows") == true)
        }
    }

    @Test func aCorruptFileIsReportedWithItsPath() throws {
        try withTemporaryDirectory { dir in
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: dir + "/osprey.db"))
            let error = storeError { _ = try Database(directory: dir, logger: quiet) }
            #expect(error?.shortDescription == "corrupt")
            #expect(error?.description.contains("\(dir)/osprey.db is damaged") == true)
        }
    }

    @Test func aStateDirectoryThatCannotExistIsNamed() throws {
        try withTemporaryDirectory { dir in
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
            let file = storeError { _ = try Database(directory: dir + "/file", logger: quiet) }
            #expect(file?.description == "the state directory \(dir)/file is not usable: it is not a directory")
            let below = storeError { _ = try Database(directory: dir + "/file/below", logger: quiet) }
            #expect(below?.shortDescription == "not_writable")
            #expect(below?.description.contains("Not a directory") == true)
        }
    }

    @Test func aWriterBlockedByAnotherConnectionGetsALockedError() throws {
        try withTemporaryDirectory { dir in
            let holder = try Database(directory: dir, logger: quiet)
            let blocked = try Database(directory: dir, busyTimeoutMilliseconds: 100, logger: quiet)
            defer {
                blocked.close()
                holder.close()
            }
            try holder.read { try $0.query("BEGIN IMMEDIATE") }
            let error = storeError {
                _ = try blocked.write { try $0.execute("INSERT INTO daemon_run (started_at, version) VALUES (1, 'x')") }
            }
            #expect(error?.shortDescription == "locked")
            #expect(error?.description.contains("locked by another process") == true)
            try holder.read { try $0.query("ROLLBACK") }
            try blocked.write { try $0.execute("INSERT INTO daemon_run (started_at, version) VALUES (1, 'x')") }
        }
    }

    @Test func aThrowingTransactionIsRolledBack() throws {
        try withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            #expect(throws: StoreError.self) {
                try database.write(durable: true) { connection in
                    try connection.execute("INSERT INTO daemon_run (started_at, version) VALUES (1, 'x')")
                    try connection.execute("INSERT INTO no_such_table VALUES (1)")
                }
            }
            let count = try database.read { try $0.query("SELECT count(*) FROM daemon_run").first?[0].integer }
            #expect(count == 0)
        }
    }

    @Test func valuesRoundTripExactly() throws {
        try withTemporaryDirectory { dir in
            let database = try Database(directory: dir, migrations: [
                Migration(version: 1, name: "t", sql: "CREATE TABLE t (a, b, c, d, e);"),
            ], logger: quiet)
            defer { database.close() }
            let values: [SQLValue] = [.null, .integer(Int64.min), .real(0.1), .text("0.00000001 BTC — ünïcode"), .blob([0, 1, 255])]
            let row = try database.write { connection in
                try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", values)
                return try connection.query("SELECT * FROM t").first
            }
            #expect(row?.values == values)
            #expect(row?["d"] == .text("0.00000001 BTC — ünïcode"))
        }
    }

    @Test func theRunLogTellsWhetherThePreviousRunStoppedCleanly() throws {
        try withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let log = DaemonRunLog(database)
            let first = try log.recordStart(version: "1", at: 100)
            #expect(first.previousRunClean == nil)
            try log.recordStop(runID: first.runID, at: 200)
            let second = try log.recordStart(version: "1", at: 300)
            #expect(second.previousRunClean == true)
            let third = try log.recordStart(version: "1", at: 400)
            #expect(third.previousRunClean == false)
            #expect(third.totalRuns == 3)
        }
    }
}
