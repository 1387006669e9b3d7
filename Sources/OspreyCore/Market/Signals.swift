/// One `[[signal]]` from the configuration.
public struct SignalRule: Sendable, Equatable {
    public enum TradeWindow: String, Sendable, CaseIterable {
        case m5, h1, h6, h24
    }

    public enum Condition: Sendable, Equatable {
        /// A pair younger than `maxAge` with at least `minLiquidity` USD.
        case newPair(maxAge: Duration, minLiquidity: Decimal)
        /// m5 or h1 volume against the h24 hourly mean (m5 scaled to an hour) at least `factor`.
        case volumeSpike(window: TradeWindow, factor: Decimal)
        /// |price change| over `window` (from the tracked history) at least `percent`.
        case priceMove(window: Duration, percent: Decimal)
        /// Liquidity fell by at least `percent` over `window`: a rug warning.
        case liquidityDrop(window: Duration, percent: Decimal)
        /// buys / sells at least `ratio` over a window, with at least `minTrades` trades.
        case buyPressure(window: TradeWindow, ratio: Decimal, minTrades: Int64)
        /// An EVM chain's gas price at or above `gwei` (from an RPC source).
        case gasAbove(chain: String, gwei: Decimal)
        /// A watched wallet's balance changed by at least `minChange` native units since the last scan.
        case balanceChange(minChange: Decimal)
    }

    public var name: String
    public var condition: Condition
    public var cooldown: Duration
    /// Only tokens on these chains (empty: all).
    public var chains: [String]

    public init(name: String, condition: Condition, cooldown: Duration = .seconds(3600), chains: [String] = []) {
        self.name = name
        self.condition = condition
        self.cooldown = cooldown
        self.chains = chains
    }

    public var kind: String {
        switch condition {
        case .newPair: "new_pair"
        case .volumeSpike: "volume_spike"
        case .priceMove: "price_move"
        case .liquidityDrop: "liquidity_drop"
        case .buyPressure: "buy_pressure"
        case .gasAbove: "gas_above"
        case .balanceChange: "balance_change"
        }
    }

    public static let kinds = ["new_pair", "volume_spike", "price_move", "liquidity_drop", "buy_pressure", "gas_above", "balance_change"]
}

/// A rule that fired for a token.
public struct Signal: Sendable, Equatable, Codable {
    public var rule: String
    public var kind: String
    public var token: String
    public var symbol: String
    /// The measured value (liquidity, ratio, percent) and the rule's threshold, exact.
    public var value: Decimal
    public var threshold: Decimal
    public var at: Double
    public var message: String

    public init(rule: String, kind: String, token: String, symbol: String, value: Decimal, threshold: Decimal, at: Double, message: String) {
        self.rule = rule
        self.kind = kind
        self.token = token
        self.symbol = symbol
        self.value = value
        self.threshold = threshold
        self.at = at
        self.message = message
    }
}

/// Evaluates the rules on freshly updated tokens; each rule fires at most once per token per cooldown.
public struct SignalEngine: Sendable {
    public private(set) var rules: [SignalRule]
    private struct CooldownKey: Hashable {
        let rule: String
        /// A token ("solana:Mint…"), a chain or a wallet.
        let subject: String
    }

    private var lastFired: [CooldownKey: Double] = [:]

    public init(rules: [SignalRule]) {
        self.rules = rules
    }

    /// New rules from a reload; cooldowns of rules that keep their name carry over.
    public mutating func replaceRules(_ rules: [SignalRule]) {
        let names = Set(rules.map(\.name))
        lastFired = lastFired.filter { names.contains($0.key.rule) }
        self.rules = rules
    }

    public mutating func evaluate(_ token: TrackedToken, now: Double) -> [Signal] {
        var fired: [Signal] = []
        for rule in rules where rule.chains.isEmpty || rule.chains.contains(token.key.chain) {
            guard let (value, threshold, message) = Self.check(rule.condition, token, now: now) else { continue }
            guard cooledDown(rule, token.key.description, now: now) else { continue }
            fired.append(Signal(
                rule: rule.name, kind: rule.kind, token: token.key.description, symbol: token.latest.symbol,
                value: value, threshold: threshold, at: now, message: "\(token.latest.symbol) (\(token.key.chain)): \(message)"))
        }
        return fired
    }

    /// Whether `rule` may fire for `subject` now; if so, starts its cooldown.
    private mutating func cooledDown(_ rule: SignalRule, _ subject: String, now: Double) -> Bool {
        let key = CooldownKey(rule: rule.name, subject: subject)
        if let last = lastFired[key], now - last < rule.cooldown.seconds { return false }
        lastFired[key] = now
        return true
    }

    /// The measured value, the threshold and a message when `condition` holds for `token` (no cooldown).
    public static func check(_ condition: SignalRule.Condition, _ token: TrackedToken, now: Double) -> (Decimal, Decimal, String)? {
        let latest = token.latest
        switch condition {
        case .newPair(let maxAge, let minLiquidity):
            guard let created = latest.createdAt, now - created < maxAge.seconds, let liquidity = latest.liquidityUSD,
                  liquidity >= minLiquidity else { return nil }
            return (liquidity, minLiquidity, "new pair, \(DurationText.format(.seconds(Int64(max(now - created, 0))))) old, liquidity $\(liquidity.rounded(scale: 0))")
        case .volumeSpike(let window, let factor):
            guard let day = latest.volumeUSD.h24, !day.isZero, day > .zero else { return nil }
            let (recent, perHour): (Decimal?, Decimal) = switch window {
            case .m5: (latest.volumeUSD.m5, Decimal(12))
            case .h1, .h6, .h24: (latest.volumeUSD.h1, Decimal(1))
            }
            guard let recent, let hourly = recent.multiplied(by: perHour)?.multiplied(by: Decimal(24)),
                  let ratio = hourly.divided(by: day, scale: 2), ratio >= factor else { return nil }
            return (ratio, factor, "\(window.rawValue) volume at \(ratio)× its 24 h hourly mean")
        case .priceMove(let window, let percent):
            guard let now_ = latest.priceUSD, let then = token.point(secondsAgo: window.seconds, now: now)?.price,
                  let change = now_.percentChange(from: then), change.magnitude >= percent else { return nil }
            return (change, percent, "price \(change.isNegative ? "" : "+")\(change.rounded(scale: 2))% in \(DurationText.format(window))")
        case .liquidityDrop(let window, let percent):
            guard let now_ = latest.liquidityUSD, let then = token.point(secondsAgo: window.seconds, now: now)?.liquidity,
                  let change = now_.percentChange(from: then), change.isNegative, change.magnitude >= percent else { return nil }
            return (change, percent, "liquidity \(change.rounded(scale: 2))% in \(DurationText.format(window)), now $\(now_.rounded(scale: 0))")
        case .buyPressure(let window, let ratio, let minTrades):
            let counts: TradeCounts? = switch window {
            case .m5: latest.trades.m5
            case .h1: latest.trades.h1
            case .h6: latest.trades.h6
            case .h24: latest.trades.h24
            }
            guard let counts, counts.buys + counts.sells >= minTrades else { return nil }
            let measured = counts.sells == 0 ? Decimal(Int(counts.buys)) : Decimal(Int(counts.buys)).divided(by: Decimal(Int(counts.sells)), scale: 2) ?? .zero
            guard measured >= ratio else { return nil }
            return (measured, ratio, "\(counts.buys) buys / \(counts.sells) sells in \(window.rawValue)")
        case .gasAbove, .balanceChange:
            return nil  // chain rules: see evaluate(chain:previous:now:)
        }
    }

    /// Chain rules on an RPC source's report; `previous` is the chain's report from the scan before.
    public mutating func evaluate(chain state: ChainState, previous: ChainState?, now: Double) -> [Signal] {
        var fired: [Signal] = []
        for rule in rules where rule.chains.isEmpty || rule.chains.contains(state.chain) {
            var hits: [(subject: String, value: Decimal, threshold: Decimal, message: String)] = []
            switch rule.condition {
            case .gasAbove(let chain, let gwei):
                if chain == state.chain, let price = state.gasPriceGwei, price >= gwei {
                    hits.append((state.chain, price, gwei, "gas at \(price.rounded(scale: 2)) gwei"))
                }
            case .balanceChange(let minChange):
                for (address, balance) in state.balances.sorted(by: { $0.key < $1.key }) {
                    guard let before = previous?.balances[address], let change = balance.subtracting(before),
                          !change.isZero, change.magnitude >= minChange else { continue }
                    hits.append(("\(state.chain):\(address)", change, minChange, "balance of \(address) \(change.isNegative ? "" : "+")\(change), now \(balance)"))
                }
            default:
                continue
            }
            for hit in hits {
                guard cooledDown(rule, hit.subject, now: now) else { continue }
                fired.append(Signal(rule: rule.name, kind: rule.kind, token: hit.subject, symbol: state.chain,
                                    value: hit.value, threshold: hit.threshold, at: now, message: "\(state.chain): \(hit.message)"))
            }
        }
        return fired
    }
}
