import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Native journal entries through `sd_journal_sendv`, so `journalctl -u osprey OSPREY_COMPONENT=http`
/// filters by field. Used only after `JournalSocket.isAvailable` said journald listens: libsystemd reports
/// success even when nobody does.
enum JournalSink {
    /// Each field is one iovec `NAME=value`; values may contain newlines (the journal keeps them).
    static func send(_ record: LogRecord) -> Int32 {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in record.fields {
            let start = bytes.count
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: field.value.utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeMutableBytes { buffer in
            var vectors = ranges.map { iovec(iov_base: buffer.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}

/// Whether journald is there to receive entries, and whether stderr is connected to it.
public enum JournalSocket {
    public static let path = "/run/systemd/journal/socket"

    public static var isAvailable: Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// True when `$JOURNAL_STREAM` (set by systemd) names the device and inode of our stderr.
    public static var stderrIsJournal: Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        let parts = value.split(separator: ":")
        var info = stat()
        guard parts.count == 2, fstat(2, &info) == 0 else { return false }
        return parts[0] == "\(info.st_dev)" && parts[1] == "\(info.st_ino)"
    }
}
