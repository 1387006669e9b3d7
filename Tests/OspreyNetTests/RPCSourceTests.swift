import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import Testing

@Suite struct RPCSourceTests {
    func source(_ chains: [RPCSettings.Chain]) -> RPCSource {
        RPCSource(settings: RPCSettings(chains: chains, timeout: .seconds(5)), client: fakeServerClient, gate: SourceGate(
            source: "rpc", budgets: ["default": (600, .seconds(60))], clock: ContinuousClock(),
            backoff: Backoff(base: .milliseconds(20), cap: .milliseconds(50)), maxAttempts: 3, seed: 3))
    }

    @Test func evmStateInOneBatchExactToTheWei() async throws {
        let node = FakeRPCNode(kind: .evm)
        node.setBalance("0xwallet", "0xde0b6b3a7640001")  // 1 ETH + 1 wei
        try await withFakeServer(node.router) { port in
            let chain = RPCSettings.Chain(name: "ethereum", kind: .evm, providers: ["http://127.0.0.1:\(port)/"], wallets: ["0xwallet"])
            let batch = try await source([chain]).scan(refresh: [], now: 1000)
            let state = try #require(batch.chains.first)
            #expect(state.height == 0x1396a2f && state.gasPriceGwei == Decimal(30))
            #expect(state.balances["0xwallet"]?.description == "1.000000000000000001")
            #expect(node.calls == ["eth_blockNumber", "eth_gasPrice", "eth_getBalance"])
        }
    }

    @Test func aNodeWithoutBatchesGetsSingleCallsAndSolanaWorks() async throws {
        let node = FakeRPCNode(kind: .solana, batches: false)
        node.setBalance("So1Wallet", "1500000000")
        try await withFakeServer(node.router) { port in
            let chain = RPCSettings.Chain(name: "solana", kind: .solana, providers: ["http://127.0.0.1:\(port)/"], wallets: ["So1Wallet"])
            let state = try #require(try await source([chain]).scan(refresh: [], now: 1000).chains.first)
            #expect(state.height == 301_234_567 && state.balances["So1Wallet"] == Decimal("1.5"))
        }
    }

    @Test func aFailingProviderIsRotatedAway() async throws {
        let down = FakeRPCNode(kind: .evm)
        down.setFailing(true)
        let up = FakeRPCNode(kind: .evm)
        try await withFakeServer(down.router) { downPort in
            try await withFakeServer(up.router) { upPort in
                let chain = RPCSettings.Chain(
                    name: "ethereum", kind: .evm,
                    providers: ["http://127.0.0.1:\(downPort)/?key=SECRET", "http://127.0.0.1:\(upPort)/"])
                let source = source([chain])
                let state = try #require(try await source.scan(refresh: [], now: 1000).chains.first)
                #expect(state.gasPriceGwei == Decimal(30))
                #expect(down.requests == 1, "tried first (configured order), failed with 503")
                _ = try await source.scan(refresh: [], now: 1001)
                #expect(down.requests == 1 && up.calls.count == 4, "the second scan goes straight to the healthy provider: \(up.calls)")
            }
        }
    }
}
