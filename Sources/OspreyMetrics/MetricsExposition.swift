import OspreyCore
import Prometheus

/// Renders the registry plus process metrics as Prometheus text 0.0.4 or OpenMetrics 1.0.
public final class MetricsExposition: Sendable {
    public enum Format: Sendable {
        case prometheus, openMetrics

        /// OpenMetrics only when the scraper's `Accept` header asks for it, as Prometheus itself does.
        public init(accept: String?) {
            self = accept?.contains("application/openmetrics-text") == true ? .openMetrics : .prometheus
        }

        public var contentType: String {
            switch self {
            case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
            case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
            }
        }
    }

    public let registry: PrometheusCollectorRegistry
    private let process: ProcessMetrics

    public init(registry: PrometheusCollectorRegistry, build: BuildInfo) {
        self.registry = registry
        self.process = ProcessMetrics()
        registry.makeGauge(
            descriptor: CatalogMetricsFactory.descriptor(MetricCatalog.buildInfo.name),
            labels: [("version", build.version), ("revision", build.revision), ("swift_version", build.swiftVersion)]
        ).set(to: 1.0)
    }

    public func render(_ format: Format) -> String {
        var text = ""
        process.render(into: &text)
        text += registry.emitToString()
        switch format {
        case .prometheus: return text
        case .openMetrics: return Self.openMetrics(from: text)
        }
    }

    /// Prometheus text → OpenMetrics: counter families drop their `_total` suffix in HELP/TYPE (samples keep
    /// it), and the exposition ends with `# EOF`.
    static func openMetrics(from text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var pendingHelp: Substring?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") {
                pendingHelp = line
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                var name = parts.count > 2 ? parts[2] : ""
                let type = parts.count > 3 ? parts[3] : "unknown"
                if type == "counter" && name.hasSuffix("_total") { name = name.dropLast(6) }
                if let help = pendingHelp {
                    let helpText = help.split(separator: " ", maxSplits: 3).dropFirst(3).first ?? ""
                    out += "# HELP \(name) \(helpText)\n"
                }
                out += "# TYPE \(name) \(type)\n"
                pendingHelp = nil
                continue
            }
            out += line
            out += "\n"
        }
        return out + "# EOF\n"
    }
}
