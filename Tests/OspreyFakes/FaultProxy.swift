import Foundation
import OspreyCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 between Osprey and a fake that breaks the transport under chosen HTTP/1.1
/// requests, as a dying server, a load balancer or a bad network does: it closes before any byte of the
/// reply (after the upstream processed the request), closes after the request's headers or body (the
/// upstream never sees it), cuts the reply off, closes after a full reply (before keep-alive reuse), resets
/// (RST), stalls past the client's timeout, drips the reply slowly, or picks the request up late. Every
/// other request is relayed unchanged, and client connections are kept alive as the upstream's would be.
///
/// Each request goes upstream on a connection of its own (`Connection: close`), so the upstream's framing
/// never has to be parsed: what it sends until it closes is the reply. A thread per client connection;
/// blocking sockets, so the faults are exact.
public final class FaultProxy: Sendable {
    public enum Fault: String, Sendable, CaseIterable {
        /// The request is relayed and processed; the connection closes before any byte of the reply.
        case closeBeforeReply = "close-before-reply"
        /// The request's headers are read, then the connection closes; the upstream never sees it.
        case closeAfterRequestHeaders = "close-after-request-headers"
        /// The whole request is read, then the connection closes; the upstream never sees it.
        case closeAfterRequestBody = "close-after-request-body"
        /// Processed; half the reply is sent, then the connection closes.
        case closeMidReply = "close-mid-reply"
        /// Processed; the whole reply is sent, then the connection closes (a keep-alive client must not reuse it).
        case closeAfterReply = "close-after-reply"
        /// Processed; the connection is reset (RST) instead of answered.
        case reset
        /// Processed; the reply is held back for `stall` (longer than the client waits).
        case stall
        /// Processed; the reply is sent a few bytes at a time, `drip` apart.
        case slowDrip = "slow-drip"
        /// The request waits `pickUp` before it is relayed: a server slow to accept, a full backlog.
        case delayedAccept = "delayed-accept"

        /// Whether the upstream receives the request under this fault.
        public var reachesUpstream: Bool { self != .closeAfterRequestHeaders && self != .closeAfterRequestBody }
    }

    /// Which requests a fault applies to.
    public struct Match: Sendable {
        public var method: String?
        public var path: String?
        /// nil: any; true: only a request on a connection that carried one before (keep-alive reuse); false: only the first.
        public var reused: Bool?

        public init(method: String? = nil, path: String? = nil, reused: Bool? = nil) {
            (self.method, self.path, self.reused) = (method, path, reused)
        }

        public static let any = Match()

        func matches(_ request: Seen) -> Bool {
            (method == nil || method == request.method) && (path == nil || path == request.path) && (reused == nil || reused == request.reused)
        }
    }

    /// A request as the proxy saw it, and the fault it got.
    public struct Seen: Sendable {
        public let method: String
        /// Without the query.
        public let path: String
        public let reused: Bool
        public var fault: Fault?
    }

    struct Chaos {
        var match: Match
        var faults: [Fault]
        var probability: Double
        var generator: SplitMix64
    }

    struct State {
        var queued: [(match: Match, fault: Fault)] = []
        var chaos: Chaos?
        var seen: [Seen] = []
        /// Open client connections.
        var connections: Set<Int32> = []
        var stopped = false
        var keepAlive = true
    }

    public let port: Int
    let upstreamPort: Int
    let stall: Duration
    let drip: Duration
    let pickUp: Duration
    private let listener: Int32
    private let state = Mutex(State())

    /// Listens on a free port of 127.0.0.1 and relays to `upstream` on 127.0.0.1.
    public init(upstream: Int, stall: Duration = .seconds(10), drip: Duration = .milliseconds(20), pickUp: Duration = .milliseconds(300)) throws {
        (upstreamPort, self.stall, self.drip, self.pickUp) = (upstream, stall, drip, pickUp)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound, listen(fd, 512) == 0 else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// The next request that `match` selects gets `fault` (queued faults apply in order, once each).
    public func inject(_ fault: Fault, on match: Match = .any) {
        state.withLock { $0.queued.append((match, fault)) }
    }

    /// From now on each request that `match` selects gets one of `faults` with `probability`, drawn from `seed`.
    public func chaos(_ faults: [Fault], probability: Double, on match: Match = .any, seed: UInt64) {
        state.withLock { $0.chaos = Chaos(match: match, faults: faults, probability: probability, generator: SplitMix64(seed: seed)) }
    }

    /// Off: every reply says `Connection: close` and the connection closes after it, so every request
    /// goes out on a new connection.
    public func keepAlive(_ on: Bool) { state.withLock { $0.keepAlive = on } }

    public func calm() { state.withLock { ($0.chaos, $0.queued) = (nil, []) } }

    /// Every request so far, in arrival order.
    public var seen: [Seen] { state.withLock { $0.seen } }

    /// Stops accepting and closes every connection.
    public func stop() {
        state.withLock { state in
            state.stopped = true
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { close(listener) }

    // MARK: Connections

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(client)
                return true
            }
            guard admitted else {
                close(client)
                return
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer {
            state.withLock { _ = $0.connections.remove(client) }
            close(client)
        }
        var pending: [UInt8] = []
        var served = 0
        while let head = Self.readHead(client, &pending) {
            let (request, length) = Self.parse(head, reused: served > 0)
            served += 1
            let fault = choose(request)
            if fault == .closeAfterRequestHeaders { return }
            guard Self.read(client, &pending, count: length) else { return }
            let body = Array(pending.prefix(length))
            pending.removeFirst(length)
            switch fault {
            case .closeAfterRequestBody: return
            case .delayedAccept: Self.sleep(pickUp)
            default: break
            }
            guard let reply = relay(head, body) else { return }
            let keepAlive = state.withLock { $0.keepAlive }
            let (bytes, complete) = keepAlive ? Self.keepAlive(reply) : (reply, false)
            switch fault {
            case .closeBeforeReply:
                return
            case .reset:
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            case .stall:
                var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                _ = poll(&poller, 1, Int32(stall.components.seconds * 1000 + stall.components.attoseconds / 1_000_000_000_000_000))
                return
            case .closeMidReply:
                Self.write(client, bytes.prefix(bytes.count / 2))
                return
            case .closeAfterReply:
                Self.write(client, bytes[...])
                return
            case .slowDrip:
                for start in stride(from: 0, to: bytes.count, by: 16) {
                    guard Self.write(client, bytes[start..<min(start + 16, bytes.count)]) else { return }
                    Self.sleep(drip)
                }
            case .closeAfterRequestHeaders, .closeAfterRequestBody, .delayedAccept, nil:
                guard Self.write(client, bytes[...]) else { return }
            }
            guard complete else { return }
            guard !state.withLock({ $0.stopped }) else { return }
        }
    }

    private func choose(_ request: Seen) -> Fault? {
        state.withLock { state in
            var request = request
            if let index = state.queued.firstIndex(where: { $0.match.matches(request) }) {
                request.fault = state.queued.remove(at: index).fault
            } else if var chaos = state.chaos, chaos.match.matches(request) {
                if Double(chaos.generator.next() >> 11) / Double(1 << 53) < chaos.probability {
                    request.fault = chaos.faults[Int(chaos.generator.next() % UInt64(chaos.faults.count))]
                }
                state.chaos = chaos
            }
            state.seen.append(request)
            return request.fault
        }
    }

    /// Sends the request upstream on a connection of its own and returns everything the upstream answered.
    private func relay(_ head: [UInt8], _ body: [UInt8]) -> [UInt8]? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        var lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        lines.removeAll { $0.lowercased().hasPrefix("connection:") }
        let outbound = Array((lines.joined(separator: "\r\n") + "\r\nConnection: close\r\n\r\n").utf8) + body
        guard Self.write(upstream, outbound[...]) else { return nil }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(upstream, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            reply += chunk[..<count]
        }
        return reply
    }

    // MARK: HTTP/1.1 framing

    /// The reply without the upstream's `Connection: close`, and whether its body is complete.
    static func keepAlive(_ reply: [UInt8]) -> (bytes: [UInt8], complete: Bool) {
        guard let end = headEnd(reply) else { return (reply, false) }
        let lines = String(decoding: reply[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let kept = lines.filter { !$0.lowercased().hasPrefix("connection:") && !$0.isEmpty }
        let body = reply[(end + 4)...]
        let length = lines.lazy.compactMap { line -> Int? in
            line.lowercased().hasPrefix("content-length:") ? Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) : nil
        }.first
        let complete = length.map { body.count >= $0 } ?? body.suffix(5).elementsEqual("0\r\n\r\n".utf8)
        return (Array((kept.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body, complete)
    }

    static func parse(_ head: [UInt8], reused: Bool) -> (Seen, bodyLength: Int) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        let target = parts.count > 1 ? String(parts[1]) : "/"
        let length = lines.dropFirst().lazy.compactMap { line -> Int? in
            line.lowercased().hasPrefix("content-length:") ? Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) : nil
        }.first ?? 0
        let path = String(target.prefix { $0 != "?" })
        return (Seen(method: parts.first.map(String.init) ?? "", path: path, reused: reused), length)
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        return (0...(bytes.count - 4)).first { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
    }

    /// Reads until a request head is complete; the head (with its blank line), or nil at EOF.
    static func readHead(_ fd: Int32, _ pending: inout [UInt8]) -> [UInt8]? {
        while true {
            if let end = headEnd(pending) {
                let head = Array(pending[..<(end + 4)])
                pending.removeFirst(end + 4)
                return head
            }
            guard receive(fd, &pending) else { return nil }
        }
    }

    static func read(_ fd: Int32, _ pending: inout [UInt8], count: Int) -> Bool {
        while pending.count < count {
            guard receive(fd, &pending) else { return false }
        }
        return true
    }

    static func receive(_ fd: Int32, _ pending: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            pending += chunk[..<count]
            return true
        }
    }

    @discardableResult
    static func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    static func sleep(_ duration: Duration) {
        var time = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&time, &left) != 0 && errno == EINTR { time = left }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}

/// Runs `body` with a fault proxy in front of `upstream`, and stops it afterwards.
public func withFaultProxy<T: Sendable>(upstream: Int, _ body: (FaultProxy) async throws -> T) async throws -> T {
    let proxy = try FaultProxy(upstream: upstream)
    defer { proxy.stop() }
    return try await body(proxy)
}
