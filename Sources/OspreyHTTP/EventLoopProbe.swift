import NIOCore
import NIOPosix

/// A round trip through every NIO event loop that serves HTTP: returns only if none is blocked.
public enum EventLoopProbe {
    public static func probe() async throws {
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            try await loop.submit {}.get()
        }
    }
}
