import Metrics
import OspreyCore
import Synchronization

/// What every component reports about itself; behind `/readyz`, `osprey status`, the STATUS= line and
/// `osprey_component_up{component}`.
public final class HealthRegistry: Sendable {
    private let components = Mutex<[String: ComponentHealth]>([:])
    private let onChange: @Sendable (ReadinessReport) -> Void

    public init(onChange: @escaping @Sendable (ReadinessReport) -> Void = { _ in }) {
        self.onChange = onChange
    }

    public func set(_ component: String, _ health: ComponentHealth) {
        let report: ReadinessReport? = components.withLock { components in
            guard components[component] != health else { return nil }
            components[component] = health
            return ReadinessReport(components: components)
        }
        guard let report else { return }
        let value: Double = switch health.status {
        case .up: 1
        case .degraded: 0.5
        case .down: 0
        }
        Gauge(label: MetricCatalog.componentUp.name, dimensions: [("component", component)]).record(value)
        onChange(report)
    }

    /// Forgets components whose names start with `prefix` and are not in `keep` (e.g. deleted keys).
    public func removeAll(prefix: String, except keep: Set<String>) {
        let removed: [String] = components.withLock { components in
            let stale = components.keys.filter { $0.hasPrefix(prefix) && !keep.contains($0) }
            for name in stale { components[name] = nil }
            return stale
        }
        // Unregister the series: left at 0 it would read as "down" and keep alerts firing for something gone.
        for name in removed {
            Gauge(label: MetricCatalog.componentUp.name, dimensions: [("component", name)]).destroy()
        }
        if !removed.isEmpty { onChange(report) }
    }

    public var report: ReadinessReport {
        ReadinessReport(components: components.withLock { $0 })
    }
}
