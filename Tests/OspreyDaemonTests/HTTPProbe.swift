import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a fresh TCP connection, so tests see exactly what a scraper sees.
struct HTTPReply {
    let status: Int
    let headers: [String: String]
    let body: String
}

enum HTTPProbe {
    static func request(_ method: String = "GET", port: Int, path: String, headers: [String: String] = [:]) throws -> HTTPReply {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        return try raw(port: port, request + "\r\n")
    }

    /// Sends `text` as it is (any bytes a client may send) from `source` and reads the reply until the
    /// server closes.
    static func raw(port: Int, _ text: String, from source: String = "127.0.0.1") throws -> HTTPReply {
        let fd = try connect(port: port, from: source)
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw HarnessError("send failed") }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 10_000) == 1 else { break }  // 10 s without a byte: give up
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response.append(contentsOf: chunk[0..<count])
        }
        return try parse(String(decoding: response, as: UTF8.self))
    }

    /// A TCP connection to 127.0.0.1:`port` from the loopback address `source` (127.0.0.0/8 is all local,
    /// so tests can be several clients).
    static func connect(port: Int, from source: String = "127.0.0.1") throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &local) { localPointer in
            withUnsafePointer(to: &address) { pointer in
                localPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
                    && pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
            }
        }
        guard connected else {
            close(fd)
            throw HarnessError("cannot connect to 127.0.0.1:\(port) from \(source): errno \(errno)")
        }
        return fd
    }

    /// Whether the server still holds `fd`'s connection open (no EOF, no reset).
    static func isOpen(_ fd: Int32) -> Bool {
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, 0) == 1 else { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    static func parse(_ text: String) throws -> HTTPReply {
        guard let split = text.range(of: "\r\n\r\n") else { throw HarnessError("no complete HTTP response: \(text.prefix(200))") }
        let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ")[1]) else {
            throw HarnessError("bad status line in \(text.prefix(200))")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return HTTPReply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8)
            out += String(decoding: bytes[0..<size], as: UTF8.self)
            rest = Substring(String(decoding: bytes[(size + 2)...], as: UTF8.self))
        }
        return out
    }

    /// A port nobody listens on right now.
    /// A port on 127.0.0.1 that nothing listens on, chosen below the kernel's ephemeral range (32768–60999):
    /// a port from that range could be taken, before the daemon binds it, by any test's outgoing connection.
    static func freePort() -> Int {
        while true {
            let port = Int.random(in: 10_000..<32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if bound == 0 { return port }
        }
    }
}
