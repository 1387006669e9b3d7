import ServiceLifecycle

/// Applies a component's own settings each time a reload changes them: one value at a time, in reload order,
/// on this service's task (a reload only hands the value over), until shutdown.
public struct SettingsFollower<Settings: Sendable>: Service, CustomStringConvertible {
    public let description: String
    private let updates: AsyncStream<Settings>
    private let apply: @Sendable (Settings) async -> Void

    public init(_ name: String, _ updates: AsyncStream<Settings>, apply: @escaping @Sendable (Settings) async -> Void) {
        (description, self.updates, self.apply) = ("settings(\(name))", updates, apply)
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            for await settings in updates { await apply(settings) }
        }
    }
}
