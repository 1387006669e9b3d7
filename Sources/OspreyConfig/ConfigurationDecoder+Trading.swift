import OspreyCore

/// `[trading]`, `[trading.paper]`, `[risk]` and `[exchanges.binance]`:
///
/// | key | type | default | applied |
/// |---|---|---|---|
/// | trading.mode | "paper" or "live" | "paper" | restart |
/// | trading.quote_asset | asset name | "USDT" | live |
/// | trading.paper.fee_rate / slippage | decimal 0–0.1 | 0.001 / 0.0005 | restart |
/// | trading.paper.balances | table asset → decimal | { USDT = 1000 } | first start of the paper books |
/// | risk.max_open_positions | integer 1–1000 | 3 | live |
/// | risk.max_position_quote / max_total_exposure_quote / min_quote_reserve | decimal | 100 / 300 / 50 | live |
/// | risk.symbol_cooldown | duration | "15m" | live |
/// | risk.daily_loss_limit_quote | decimal, 0 = off | 50 | live |
/// | exchanges.binance.base_url / key / recv_window_ms | URL / key store name / 1–60000 | api.binance.com / none / 5000 | restart |
/// | exchanges.binance.weight_per_minute / timeout / proxy | 100–120000 / duration / URL | 6000 / "10s" / none | restart |
extension ConfigurationDecoder {
    static func decodeTrading(_ reader: inout SectionReader, into settings: inout TradingSettings) {
        if let mode = reader.choice("mode", as: TradingSettings.Mode.self) { settings.mode = mode }
        if let (asset, value) = reader.string("quote_asset") {
            if isAsset(asset) { settings.quoteAsset = asset } else { reader.report(value, key: "quote_asset", "expected an asset name like \"USDT\" (A–Z, 0–9)") }
        }
        guard let paper = reader.value("paper") else { return }
        guard case .table(let table) = paper.kind else {
            return reader.report(paper, key: "paper", "expected a table ([trading.paper]), found \(paper.typeDescription)")
        }
        var nested = SectionReader(table, path: "trading.paper")
        for (key, path) in [("fee_rate", \PaperSettings.feeRate), ("slippage", \PaperSettings.slippage)] {
            guard let rate = nested.decimal(key) else { continue }
            if rate > Decimal("0.1")! { nested.report(nested.peek(key)!, key: key, "expected a fraction from 0 to 0.1, found \(rate)") } else { settings.paper[keyPath: path] = rate }
        }
        if let balances = nested.value("balances") {
            if case .table(let assets) = balances.kind {
                var reader = SectionReader(assets, path: "trading.paper.balances")
                var parsed: [String: Decimal] = [:]
                for asset in reader.keys {
                    guard isAsset(asset) else {
                        reader.report(reader.peek(asset)!, key: asset, "expected an asset name like \"USDT\" (A–Z, 0–9)")
                        continue
                    }
                    if let amount = reader.decimal(asset) { parsed[asset] = amount }
                }
                reader.finish()
                nested.absorb(reader)
                settings.paper.startingBalances = parsed
            } else {
                nested.report(balances, key: "balances", "expected a table of asset = amount, found \(balances.typeDescription)")
            }
        }
        nested.finish()
        reader.absorb(nested)
    }

    static func decodeRisk(_ reader: inout SectionReader, into limits: inout RiskLimits) {
        if let count = reader.integer("max_open_positions", in: 1...1000) { limits.maxOpenPositions = count }
        if let amount = reader.decimal("max_position_quote") { limits.maxPositionQuote = amount }
        if let amount = reader.decimal("max_total_exposure_quote") { limits.maxTotalExposureQuote = amount }
        if let amount = reader.decimal("min_quote_reserve") { limits.minQuoteReserve = amount }
        if let cooldown = reader.duration("symbol_cooldown") { limits.symbolCooldown = cooldown }
        if let amount = reader.decimal("daily_loss_limit_quote") { limits.dailyLossLimitQuote = amount }
    }

    static func decodeExchanges(_ reader: inout SectionReader, into settings: inout BinanceTradingSettings) {
        for name in reader.keys {
            guard let value = reader.value(name) else { continue }
            guard name == "binance" else {
                reader.report(value, key: name, "unknown exchange; this version trades on: binance")
                continue
            }
            guard case .table(let table) = value.kind else {
                reader.report(value, key: name, "expected a table ([exchanges.binance]), found \(value.typeDescription)")
                continue
            }
            var nested = SectionReader(table, path: "exchanges.binance")
            if let url = nested.url("base_url", schemes: ["http", "https"]) { settings.baseURL = url }
            if let (key, _) = nested.string("key") { settings.key = key }
            if let window = nested.integer("recv_window_ms", in: 1...60_000) { settings.receiveWindow = .milliseconds(window) }
            if let weight = nested.integer("weight_per_minute", in: 100...120_000) { settings.weightPerMinute = weight }
            if let timeout = nested.duration("timeout", minimum: .seconds(1)) { settings.timeout = timeout }
            settings.proxy = nested.url("proxy", schemes: ["http", "https", "socks4", "socks4a", "socks5", "socks5h"])
            nested.finish()
            reader.absorb(nested)
        }
    }

    /// Live trading needs an exchange key: named where the mode is set.
    static func checkLiveTrading(_ root: TOMLTable, configuration: DaemonConfiguration, problems: inout [ConfigurationProblem]) {
        guard configuration.trading.mode == .live, configuration.trading.binance.key == nil else { return }
        guard let location = (root["trading"]?.value).flatMap({ value -> TOMLValue? in
            if case .table(let table) = value.kind { return table["mode"]?.value }
            return nil
        })?.location else { return }
        problems.append(ConfigurationProblem(at: location, key: "trading.mode",
            "\"live\" needs [exchanges.binance].key, the name of a key stored with `osprey keys add`"))
    }

    static func isAsset(_ text: String) -> Bool {
        (1...12).contains(text.utf8.count) && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
