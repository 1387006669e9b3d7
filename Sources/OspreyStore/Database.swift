import CSQLite
import Logging
import Metrics
import OspreyCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's SQLite database: WAL, busy timeout, foreign keys, a quick integrity check and the
/// migrations, all at open. One connection behind a mutex; statements are microseconds, so callers use it
/// directly from async code (frequent small writes go through `commit`, the group commit). WAL checkpoints,
/// which fsync, run from `checkpoint()` on a second connection and a thread of their own, so that no
/// commit waits for the disk.
public final class Database: Sendable {
    public static let fileName = "osprey.db"
    /// WAL pages after which a commit checkpoints by itself: only a backstop for when nobody calls
    /// `checkpoint()` (tools, tests); the daemon checkpoints every 250 ms, long before.
    static let autoCheckpointPages = 10_000

    public let path: String
    private let connection: Mutex<Connection>
    private let checkpointer: Mutex<Connection>
    let committer = GroupCommitter()
    /// The last write the disk refused (full, I/O error), until a transaction or a checkpoint succeeds:
    /// while it is set, the store is down, however well reads still work.
    private let writeFailure = Mutex<StoreError?>(nil)
    private let freeBytes = Gauge(label: MetricCatalog.storeFreeBytes.name)

    /// Opens (creating if needed) `<directory>/osprey.db` and brings its schema up to date.
    /// Every failure is one `StoreError` sentence naming the path and the cause.
    public init(
        directory: String, migrations: [Migration] = Schema.migrations, busyTimeoutMilliseconds: Int32 = 5000, logger: Logger
    ) throws(StoreError) {
        try Self.prepareDirectory(directory)
        let path = directory + "/" + Self.fileName
        let connection = try Connection(path: path)
        do throws(StoreError) {
            connection.waitOnLocks(upTo: busyTimeoutMilliseconds)
            let mode = try connection.query("PRAGMA journal_mode=WAL").first?[0].text
            guard mode == "wal" else { throw StoreError.cannotOpen(path, "WAL journal mode is unavailable (got \(mode ?? "nothing"))") }
            try connection.query("PRAGMA foreign_keys=ON")
            try connection.query("PRAGMA synchronous=NORMAL")
            let check = try connection.query("PRAGMA quick_check").compactMap { $0[0].text }
            guard check == ["ok"] else { throw StoreError.corrupt(path, check.prefix(3).joined(separator: "; ")) }
            try connection.query("PRAGMA wal_autocheckpoint=\(Self.autoCheckpointPages)")
            try Migrator(migrations: migrations).migrate(connection, logger: logger)
        } catch {
            connection.close()
            throw error
        }
        let checkpointer: Connection
        do throws(StoreError) {
            checkpointer = try Connection(path: path)
            checkpointer.waitOnLocks(upTo: busyTimeoutMilliseconds)
        } catch {
            connection.close()
            throw error
        }
        self.path = path
        self.connection = Mutex(connection)
        self.checkpointer = Mutex(checkpointer)
    }

    /// Creates the directory (0750) if missing and checks it can hold the database.
    static func prepareDirectory(_ directory: String, role: String = "state") throws(StoreError) {
        var info = stat()
        if stat(directory, &info) != 0 {
            guard errno == ENOENT else { throw .notWritable(directory, String(cString: strerror(errno)), role: role) }
            var prefix = ""
            for part in directory.split(separator: "/") {
                prefix += (prefix.isEmpty && !directory.hasPrefix("/") ? "" : "/") + part
                if mkdir(prefix, 0o750) != 0 && errno != EEXIST {
                    throw .notWritable(directory, "cannot create it: \(String(cString: strerror(errno)))", role: role)
                }
            }
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw .notWritable(directory, "it is not a directory", role: role)
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw .notWritable(directory, "\(String(cString: strerror(errno))) (uid \(getuid()) needs write access)", role: role)
        }
    }

    /// Runs `body` with exclusive use of the connection (no transaction).
    @discardableResult
    public func read<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        try connection.withLock { (connection: inout Connection) throws -> T in try body(connection) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, rolled back if it throws.
    /// `durable` commits with `synchronous=FULL` (the ledger's setting): the commit survives power loss.
    @discardableResult
    public func write<T: Sendable>(durable: Bool = false, _ body: (Connection) throws -> T) throws -> T {
        try connection.withLock { (connection: inout Connection) throws -> T in
            if durable { try connection.query("PRAGMA synchronous=FULL") }
            defer { if durable { _ = try? connection.query("PRAGMA synchronous=NORMAL") } }
            try connection.query("BEGIN IMMEDIATE")
            do {
                let result = try body(connection)
                try connection.query("COMMIT")
                noteWrite(nil)
                return result
            } catch {
                _ = try? connection.query("ROLLBACK")
                noteWrite(error)
                throw error
            }
        }
    }

    /// A cheap round trip through the connection, the free space, and whether writes reach the disk: the
    /// store's heartbeat probe (it throws while the disk refuses writes, so `/readyz` says why).
    public func ping() throws {
        try read { connection in _ = try connection.query("SELECT 1") }
        if let free = DiskSpace.available(path.directoryPart) { freeBytes.record(Double(free)) }
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
    }

    /// Records how a write or checkpoint ended: a disk failure marks the store down, a success clears it.
    private func noteWrite(_ error: (any Error)?) {
        guard let error else {
            writeFailure.withLock { $0 = nil }
            return
        }
        if let failure = error as? StoreError, failure.failsWrites { writeFailure.withLock { $0 = failure } }
    }

    /// Copies committed WAL pages into the database file and fsyncs it (`PASSIVE`: it waits for no reader
    /// or writer, and none waits for it). Blocking: call it from a thread of its own. Returns the WAL pages
    /// it could not copy yet (a reader still needed them), 0 when the database file is up to date.
    @discardableResult
    public func checkpoint() throws -> Int {
        do {
            let left = try checkpointer.withLock { (connection: inout Connection) throws -> Int in
                guard let row = try connection.query("PRAGMA wal_checkpoint(PASSIVE)").first else { return 0 }
                return Int((row[1].integer ?? 0) - (row[2].integer ?? 0))
            }
            noteWrite(nil)
            return left
        } catch {
            noteWrite(error)
            throw error
        }
    }

    /// Checkpoints the WAL and closes; the last step of a clean shutdown.
    public func close() {
        checkpointer.withLock { $0.close() }
        connection.withLock { connection in
            _ = try? connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
        }
    }
}
