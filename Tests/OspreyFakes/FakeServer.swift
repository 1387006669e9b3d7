import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Runs a Hummingbird router on 127.0.0.1 (a free port) for the duration of `body`: the fake exchanges,
/// DEX APIs and RPC nodes that the network code is tested against.
public func withFakeServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: @Sendable (_ port: Int) async throws -> T
) async throws -> T {
    let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: Logger(label: "fake") { _ in SwiftLogNoOpLogHandler() })
    return try await withThrowingTaskGroup(of: T?.self) { group in
        let services = ServiceGroup(services: [app], logger: Logger(label: "fake") { _ in SwiftLogNoOpLogHandler() })
        group.addTask {
            try await services.run()
            return nil
        }
        var ports = stream.makeAsyncIterator()
        guard let port = await ports.next() else { throw CancellationError() }
        let result = try await body(port)
        await services.triggerGracefulShutdown()
        while let next = try await group.next() { if next != nil { break } }
        return result
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
public func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
