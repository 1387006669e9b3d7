import OspreyCore
#if canImport(Glibc)
import Glibc
#endif

/// The admin CLI's side of the control API: one HTTP/1.1 request over the daemon's Unix socket.
/// A plain socket client: a local request needs none of libcurl's features, and not linking it keeps the
/// daemon's memory free of TLS and protocol libraries it does not use.
public struct ControlClient: Sendable {
    public let socketPath: String
    public let timeoutSeconds: Int

    public init(socketPath: String, timeoutSeconds: Int = 30) {
        self.socketPath = socketPath
        self.timeoutSeconds = timeoutSeconds
    }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public func send(_ method: String, _ path: String, body: [UInt8]? = nil) throws(ControlClientError) -> Response {
        let fd = try connect()
        defer { close(fd) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: osprey\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        try write(fd, Array((request + "\r\n").utf8) + (body ?? []))
        return try HTTPResponseParser.parse(try readAll(fd), from: socketPath)
    }

    private func connect() throws(ControlClientError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw unreachable(errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw ControlClientError("the control socket path \(socketPath) is longer than a Unix socket allows")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw unreachable(code)
        }
        return fd
    }

    private func unreachable(_ code: Int32) -> ControlClientError {
        let reason = String(cString: strerror(code))
        if code == EACCES {
            return ControlClientError("cannot reach the osprey daemon at \(socketPath): \(reason); run as root or as a member of group osprey")
        }
        return ControlClientError("cannot reach the osprey daemon at \(socketPath): \(reason); is it running (systemctl status osprey)?")
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw ControlClientError("sending to the osprey daemon at \(socketPath) failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    private func readAll(_ fd: Int32) throws(ControlClientError) -> [UInt8] {
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                let reason = errno == EAGAIN ? "no answer within \(timeoutSeconds) s" : String(cString: strerror(errno))
                throw ControlClientError("reading from the osprey daemon at \(socketPath) failed: \(reason)")
            }
            if count == 0 { return response }
            response.append(contentsOf: chunk[0..<count])
            guard response.count <= 64 << 20 else { throw ControlClientError("the daemon's answer is larger than 64 MiB") }
        }
    }
}

public struct ControlClientError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension ControlClientError: CodedError {
    public var code: String { "control_unreachable" }
}
