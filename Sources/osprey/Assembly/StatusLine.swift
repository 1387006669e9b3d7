import OspreyCore
import OspreyRuntime

/// The one-line STATUS= text systemd shows in `systemctl status osprey`.
struct StatusLine: Sendable {
    let store: ConfigurationStore

    func text(_ report: ReadinessReport) -> String {
        let problems = report.components.filter { $0.value.status != .up }.keys.sorted()
        let state = problems.isEmpty ? "running" : "\(report.overall.rawValue): \(problems.joined(separator: ", "))"
        let files = store.files.count
        return "\(state); http \(store.current.http.listen); config \(files) file\(files == 1 ? "" : "s")"
    }
}
