#if canImport(Glibc)
import Glibc
#endif

/// Free space on the filesystem holding a directory, as an unprivileged writer sees it (`statvfs`).
enum DiskSpace {
    /// Below this, a write that failed with an I/O error failed because the disk is full.
    static let nearlyFull: UInt64 = 64 * 1024

    static func available(_ directory: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    static func isFull(_ directory: String) -> Bool {
        available(directory).map { $0 < nearlyFull } ?? false
    }
}

extension String {
    /// The directory part of a file path.
    var directoryPart: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }
}
