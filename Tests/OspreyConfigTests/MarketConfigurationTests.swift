import OspreyConfig
import OspreyCore
import OspreyTestSupport
import Testing

@Suite struct MarketConfigurationTests {
    @Test func sourcesSignalsAndAScanJob() throws {
        let (_, result) = try load("""
            [scanner]
            max_tracked = 500
            history = "2h"

            [sources.dexscreener]
            base_url = "http://127.0.0.1:9000"
            queries = ["solana meme"]
            chains = ["solana", "base"]
            proxy = "socks5h://127.0.0.1:1080"

            [sources.sim]
            seed = 7

            [[job]]
            name = "scan-dex"
            kind = "scan"
            every = "30s"
            args = { source = "dexscreener" }

            [[signal]]
            name = "spike"
            kind = "volume_spike"
            window = "h1"
            factor = 3.5

            [[signal]]
            name = "fresh"
            kind = "new_pair"
            max_age = "1h"
            min_liquidity_usd = "10000.50"
            cooldown = "30m"
            chains = ["solana"]
            """)
        let configuration = try result.get().configuration
        #expect(configuration.scanner == ScannerSettings(maxTracked: 500, historyWindow: .seconds(7200)))
        #expect(configuration.sources.dexscreener?.baseURL == "http://127.0.0.1:9000")
        #expect(configuration.sources.dexscreener?.proxy == "socks5h://127.0.0.1:1080")
        #expect(configuration.sources.sim?.seed == 7 && configuration.sources.names == ["dexscreener", "sim"])
        #expect(configuration.jobs.first?.args == ["source": "dexscreener"])
        #expect(configuration.signals == [
            SignalRule(name: "spike", condition: .volumeSpike(window: .h1, factor: Decimal("3.5")!)),
            SignalRule(name: "fresh", condition: .newPair(maxAge: .seconds(3600), minLiquidity: Decimal("10000.5")!), cooldown: .seconds(1800), chains: ["solana"]),
        ])
    }

    @Test func everyMistakeIsNamedAtItsPlace() throws {
        let (file, result) = try load("""
            [sources.binanse]
            x = 1

            [sources.dexscreener]
            base_url = "ftp://x"
            requests_per_minute = 0

            [[job]]
            name = "scan-sim"
            kind = "scan"
            every = "10s"
            args = { source = "sim" }

            [[signal]]
            name = "move"
            kind = "price_move"
            percent = "lots"

            [[signal]]
            name = "odd"
            kind = "moon"
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        #expect(errors.problems.map(\.description) == [
            "\(file):1:1: sources.binanse: unknown source; this version has: binance, dexscreener, rpc, sim",
            "\(file):5:12: sources.dexscreener.base_url: expected a URL starting with http:// or https://, found \"ftp://x\"",
            "\(file):6:23: sources.dexscreener.requests_per_minute: expected an integer from 1 to 600, found 0",
            "\(file):12:19: job.scan-sim.args.source: not a configured source (configured: dexscreener)",
            "\(file):14:1: signal.move.window: a price_move signal needs window",
            "\(file):17:11: signal.move.percent: expected a decimal number like 2.5 or \"0.0001\"",
            "\(file):21:8: signal.odd.kind: unknown signal kind \"moon\"; known kinds are new_pair, volume_spike, price_move, liquidity_drop, buy_pressure, gas_above, balance_change",
        ])
    }

    @Test func noFileAtAllMeansTheSimulatedMarket() throws {
        try withTemporaryDirectory { dir in
            let loaded = try ConfigurationLoader(mainFile: nil, defaultMainFile: dir + "/absent.toml").load().get()
            #expect(loaded.files.isEmpty && loaded.configuration == .embeddedDefaults)
            #expect(loaded.configuration.sources.sim != nil && loaded.configuration.jobs.map(\.name) == ["scan-sim"])
        }
    }
}

@Suite struct RPCConfigurationTests {
    @Test func chainsProvidersWalletsAndChainSignals() throws {
        let (file, result) = try load("""
            [sources.rpc]
            requests_per_minute = 300

            [sources.rpc.chains.ethereum]
            kind = "evm"
            providers = ["https://eth.example/v2/0123456789abcdef0123456789abcdef", "https://backup.example"]
            wallets = ["0xAbC"]

            [sources.rpc.chains.solana]
            kind = "solana"
            providers = ["ftp://nope"]

            [[signal]]
            name = "gas"
            kind = "gas_above"
            chain = "ethereum"
            gwei = 80
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted a bad provider URL")
            return
        }
        #expect(errors.problems.map(\.description) == [
            "\(file):11:14: sources.rpc.chains.solana.providers: expected an http:// or https:// URL",
        ])
        let (_, good) = try load("""
            [sources.rpc]
            [sources.rpc.chains.ethereum]
            kind = "evm"
            providers = ["https://eth.example"]
            wallets = ["0xAbC"]
            [[signal]]
            name = "gas"
            kind = "gas_above"
            chain = "ethereum"
            gwei = 80
            [[signal]]
            name = "wallet"
            kind = "balance_change"
            min_change = "0.1"
            """)
        let configuration = try good.get().configuration
        #expect(configuration.sources.rpc?.chains == [RPCSettings.Chain(name: "ethereum", kind: .evm, providers: ["https://eth.example"], wallets: ["0xAbC"])])
        #expect(configuration.signals.map(\.condition) == [.gasAbove(chain: "ethereum", gwei: Decimal(80)), .balanceChange(minChange: Decimal("0.1")!)])
    }
}
