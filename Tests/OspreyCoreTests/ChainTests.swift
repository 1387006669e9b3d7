import OspreyCore
import Testing

@Suite struct ChainTests {
    @Test func hexQuantitiesAreExact() {
        #expect(HexQuantity.parse("0xde0b6b3a7640000").flatMap { HexQuantity.scaled($0, decimals: 18) } == Decimal(1))
        #expect(HexQuantity.parse("0x6fc23ac00").flatMap { HexQuantity.scaled($0, decimals: 9) } == Decimal(30))
        #expect(HexQuantity.parse("0x") == nil && HexQuantity.parse("12") == nil && HexQuantity.parse("0xZZ") == nil)
        #expect(HexQuantity.parse("0x" + String(repeating: "f", count: 33)) == nil, "more than 128 bits")
    }

    @Test func providersRotateByHealthAndRestAfterFailures() {
        var pool = ProviderPool(urls: ["a", "b", "c"], cooldown: 60)
        #expect(pool.order(now: 0) == [0, 1, 2])
        pool.failed(0, now: 0)
        #expect(pool.order(now: 0) == [1, 2, 0], "a lower score goes last")
        for _ in 0..<4 { pool.failed(1, now: 10) }  // 10 → 7 → 4 → 1 → rests
        #expect(!pool.isHealthy(1, now: 10) && pool.order(now: 10) == [2, 0, 1], "resting after its score ran out")
        #expect(pool.isHealthy(1, now: 70), "back after the cooldown")
        pool.succeeded(0)
        #expect(pool.providers[0].score == 8)
    }

    @Test func gasAndBalanceSignalsFireOncePerCooldown() {
        var engine = SignalEngine(rules: [
            SignalRule(name: "gas", condition: .gasAbove(chain: "ethereum", gwei: Decimal(50)), cooldown: .seconds(600)),
            SignalRule(name: "wallet", condition: .balanceChange(minChange: Decimal("0.5")!)),
        ])
        let before = ChainState(chain: "ethereum", gasPriceGwei: Decimal(20), balances: ["0xw": Decimal(2)], observedAt: 0)
        #expect(engine.evaluate(chain: before, previous: nil, now: 0).isEmpty)
        let after = ChainState(chain: "ethereum", gasPriceGwei: Decimal("61.5")!, balances: ["0xw": Decimal("1.25")!], observedAt: 30)
        let fired = engine.evaluate(chain: after, previous: before, now: 30)
        #expect(fired.map(\.rule) == ["gas", "wallet"])
        #expect(fired[1].value == Decimal("-0.75") && fired[1].token == "ethereum:0xw")
        #expect(engine.evaluate(chain: after, previous: before, now: 60).map(\.rule) == [], "both cooling down")
    }

    @Test func jsonRPCRepliesMatchByIdInAnyOrder() throws {
        let chain = RPCSettings.Chain(name: "ethereum", kind: .evm, providers: ["x"], wallets: ["0xw"])
        let calls = JSONRPCFormat.calls(for: chain)
        #expect(JSONRPCFormat.batchBody(calls) == #"[{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]},{"jsonrpc":"2.0","id":2,"method":"eth_gasPrice","params":[]},{"jsonrpc":"2.0","id":3,"method":"eth_getBalance","params":["0xw","latest"]}]"#)
        let reply = try JSON.parse(Array(#"[{"jsonrpc":"2.0","id":3,"result":"0x0"},{"jsonrpc":"2.0","id":1,"result":"0x10"},{"jsonrpc":"2.0","id":2,"result":"0x3b9aca00"}]"#.utf8))
        let state = try JSONRPCFormat.state(chain: chain, calls: calls, replies: [reply], observedAt: 5)
        #expect(state.height == 16 && state.gasPriceGwei == Decimal(1) && state.balances["0xw"] == .zero)
        let error = try JSON.parse(Array(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit exceeded"}}"#.utf8))
        #expect(throws: JSONRPCFormat.ReplyError.self) { try JSONRPCFormat.state(chain: chain, calls: calls, replies: [error], observedAt: 5) }
    }
}
