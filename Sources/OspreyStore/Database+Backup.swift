import CSQLite
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// What one `db.backup` run produced.
public struct BackupResult: Sendable {
    public let file: String
    public let bytes: Int64
    /// Older backups deleted to keep the newest `keep`.
    public let removed: [String]
}

/// Online backups with SQLite's backup API: a consistent copy while the daemon keeps writing (WAL readers do
/// not block writers), verified with `quick_check`, written as `.partial` and renamed only once complete,
/// so `backups/` never holds a half copy under a final name.
extension Database {
    static let backupPrefix = "osprey-"
    static let backupSuffix = ".db"

    public func backup(into directory: String, keep: Int, at unixSeconds: Int64) async throws -> BackupResult {
        try Self.prepareDirectory(directory, role: "backup")
        Self.removeStalePartials(in: directory, olderThan: unixSeconds - 3600)
        let stamp = UTCDateTime(unixSeconds: unixSeconds).compact
        var name = Self.backupPrefix + stamp + Self.backupSuffix
        var counter = 2
        while access(directory + "/" + name, F_OK) == 0 {
            name = Self.backupPrefix + stamp + "-\(counter)" + Self.backupSuffix
            counter += 1
        }
        let target = directory + "/" + name
        let partial = target + ".partial"
        do {
            try await copy(to: partial)
            try Self.durablyRename(partial, to: target, in: directory)
        } catch {
            unlink(partial)
            unlink(partial + "-journal")
            throw error
        }
        var info = stat()
        stat(target, &info)
        return BackupResult(file: target, bytes: Int64(info.st_size), removed: Self.removeOldBackups(in: directory, keep: keep))
    }

    /// Copies the database page by page from one read snapshot, checking for cancellation between steps.
    private func copy(to target: String) async throws {
        let source = try Connection(path: path, readOnly: true)
        defer { source.close() }
        let destination = try Connection(path: target)
        defer { destination.close() }
        try source.query("BEGIN")
        try source.query("SELECT count(*) FROM sqlite_schema")  // opens the read snapshot the whole copy uses
        defer { _ = try? source.query("COMMIT") }
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw StoreError.backup(target, String(cString: sqlite3_errmsg(destination.handle)))
        }
        var rc: Int32 = SQLITE_OK
        while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
            if Task.isCancelled {
                sqlite3_backup_finish(backup)
                throw CancellationError()
            }
            rc = sqlite3_backup_step(backup, 1024)
            await Task.yield()
        }
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw StoreError.backup(target, String(cString: sqlite3_errstr(rc == SQLITE_DONE ? finish : rc)))
        }
        try destination.query("PRAGMA journal_mode=DELETE")  // one self-contained file, no -wal beside it
        let check = try destination.query("PRAGMA quick_check").compactMap { $0[0].text }
        guard check == ["ok"] else {
            throw StoreError.backup(target, "the copy failed quick_check: \(check.prefix(3).joined(separator: "; "))")
        }
    }

    private static func durablyRename(_ partial: String, to target: String, in directory: String) throws {
        for path in [partial, directory] {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StoreError.backup(target, "cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { Glibc.close(fd) }
            if path == directory {
                guard rename(partial, target) == 0 else { throw StoreError.backup(target, "cannot rename: \(String(cString: strerror(errno)))") }
            }
            guard fsync(fd) == 0 else { throw StoreError.backup(target, "fsync \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Deletes all but the newest `keep` backups; returns the deleted paths.
    static func removeOldBackups(in directory: String, keep: Int) -> [String] {
        let backups = entries(of: directory)
            .filter { $0.hasPrefix(backupPrefix) && $0.hasSuffix(backupSuffix) }
            .sorted { order($0) < order($1) }
        return backups.dropLast(keep).map { directory + "/" + $0 }.filter { unlink($0) == 0 }
    }

    /// `osprey-20261122T030000Z-2.db` sorts after `osprey-20261122T030000Z.db`.
    private static func order(_ name: String) -> (String, Int) {
        let core = name.dropFirst(backupPrefix.count).dropLast(backupSuffix.count)
        let parts = core.split(separator: "-", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 0 : 1)
    }

    /// `.partial` files left by a daemon killed mid-backup.
    private static func removeStalePartials(in directory: String, olderThan cutoff: Int64) {
        for name in entries(of: directory) where name.hasPrefix(backupPrefix) && name.hasSuffix(".partial") {
            var info = stat()
            let path = directory + "/" + name
            if stat(path, &info) == 0 && Int64(info.st_mtim.tv_sec) < cutoff { unlink(path) }
        }
    }

    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
