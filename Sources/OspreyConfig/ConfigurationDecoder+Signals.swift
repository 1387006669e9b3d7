import OspreyCore

/// `[[signal]]` tables (a later file's signal replaces an earlier file's of the same name). Common keys: `name` (required, `[a-z0-9-]`, unique), `kind` (required), `cooldown`
/// (duration, default "1h": a rule fires at most once per token per cooldown), `chains` (default: all).
/// Per kind (all thresholds exact decimals, written as numbers or strings):
///
/// | kind | keys |
/// |---|---|
/// | new_pair | max_age (duration, required), min_liquidity_usd (≥ 0, default 0) |
/// | volume_spike | window ("m5" or "h1", default "m5"), factor (> 0, required) |
/// | price_move | window (duration, required), percent (> 0, required) |
/// | liquidity_drop | window (duration, required), percent (0–100, required) |
/// | buy_pressure | window ("m5", "h1", "h6", "h24", default "m5"), ratio (> 0, required), min_trades (integer ≥ 1, default 10) |
/// | gas_above | chain (an rpc chain name, required), gwei (required) |
/// | balance_change | min_change (native units, default 0: any change) |
extension ConfigurationDecoder {
    static func decodeSignals(_ value: TOMLValue, problems: inout [ConfigurationProblem]) -> [SignalRule] {
        decodeNamedTables(value, key: "signal", problems: &problems, name: \.name, decode: decodeSignal)
    }

    static func decodeSignal(_ table: TOMLTable, label: String, problems: inout [ConfigurationProblem]) -> SignalRule? {
        var reader = SectionReader(table, path: label)
        defer {
            reader.finish()
            problems += reader.problems
        }
        let name = reader.name(noun: "signal")
        let kind = reader.string("kind")
        let cooldown = reader.duration("cooldown")
        let chains = reader.strings("chains")
        guard let (kindText, kindValue) = kind else {
            reader.missing("kind", "every signal needs a kind (\(SignalRule.kinds.joined(separator: ", ")))")
            return nil
        }
        var condition: SignalRule.Condition?
        func required<T>(_ key: String, _ value: T?) -> T? {
            if value == nil && reader.peek(key) == nil { reader.missing(key, "a \(kindText) signal needs \(key)") }
            return value
        }
        switch kindText {
        case "new_pair":
            let age = required("max_age", reader.duration("max_age", minimum: .seconds(1)))
            let liquidity = reader.decimal("min_liquidity_usd") ?? .zero
            if let age { condition = .newPair(maxAge: age, minLiquidity: liquidity) }
        case "volume_spike":
            let window = reader.choice("window", in: [SignalRule.TradeWindow.m5, .h1]) ?? .m5
            if let factor = required("factor", reader.decimal("factor", minimum: Decimal(significand: 1, scale: 2))) {
                condition = .volumeSpike(window: window, factor: factor)
            }
        case "price_move", "liquidity_drop":
            let window = required("window", reader.duration("window", minimum: .seconds(1)))
            let percent = required("percent", reader.decimal("percent", minimum: Decimal(significand: 1, scale: 2)))
            if let window, let percent {
                condition = kindText == "price_move" ? .priceMove(window: window, percent: percent) : .liquidityDrop(window: window, percent: percent)
            }
        case "buy_pressure":
            let window = reader.choice("window", in: SignalRule.TradeWindow.allCases) ?? .m5
            let trades = reader.integer("min_trades", in: 1...1_000_000) ?? 10
            if let ratio = required("ratio", reader.decimal("ratio", minimum: Decimal(significand: 1, scale: 2))) {
                condition = .buyPressure(window: window, ratio: ratio, minTrades: Int64(trades))
            }
        case "gas_above":
            let chain = required("chain", reader.string("chain"))
            if let gwei = required("gwei", reader.decimal("gwei")), let chain {
                condition = .gasAbove(chain: chain.text, gwei: gwei)
            }
        case "balance_change":
            condition = .balanceChange(minChange: reader.decimal("min_change") ?? .zero)
        default:
            reader.report(kindValue, key: "kind", "unknown signal kind \"\(kindText)\"; known kinds are \(SignalRule.kinds.joined(separator: ", "))")
            return nil
        }
        guard let condition, let name, reader.problems.isEmpty else { return nil }
        return SignalRule(name: name, condition: condition, cooldown: cooldown ?? .seconds(3600), chains: chains ?? [])
    }
}
