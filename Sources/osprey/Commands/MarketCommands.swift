import ArgumentParser
import OspreyCore
import OspreyRuntime

/// `osprey tokens`: the tracked set.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "List tracked tokens with price, liquidity, volume and freshness.")

    @OptionGroup var control: ControlOptions
    @Option(name: .customLong("sort"), help: "volume (24 h), change (|24 h %|) or age (newest pairs first).") var sort = "volume"
    @Option(name: .customLong("limit"), help: "How many tokens (1-10000).") var limit = 25

    func validate() throws {
        guard TokenSort(rawValue: sort) != nil else { throw ValidationError("--sort must be one of \(TokenSort.allCases.map(\.rawValue).joined(separator: ", "))") }
    }

    func run() throws {
        guard let list = try control.answer(TokenListPayload.self, "GET", "/v1/tokens?sort=\(sort)&limit=\(limit)") else { return }
        guard !list.tokens.isEmpty else { return print("no tokens tracked yet (is a scan job configured?)") }
        let now = WallClock.system.now()
        let rows = list.tokens.map { token -> [String] in
            let price = Self.dollars(token.priceUsd, scale: nil)
            let liquidity = Self.dollars(token.liquidityUsd, scale: 0)
            let volume = Self.dollars(token.volumeH24Usd, scale: 0)
            let change = token.changeH24Percent.map { "\($0)%" } ?? "-"
            let age = token.createdAt.map { StatusCommand.duration(now - $0) } ?? "-"
            let updated = StatusCommand.duration(now - token.updatedAt) + " ago"
            return [token.symbol, token.token, price, liquidity, volume, change, age, token.stale ? "STALE " + updated : updated]
        }
        JobsCommand.printTable(["SYMBOL", "TOKEN", "PRICE", "LIQUIDITY", "VOLUME 24H", "CHANGE 24H", "AGE", "UPDATED"], rows)
    }

    static func dollars(_ value: Decimal?, scale: Int?) -> String {
        guard let value else { return "-" }
        return "$" + (scale.map { value.rounded(scale: $0) } ?? value).description
    }
}

/// `osprey signals`: what the rules raised.
struct SignalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "signals", abstract: "List recent signals, newest first.")

    @OptionGroup var control: ControlOptions
    @Option(name: .customLong("since"), help: "How far back, as a duration (15m, 1h, 2d).") var since = "1h"
    @Option(name: .customLong("limit"), help: "How many signals (1-10000).") var limit = 50

    func validate() throws {
        guard DurationText.parse(since) != nil else { throw ValidationError("--since must be \(DurationText.expected), got \"\(since)\"") }
    }

    func run() throws {
        guard let list = try control.answer(SignalListPayload.self, "GET", "/v1/signals?since=\(since)&limit=\(limit)") else { return }
        guard !list.signals.isEmpty else { return print("no signals in the last \(since)") }
        let rows = list.signals.map { [UTCDateTime(unixSeconds: Int64($0.at)).rfc3339(), $0.rule, $0.kind, $0.token, $0.message] }
        JobsCommand.printTable(["AT", "RULE", "KIND", "TOKEN", "WHAT"], rows)
    }
}
