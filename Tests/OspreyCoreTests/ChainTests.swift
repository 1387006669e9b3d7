import OspreyCore
import Testing

@Suite struct ChainTests {

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

}
