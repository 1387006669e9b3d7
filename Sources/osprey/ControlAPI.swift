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
            ControlRoute(.get, "/v1/status") { _ in (200, Self.json(status())) },
            ControlRoute(.post, "/v1/reload") { _ in
                switch reload.reload() {
                case .success(let change):
                    return (200, Self.json(ReloadPayload(ok: true, appliedLive: change.appliedLive, restartRequired: change.restartRequired, errors: [])))
                case .failure(let errors):
                    return (422, Self.json(ReloadPayload(ok: false, appliedLive: [], restartRequired: [], errors: errors.problems.map(\.description))))
                }
            },
        ]
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(type, from: Data(bytes))
    }
}
