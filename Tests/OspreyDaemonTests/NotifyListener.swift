import Foundation
import OspreyTestSupport
import Synchronization

/// Plays systemd's side of sd_notify: a datagram socket the daemon writes READY=1, RELOADING=1… to.
final class NotifyListener: Sendable {
    struct Message: Sendable {
        let received: ContinuousClock.Instant
        let text: String
    }

    let path: String
    private let fd: Int32
    private let messages = Mutex<[Message]>([])
    private let closed = Atomic(false)

    init(directory: String) throws {
        path = directory + "/notify.sock"
        fd = try bindUnixSocket(path, type: Int32(SOCK_DGRAM.rawValue))
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receiveLoop() }
        thread.start()
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !closed.load(ordering: .relaxed) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                messages.withLock { $0.append(Message(received: .now, text: text)) }
            }
        }
        Glibc.close(fd)
    }

    func close() {
        closed.store(true, ordering: .relaxed)
    }

    var all: [Message] { messages.withLock { $0 } }

    /// Waits for the first message after `index` whose text satisfies `predicate`; returns its index.
    @discardableResult
    func wait(after index: Int = -1, timeout: Duration = .seconds(15), for description: String,
              _ predicate: (String) -> Bool) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = messages.withLock { list in
                list.indices.first { $0 > index && predicate(list[$0].text) }
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HarnessError("no \(description) notification within \(timeout); received: \(all.map(\.text))")
    }

    func count(where predicate: (String) -> Bool) -> Int {
        messages.withLock { $0.filter { predicate($0.text) }.count }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
