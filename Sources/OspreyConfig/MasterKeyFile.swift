import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// The master key file: one URL-safe base64 Fernet key per line (the first encrypts, any decrypts; blank
/// lines and `#` comments ignored). Like ssh with private keys, a file that others could read is refused.
public enum MasterKeyFile {
    public struct Problem: CodedError, Sendable {
        public let description: String
        public var code: String { "master_key" }
        init(_ description: String) { self.description = description }
    }

    /// The key lines of `path` after checking its type, owner and mode. Never echoes the content.
    public static func read(_ path: String) -> Result<[String], Problem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT {
                return .failure(Problem("the master key file \(path) does not exist; create one with `osprey keys init`"))
            }
            return .failure(Problem("cannot open the master key file \(path): \(reason)"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return .failure(Problem("the master key file \(path) is not a regular file"))
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            return .failure(Problem(
                "permissions \(octal(mode)) for the master key file \(path) are too open: it must not be readable by group or others; run: chmod 0400 \(path)"))
        }
        guard info.st_uid == 0 || info.st_uid == geteuid() else {
            return .failure(Problem(
                "the master key file \(path) is owned by uid \(info.st_uid), not root or the running user (uid \(geteuid())); run: chown root:root \(path)"))
        }
        guard let bytes = TextFile.readAll(fd, limit: 65536) else {
            if errno == EFBIG { return .failure(Problem("the master key file \(path) is far too large to be a key file")) }
            return .failure(Problem("cannot read the master key file \(path): \(String(cString: strerror(errno)))"))
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !lines.isEmpty else { return .failure(Problem("the master key file \(path) holds no key")) }
        return .success(lines)
    }

    /// Creates `path` with mode 0400 holding `lines`; refuses to overwrite anything.
    public static func create(_ path: String, lines: [String]) -> Result<Void, Problem> {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o400)
        guard fd >= 0 else {
            if errno == EEXIST { return .failure(Problem("\(path) already exists; refusing to overwrite a key file")) }
            return .failure(Problem("cannot create \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        return write(fd, lines: lines, path: path)
    }

    /// Replaces `path` atomically (a 0400 temporary file beside it, fsync, rename, fsync of the directory),
    /// so a crash leaves either the old file or the new one.
    public static func replace(_ path: String, lines: [String]) -> Result<Void, Problem> {
        let temporary = path + ".new"
        unlink(temporary)
        if case .failure(let problem) = create(temporary, lines: lines) { return .failure(problem) }
        var info = stat()
        if stat(path, &info) == 0 { _ = chown(temporary, info.st_uid, info.st_gid) }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return .failure(Problem("cannot replace \(path): \(reason)"))
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
        return .success(())
    }

    private static func write(_ fd: Int32, lines: [String], path: String) -> Result<Void, Problem> {
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            return .failure(Problem("cannot write \(path): \(String(cString: strerror(errno)))"))
        }
        return .success(())
    }

    static func octal(_ mode: mode_t) -> String {
        let text = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

extension Substring {
    var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
