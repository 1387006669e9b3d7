import OspreyCore
import Testing

func snapshot(_ address: String, chain: String = "solana", price: String = "1", liquidity: String? = "50000", source: String = "dexscreener",
              at: Double, created: Double? = nil, volume: Windows<Decimal> = .init(), trades: Windows<TradeCounts> = .init()) -> PairSnapshot {
    PairSnapshot(
        token: TokenKey(chain: chain, address: address), symbol: address.uppercased(), priceUSD: Decimal(price),
        liquidityUSD: liquidity.flatMap { Decimal($0) }, volumeUSD: volume, trades: trades, createdAt: created, source: source, observedAt: at)
}

@Suite struct TokenTrackerTests {
    @Test func mergesByTokenKeepsTheMostLiquidPairAndBoundsTheSet() {
        var tracker = TokenTracker(capacity: 2)
        let first = tracker.ingest([snapshot("a", price: "1", liquidity: "10", at: 1), snapshot("a", price: "2", liquidity: "99", at: 1)], now: 1)
        #expect(first.updated.map { tracker.tokens[$0].key.address } == ["a"] && tracker[TokenKey(chain: "solana", address: "a")]?.latest.priceUSD == Decimal("2"))
        _ = tracker.ingest([snapshot("b", at: 2)], now: 2)
        tracker.markInteresting(TokenKey(chain: "solana", address: "a"), at: 3)
        let third = tracker.ingest([snapshot("c", at: 4)], now: 4)
        #expect(third.evicted.map(\.address) == ["b"], "the least recently interesting goes")
        #expect(third.updated.map { tracker.tokens[$0].key.address } == ["c"] && tracker[TokenKey(chain: "solana", address: "a")]?.latest.priceUSD == Decimal("2"),
                "positions and the index are right after an eviction")
        tracker.pin([TokenKey(chain: "solana", address: "a")])
        let fourth = tracker.ingest([snapshot("d", at: 5)], now: 5)
        #expect(fourth.evicted.map(\.address) == ["c"] && tracker.count == 2, "a pinned token is never evicted")
        #expect(tracker.refreshOrder(limit: 5).map(\.address) == ["a", "d"], "pinned first")
        tracker.pin([])
        #expect(tracker.refreshOrder(limit: 5).map(\.address) == ["d", "a"], "then the most recently interesting")

        var equal = TokenTracker(capacity: 5)
        _ = equal.ingest([snapshot("a", at: 1), snapshot("b", at: 2)], now: 2)
        #expect(equal.refreshOrder(limit: 5).map(\.address) == ["a", "b"], "equally interesting: the longest without an update first")
        _ = equal.ingest([snapshot("a", at: 3)], now: 3)
        #expect(equal.refreshOrder(limit: 1).map(\.address) == ["b"])
    }

    @Test func staleWhenNoSourceIsFreshAndHistoryIsBounded() {
        var tracker = TokenTracker(capacity: 10, historyLimit: 3)
        for at in 1...5 { _ = tracker.ingest([snapshot("a", price: "\(at)", at: Double(at))], now: Double(at)) }
        _ = tracker.ingest([snapshot("a", source: "sim", at: 5)], now: 5)
        let token = tracker[TokenKey(chain: "solana", address: "a")]!
        #expect(token.history.map(\.at) == [3, 4, 5])
        let limits: (String) -> Duration = { $0 == "sim" ? .seconds(10) : .seconds(60) }
        #expect(!token.isStale(now: 60, staleAfter: limits), "dexscreener is 55 s old, within its 60 s")
        #expect(token.isStale(now: 66, staleAfter: limits))
        #expect(token.point(secondsAgo: 1.5, now: 5)?.price == Decimal("3"))
    }

    @Test func historyKeepsTheSignalSpanAndThePointBeforeIt() {
        var tracker = TokenTracker(capacity: 10, historySpan: 100)
        for at in stride(from: 0.0, through: 600, by: 10) { _ = tracker.ingest([snapshot("a", price: "\(Int(at))", at: at)], now: at) }
        let history = tracker[TokenKey(chain: "solana", address: "a")]!.history
        #expect(history.first!.at <= 500 && history.last!.at == 600, "a 100 s window still finds its starting point")
        #expect(history.count <= 20, "61 points observed; only the span (11) and a trimming batch stay")
        #expect(tracker.tokens.first?.point(secondsAgo: 100, now: 600)?.price == Decimal(500))
    }
}

@Suite struct SignalEngineTests {
    func tracked(_ snapshots: [PairSnapshot]) -> TrackedToken {
        var tracker = TokenTracker(capacity: 10)
        for snapshot in snapshots { _ = tracker.ingest([snapshot], now: snapshot.observedAt) }
        return tracker.tokens.first!
    }

    @Test func eachRuleFiresOncePerCooldown() {
        var engine = SignalEngine(rules: [
            SignalRule(name: "fresh", condition: .newPair(maxAge: .seconds(3600), minLiquidity: Decimal(10000)), cooldown: .seconds(600)),
        ])
        let token = tracked([snapshot("a", liquidity: "25000", at: 1000, created: 400)])
        let first = engine.evaluate(token, now: 1000)
        #expect(first.map(\.rule) == ["fresh"] && first[0].value == Decimal(25000) && first[0].message == "A (solana): new pair, 10m old, liquidity $25000")
        #expect(engine.evaluate(token, now: 1599).isEmpty, "cooling down")
        #expect(engine.evaluate(token, now: 1600).count == 1)
        #expect(engine.evaluate(tracked([snapshot("b", liquidity: "5000", at: 1000, created: 900)]), now: 1000).isEmpty, "too little liquidity")
    }

    @Test func volumeSpikePriceMoveLiquidityDropAndBuyPressure() {
        let spike = SignalEngine.check(.volumeSpike(window: .m5, factor: Decimal(3)),
            tracked([snapshot("a", at: 1, volume: Windows(m5: Decimal(1000), h24: Decimal(24000)))]), now: 1)
        #expect(spike?.0 == Decimal(12), "m5 1000 → 12000 an hour against a mean of 1000")
        let moved = tracked([snapshot("a", price: "1.00", at: 0), snapshot("a", price: "1.30", at: 900)])
        #expect(SignalEngine.check(.priceMove(window: .seconds(900), percent: Decimal(20)), moved, now: 900)?.0 == Decimal(30))
        #expect(SignalEngine.check(.priceMove(window: .seconds(3600), percent: Decimal(20)), moved, now: 900) == nil, "no history that old")
        let drained = tracked([snapshot("a", liquidity: "100000", at: 0), snapshot("a", liquidity: "40000", at: 300)])
        #expect(SignalEngine.check(.liquidityDrop(window: .seconds(300), percent: Decimal(50)), drained, now: 300)?.0 == Decimal(-60))
        let pressure = tracked([snapshot("a", at: 1, trades: Windows(m5: TradeCounts(buys: 30, sells: 10)))])
        #expect(SignalEngine.check(.buyPressure(window: .m5, ratio: Decimal(3), minTrades: 20), pressure, now: 1)?.0 == Decimal(3))
        #expect(SignalEngine.check(.buyPressure(window: .m5, ratio: Decimal(3), minTrades: 50), pressure, now: 1) == nil)
    }
}
