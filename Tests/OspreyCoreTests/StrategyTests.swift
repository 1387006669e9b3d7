import OspreyCore
import Testing

@Suite struct StrategyTests {
    func closes(_ values: [Int]) -> [Decimal] { values.map { Decimal($0) } }

    @Test func movingAverageAndWildersRSIInExactDecimals() {
        #expect(Indicators.sma(closes([1, 2, 3, 4, 5]), period: 3) == Decimal(4))
        #expect(Indicators.sma(closes([1, 2, 3, 4, 5]), period: 3, offset: 1) == Decimal(3))
        #expect(Indicators.sma(closes([1, 2]), period: 3) == nil)
        // Changes +1, -1, +1 over period 2: averages 0.5/0.5, then 0.75/0.25 → RS 3 → RSI 75.
        #expect(Indicators.rsi(closes([1, 2, 1, 2]), period: 2) == Decimal(75))
        #expect(Indicators.rsi(closes([1, 2, 3, 4]), period: 2) == Decimal(100), "nothing fell")
    }

    @Test func smaCrossEntersOnTheCrossUpAndExitsOnTheCrossDown() {
        let kind = StrategySpec.Kind.smaCross(fast: 2, slow: 3, interval: .h1)
        #expect(kind.decide(closes: closes([5, 4, 3, 3, 6])) == .enter, "fast 3 ≤ slow 3.33, then 4.5 > 4")
        #expect(kind.decide(closes: closes([3, 4, 5, 6, 2])) == .exit)
        #expect(kind.decide(closes: closes([1, 2, 3, 4, 5])) == .hold, "already above: no new cross")
        let rsi = StrategySpec.Kind.rsi(period: 2, buyBelow: Decimal(30), sellAbove: Decimal(70), interval: .h1)
        #expect(rsi.decide(closes: closes([5, 4, 3, 2])) == .enter && rsi.decide(closes: closes([1, 2, 3, 4])) == .exit)
    }

    @Test func exitsStopTakeTrailAndTimeOut() {
        let exits = ExitRules(stopLossPercent: Decimal(5), takeProfitPercent: Decimal(10), trailingStopPercent: Decimal(3), maxHolding: .seconds(3600))
        let position = Position(symbol: "ETHUSDT", quantity: Decimal(2), cost: Decimal(200), openedAt: 0)  // average 100
        #expect(exits.exit(position, price: Decimal(95), high: Decimal(100), now: 10) == "exit:stop-loss")
        #expect(exits.exit(position, price: Decimal("95.01")!, high: Decimal(96), now: 10) == nil)
        #expect(exits.exit(position, price: Decimal(110), high: Decimal(110), now: 10) == "exit:take-profit")
        #expect(exits.exit(position, price: Decimal("104.7")!, high: Decimal(108), now: 10) == "exit:trailing-stop", "3 % below the 108 high")
        #expect(exits.exit(position, price: Decimal(101), high: Decimal(102), now: 3600) == "exit:max-holding")
        #expect(ExitRules().exit(position, price: Decimal(1), high: Decimal(1000), now: 1e9) == nil, "no exits configured")
    }
}
