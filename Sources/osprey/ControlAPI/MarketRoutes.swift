import OspreyControlClient
import OspreyCore
import OspreyHTTP
import OspreyRuntime

struct TokenListPayload: Codable {
    let tokens: [TokenView]
}

struct SignalListPayload: Codable {
    let signals: [Signal]
}

/// `/v1/tokens` and `/v1/signals`: what `osprey tokens` and `osprey signals` show.
struct MarketRoutes {
    let scanner: Scanner
    let store: any MarketStore

    var routes: [ControlRoute] {
        [
            ControlRoute(.get, "/v1/tokens") { request in
                let sortText = request.query["sort"] ?? "volume"
                guard let sort = TokenSort(rawValue: sortText) else {
                    return (400, ControlCodec.encode(ErrorPayload(error: "sort must be one of \(TokenSort.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(sortText)\"")))
                }
                guard let limit = Self.limit(request.query["limit"]) else {
                    return (400, ControlCodec.encode(ErrorPayload(error: "limit must be an integer from 1 to 10000")))
                }
                return (200, ControlCodec.encode(TokenListPayload(tokens: await scanner.tokens(sort: sort, limit: limit))))
            },
            ControlRoute(.get, "/v1/signals") { request in
                let sinceText = request.query["since"] ?? "1h"
                guard let since = DurationText.parse(sinceText) else {
                    return (400, ControlCodec.encode(ErrorPayload(error: "since must be \(DurationText.expected), got \"\(sinceText)\"")))
                }
                guard let limit = Self.limit(request.query["limit"]) else {
                    return (400, ControlCodec.encode(ErrorPayload(error: "limit must be an integer from 1 to 10000")))
                }
                do {
                    return (200, ControlCodec.encode(SignalListPayload(signals: try store.signals(since: WallClock.system.now() - since.seconds, limit: limit))))
                } catch {
                    return (500, ControlCodec.encode(ErrorPayload(error: "cannot read signals: \(error)")))
                }
            },
        ]
    }

    static func limit(_ text: String?) -> Int? {
        guard let text else { return 50 }
        guard let value = Int(text), (1...10_000).contains(value) else { return nil }
        return value
    }
}
