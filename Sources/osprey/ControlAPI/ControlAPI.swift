import OspreyControlClient
import OspreyCore
import OspreyHTTP
import OspreyRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

/// What `GET /v1/status` returns and `osprey status` prints.
struct StatusPayload: Codable {
    struct Component: Codable {
        let status: String
        let detail: String
    }

    let version: String
    let revision: String
    let pid: Int32
    let startedAt: Double
    let uptimeSeconds: Double
    let stateDirectory: String
    let controlSocket: String
    let httpListen: String
    let logLevel: String
    let configFiles: [String]
    let lastReloadErrors: [String]
    let ready: Bool
    let overall: String
    let components: [String: Component]
}

/// What `POST /v1/reload` returns.
struct ReloadPayload: Codable {
    let ok: Bool
    let appliedLive: [String]
    let restartRequired: [String]
    let errors: [String]
}

/// An error answer: `{"error": "..."}`.
struct ErrorPayload: Codable {
    let error: String
}

/// The control API routes of the daemon's own state. Later capabilities add theirs beside these.
struct ControlAPI {
    let status: @Sendable () -> StatusPayload
    let reload: ReloadService
    let scheduler: Scheduler<ContinuousClock>
    let scanner: Scanner
    let signals: any MarketStore
    let trading: TradingRoutes

    var routes: [ControlRoute] {
        statusRoutes + JobRoutes(scheduler: scheduler).routes + MarketRoutes(scanner: scanner, store: signals).routes + trading.routes
    }

    private var statusRoutes: [ControlRoute] {
        [
            ControlRoute(.get, "/v1/status") { _ in (200, ControlCodec.encode(status())) },
            ControlRoute(.post, "/v1/reload") { _ in
                switch reload.reload() {
                case .success(let change):
                    return (200, ControlCodec.encode(ReloadPayload(ok: true, appliedLive: change.appliedLive, restartRequired: change.restartRequired, errors: [])))
                case .failure(let errors):
                    return (422, ControlCodec.encode(ReloadPayload(ok: false, appliedLive: [], restartRequired: [], errors: errors.problems.map(\.description))))
                }
            },
        ]
    }
}
