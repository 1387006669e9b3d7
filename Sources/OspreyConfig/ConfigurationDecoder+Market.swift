import OspreyCore

/// `[scanner]`, `[sources.<name>]` and `[[signal]]`, all applied live:
///
/// | key | type | default |
/// |---|---|---|
/// | scanner.max_tracked | integer 10–100000 | 2000 |
/// | scanner.history | duration 5m–7d | "6h" |
/// | sources.sim.seed / tokens / listing_every / stale_after | integer / 1–1000 / duration / duration | 42 / 40 / "5m" / "2m" |
/// | sources.dexscreener.base_url | http(s) URL | "https://api.dexscreener.com" |
/// | sources.dexscreener.requests_per_minute / token_requests_per_minute | 1–600 / 1–3000 | 60 / 300 |
/// | sources.dexscreener.stale_after / timeout | duration | "5m" / "10s" |
/// | sources.dexscreener.proxy | URL (http, https, socks5, socks5h) | none |
/// | sources.dexscreener.queries / chains | arrays of strings | [] |
/// | sources.dexscreener.discover | boolean | true |
/// | sources.binance.base_url / weight_per_minute / quote_assets | URL / 100–120000 / strings | "https://api.binance.com" / 6000 / ["USDT"] |
/// | sources.binance.stale_after / timeout / proxy | duration / duration / URL | "2m" / "10s" / none |
/// | sources.rpc.requests_per_minute / stale_after / timeout | 1–6000 / duration / duration | 120 / "2m" / "10s" |
/// | sources.rpc.chains.<name>.kind / providers / wallets | "evm" or "solana" / URLs / addresses | required / required / [] |
/// | [[signal]] name, kind, cooldown, chains + the kind's thresholds | see docs/configuration.md | |
extension ConfigurationDecoder {
    static func decodeScanner(_ reader: inout SectionReader, into settings: inout ScannerSettings) {
        if let count = reader.integer("max_tracked", in: 10...100_000) { settings.maxTracked = count }
        if let window = reader.duration("history", minimum: .seconds(300)) {
            if window > .seconds(7 * 86400), let value = reader.peek("history") {
                reader.report(value, key: "history", "at most 7d")
            } else {
                settings.historyWindow = window
            }
        }
    }

    static func decodeSources(_ reader: inout SectionReader, into settings: inout SourcesSettings) {
        for name in reader.keys {
            guard let value = reader.value(name) else { continue }
            guard case .table(let table) = value.kind else {
                reader.report(value, key: name, "expected a table ([sources.\(name)]), found \(value.typeDescription)")
                continue
            }
            var source = SectionReader(table, path: "sources.\(name)")
            switch name {
            case "sim": settings.sim = decodeSim(&source)
            case "dexscreener": settings.dexscreener = decodeDexScreener(&source)
            case "binance": settings.binance = decodeBinance(&source)
            case "rpc": settings.rpc = decodeRPC(&source)
            default:
                reader.report(value, key: name, "unknown source; this version has: \(SourcesSettings.known.joined(separator: ", "))")
                continue
            }
            source.finish()
            reader.absorb(source)
        }
    }

    static func decodeSim(_ reader: inout SectionReader) -> SimSourceSettings {
        var settings = SimSourceSettings()
        if let seed = reader.integer("seed", in: 0...Int.max) { settings.seed = UInt64(seed) }
        if let tokens = reader.integer("tokens", in: 1...1000) { settings.tokens = tokens }
        if let every = reader.duration("listing_every", minimum: .seconds(1)) { settings.listingEvery = every }
        if let stale = reader.duration("stale_after", minimum: .seconds(1)) { settings.staleAfter = stale }
        return settings
    }

    static func decodeDexScreener(_ reader: inout SectionReader) -> DexScreenerSettings {
        var settings = DexScreenerSettings()
        if let url = reader.url("base_url", schemes: ["http", "https"]) { settings.baseURL = url }
        if let rate = reader.integer("requests_per_minute", in: 1...600) { settings.requestsPerMinute = rate }
        if let rate = reader.integer("token_requests_per_minute", in: 1...3000) { settings.tokenRequestsPerMinute = rate }
        if let stale = reader.duration("stale_after", minimum: .seconds(1)) { settings.staleAfter = stale }
        if let timeout = reader.duration("timeout", minimum: .seconds(1)) { settings.timeout = timeout }
        settings.proxy = reader.url("proxy", schemes: ["http", "https", "socks4", "socks4a", "socks5", "socks5h"])
        if let queries = reader.strings("queries") { settings.queries = queries }
        if let chains = reader.strings("chains") { settings.chains = chains }
        if let discover = reader.boolean("discover") { settings.discover = discover }
        return settings
    }

    static func decodeBinance(_ reader: inout SectionReader) -> BinanceMarketSettings {
        var settings = BinanceMarketSettings()
        if let url = reader.url("base_url", schemes: ["http", "https"]) { settings.baseURL = url }
        if let weight = reader.integer("weight_per_minute", in: 100...120_000) { settings.weightPerMinute = weight }
        if let quotes = reader.strings("quote_assets") { settings.quoteAssets = quotes }
        if let stale = reader.duration("stale_after", minimum: .seconds(1)) { settings.staleAfter = stale }
        if let timeout = reader.duration("timeout", minimum: .seconds(1)) { settings.timeout = timeout }
        settings.proxy = reader.url("proxy", schemes: ["http", "https", "socks4", "socks4a", "socks5", "socks5h"])
        return settings
    }

    /// `[sources.rpc]` with one `[sources.rpc.chains.<name>]` table per chain: `kind` ("evm" or "solana"),
    /// `providers` (http(s) URLs, tried healthiest first), `wallets` (addresses to watch).
    static func decodeRPC(_ reader: inout SectionReader) -> RPCSettings {
        var settings = RPCSettings()
        if let rate = reader.integer("requests_per_minute", in: 1...6000) { settings.requestsPerMinute = rate }
        if let stale = reader.duration("stale_after", minimum: .seconds(1)) { settings.staleAfter = stale }
        if let timeout = reader.duration("timeout", minimum: .seconds(1)) { settings.timeout = timeout }
        guard let value = reader.value("chains") else {
            if let location = reader.tableLocation {
                reader.problem(at: location, key: "chains", "an rpc source needs at least one [sources.rpc.chains.<name>] table")
            }
            return settings
        }
        guard case .table(let table) = value.kind else {
            reader.report(value, key: "chains", "expected tables like [sources.rpc.chains.ethereum], found \(value.typeDescription)")
            return settings
        }
        for name in table.keys {
            guard let entry = table[name], case .table(let chainTable) = entry.value.kind else { continue }
            var chain = SectionReader(chainTable, path: "sources.rpc.chains.\(name)")
            let kind = chain.choice("kind", as: RPCSettings.ChainKind.self)
            var providers: [String] = []
            if let value = chain.value("providers"), case .array(let elements) = value.kind, !elements.isEmpty {
                for element in elements {
                    guard case .string(let url) = element.kind, url.hasPrefix("http://") || url.hasPrefix("https://"), !url.contains(" ") else {
                        chain.report(element, key: "providers", "expected an http:// or https:// URL")
                        continue
                    }
                    providers.append(url)
                }
            } else {
                chain.problem(at: chainTable.location, key: "providers", "a chain needs providers = [\"https://…\"]")
            }
            let wallets = chain.strings("wallets") ?? []
            if kind == nil && chainTable["kind"] == nil { chain.problem(at: chainTable.location, key: "kind", "a chain needs kind = \"evm\" or \"solana\"") }
            chain.finish()
            reader.absorb(chain)
            if let kind, !providers.isEmpty { settings.chains.append(RPCSettings.Chain(name: name, kind: kind, providers: providers, wallets: wallets)) }
        }
        return settings
    }

    /// A job argument that names something configured (a `scan` job's `source`, a `strategy.evaluate`
    /// job's `strategy`) must name one that exists.
    static func checkReferences(
        _ jobsValue: TOMLValue, kind: JobKind, argument: String, configured: [String], noun: String, problems: inout [ConfigurationProblem]
    ) {
        guard case .array(let tables) = jobsValue.kind else { return }
        for element in tables {
            guard case .table(let table) = element.kind, case .string(kind.name)? = table["kind"]?.value.kind else { continue }
            let label = table["name"].flatMap { if case .string(let name) = $0.value.kind { "job.\(name)" } else { nil } } ?? "job"
            let hint = configured.isEmpty ? "no \(noun) is configured" : "configured: \(configured.joined(separator: ", "))"
            guard case .table(let args)? = table["args"]?.value.kind, let entry = args[argument] else {
                problems.append(ConfigurationProblem(
                    at: table.location, key: "\(label).args.\(argument)", "a \(kind.name) job needs args = { \(argument) = \"<name>\" } (\(hint))"))
                continue
            }
            guard case .string(let name) = entry.value.kind, configured.contains(name) else {
                problems.append(ConfigurationProblem(at: entry.value.location, key: "\(label).args.\(argument)", "not a configured \(noun) (\(hint))"))
                continue
            }
        }
    }
}
