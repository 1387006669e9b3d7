import OspreyCore

/// `[[strategy]]` tables, applied live (a later file's strategy replaces an earlier one of the same name).
/// Common keys: `name` (required, `[a-z0-9-]`), `kind` (required), `symbols` (exchange symbols; `["*"]`
/// allows any, signal strategies only), `quote` (quote amount per entry, > 0, required), `enabled`
/// (default true), exits `stop_loss`, `take_profit`, `trailing_stop` (percent, > 0) and `max_holding` (duration).
///
/// | kind | keys |
/// |---|---|
/// | signal | signals (names of `[[signal]]` rules; default: every rule) |
/// | sma_cross | fast, slow (integers 1–500, fast < slow, required), interval (kline interval, default "1h") |
/// | rsi | period (2–100, default 14), buy_below (default 30), sell_above (default 70), interval (default "1h") |
extension ConfigurationDecoder {
    static func decodeStrategies(_ value: TOMLValue, problems: inout [ConfigurationProblem]) -> [StrategySpec] {
        decodeNamedTables(value, key: "strategy", problems: &problems, name: \.name, decode: decodeStrategy)
    }

    static func decodeStrategy(_ table: TOMLTable, label: String, problems: inout [ConfigurationProblem]) -> StrategySpec? {
        var reader = SectionReader(table, path: label)
        defer {
            reader.finish()
            problems += reader.problems
        }
        let name = reader.name(noun: "strategy")
        let symbols = reader.strings("symbols") ?? []
        let quote = reader.decimal("quote", minimum: Decimal(significand: 1, scale: 8))
        if quote == nil && reader.peek("quote") == nil { reader.missing("quote", "every strategy needs quote, the amount each entry spends") }
        let exits = ExitRules(
            stopLossPercent: reader.decimal("stop_loss", minimum: Decimal(significand: 1, scale: 4)),
            takeProfitPercent: reader.decimal("take_profit", minimum: Decimal(significand: 1, scale: 4)),
            trailingStopPercent: reader.decimal("trailing_stop", minimum: Decimal(significand: 1, scale: 4)),
            maxHolding: reader.duration("max_holding", minimum: .seconds(1)))
        let enabled = reader.boolean("enabled") ?? true
        let interval = reader.choice("interval", as: KlineInterval.self) ?? .h1
        guard let (kindText, kindValue) = reader.string("kind") else {
            reader.missing("kind", "every strategy needs a kind (signal, sma_cross, rsi)")
            return nil
        }
        var kind: StrategySpec.Kind?
        switch kindText {
        case "signal":
            kind = .signal(rules: reader.strings("signals") ?? [])
        case "sma_cross":
            let fast = reader.integer("fast", in: 1...500)
            let slow = reader.integer("slow", in: 2...500)
            if let fast, let slow {
                if fast < slow { kind = .smaCross(fast: fast, slow: slow, interval: interval) } else { reader.missing("fast", "fast (\(fast)) must be below slow (\(slow))") }
            } else if reader.peek("fast") == nil || reader.peek("slow") == nil {
                reader.missing("fast", "a sma_cross strategy needs fast and slow")
            }
        case "rsi":
            let period = reader.integer("period", in: 2...100) ?? 14
            let buy = reader.decimal("buy_below") ?? Decimal(30)
            let sell = reader.decimal("sell_above") ?? Decimal(70)
            if buy < sell && sell <= Decimal(100) { kind = .rsi(period: period, buyBelow: buy, sellAbove: sell, interval: interval) } else {
                reader.missing("buy_below", "buy_below (\(buy)) must be below sell_above (\(sell)), both within 0–100")
            }
        default:
            reader.report(kindValue, key: "kind", "unknown strategy kind \"\(kindText)\"; known kinds are signal, sma_cross, rsi")
        }
        if symbols.contains("*"), kindText != "signal", let value = reader.peek("symbols") {
            reader.report(value, key: "symbols", "\"*\" is for signal strategies; a \(kindText) strategy names its symbols")
        }
        if symbols.isEmpty { reader.missing("symbols", "every strategy needs symbols (exchange symbols like \"BTCUSDT\", or [\"*\"] for a signal strategy)") }
        guard reader.problems.isEmpty, let kind, let quote, let name else { return nil }
        return StrategySpec(name: name, kind: kind, symbols: symbols, quote: quote, exits: exits, enabled: enabled)
    }

    /// Signal strategies name configured `[[signal]]` rules; kline strategies need `[sources.binance]` for klines.
    static func checkStrategies(_ value: TOMLValue?, configuration: DaemonConfiguration, problems: inout [ConfigurationProblem]) {
        guard let value, case .array(let tables) = value.kind else { return }
        let rules = Set(configuration.signals.map(\.name))
        for element in tables {
            guard case .table(let table) = element.kind, case .string(let name)? = table["name"]?.value.kind,
                  let strategy = configuration.strategies.first(where: { $0.name == name }) else { continue }
            switch strategy.kind {
            case .signal(let names):
                for name in names where !rules.contains(name) {
                    problems.append(ConfigurationProblem(at: element.location, key: "strategy.\(strategy.name).signals",
                        "\"\(name)\" is not a configured [[signal]] (configured: \(rules.sorted().joined(separator: ", ")))"))
                }
            case .smaCross, .rsi:
                if configuration.sources.binance == nil {
                    problems.append(ConfigurationProblem(at: element.location, key: "strategy.\(strategy.name).kind",
                        "\(strategy.kind.name) reads Binance klines: add [sources.binance]"))
                }
            }
        }
    }
}
