import Foundation
import OspreyTestSupport
import Testing

/// The scanner inside the real daemon, on the built-in simulated market: no network needed.
@Suite struct MarketDaemonTests {
    static let config = """
        [sources.sim]
        seed = 11
        tokens = 30

        [[job]]
        name = "scan-sim"
        kind = "scan"
        every = "1s"
        args = { source = "sim" }

        [[signal]]
        name = "spike"
        kind = "volume_spike"
        window = "m5"
        factor = 5
        cooldown = "1h"
        """

    struct Tokens: Decodable {
        struct Token: Decodable {
            let token: String
            let priceUsd: String?
            let stale: Bool
        }

        let tokens: [Token]
    }

    struct Signals: Decodable {
        struct Signal: Decodable {
            let rule: String
            let token: String
            let value: String
        }

        let signals: [Signal]
    }

    @Test func theSimulatedMarketShowsTokensAndSignalsWithoutNetwork() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: Self.config)
        try await daemon.startReady()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        func tokens() -> Tokens? {
            (try? daemon.cli(["tokens", "--json", "--limit", "100", "--socket", daemon.controlSocket])).flatMap { try? decoder.decode(Tokens.self, from: Data($0.stdout.utf8)) }
        }
        try await eventually("30 tracked tokens") { tokens()?.tokens.count == 30 }
        let listed = try #require(tokens())
        #expect(listed.tokens.allSatisfy { !$0.stale && $0.priceUsd.flatMap { Decimal(string: $0) } != nil })
        try await eventually("a volume spike", timeout: .seconds(30)) {
            let result = try? daemon.cli(["signals", "--json", "--socket", daemon.controlSocket])
            return ((result?.stdout).flatMap { try? decoder.decode(Signals.self, from: Data($0.utf8)) }?.signals.count ?? 0) > 0
        }
        let table = try daemon.cli(["tokens", "--sort", "age", "--limit", "3", "--socket", daemon.controlSocket])
        #expect(table.status == 0 && table.stdout.hasPrefix("SYMBOL") && table.stdout.split(separator: "\n").count == 4, "\(table.stdout)")
        let readiness = try daemon.get("/readyz").body
        #expect(readiness.contains(#""source:sim":{"detail":"30 pairs in the last scan","required":false,"status":"up"}"#), "\(readiness)")
        #expect(try daemon.metric("osprey_tokens_tracked") == 30)
        #expect(try daemon.metric(#"osprey_source_up{source="sim"}"#) == 1)
        let bad = try daemon.cli(["signals", "--since", "forever", "--socket", daemon.controlSocket])
        #expect(bad.status != 0 && bad.stderr.contains("--since must be a duration"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        // Restarted without any scan job: the tracked set comes back from the database.
        try daemon.writeConfig(extra: "[sources.sim]\nseed = 11\ntokens = 30\n")
        try await daemon.startReady()
        #expect(tokens()?.tokens.count == 30)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
