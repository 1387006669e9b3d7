/// How one component of the daemon is doing, as shown by `/readyz` and `osprey status`.
public struct ComponentHealth: Sendable, Equatable {
    public enum Status: String, Sendable {
        case up, degraded, down
    }

    public var status: Status
    /// One human-readable line; never a secret.
    public var detail: String
    /// A required component that is down makes the daemon not ready (503).
    public var required: Bool

    public init(status: Status, detail: String, required: Bool = true) {
        self.status = status
        self.detail = detail
        self.required = required
    }
}

/// The daemon's readiness: ready unless a required component is down.
public struct ReadinessReport: Sendable, Equatable {
    public let components: [String: ComponentHealth]

    public init(components: [String: ComponentHealth]) {
        self.components = components
    }

    public var isReady: Bool {
        !components.values.contains { $0.required && $0.status == .down }
    }

    public var overall: ComponentHealth.Status {
        if !isReady { return .down }
        return components.values.contains { $0.status != .up } ? .degraded : .up
    }
}
