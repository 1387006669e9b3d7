import ServiceLifecycle

/// Runs an action when graceful shutdown reaches it. Its place in the ServiceGroup decides when:
/// last in the list runs first (announce STOPPING), first in the list runs last (close the database).
public struct ShutdownHook: Service, CustomStringConvertible {
    public let description: String
    private let action: @Sendable () -> Void

    public init(_ name: String, _ action: @escaping @Sendable () -> Void) {
        self.description = name
        self.action = action
    }

    public func run() async throws {
        try? await gracefulShutdown()
        action()
    }
}
